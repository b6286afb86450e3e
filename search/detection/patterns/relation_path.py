"""Relation path (关系链): a chain of record keys from a start key to an end key, hop by hop, with
an optional condition that closes it on the start's record: an official's ID (public officials)
→ a relative's ID on the same record (spouse, child) → the same ID as a legal representative in
the market register → that company's credit code on the same record → the same code winning a
tender → whose tenderer is the unit the official works in (the official's record's employer).

Each hop is one of:

- ``{"via": "record", "kind": K, "roles": [...]}``: another key, of kind K, of the same linked
  record (an official's spouse; a company's credit code beside its legal representative);
- ``{"via": "value", "system": S, "roles": [...]}``: the same value, as a key of linked system S
  (the spouse's ID as a legal representative in the market register).

The close, when given, asks that the last record hold a key of ``close_kind`` with
``close_end_roles`` whose value is also a key of the start record with ``close_start_roles``.
One warning per start and end key (the official and the company); its evidence is every record
on the way.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ...models import KeyKind
from .base import (
    KEYS,
    Context,
    Pattern,
    PatternForm,
    Query,
    RolesField,
    SystemField,
    condition_in,
    key_filter,
    kind_field,
    roles_problem,
)

MAX_HOPS = 6
RECORD, VALUE = "record", "value"


HOPS_TEXT_LIMIT = 10_000  # characters: six hops written out take a few hundred


class HopsField(forms.JSONField):
    """The hops as JSON text, refused with the field's message when the text is far longer than
    any list of hops or nested too deeply for the parser (which would otherwise end the request
    with a RecursionError), both when it is cleaned and when the form shows it again."""

    def to_python(self, value):
        if isinstance(value, str) and len(value) > HOPS_TEXT_LIMIT:
            raise forms.ValidationError(_("At most %(limit)d characters of hops."), code="too_long",
                                        params={"limit": HOPS_TEXT_LIMIT})
        try:
            return super().to_python(value)
        except RecursionError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                        params={"value": ""}) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data if not isinstance(data, str) or len(data) <= HOPS_TEXT_LIMIT
                                      else "", initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class HopForm(forms.Form):
    via = forms.ChoiceField(choices=(
        (RECORD, _("Same linked record")), (VALUE, _("Same value in a linked system")),
    ))
    system = forms.CharField(required=False, max_length=40)
    kind = forms.ChoiceField(choices=[("", ""), *KeyKind.choices], required=False)
    roles = RolesField()


class RelationPathForm(PatternForm):
    start_system = SystemField(label=_("Linked system of the start"))
    start_kind = kind_field(_("Start key's kind"))
    start_roles = RolesField(label=_("Start key's roles"), help_text=_("Empty: any role."))
    hops = HopsField(
        label=_("Hops"),
        help_text=_('A list of hops, each {"via": "record", "kind": …, "roles": […]} or '
                    '{"via": "value", "system": …, "roles": […]}.'),
    )
    close_kind = kind_field(_("Close on a key of kind"), required=False)
    close_start_roles = RolesField(label=_("Its roles in the start record"))
    close_end_roles = RolesField(label=_("Its roles in the last record"))

    def clean(self):
        data = super().clean()
        self.check_keys("start_system", data.get("start_kind"), "start_roles")
        if self.has_error("start_system") or self.has_error("start_kind") or "hops" not in data:
            return data
        end_system = self._clean_hops(data)
        if data.get("close_kind") and end_system:
            ends = ((data["start_system"], "close_start_roles"), (end_system, "close_end_roles"))
            for system, roles in ends:
                problem = roles_problem(self.systems[system], data["close_kind"], data.get(roles) or [])
                if problem:
                    self.add_error(roles, problem)
        return data

    def _clean_hops(self, data) -> str | None:
        """Checks each hop against the systems it walks through and keeps the cleaned hops;
        returns the system the path ends in (None when a hop is wrong)."""
        hops = data["hops"]
        if not isinstance(hops, list) or not 1 <= len(hops) <= MAX_HOPS:
            self.add_error("hops", gettext("Give between 1 and %(limit)d hops.") % {"limit": MAX_HOPS})
            return None
        system, kind, cleaned = data["start_system"], data["start_kind"], []
        for number, hop in enumerate(hops, 1):
            form = HopForm(hop if isinstance(hop, dict) else {})
            if not form.is_valid():
                self.add_error("hops", gettext("Hop %(number)d is not a hop: %(problem)s")
                               % {"number": number, "problem": _first_error(form)})
                return None
            hop = form.cleaned_data
            if hop["via"] == RECORD:
                if not hop["kind"]:
                    self.add_error("hops", gettext("Hop %(number)d: say the kind of key.")
                                   % {"number": number})
                    return None
                kind = hop["kind"]
            else:
                if hop["system"] not in self.systems:
                    self.add_error("hops", gettext("Hop %(number)d: no linked system has the code %(code)s.")
                                   % {"number": number, "code": hop["system"][:40]})
                    return None
                system = hop["system"]
            problem = roles_problem(self.systems[system], kind, hop["roles"])
            if problem:
                self.add_error("hops", gettext("Hop %(number)d: %(problem)s")
                               % {"number": number, "problem": problem})
                return None
            cleaned.append({"via": hop["via"], "system": system if hop["via"] == VALUE else None,
                            "kind": kind if hop["via"] == RECORD else None, "roles": hop["roles"]})
        data["hops"] = cleaned
        return system


def _first_error(form: forms.Form) -> str:
    name, errors = next(iter(form.errors.items()))
    return f"{name}: {errors[0]}"


class RelationPath(Pattern):
    name = "relation_path"
    label = _("Relation path")
    description = _("A chain of keys from a start to an end, hop by hop "
                    "(official → relative → company → award).")
    form_class = RelationPathForm

    def systems(self, params: dict) -> set[str]:
        return {params["start_system"], *(hop["system"] for hop in params["hops"] if hop["via"] == VALUE)}

    def compile(self, params: dict, ctx: Context) -> Query:
        """One materialised step a hop: each step holds the key it reached (its id, kind, value
        and record), the start's kind and value, and the records met on the way (``r0`` the
        start's, then one per hop to another record). Walking step by step keeps the work in
        proportion to the paths that exist, however little the planner knows of the keys (just
        after a load, before PostgreSQL has analysed them, a five-way join of one table can be
        planned as a product of its scans).

        An incremental run does not restrict the walk: a record in scope may be anywhere on a
        chain, so the chains are walked in full and the run keeps those it is on (``runs.statement``)."""
        q = Query()
        start, values = key_filter("k", ctx, params["start_system"], params["start_kind"],
                                   params["start_roles"])
        q.cte("step0", "SELECT k.id AS kid, k.kind AS kind, k.value AS value, k.record_id AS rec, "
                       f"k.kind AS sk, k.value AS sv, k.record_id AS r0 FROM {KEYS} k WHERE {start}",
              values, materialized=True)
        carried = ["r0"]
        for number, hop in enumerate(params["hops"], 1):
            if hop["via"] == RECORD:
                where, values = key_filter("k", ctx, None, hop["kind"], hop["roles"])
                join = f"k.record_id = p.rec AND {where}"
            else:
                roles, values = condition_in("k.role", hop["roles"])
                join = (f"k.kind = p.kind AND k.value = p.value AND k.id <> p.kid AND k.system_id = %s "
                        f"AND {roles}")
                values = [ctx.system(hop["system"]), *values]
            met = [f"p.{column}" for column in carried]
            if hop["via"] == VALUE:
                met.append(f"k.record_id AS r{number}")
                carried.append(f"r{number}")
            q.cte(f"step{number}",
                  f"SELECT k.id AS kid, k.kind AS kind, k.value AS value, k.record_id AS rec, p.sk, p.sv, "
                  f"{', '.join(met)} FROM step{number - 1} p JOIN {KEYS} k ON {join}",
                  values, materialized=True)
        close, values = "", []
        if params.get("close_kind"):
            end_sql, end_values = key_filter("ce", ctx, None, params["close_kind"], params["close_end_roles"])
            start_sql, start_values = key_filter("cs", ctx, None, params["close_kind"],
                                                 params["close_start_roles"])
            close = (f"WHERE EXISTS (SELECT 1 FROM {KEYS} ce JOIN {KEYS} cs ON cs.kind = ce.kind "
                     f"AND cs.value = ce.value WHERE ce.record_id = p.rec AND {end_sql} "
                     f"AND cs.record_id = p.r0 AND {start_sql})")
            values = [*end_values, *start_values]
        records = ", ".join(f"p.{column}" for column in carried)
        q.cte("paths", f"SELECT DISTINCT p.sk, p.sv, p.kind AS ek, p.value AS ev, p.rec AS rend, {records} "
                       f"FROM step{len(params['hops'])} p {close}", values)
        group = "sv || '|' || ev"
        selects = [f"SELECT {group}, sk, sv, {column} FROM paths" for column in carried]
        selects.append(f"SELECT {group}, ek, ev, rend FROM paths")
        q.final(" UNION ".join(selects))
        return q


PATTERN = RelationPath()

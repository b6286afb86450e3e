"""What every template shares: its parameters form's fields, the checks they make against the
linked systems' mappings, and the pieces of SQL that differ between SQLite and PostgreSQL.

A template's query is a list of common table expressions and a final SELECT giving rows of
(warning, subject kind, subject value, linked record id): the rows of one "warning" value are one
warning, whose subjects are their (kind, value) pairs and whose evidence is their linked records.
Values are bound (``%s``), never written into the text; table names come from the models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from ...models import KeyKind, Record, RecordKey, SourceSystem

KEYS = RecordKey._meta.db_table
RECORDS = Record._meta.db_table
MAX_DAYS = 3_660  # ten years: no window a model needs is longer
MAX_ROLES = 10
ROLE_LENGTH = RecordKey._meta.get_field("role").max_length


@dataclass
class Query:
    """SQL with its bound values, kept in the order the placeholders appear."""

    ctes: list[tuple[str, str]] = field(default_factory=list)
    select: str = ""
    params: list = field(default_factory=list)
    # CTEs computed once, as written, before the rest of the query is planned around them
    # (MATERIALIZED: PostgreSQL 12 and SQLite 3.35 know it).
    materialized: set[str] = field(default_factory=set)

    def cte(self, name: str, sql: str, params: Iterable = (), *, materialized: bool = False) -> None:
        self.ctes.append((name, sql))
        self.params.extend(params)
        if materialized:
            self.materialized.add(name)

    def final(self, sql: str, params: Iterable = ()) -> None:
        self.select = sql
        self.params.extend(params)


@dataclass(frozen=True)
class Context:
    """What a query may read: the ids of the linked systems the owning agency may read now, by code,
    and the linked records of the run's scope.

    A system named in the parameters but missing here gives ``None``, which no key's system id
    equals: that part of the query finds nothing, so a revoked grant drops the system.

    ``scope`` is an SQL query giving the ids of the records an incremental run looks at (with its
    bound values), empty for a full run. A template restricts its anchor keys with ``touched``
    first, so that only the groups a record in scope can take part in are computed, and each of
    those in full; the run keeps, of what it finds, the warnings a record in scope is evidence of
    (``runs.statement``), so the result is a full run's, filtered."""

    system_ids: dict[str, int]
    vendor: str
    scope: str = ""
    scope_params: tuple = ()

    def system(self, code: str) -> int | None:
        return self.system_ids.get(code)

    def touched(self, column: str, kind: str) -> tuple[str, list]:
        """``column IN (…)``: the values of the keys of ``kind`` the records in scope hold, of any
        system or role (more than a template needs, never less); always true for a full run."""
        if not self.scope:
            return "1 = 1", []
        return (f"{column} IN (SELECT t.value FROM {KEYS} t WHERE t.kind = %s "  # noqa: S608
                f"AND t.record_id IN ({self.scope}))", [kind, *self.scope_params])

    def touched_keys(self, kind_column: str, value_column: str) -> tuple[str, list]:
        """As ``touched``, for keys of any kind: the (kind, value) pairs the records in scope hold."""
        if not self.scope:
            return "1 = 1", []
        return (f"({kind_column}, {value_column}) IN (SELECT t.kind, t.value FROM {KEYS} t "  # noqa: S608
                f"WHERE t.record_id IN ({self.scope}))", list(self.scope_params))

    def days_between(self, later: str, earlier: str) -> str:
        """An SQL expression: the days from the date ``earlier`` to the date ``later``."""
        if self.vendor == "postgresql":
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def condition_in(column: str, values: Iterable) -> tuple[str, list]:
    """``column IN (…)`` with one placeholder a value; an empty list means any value."""
    values = list(values)
    if not values:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def key_filter(alias: str, ctx: Context, system: str | None, kind: str,
               roles: Iterable[str]) -> tuple[str, list]:
    """The conditions that pick the keys of one kind, with one of ``roles``, in ``system``.

    A key joined to another of the same record is in its system already: leave ``system`` None
    there, so that the join goes through the index on the record rather than scanning every key
    of the system for each one (which the system's index would invite)."""
    roles_sql, roles_params = condition_in(f"{alias}.role", roles)
    parts, params = [f"{alias}.kind = %s", roles_sql], [kind, *roles_params]
    if system is not None:
        parts.insert(0, f"{alias}.system_id = %s")
        params.insert(0, ctx.system(system))
    return " AND ".join(parts), params


def amount(value) -> str:
    """A bound amount compared with stored amounts as a number on both databases."""
    return "CAST(%s AS NUMERIC)" if value is not None else "NULL"


# --- the parameters forms ---------------------------------------------------------------------------
def declared_roles(system: SourceSystem, kind: str) -> set[str]:
    """The roles the system's field mapping gives keys of ``kind``."""
    keys = (system.field_mapping or {}).get("keys", []) if isinstance(system.field_mapping, dict) else []
    return {entry.get("role") for entry in keys if isinstance(entry, dict) and entry.get("kind") == kind}


def roles_problem(system: SourceSystem, kind: str, roles: list[str]) -> str:
    """What is wrong with asking ``system`` for keys of ``kind`` with ``roles``; empty if nothing."""
    known = declared_roles(system, kind)
    if not known:
        return gettext("%(system)s holds no key of the kind %(kind)s.") % {
            "system": system.name, "kind": KeyKind(kind).label}
    unknown = [role for role in roles if role not in known]
    if unknown:
        return gettext(
            "%(system)s has no key of this kind with the role %(roles)s; its roles for it: %(known)s."
        ) % {"system": system.name, "roles": "、".join(unknown), "known": "、".join(sorted(known))}
    return ""


class SystemField(forms.ChoiceField):
    """One linked system, by code; the choices are read when the form is made."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)


class SystemsField(forms.MultipleChoiceField):
    """Several linked systems, by code; the choices are read when the form is made."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)


class RolesField(forms.Field):
    """Roles of record keys, as a list or as words separated by commas or 、; empty for any role."""

    default_error_messages = {
        "invalid": _("Write roles as lower-case words (letters, digits and _), separated by commas."),
        "too_many": _("At most %(limit)d roles."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.replace("、", ",").replace("，", ",").split(",")
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        roles = list(dict.fromkeys(item.strip() for item in value if item.strip()))
        if any(not _is_role(role) for role in roles):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(roles) > MAX_ROLES:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many",
                                        params={"limit": MAX_ROLES})
        return sorted(roles)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


def _is_role(role: str) -> bool:
    return (len(role) <= ROLE_LENGTH and role.isascii() and role[:1].isalpha() and role[:1].islower()
            and all(c.islower() or c.isdigit() or c == "_" for c in role))


def kind_field(label, *, required: bool = True) -> forms.ChoiceField:
    choices = KeyKind.choices if required else [("", "---------"), *KeyKind.choices]
    return forms.ChoiceField(label=label, choices=choices, required=required)


def days_field(label, *, required: bool = True, minimum: int = 0, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=minimum, max_value=MAX_DAYS, **kwargs)


class PatternForm(BootstrapForm):
    """A template's parameters: read from the model-building form or from stored JSON, checked
    against the linked systems as they are, and given back as JSON (``parameters()``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.systems = {system.code: system for system in SourceSystem.objects.filter(is_active=True)}
        choices = [(code, f"{system.name} ({code})") for code, system in sorted(self.systems.items())]
        for form_field in self.fields.values():
            if isinstance(form_field, SystemField | SystemsField):
                blank = not form_field.required and isinstance(form_field, SystemField)
                form_field.choices = [("", "---------"), *choices] if blank else choices

    def check_keys(self, system_field: str, kind: str | None, roles_field: str, *,
                   error_on: str = "") -> None:
        """Adds an error when the chosen system's mapping gives no key of ``kind`` (to ``error_on``,
        else to ``system_field``) or none with one of the chosen roles (to ``roles_field``)."""
        code = self.cleaned_data.get(system_field)
        if not code or not kind or code not in self.systems:
            return
        if not declared_roles(self.systems[code], kind):
            self.add_error(error_on or system_field, roles_problem(self.systems[code], kind, []))
        elif problem := roles_problem(self.systems[code], kind, self.cleaned_data.get(roles_field) or []):
            self.add_error(roles_field, problem)

    def check_order(self, low_field: str, high_field: str, message) -> None:
        """Adds ``message`` to ``high_field`` when both are given and it is below ``low_field``."""
        low, high = self.cleaned_data.get(low_field), self.cleaned_data.get(high_field)
        if low is not None and high is not None and high < low:
            self.add_error(high_field, message)

    def parameters(self) -> dict:
        """The cleaned parameters as JSON; call after ``is_valid()``."""
        return {name: _plain(value) for name, value in self.cleaned_data.items()}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


class Pattern:
    """A template: its name (stored in the version), what it is called, its parameters form, the
    systems a set of parameters names, and the one query it compiles them to."""

    name: str = ""
    label = ""
    description = ""
    form_class: type[PatternForm] = PatternForm

    def form(self, data: dict | None = None) -> PatternForm:
        return self.form_class(data)

    def systems(self, params: dict) -> set[str]:
        """The linked systems the parameters name: most templates read the one called "system"."""
        return {params["system"]}

    def compile(self, params: dict, ctx: Context) -> Query:
        raise NotImplementedError


# --- pairs of keys: one in system A, the same value in system B ----------------------------------------
# A ``pairs`` CTE (v: the value, k: its kind, ra and rb: the records of each side) as warnings:
# one per value, both sides' records its evidence.
PAIRS_EVIDENCE = "SELECT v, k, v, ra FROM pairs UNION SELECT v, k, v, rb FROM pairs"


def matched_pairs(q: Query, ctx: Context, params: dict, date_condition: str = "", date_params=()) -> None:
    """A ``pairs`` CTE (value, kind, record in A, record in B) of the keys of ``kind`` with
    ``roles_a`` in ``system_a`` whose value is also a key with ``roles_b`` in ``system_b``, on the
    condition ``date_condition`` over ``a.date`` and ``b.date``; the rows of each side as evidence."""
    a_sql, a_params = key_filter("a", ctx, params["system_a"], params["kind"], params["roles_a"])
    b_sql, b_params = key_filter("b", ctx, params["system_b"], params["kind"], params["roles_b"])
    touched, touched_params = ctx.touched("a.value", params["kind"])
    q.cte(
        "pairs",
        f"SELECT a.value AS v, a.kind AS k, a.record_id AS ra, b.record_id AS rb FROM {KEYS} a "
        f"JOIN {KEYS} b ON b.kind = a.kind AND b.value = a.value AND {b_sql} "
        f"{'AND ' + date_condition if date_condition else ''} WHERE {a_sql} AND {touched}",
        [*b_params, *date_params, *a_params, *touched_params],
    )
    q.final(PAIRS_EVIDENCE)


class TwoSidesForm(PatternForm):
    """Keys of one kind in system A and system B; the roles say which keys of each count."""

    kind = kind_field(_("Kind of key"))
    system_a = SystemField(label=_("Linked system A"))
    roles_a = RolesField(label=_("Roles in A"), help_text=_("Empty: any role."))
    system_b = SystemField(label=_("Linked system B"))
    roles_b = RolesField(label=_("Roles in B"), help_text=_("Empty: any role."))

    def clean(self):
        data = super().clean()
        for side in ("a", "b"):
            self.check_keys(f"system_{side}", data.get("kind"), f"roles_{side}")
        same_system = data.get("system_a") and data.get("system_a") == data.get("system_b")
        roles_a, roles_b = set(data.get("roles_a") or ()), set(data.get("roles_b") or ())
        if same_system and (not roles_a or not roles_b or roles_a & roles_b):
            self.add_error("roles_b", _(
                "Within one linked system, give each side its own roles: otherwise every key matches itself."
            ))
        return data


def two_systems(params: dict) -> set[str]:
    return {params["system_a"], params["system_b"]}

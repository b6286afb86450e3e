"""First appearance (首次出现): a key whose first record in a system comes within a few days of
its record in a reference system: a company that wins a tender in its first month of existence
(its first win, within 30 days of its registration). Only the key's first record in the system
counts, so a company that has been bidding for years does not warn each time it registers a
change. The evidence is that first record and the reference records it is measured from."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import (
    KEYS,
    PAIRS_EVIDENCE,
    Context,
    Pattern,
    PatternForm,
    Query,
    RolesField,
    SystemField,
    days_field,
    key_filter,
    kind_field,
)


class FirstAppearanceForm(PatternForm):
    kind = kind_field(_("Kind of key"))
    system = SystemField(label=_("Linked system the key is new to"))
    roles = RolesField(label=_("Roles there"), help_text=_("Empty: any role."))
    reference_system = SystemField(label=_("Linked system of the reference event"),
                                   help_text=_("E.g. the market register, for the day a company "
                                               "was founded."))
    reference_roles = RolesField(label=_("Roles in the reference system"), help_text=_("Empty: any role."))
    within_days = days_field(_("First appearance at most this many days after the reference event"))

    def clean(self):
        data = super().clean()
        for system, roles in (("system", "roles"), ("reference_system", "reference_roles")):
            self.check_keys(system, data.get("kind"), roles)
        return data


class FirstAppearance(Pattern):
    name = "first_appearance"
    label = _("First appearance")
    description = _("A key new to a system within days of its reference event.")
    form_class = FirstAppearanceForm

    def systems(self, params: dict) -> set[str]:
        return {params["system"], params["reference_system"]}

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        kind = params["kind"]
        f_sql, f_params = key_filter("f", ctx, params["system"], kind, params["roles"])
        a_sql, a_params = key_filter("a", ctx, params["system"], kind, params["roles"])
        b_sql, b_params = key_filter("b", ctx, params["reference_system"], kind, params["reference_roles"])
        touched, touched_params = ctx.touched("f.value", kind)
        q.cte("firsts",
              f"SELECT f.value AS v, MIN(f.date) AS first_date FROM {KEYS} f WHERE {f_sql} AND {touched} "
              "GROUP BY f.value",
              [*f_params, *touched_params])
        q.cte(
            "pairs",
            f"SELECT a.value AS v, a.kind AS k, a.record_id AS ra, b.record_id AS rb FROM firsts "
            f"JOIN {KEYS} a ON a.value = firsts.v AND a.date = firsts.first_date AND {a_sql} "
            f"JOIN {KEYS} b ON b.value = firsts.v AND {b_sql} "
            f"WHERE {ctx.days_between('firsts.first_date', 'b.date')} BETWEEN 0 AND %s",
            [*a_params, *b_params, params["within_days"]],
        )
        q.final(PAIRS_EVIDENCE)
        return q


PATTERN = FirstAppearance()

"""Grouped threshold (聚合阈值): per key, or per a key and a second key of the same record, the
records of one system counted, their distinct values of a third key counted, or their amounts
summed, over any window of ``window_days`` days (or all time), reaching ``at_least``.

Contracts split to stay under a limit: per purchaser and supplier, at least three contracts each
between 90 % and 100 % of the limit (``amount_min``, ``amount_max``) within 30 days. Bid rigging:
per tender and legal representative, at least two distinct bidders. A complaint reopened: per
caller's phone and address, at least three tickets within 90 days.

A window starts at each record's date; the evidence is every record of every window that
reaches the threshold, and the subjects are the group's key (and second key).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .base import (
    KEYS,
    Context,
    Pattern,
    PatternForm,
    Query,
    RolesField,
    SystemField,
    amount,
    days_field,
    key_filter,
    kind_field,
)

AMOUNT_LIMIT = Decimal(10) ** 14


class Measure:
    COUNT = "count"
    DISTINCT = "distinct"
    SUM = "sum"
    CHOICES = (
        (COUNT, _("Number of records")),
        (DISTINCT, _("Number of distinct values of a counted key")),
        (SUM, _("Sum of the amounts")),
    )


def amount_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_value=AMOUNT_LIMIT,
                              max_digits=16, decimal_places=2, **kwargs)


class ThresholdForm(PatternForm):
    system = SystemField(label=_("Linked system"))
    kind = kind_field(_("Group by the key of kind"))
    roles = RolesField(label=_("With the roles"), help_text=_("Empty: any role."))
    by_kind = kind_field(_("And by a second key of the same record, of kind"), required=False)
    by_roles = RolesField(label=_("Second key's roles"))
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.CHOICES)
    counted_kind = kind_field(_("Counted key's kind"), required=False)
    counted_roles = RolesField(label=_("Counted key's roles"))
    at_least = forms.DecimalField(label=_("Warn at"), min_value=1, max_value=AMOUNT_LIMIT, max_digits=16,
                                  decimal_places=2,
                                  help_text=_("The measure reaching this value raises a warning."))
    window_days = days_field(_("Within a window of days"), required=False, minimum=1,
                             help_text=_("Empty: over all the records."))
    amount_min = amount_field(_("Only records of at least this amount"))
    amount_max = amount_field(_("Only records of at most this amount"))

    def clean(self):
        data = super().clean()
        self.check_keys("system", data.get("kind"), "roles")
        for kind, roles in (("by_kind", "by_roles"), ("counted_kind", "counted_roles")):
            self.check_keys("system", data.get(kind), roles, error_on=kind)
        if data.get("measure") == Measure.DISTINCT and not data.get("counted_kind"):
            self.add_error("counted_kind", _("Say which key's distinct values are counted."))
        threshold = data.get("at_least")
        if threshold is not None and data.get("measure") != Measure.SUM and threshold != int(threshold):
            self.add_error("at_least", _("A number of records or values is a whole number."))
        self.check_order("amount_min", "amount_max", _("The largest amount cannot be below the smallest."))
        return data


class Threshold(Pattern):
    name = "grouped_threshold"
    label = _("Grouped threshold")
    description = _("A count or sum per key, or per two keys, over a window of days.")
    form_class = ThresholdForm

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        system = params["system"]
        g_sql, g_params = key_filter("g", ctx, system, params["kind"], params["roles"])
        joins, join_params, second, counted = [], [], "''", "NULL"
        second_kind = "NULL"
        if params.get("by_kind"):
            s_sql, s_params = key_filter("s", ctx, None, params["by_kind"], params["by_roles"])
            joins.append(f"JOIN {KEYS} s ON s.record_id = g.record_id AND {s_sql}")
            join_params += s_params
            second, second_kind = "s.value", "s.kind"
        if params["measure"] == Measure.DISTINCT:
            c_sql, c_params = key_filter("c", ctx, None, params["counted_kind"], params["counted_roles"])
            joins.append(f"JOIN {KEYS} c ON c.record_id = g.record_id AND {c_sql}")
            join_params += c_params
            counted = "c.value"
        band, band_params = [], []
        for bound, operator in (("amount_min", ">="), ("amount_max", "<=")):
            if params.get(bound) is not None:
                band.append(f"AND g.amount {operator} {amount(params[bound])}")
                band_params.append(params[bound])
        touched, touched_params = ctx.touched("g.value", params["kind"])
        q.cte(
            "base",
            f"SELECT g.value AS g1, {second} AS g2, g.kind AS k1, {second_kind} AS k2, g.record_id AS rid, "
            f"g.date AS d, g.amount AS amt, {counted} AS counted FROM {KEYS} g {' '.join(joins)} "
            f"WHERE {g_sql} {' '.join(band)} AND {touched}",
            [*join_params, *g_params, *band_params, *touched_params],
        )
        q.cte("recs", "SELECT DISTINCT g1, g2, k1, k2, rid, d, amt FROM base")
        measured = "base" if params["measure"] == Measure.DISTINCT else "recs"
        measure = {
            Measure.COUNT: "COUNT(DISTINCT b.rid)",
            Measure.DISTINCT: "COUNT(DISTINCT b.counted)",
            Measure.SUM: "SUM(b.amt)",
        }[params["measure"]]
        threshold = f"{measure} >= {amount(params['at_least'])}"
        window = params.get("window_days")
        if window is None:
            q.cte("reached", f"SELECT b.g1, b.g2 FROM {measured} b GROUP BY b.g1, b.g2 HAVING {threshold}",
                  [params["at_least"]])
            q.cte("hits", "SELECT DISTINCT r.g1, r.g2, r.k1, r.k2, r.rid FROM reached w "
                          "JOIN recs r ON r.g1 = w.g1 AND r.g2 = w.g2")
        else:
            q.cte(
                "reached",
                f"SELECT a.g1, a.g2, a.d AS start FROM recs a JOIN {measured} b ON b.g1 = a.g1 "
                f"AND b.g2 = a.g2 AND {ctx.days_between('b.d', 'a.d')} BETWEEN 0 AND %s "
                f"GROUP BY a.g1, a.g2, a.d HAVING {threshold}",
                [window, params["at_least"]],
            )
            q.cte(
                "hits",
                "SELECT DISTINCT r.g1, r.g2, r.k1, r.k2, r.rid FROM reached w JOIN recs r ON r.g1 = w.g1 "
                f"AND r.g2 = w.g2 AND {ctx.days_between('r.d', 'w.start')} BETWEEN 0 AND %s",
                [window],
            )
        q.final(
            "SELECT g1 || '|' || g2, k1, g1, rid FROM hits "
            "UNION ALL SELECT g1 || '|' || g2, k2, g2, rid FROM hits WHERE k2 IS NOT NULL"
        )
        return q


PATTERN = Threshold()

"""Sequence (时序比对): an event in system A dated within a span of days after (or before) an
event in system B for the same key: welfare paid after the death registration, a licence granted
within days of a penalty. ``min_days`` and ``max_days`` bound A's date minus B's date; the
default, at least one day after and no upper bound, is "after". One warning per key; its
evidence is every record of A in the span and the records of B it follows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import MAX_DAYS, Context, Pattern, Query, TwoSidesForm, days_field, matched_pairs, two_systems


class SequenceForm(TwoSidesForm):
    min_days = days_field(_("A at least this many days after B"), minimum=-MAX_DAYS, initial=1,
                          help_text=_("1: the day after B at the earliest; a negative number "
                                      "allows A before B."))
    max_days = days_field(_("A at most this many days after B"), required=False, minimum=-MAX_DAYS,
                          help_text=_("Empty: however long after."))

    def clean(self):
        data = super().clean()
        self.check_order("min_days", "max_days", _("The most days cannot be fewer than the least."))
        return data


class Sequence(Pattern):
    name = "sequence"
    label = _("Sequence")
    description = _("An event in system A after an event in system B for the same key.")
    form_class = SequenceForm

    def systems(self, params: dict) -> set[str]:
        return two_systems(params)

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        days = ctx.days_between("a.date", "b.date")
        condition, values = f"{days} >= %s", [params["min_days"]]
        if params.get("max_days") is not None:
            condition, values = f"{days} BETWEEN %s AND %s", [params["min_days"], params["max_days"]]
        matched_pairs(q, ctx, params, condition, values)
        return q


PATTERN = Sequence()

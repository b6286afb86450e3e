"""List match (名单比对): keys of a kind with some roles in system A that are also keys, with
other roles, in system B: officials among the applicants for affordable housing, a company
penalised that also wins a tender. One warning per value found; its evidence is the linked
records of both sides. With ``within_days`` the two records must also be at most that many days
apart."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import Context, Pattern, Query, TwoSidesForm, days_field, matched_pairs, two_systems


class ListMatchForm(TwoSidesForm):
    within_days = days_field(_("At most this many days apart"), required=False,
                             help_text=_("Empty: whenever they happened."))


class ListMatch(Pattern):
    name = "list_match"
    label = _("List match")
    description = _("Keys of system A found in system B.")
    form_class = ListMatchForm

    def systems(self, params: dict) -> set[str]:
        return two_systems(params)

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        if params.get("within_days") is None:
            matched_pairs(q, ctx, params)
        else:
            matched_pairs(q, ctx, params, f"ABS({ctx.days_between('a.date', 'b.date')}) <= %s",
                          [params["within_days"]])
        return q


PATTERN = ListMatch()

"""Timeliness scores: the commission sees every department's ranking, a department its own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.acting import acting_membership

from ..ledgers import LedgerFilters
from ..scores import WEIGHTS, scores
from .ledgers import LedgerForm


@login_required
@require_GET
def scores_page(request):
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/scores.html", {"membership": None})
    agency = membership.agency
    form = LedgerForm(request.GET)
    filters = form.ledger_filters()
    if not agency.is_commission:
        # A department sees its own breakdown only, whatever the address asks for.
        filters = LedgerFilters(agency=agency, date_from=filters.date_from, date_to=filters.date_to)
    return render(
        request,
        "issues/scores.html",
        {
            "membership": membership,
            "agency": agency,
            "form": form,
            "ranking": agency.is_commission,
            "scores": scores(request.user, agency, filters),
            "weights": WEIGHTS,
        },
    )

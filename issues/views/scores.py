"""Timeliness scores: the commission sees every department's ranking, a department its own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.acting import acting_membership
from common import spreadsheets
from common.forms import chosen_filters

from ..reading import exports
from ..reading.ledgers import LedgerFilters
from ..reading.scores import WEIGHTS, scores
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
    ranking = scores(request.user, agency, filters)
    export = request.GET.get("format")
    if export in spreadsheets.FORMATS:
        heading = spreadsheets.Heading(
            title=_("Timeliness scores"),
            exported_by=spreadsheets.exporter(request.user, agency),
            filters=chosen_filters(form, ["date_from", "date_to"]),
        )
        return exports.scores_download(ranking, export, heading)
    return render(
        request,
        "issues/scores.html",
        {
            "membership": membership,
            "agency": agency,
            "form": form,
            "ranking": agency.is_commission,
            "scores": ranking,
            "query": request.GET.urlencode(),
            "weights": WEIGHTS,
        },
    )

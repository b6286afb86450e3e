"""How the agency's warning models do: per model and per scenario, the warnings, their
dispositions and precision, and the funnel warnings → clues → issues → closed issues, as charts
and as a spreadsheet (``common.spreadsheets``: title, filters, time of export, exporter)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common import spreadsheets

from ..detection.permissions import agency_models
from ..detection.statistics import charts, columns, rows, statistics
from ..detection.triage_forms import StatisticsForm
from .triage import triager


def _numbers(request):
    reader = triager(request)
    form = StatisticsForm(request.GET, agency=reader.agency)
    chosen = form.cleaned_data if form.is_valid() else {}
    models = agency_models(reader.agency)
    if chosen.get("scenario"):
        models = models.filter(scenario=chosen["scenario"])
    numbers = statistics(models, first_seen_from=chosen.get("first_seen_from"),
                         first_seen_to=chosen.get("first_seen_to"))
    return reader, form, numbers


@login_required
@require_GET
def warning_statistics(request):
    reader, form, numbers = _numbers(request)
    return render(request, "search/triage/statistics.html", {
        "form": form, "numbers": numbers, "charts": charts(numbers), "query": request.GET.urlencode(),
        "agency": reader.agency,
    })


@login_required
@require_GET
def warning_statistics_xlsx(request):
    reader, form, numbers = _numbers(request)
    heading = spreadsheets.Heading(
        title=_("Warning models: statistics and funnel of %(agency)s")
        % {"agency": reader.agency.display_name},
        exported_by=spreadsheets.exporter(request.user, reader.agency),
        filters=form.chosen(),
    )
    name = f"warning-statistics-{timezone.localtime():%Y%m%d-%H%M}"
    return spreadsheets.download(spreadsheets.XLSX, name, heading, columns(), rows(numbers))

"""The commission's review of the search log: every search, linked record view and export, newest
first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common import spreadsheets
from common.forms import chosen_filters

from ..investigate import permissions
from ..investigate.forms import SearchLogForm
from ..masking import mask_text
from ..models import AccessLog, SourceSystem
from .display import system_label

PAGE_SIZE = 50
CSV_BATCH = 2_000


@login_required
@require_GET
def search_log(request):
    reviewer = permissions.reader_for(request)
    if not permissions.may_review_search_log(reviewer):
        raise Http404
    accesses = permissions.readable(reviewer)
    form = SearchLogForm(request.GET)
    entries = form.filtered(
        AccessLog.objects.select_related("user", "agency", "record").order_by("-at", "-id")
    )
    names = {system.code: system_label(system) for system in SourceSystem.objects.all()}
    if request.GET.get("format") == "csv":
        heading = spreadsheets.Heading(
            title=_("Search log"),
            exported_by=spreadsheets.exporter(request.user, permissions.reader_for(request).agency),
            filters=chosen_filters(form),
        )
        return _csv(entries, names, accesses, heading)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.system_names = [names.get(code, code) for code in entry.systems]
        entry.shown_query, entry.shown_purpose = _typed(entry, accesses)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "search/search_log.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
    )


def _typed(entry: AccessLog, accesses) -> tuple[str, str]:
    """The entry's query and purpose as the reviewer may read them (permissions.shows_identifiers)."""
    if permissions.shows_identifiers(accesses, entry.systems):
        return entry.query, entry.purpose
    return mask_text(entry.query), mask_text(entry.purpose)



def _csv(entries, names, accesses, heading):
    """The filtered entries as CSV, streamed in batches so a long search log never sits in memory."""
    columns = [
        _("When"), _("User"), _("Agency"), _("Action"), _("Linked systems"), _("Query"),
        _("Stated purpose"), _("Hits"), _("Linked record"), _("IP address"),
    ]
    rows = (
        [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.get_full_name() if entry.user else "",
            entry.agency.display_name if entry.agency else "",
            entry.get_action_display(),
            "、".join(names.get(code, code) for code in entry.systems),
            *_typed(entry, accesses),
            "" if entry.hits is None else entry.hits,
            entry.record_id or "",
            entry.ip or "",
        ]
        for entry in entries.iterator(chunk_size=CSV_BATCH)
    )
    return spreadsheets.download(spreadsheets.CSV, _("search log"), heading, columns, rows)

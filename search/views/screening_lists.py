"""Screening lists (比对名单) of the acting agency (DESIGN §12): the lists a re-screen model
screens the linked records against, new ones, and entries uploaded from a .csv or .xlsx file
(bad rows quarantined with their reason, good ones added at once). Members of the owning agency
only: to anyone else a list does not exist (404). Every change goes through
``search.detection.actions``, which writes the search log.

The rows an upload quarantined are kept in the session, for the page after the redirect and
their download: they are the reader's own file read back, for no one else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from common import spreadsheets

from ..detection import actions, screening
from ..detection.list_forms import ScreeningListForm, UploadForm
from ..detection.models import ScreeningList
from ..detection.patterns.rescreen import Rescreen
from ..detection.permissions import access_screening_list, agency_models
from ..investigate import permissions
from ..masking import shown_key
from ..models import KeyKind

ENTRIES_PER_PAGE = 50
QUARANTINE_KEPT = 1000  # rows of a bad upload kept to show and download; the count says the rest


def reader_or_404(request) -> permissions.Reader:
    reader = permissions.reader_for(request)
    if reader is None:
        raise Http404
    return reader


def identifiers_shown(reader) -> bool:
    """A list's keys come from outside the linked systems: they are shown in full only to a
    reader whose access shows identifiers in every system their agency reads."""
    accesses = permissions.readable(reader)
    return permissions.shows_identifiers(accesses, list(accesses))


@login_required
@require_http_methods(["GET", "POST"])
def list_index(request):
    reader = reader_or_404(request)
    form = ScreeningListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_screening_list(acting_user=request.user, agency=reader.agency,
                                                    **form.cleaned_data)
        except actions.DetectionError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("The list is created; upload its entries."))
            return redirect("search:screening_list", created.pk)
    lists = ScreeningList.objects.filter(agency=reader.agency).annotate(entry_count=Count("entries"))
    return render(request, "search/models/lists.html", {"lists": lists, "form": form},
                  status=400 if form.errors else 200)


def _quarantine_key(screening_list) -> str:
    return f"screening-quarantine-{screening_list.pk}"


def _shown_quarantine(rows, identifiers: bool) -> list[dict]:
    kinds = dict(KeyKind.choices)
    return [{"line": line, "kind": kinds.get(kind, kind), "reason": reason,
             "value": shown_key(kind if kind in kinds else KeyKind.ID_NUMBER, value, identifiers=identifiers)}
            for line, kind, value, reason in rows]


@login_required
@require_http_methods(["GET", "POST"])
def list_detail(request, pk):
    reader = reader_or_404(request)
    screening_list = access_screening_list(reader, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            parsed = screening.read_upload(form.cleaned_data["file"], kind=form.cleaned_data["kind"])
            added, already = actions.add_screening_rows(
                acting_user=request.user, screening_list=screening_list, entries=parsed.entries)
        except (screening.ScreeningFileError, actions.DetectionError) as error:
            form.add_error("file", str(error))
        else:
            bad = sorted(parsed.quarantined + already, key=lambda row: row.line)
            request.session[_quarantine_key(screening_list)] = {
                "count": len(bad),
                "rows": [[row.line, row.kind, row.value, row.reason] for row in bad[:QUARANTINE_KEPT]],
            }
            messages.success(request, ngettext("%(count)d entry added.", "%(count)d entries added.", added)
                             % {"count": added})
            if bad:
                messages.warning(request, ngettext("%(count)d row quarantined; see below.",
                                                   "%(count)d rows quarantined; see below.", len(bad))
                                 % {"count": len(bad)})
            return redirect("search:screening_list", screening_list.pk)
    identifiers = identifiers_shown(reader)
    page = Paginator(screening_list.entries.all(), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.shown = shown_key(entry.kind, entry.value, identifiers=identifiers)
    quarantine = request.session.get(_quarantine_key(screening_list)) or {"count": 0, "rows": []}
    context = {
        "screening_list": screening_list, "form": form, "page": page,
        "quarantine": _shown_quarantine(quarantine["rows"], identifiers),
        "quarantine_count": quarantine["count"],
        "models": screening_list_models(screening_list),
    }
    return render(request, "search/models/screening_list.html", context, status=400 if form.errors else 200)


def screening_list_models(screening_list):
    """The agency's models with a version that screens against the list."""
    return agency_models(screening_list.agency).filter(
        versions__template=Rescreen.name, versions__parameters__screening_list=screening_list.code).distinct()


@login_required
@require_GET
def quarantine_csv(request, pk):
    reader = reader_or_404(request)
    screening_list = access_screening_list(reader, pk)
    quarantine = request.session.get(_quarantine_key(screening_list))
    if not quarantine:
        raise Http404
    rows = _shown_quarantine(quarantine["rows"], identifiers_shown(reader))
    heading = spreadsheets.Heading(
        title=_("Rows of the list “%(name)s” quarantined") % {"name": screening_list.name},
        exported_by=spreadsheets.exporter(request.user, reader.agency))
    return spreadsheets.download(
        spreadsheets.CSV, f"quarantine-{screening_list.code}", heading,
        [_("Line"), _("Kind of key"), _("Value"), _("Reason")],
        ([row["line"], row["kind"], row["value"], row["reason"]] for row in rows))

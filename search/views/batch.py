"""Batch searches: upload a list, follow its progress, read the matrix of hits per term and system.

The matrix shows only the systems its owner reads now; each number links to the search page
drilled down to that term in that system (the search page then applies its own rules: the
stated purpose, the search log)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from common import spreadsheets

from ..investigate import actions, permissions
from ..investigate.batch import matrix
from ..investigate.stored_query import search_params
from ..investigate.work_forms import BatchSearchForm
from ..models import BatchSearch, JobState
from . import jobs
from .display import system_label


def _own(request, pk: int) -> BatchSearch:
    return get_object_or_404(BatchSearch, pk=pk, owner=request.user)


def _readable(request) -> dict[str, permissions.SystemAccess]:
    accesses = permissions.readable(permissions.reader_for(request))
    if not accesses:
        raise Http404  # no linked system is open to this reader
    return accesses


@login_required
@require_GET
def batch_list(request):
    _readable(request)
    batches = BatchSearch.objects.filter(owner=request.user).order_by("-created_at", "-pk")[:100]
    rows = [(batch, jobs.percent(batch.state, batch.terms_done, len(batch.terms))) for batch in batches]
    return render(request, "search/batch_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request):
    accesses = _readable(request)
    form = BatchSearchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = actions.start_batch_search(
                reader=permissions.reader_for(request), name=data["name"], kind=data["kind"],
                terms=data["terms"], purpose=data["purpose"], ip=permissions.client_ip(request),
            )
        except actions.WorkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("search:batch", pk=batch.pk)
    purpose_systems = [system_label(access.system) for access in accesses.values() if access.needs_purpose]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "search/batch_new.html", {"form": form, "purpose_systems": purpose_systems}, status=status
    )


def label(batch: BatchSearch) -> str:
    if batch.state == JobState.DONE:
        return ngettext("%(count)d term searched.", "%(count)d terms searched.", len(batch.terms)) % {
            "count": len(batch.terms)
        }
    if batch.state == JobState.FAILED:
        return _("The batch search stopped: %(error)s") % {"error": batch.error}
    if batch.state == JobState.QUEUED:
        return _("Waiting for a worker…")
    return _("%(done)d of %(total)d terms searched…") % {"done": batch.terms_done, "total": len(batch.terms)}


def _columns(batch: BatchSearch, accesses) -> list[tuple[str, str]]:
    return [(code, system_label(accesses[code].system)) for code in batch.systems if code in accesses]


@login_required
@require_GET
def batch_page(request, pk: int):
    batch = _own(request, pk)
    accesses = permissions.readable(permissions.reader_for(request))
    columns = _columns(batch, accesses)
    rows = matrix(batch, [code for code, _name in columns]) if batch.state == JobState.DONE else []
    for row in rows:
        row.links = [
            search_params(row.query, {"systems": [code]}, purpose=batch.purpose) if hits else None
            for (code, _name), hits in zip(columns, row.cells, strict=True)
        ]
        row.linked = list(zip(row.cells, row.links, strict=True))
    return render(
        request,
        "search/batch.html",
        {
            "batch": batch,
            "columns": columns,
            "rows": rows,
            "with_hits": sum(1 for row in rows if row.total),
            "label": label(batch),
            "percent": jobs.percent(batch.state, batch.terms_done, len(batch.terms)),
        },
    )


@login_required
@require_GET
def batch_status(request, pk: int):
    batch = _own(request, pk)
    return jobs.status(batch.state, batch.terms_done, len(batch.terms), label(batch))


@login_required
@require_GET
def batch_csv(request, pk: int):
    """The matrix as a CSV (UTF-8 with a BOM, for Excel): every term, a column per system."""
    batch = _own(request, pk)
    if batch.state != JobState.DONE:
        raise Http404
    reader = permissions.reader_for(request)
    columns = _columns(batch, permissions.readable(reader))
    heading = spreadsheets.Heading(
        title=_("Batch search “%(name)s”") % {"name": batch.name},
        exported_by=spreadsheets.exporter(request.user, reader.agency if reader else None),
        filters=[
            (_("Kind of terms"), batch.get_kind_display()),
            (_("Linked systems"), "、".join(name for _code, name in columns)),
            (_("Stated purpose"), batch.purpose),
        ],
    )
    rows = sorted(matrix(batch, [code for code, _name in columns]), key=lambda row: row.position)
    stamp = timezone.localtime(batch.created_at).strftime("%Y%m%d-%H%M")
    return spreadsheets.download(
        spreadsheets.CSV,
        f"batch-{batch.pk}-{stamp}",
        heading,
        [_("Term"), *(name for _code, name in columns), _("Total")],
        ([row.term, *row.cells, row.total] for row in rows),
    )

"""Exports of whole result sets: started from the search page, followed on their own page,
downloaded by their owner only (anyone else gets a 404, as for something that does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..investigate import actions, permissions
from ..investigate.exports import download_name
from ..models import ExportJob, JobState
from . import jobs


def _own(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@login_required
@require_POST
def start(request):
    """POST to ``?<the search's query string>`` with ``format`` csv or xlsx."""
    reader, form, back = jobs.search_behind(request)
    if form.syntax_error is not None:
        messages.error(request, form.syntax_error.message)
        return redirect(back)
    try:
        job = actions.start_export(
            reader=reader, query=form.query_text, filters=form.filters(), sort=form.sort_key,
            fmt=request.POST.get("format", ""), purpose=form.stated_purpose,
            ip=permissions.client_ip(request), site_url=request.build_absolute_uri("/"),
        )
    except actions.WorkError as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect("search:export", pk=job.pk)


@login_required
@require_GET
def export_list(request):
    exports = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-pk")[:100]
    rows = [(job, jobs.percent(job.state, job.rows_done, job.rows_total)) for job in exports]
    return render(request, "search/exports.html", {"rows": rows})


@login_required
@require_GET
def export_page(request, pk: int):
    job = _own(request, pk)
    return render(
        request,
        "search/export.html",
        {"job": job, "percent": jobs.percent(job.state, job.rows_done, job.rows_total), "label": label(job)},
    )


def label(job: ExportJob) -> str:
    if job.state == JobState.DONE:
        return _("%(rows)s rows written.") % {"rows": f"{job.rows_done:,}"}
    if job.state == JobState.FAILED:
        return _("The export stopped: %(error)s") % {"error": job.error}
    if job.state == JobState.QUEUED:
        return _("Waiting for a worker…")
    if job.rows_total is None:  # more hits than are counted exactly: known once all are written
        return _("%(done)s rows written…") % {"done": f"{job.rows_done:,}"}
    counts = {"done": f"{job.rows_done:,}", "total": f"{job.rows_total:,}"}
    return _("%(done)s of %(total)s rows written…") % counts


@login_required
@require_GET
def export_status(request, pk: int):
    job = _own(request, pk)
    return jobs.status(job.state, job.rows_done, job.rows_total, label(job))


@login_required
@require_GET
def download(request, pk: int):
    job = _own(request, pk)
    if job.state != JobState.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=download_name(job))

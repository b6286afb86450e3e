"""The upload page: a system's export loaded from the browser, its live progress and its rejected rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.acting import acting_membership
from common import spreadsheets

from ..ingest import actions
from ..ingest.forms import UploadForm
from ..ingest.loading import run_status
from ..ingest.permissions import access_run, uploadable_systems, visible_runs
from ..ingest.storage import stored_file
from ..ingest.upload_checks import max_upload_bytes
from ..models import IngestState

REJECTED_PER_PAGE = 50
RUNS_SHOWN = 50
FORM_ROOM = 1024 * 1024  # the form's other fields beside the file


def _uploader(request):
    """The acting membership and the systems it may upload to; 404 when there are none."""
    membership = acting_membership(request)
    systems = uploadable_systems(membership)
    if not systems.exists():
        raise Http404
    return membership, systems


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_upload_bytes() + FORM_ROOM


@login_required
@require_http_methods(["GET", "POST"])
def upload_list(request):
    membership, systems = _uploader(request)
    form = UploadForm(systems=systems)
    status = 200
    if request.method == "POST" and _too_large(request):
        # Refused before Django reads the body: nothing of it is spooled to disk.
        messages.error(request, _("The file is larger than the limit of %(limit)s.")
                       % {"limit": filesizeformat(max_upload_bytes())})
        return redirect("search:uploads")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, systems=systems)
        status = 400
        if form.is_valid():
            try:
                run = actions.start_upload(
                    acting_user=request.user, system=form.cleaned_data["system"],
                    upload=form.cleaned_data["file"], fmt=form.cleaned_data["format"],
                )
            except actions.UploadRefused as refused:
                messages.warning(request, str(refused))
                return redirect("search:upload", refused.run.pk)
            messages.success(request, _("“%(file)s” is being loaded.") % {"file": run.file_name})
            return redirect("search:upload", run.pk)
    runs = visible_runs(membership).order_by("-started_at", "-pk")[:RUNS_SHOWN]
    return render(request, "search/uploads.html", {"form": form, "runs": runs}, status=status)


@login_required
@require_GET
def upload_detail(request, pk):
    run = access_run(acting_membership(request), pk)
    rejected = Paginator(run.rejected.order_by("line"), REJECTED_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "status": run_status(run),
        "rejected": rejected,
        "may_continue": run.state == IngestState.FAILED and stored_file(run) is not None,
    }
    return render(request, "search/upload.html", context)


@login_required
@require_GET
def upload_status(request, pk):
    run = access_run(acting_membership(request), pk)
    return JsonResponse(run_status(run))


@login_required
@require_GET
def upload_rejected_csv(request, pk):
    run = access_run(acting_membership(request), pk)
    membership = acting_membership(request)
    heading = spreadsheets.Heading(
        title=_("Rejected rows of %(file)s") % {"file": run.file_name},
        exported_by=spreadsheets.exporter(request.user, membership.agency if membership else None),
        filters=[(_("Linked system"), run.system.name)],
    )
    rows = run.rejected.order_by("line").values_list("line", "reason", "raw").iterator()
    columns = [_("Row number"), _("Reason"), _("Row as received")]
    return spreadsheets.download(spreadsheets.CSV, f"rejected-rows-{run.pk}", heading, columns, rows)


@login_required
@require_POST
def upload_continue(request, pk):
    run = access_run(acting_membership(request), pk)
    if stored_file(run) is not None and actions.continue_upload(run):
        messages.success(request, _("Loading continues after row %(row)s.") % {"row": f"{run.rows_done:,}"})
    else:
        messages.error(request, _("Only a stopped run whose file is kept can continue."))
    return redirect("search:upload", run.pk)

"""The issue page, its action buttons, and its attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies.acting import acting_membership, user_memberships

from .. import workflow
from ..models import Attachment
from ..permissions import access_issue
from ..reading.pages import issue_page
from ..workflow import catalogue
from ..workflow.catalogue import Target
from .limits import refuse_oversized_uploads


def _membership_for(request, agency_id):
    """The membership the user acts through: the agency the form was shown for, if theirs."""
    for membership in user_memberships(request):
        if agency_id is not None and membership.agency_id == agency_id:
            return membership
    return acting_membership(request)


def _issue(request, pk):
    issue = access_issue(request.user, pk)
    return type(issue).objects.select_related("initiator", "created_by").get(pk=issue.pk)


@login_required
@require_GET
def detail(request, pk):
    issue = _issue(request, pk)
    membership = acting_membership(request)
    if membership is not None:
        # The verifying agency opening the page reads the reports waiting on it (DESIGN §5).
        workflow.note_report_read(acting_user=request.user, agency=membership.agency, issue=issue)
    return render(request, "issues/detail.html", issue_page(request, issue, membership))


def _posted_id(request, name):
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


@login_required
@require_POST
@refuse_oversized_uploads
def act(request, pk, action):
    issue = _issue(request, pk)
    spec = catalogue.spec(action)
    membership = _membership_for(request, _posted_id(request, "agency"))
    if spec is None or spec.form is None or membership is None:
        raise Http404  # not an action, or not one with a button (push has its own page)
    if not spec.may(membership.role):
        # The role can never do this here: like any forbidden action, 404, whatever was typed.
        raise Http404
    assignment_id = _posted_id(request, "assignment") if spec.target == Target.ASSIGNMENT else None
    comment_id = _posted_id(request, "comment") if spec.target == Target.COMMENT else None
    target_id = assignment_id or comment_id
    form = spec.form(
        request.POST, request.FILES, auto_id=f"{action}-{target_id or 'issue'}-%s",
        acting_agency=membership.agency,
    )
    status = 400
    if form.is_valid():
        arguments = {name: form.cleaned_data[name] for name in spec.fields}
        if spec.target == Target.ASSIGNMENT:
            arguments["assignment"] = assignment_id
        if spec.target == Target.COMMENT:
            arguments["comment"] = comment_id
        try:
            catalogue.perform(
                spec.action, acting_user=request.user, agency=membership.agency, issue=issue, **arguments
            )
        except workflow.NotPermitted:
            raise Http404 from None  # forbidden answers like missing
        except workflow.ActionError as error:
            form.add_error(None, str(error))
            status = 409 if isinstance(error, workflow.Conflict) else 400
        else:
            messages.success(request, spec.done)
            return redirect(f"{issue.get_absolute_url()}#timeline")
    # Show the page again, as it is now, with this form open, its input kept and its errors shown.
    context = issue_page(request, _issue(request, pk), membership, bound=(action, target_id, form))
    context["failed_action"] = action
    return render(request, "issues/detail.html", context, status=status)


@login_required
@require_GET
def attachment(request, pk, attachment_pk):
    issue = access_issue(request.user, pk)
    found = get_object_or_404(Attachment, pk=attachment_pk, issue=issue)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.content_type)

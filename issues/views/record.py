"""The issue record of one issue, laid out for printing or saving as PDF for filing (归档)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Attachment, Extension, HandlerRole
from ..permissions import access_issue
from ..reading.pages import assignments_of, issue_light, parties_by_role
from ..reading.timeline import timeline


@login_required
@require_GET
def printable(request, pk):
    issue = access_issue(request.user, pk)
    events, chain_holds = timeline(issue)
    assignments = assignments_of(issue)
    return render(
        request,
        "issues/record.html",
        {
            "issue": issue,
            "light": issue_light(issue),
            "parties": parties_by_role(issue),
            "assignments": assignments,
            # Every co-handler the issue ever had, with where its share ended (a transfer, a decline).
            "co_handlers": [a for a in assignments if a.role == HandlerRole.CO_HANDLER],
            "attachments": Attachment.objects.filter(issue=issue).select_related("uploaded_by", "agency"),
            "extensions": Extension.objects.filter(issue=issue)
            .select_related("assignment__agency", "requested_by", "decided_by")
            .order_by("created_at", "id"),
            "events": events,
            "chain_holds": chain_holds,
            "show_hashes": True,
            "printed_at": timezone.localtime(),
        },
    )

"""The record of one issue, laid out for printing or saving as PDF for filing (归档)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..pages import assignments_of, issue_light, parties_by_role
from ..permissions import access_issue
from ..timeline import timeline


@login_required
@require_GET
def printable(request, pk):
    issue = access_issue(request.user, pk)
    events, chain_holds = timeline(issue)
    return render(
        request,
        "issues/record.html",
        {
            "issue": issue,
            "light": issue_light(issue),
            "parties": parties_by_role(issue),
            "assignments": assignments_of(issue),
            "events": events,
            "chain_holds": chain_holds,
            "show_hashes": True,
            "printed_at": timezone.localtime(),
        },
    )

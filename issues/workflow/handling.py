"""Handling and closing: the handler reports, the initiator verifies and closes, withdraws or reopens."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Role

from .. import permissions as perms
from ..attachments import files_removed_on_failure, store_attachments
from ..models import Assignment, AssignmentState, Issue, IssueState
from .common import (
    ActionError,
    Conflict,
    NotPermitted,
    _actor,
    _assignment,
    _checked_uploads,
    _date,
    _live_assignments,
    _lock,
    _move_assignment,
    _move_issue,
    _own_assignment,
    _record,
    _require,
    _require_handler,
    _require_issue_state,
    _retire_handler,
    _settle_issue_state,
    _snapshot,
    _text,
)


def report(*, acting_user, agency: Agency, issue, assignment, text: str, attachments=()) -> Assignment:
    """反馈: the handler reports what it did. Some agencies' reports need the leader's approval first.

    The files are checked before anything is written and removed again if the report fails.
    """
    uploads = _checked_uploads(attachments)
    with files_removed_on_failure(), transaction.atomic():
        return _report(acting_user, agency, issue, assignment, text, uploads)


def _report(acting_user, agency, issue, assignment, text, uploads) -> Assignment:
    actor = _actor("report", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.IN_PROGRESS)
    text = _text(text, _("Write what was done."))
    assignment = _own_assignment(actor, issue, assignment)
    if assignment.state != AssignmentState.SIGNED:
        raise Conflict(_("Only an assignment being handled can be reported."))
    before = _snapshot(assignment)
    # The setting as stored now, not as the caller's copy of the agency remembers it.
    needs_approval = (
        Agency.objects.filter(pk=agency.pk, report_needs_approval=True).exists() and actor.role != Role.LEADER
    )
    new_state = AssignmentState.AWAITING_APPROVAL if needs_approval else AssignmentState.REPORTED
    fields = {"report_text": text}
    if not needs_approval:
        fields["reported_at"] = timezone.now()
    _move_assignment(assignment, AssignmentState.SIGNED, new_state, **fields)
    stored = store_attachments(issue, uploads, user=acting_user, agency=agency, assignment=assignment)
    _settle_issue_state(issue)
    _record(
        issue,
        actor,
        "report",
        before=before,
        after={**_snapshot(assignment), "attachments": [a.pk for a in stored]},
        assignment=assignment,
    )
    return assignment


@transaction.atomic
def approve_report(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """The department leader lets a report go out."""
    actor = _actor("approve_report", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.IN_PROGRESS)
    assignment = _own_assignment(actor, issue, assignment)
    if assignment.state != AssignmentState.AWAITING_APPROVAL:
        raise Conflict(_("This report is not waiting for approval."))
    before = _snapshot(assignment)
    _move_assignment(
        assignment, AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED, reported_at=timezone.now()
    )
    _settle_issue_state(issue)
    _record(issue, actor, "approve_report", before=before, after=_snapshot(assignment), assignment=assignment)
    return assignment


def _initiator_review(action, acting_user, agency, issue, assignment):
    actor = _actor(action, acting_user, agency)
    issue = _lock(issue)
    _require(actor, issue, perms.MANAGE)
    _require_issue_state(issue, IssueState.IN_PROGRESS, IssueState.REPORTED)
    assignment = _assignment(issue, assignment)
    if assignment.state != AssignmentState.REPORTED:
        raise Conflict(_("This handler's report is not waiting for verification."))
    return actor, issue, assignment


@transaction.atomic
def accept_report(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """The initiator verifies one handler's report."""
    actor, issue, assignment = _initiator_review("accept_report", acting_user, agency, issue, assignment)
    before = _snapshot(assignment)
    _move_assignment(
        assignment, AssignmentState.REPORTED, AssignmentState.ACCEPTED, accepted_at=timezone.now()
    )
    _record(issue, actor, "accept_report", before=before, after=_snapshot(assignment), assignment=assignment)
    return assignment


@transaction.atomic
def reject_report(*, acting_user, agency: Agency, issue, assignment, reason: str) -> Assignment:
    """退回重办: the report is not enough; the handler works on."""
    actor, issue, assignment = _initiator_review("reject_report", acting_user, agency, issue, assignment)
    reason = _text(reason, _("Say what is missing from the report."))
    before = _snapshot(assignment)
    _move_assignment(assignment, AssignmentState.REPORTED, AssignmentState.SIGNED, reported_at=None)
    _settle_issue_state(issue)
    _record(
        issue,
        actor,
        "reject_report",
        before=before,
        after=_snapshot(assignment),
        reason=reason,
        assignment=assignment,
    )
    return assignment


@transaction.atomic
def close(*, acting_user, agency: Agency, issue, summary: str = "") -> Issue:
    """对账销号: verify and close, once every handler's report is accepted."""
    actor = _actor("close", acting_user, agency)
    issue = _lock(issue)
    _require(actor, issue, perms.MANAGE)
    _require_issue_state(issue, IssueState.REPORTED)
    live = _live_assignments(issue)
    if not live.exists() or live.exclude(state=AssignmentState.ACCEPTED).exists():
        raise ActionError(_("Every handler's report must be accepted before the issue is closed."))
    _move_issue(issue, IssueState.REPORTED, IssueState.CLOSED, closed_at=timezone.now())
    _record(
        issue,
        actor,
        "close",
        before={"state": IssueState.REPORTED},
        after={"state": issue.state},
        reason=summary.strip() if isinstance(summary, str) else "",
    )
    return issue


@transaction.atomic
def withdraw(*, acting_user, agency: Agency, issue, reason: str) -> Issue:
    """The initiator takes the issue back; open assignments end with it.

    The handlers become former handlers, as after a transfer: they keep reading what happened
    (it was their work) but can no longer act, so "can handle" always means a live assignment.
    """
    actor = _actor("withdraw", acting_user, agency)
    issue = _lock(issue)
    _require(actor, issue, perms.MANAGE)
    _require_issue_state(
        issue, IssueState.DRAFT, IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED
    )
    reason = _text(reason, _("Say why the issue is withdrawn."))
    before = issue.state
    now = timezone.now()
    for assignment in _live_assignments(issue).select_related("agency"):
        _move_assignment(
            assignment, assignment.state, AssignmentState.WITHDRAWN, ended_at=now, end_reason=reason
        )
        _retire_handler(issue, assignment)
    perms.sync_issue_permissions(issue)
    _move_issue(issue, before, IssueState.WITHDRAWN, closed_at=now)
    _record(
        issue,
        actor,
        "withdraw",
        before={"state": before},
        after={"state": issue.state},
        reason=reason,
    )
    return issue


@transaction.atomic
def reopen(*, acting_user, agency: Agency, issue, reason: str, deadline: dt.date | None = None) -> Issue:
    """Open a closed issue again (the initiator, or the commission in re-supervision, 再监督).

    The handlers whose reports were accepted work on (signed, no new signature needed). Their
    old deadlines have usually passed, so a new ``deadline`` may be given for all of them;
    without one they keep theirs and the issue shows red at once, which is the honest light.
    """
    actor = _actor("reopen", acting_user, agency)
    issue = _lock(issue)
    if not (
        perms.agency_holds(actor.agency, issue, perms.MANAGE)
        or (actor.agency.is_commission and perms.agency_holds(actor.agency, issue, perms.SUPERVISE))
    ):
        raise NotPermitted(_("Only the initiator or the discipline commission can reopen an issue."))
    _require_issue_state(issue, IssueState.CLOSED)
    reason = _text(reason, _("Say why the issue is reopened."))
    deadline = _date(deadline, _("The deadline cannot be in the past."))
    new_deadline = {"deadline": deadline} if deadline else {}
    for assignment in Assignment.objects.filter(issue=issue, state=AssignmentState.ACCEPTED):
        _move_assignment(
            assignment,
            AssignmentState.ACCEPTED,
            AssignmentState.SIGNED,
            reported_at=None,
            accepted_at=None,
            **new_deadline,
        )
    _move_issue(issue, IssueState.CLOSED, IssueState.IN_PROGRESS, closed_at=None)
    _record(
        issue,
        actor,
        "reopen",
        before={"state": IssueState.CLOSED},
        after={"state": issue.state, "deadline": deadline.isoformat() if deadline else None},
        reason=reason,
    )
    return issue

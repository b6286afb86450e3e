"""Handling and closing: the handler reports, the initiator verifies and closes, withdraws or reopens."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Role
from notifications.live import outbox

from .. import ledger_lines
from .. import permissions as perms
from ..attachments import files_removed_on_failure, store_attachments
from ..models import Assignment, AssignmentState, Issue, IssueState
from . import notices, record
from .catalogue import Action, performs
from .common import (
    _actor,
    _assignment,
    _check,
    _checked_uploads,
    _date,
    _live_assignments,
    _lock,
    _move_assignment,
    _move_issue,
    _retire_handler,
    _settle_issue_state,
    _snapshot,
    _text,
)


@performs(Action.REPORT)
def report(*, acting_user, agency: Agency, issue, assignment, text: str, attachments=()) -> Assignment:
    """反馈: the handler reports what it did. Some agencies' reports need the leader's approval first.

    The files are checked before anything is written and removed again if the report fails.
    """
    uploads = _checked_uploads(attachments)
    with files_removed_on_failure(), transaction.atomic():
        return _report(acting_user, agency, issue, assignment, text, uploads)


def _report(acting_user, agency, issue, assignment, text, uploads) -> Assignment:
    actor = _actor(Action.REPORT, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.REPORT, actor, issue, assignment=assignment)
    text = _text(text, _("Write what was done."))
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
    event = record.append(
        issue,
        actor,
        Action.REPORT,
        before=before,
        after={**_snapshot(assignment), "attachments": [a.pk for a in stored]},
        assignment=assignment,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


@performs(Action.APPROVE_REPORT)
@transaction.atomic
def approve_report(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """The department leader lets a report go out."""
    actor = _actor(Action.APPROVE_REPORT, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.APPROVE_REPORT, actor, issue, assignment=assignment)
    before = _snapshot(assignment)
    _move_assignment(
        assignment, AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED, reported_at=timezone.now()
    )
    _settle_issue_state(issue)
    event = record.append(
        issue, actor, Action.APPROVE_REPORT, before=before, after=_snapshot(assignment), assignment=assignment
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


def _initiator_review(action, acting_user, agency, issue, assignment):
    actor = _actor(action, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(action, actor, issue, assignment=assignment)
    return actor, issue, assignment


@performs(Action.ACCEPT_REPORT)
@transaction.atomic
def accept_report(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """The initiator verifies one handler's report."""
    actor, issue, assignment = _initiator_review(Action.ACCEPT_REPORT, acting_user, agency, issue, assignment)
    before = _snapshot(assignment)
    _move_assignment(
        assignment, AssignmentState.REPORTED, AssignmentState.ACCEPTED, accepted_at=timezone.now()
    )
    event = record.append(
        issue, actor, Action.ACCEPT_REPORT, before=before, after=_snapshot(assignment), assignment=assignment
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


@performs(Action.REJECT_REPORT)
@transaction.atomic
def reject_report(*, acting_user, agency: Agency, issue, assignment, reason: str) -> Assignment:
    """退回重办: the report is not enough; the handler works on."""
    actor, issue, assignment = _initiator_review(Action.REJECT_REPORT, acting_user, agency, issue, assignment)
    reason = _text(reason, _("Say what is missing from the report."))
    before = _snapshot(assignment)
    _move_assignment(assignment, AssignmentState.REPORTED, AssignmentState.SIGNED, reported_at=None)
    _settle_issue_state(issue)
    event = record.append(
        issue,
        actor,
        Action.REJECT_REPORT,
        before=before,
        after=_snapshot(assignment),
        reason=reason,
        assignment=assignment,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


@performs(Action.CLOSE)
@transaction.atomic
def close(*, acting_user, agency: Agency, issue, summary: str = "") -> Issue:
    """对账销号: verify and close, once every handler's report is accepted."""
    actor = _actor(Action.CLOSE, acting_user, agency)
    issue = _lock(issue)
    _check(Action.CLOSE, actor, issue)
    _move_issue(issue, IssueState.REPORTED, IssueState.CLOSED, closed_at=timezone.now())
    event = record.append(
        issue,
        actor,
        Action.CLOSE,
        before={"state": IssueState.REPORTED},
        after={"state": issue.state},
        reason=summary.strip() if isinstance(summary, str) else "",
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return issue


@performs(Action.WITHDRAW)
@transaction.atomic
def withdraw(*, acting_user, agency: Agency, issue, reason: str) -> Issue:
    """The initiator takes the issue back; open assignments end with it.

    The handlers become former handlers, as after a transfer: they keep reading what happened
    (it was their work) but can no longer act, so "can handle" always means a live assignment.
    """
    actor = _actor(Action.WITHDRAW, acting_user, agency)
    issue = _lock(issue)
    _check(Action.WITHDRAW, actor, issue)
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
    event = record.append(
        issue,
        actor,
        Action.WITHDRAW,
        before={"state": before},
        after={"state": issue.state},
        reason=reason,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return issue


@performs(Action.REOPEN)
@transaction.atomic
def reopen(*, acting_user, agency: Agency, issue, reason: str, deadline: dt.date | None = None) -> Issue:
    """Open a closed issue again (the initiator, or the commission in re-supervision, 再监督).

    The handlers whose reports were accepted work on (signed, no new signature needed). Their
    old deadlines have usually passed, so a new ``deadline`` may be given for all of them;
    without one they keep theirs and the issue shows red at once, which is the honest light.
    """
    actor = _actor(Action.REOPEN, acting_user, agency)
    issue = _lock(issue)
    _check(Action.REOPEN, actor, issue)
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
    event = record.append(
        issue,
        actor,
        Action.REOPEN,
        before={"state": IssueState.CLOSED},
        after={"state": issue.state, "deadline": deadline.isoformat() if deadline else None},
        reason=reason,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return issue

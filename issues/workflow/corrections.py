"""Correcting mistakes, on the issue record (DESIGN §5): amend or withdraw one's own comment, withdraw a
report before it is read.

Nothing is edited in place on the issue record: the comment's or report's earlier text stays in the
events that wrote it (and in this action's ``before``), and the correction is one more event.

When is a report "read"? Once a member of the verifying agency (the initiator, which accepts or
returns reports) has opened the issue's page while the report waited there, or the report has
been accepted or returned. Until then the handler may take it back to work on it; after that it
may not, and the initiator returns it if it is wrong. A report still waiting for its own leader's
approval has not gone out, and may always be withdrawn.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from notifications.live import outbox

from .. import ledger_lines
from .. import permissions as perms
from ..models import Assignment, AssignmentState, Comment
from . import notices, record
from .catalogue import Action, performs
from .common import (
    _actor,
    _assignment,
    _check,
    _lock,
    _settle_issue_state,
    _snapshot,
    _text,
)
from .errors import ActionError, Conflict, NotPermitted
from .rules import report_read_already

# --- comments ------------------------------------------------------------------------------------


def _comment(issue, comment) -> Comment:
    """The comment, if it is on this issue."""
    pk = comment.pk if isinstance(comment, Comment) else comment
    found = Comment.objects.filter(pk=pk, issue=issue).first() if isinstance(pk, int) else None
    if found is None:
        raise ActionError(_("That comment is not part of this issue."))
    return found


def _move_comment(comment: Comment, **fields) -> None:
    """Compare-and-set on the revision read: a second correction sent at the same moment loses."""
    changed = Comment.objects.filter(
        pk=comment.pk, revision=comment.revision, withdrawn_at__isnull=True
    ).update(revision=comment.revision + 1, **fields)
    if not changed:
        raise Conflict(_("Someone else changed this comment at the same moment; nothing was saved."))
    comment.revision += 1
    for name, value in fields.items():
        setattr(comment, name, value)


@performs(Action.AMEND_COMMENT)
@transaction.atomic
def amend_comment(*, acting_user, agency: Agency, issue, comment, text: str) -> Comment:
    """Correct one's own comment: the page shows the new text, marked amended; the old stays."""
    actor = _actor(Action.AMEND_COMMENT, acting_user, agency)
    issue = _lock(issue)
    comment = _comment(issue, comment)
    _check(Action.AMEND_COMMENT, actor, issue, comment=comment)
    text = _text(text, _("Write the corrected comment."))
    if text == comment.text:
        raise ActionError(_("The text is the same as before; nothing to correct."))
    before = comment.text
    _move_comment(comment, text=text, amended_at=timezone.now())
    event = record.append(
        issue,
        actor,
        Action.AMEND_COMMENT,
        before={"comment": comment.pk, "text": before},
        after={"comment": comment.pk, "text": text, "revision": comment.revision},
        reason=text,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return comment


@performs(Action.WITHDRAW_COMMENT)
@transaction.atomic
def withdraw_comment(*, acting_user, agency: Agency, issue, comment, reason: str = "") -> Comment:
    """Take back one's own comment: the page marks it withdrawn; the issue record keeps what it
    said."""
    actor = _actor(Action.WITHDRAW_COMMENT, acting_user, agency)
    issue = _lock(issue)
    comment = _comment(issue, comment)
    _check(Action.WITHDRAW_COMMENT, actor, issue, comment=comment)
    reason = reason.strip() if isinstance(reason, str) else ""
    _move_comment(comment, withdrawn_at=timezone.now())
    event = record.append(
        issue,
        actor,
        Action.WITHDRAW_COMMENT,
        before={"comment": comment.pk, "text": comment.text},
        after={"comment": comment.pk, "withdrawn": True},
        reason=reason,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return comment


# --- reports -------------------------------------------------------------------------------------


@performs(Action.NOTE_REPORT_READ)
def note_report_read(*, acting_user, agency: Agency, issue) -> int:
    """The verifying agency has the issue open: its waiting reports are read from now on.

    Not a step of the work, so not an event on the issue record: it only closes the window in which
    the handler may withdraw a report (``withdraw_report`` compares against it). One
    conditional UPDATE; returns how many reports became read.
    """
    try:
        _actor(Action.NOTE_REPORT_READ, acting_user, agency)
    except NotPermitted:
        return 0
    if not perms.agency_holds(agency, issue, perms.MANAGE):
        return 0
    return Assignment.objects.filter(
        issue=issue, state=AssignmentState.REPORTED, report_read_at__isnull=True
    ).update(report_read_at=timezone.now())


@performs(Action.WITHDRAW_REPORT)
@transaction.atomic
def withdraw_report(*, acting_user, agency: Agency, issue, assignment, reason: str) -> Assignment:
    """The handler takes its report back before it is read, to work on and report again.

    The assignment is being handled again (signed); the issue, if it was waiting for
    verification, is in progress again. The withdrawn text stays on the record.
    """
    actor = _actor(Action.WITHDRAW_REPORT, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.WITHDRAW_REPORT, actor, issue, assignment=assignment)
    reason = _text(reason, _("Say why the report is withdrawn."))
    before = {
        **_snapshot(assignment),
        "report_text": assignment.report_text,
        "attachments": list(assignment.attachments.values_list("pk", flat=True)),
    }
    changed = Assignment.objects.filter(
        pk=assignment.pk, state=assignment.state, report_read_at__isnull=True
    ).update(state=AssignmentState.SIGNED, report_text="", reported_at=None)
    if not changed:
        # The initiator opened it (or acted on it) at this very moment.
        assignment.refresh_from_db()
        if assignment.report_read_at is not None:
            raise Conflict(report_read_already(issue, assignment))
        raise Conflict(_("Someone else changed this assignment at the same moment; nothing was saved."))
    assignment.state, assignment.report_text, assignment.reported_at = AssignmentState.SIGNED, "", None
    _settle_issue_state(issue)
    event = record.append(
        issue,
        actor,
        Action.WITHDRAW_REPORT,
        before=before,
        after=_snapshot(assignment),
        reason=reason,
        assignment=assignment,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment

"""Extensions (延期): the handler asks for a later deadline; the initiator grants or refuses it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency

from .. import permissions as perms
from ..models import Assignment, AssignmentState, Extension, ExtensionState, Issue, IssueState
from .common import (
    ActionError,
    Actor,
    Conflict,
    _actor,
    _assignment,
    _date,
    _lock,
    _own_assignment,
    _record,
    _require,
    _require_handler,
    _require_issue_state,
    _text,
)

# 延期: a handler may ask for more time while it still owes the work, not after reporting.
EXTENDABLE_STATES = (AssignmentState.PENDING, AssignmentState.SIGNED)


def _pending_extension(assignment: Assignment) -> Extension:
    found = Extension.objects.filter(assignment=assignment, state=ExtensionState.PENDING).first()
    if found is None:
        raise Conflict(_("No extension request is waiting on this assignment; refresh the page."))
    return found


def _decide_extension(extension: Extension, actor: Actor, new_state: str, **fields) -> None:
    """Compare-and-set the request's state: one answer, whoever clicks first."""
    now = timezone.now()
    changed = Extension.objects.filter(pk=extension.pk, state=ExtensionState.PENDING).update(
        state=new_state, decided_by=actor.user, decided_at=now, **fields
    )
    if not changed:
        raise Conflict(_("Someone else answered this extension request first; nothing was saved."))
    extension.state, extension.decided_by, extension.decided_at = new_state, actor.user, now
    for name, value in fields.items():
        setattr(extension, name, value)


def _extension_snapshot(extension: Extension) -> dict:
    return {
        "extension": extension.pk,
        "state": extension.state,
        "deadline": extension.old_deadline.isoformat() if extension.old_deadline else None,
        "proposed_deadline": extension.proposed_deadline.isoformat(),
    }


@transaction.atomic
def request_extension(
    *, acting_user, agency: Agency, issue, assignment, reason: str, deadline: dt.date
) -> Extension:
    """延期申请: the handler asks the initiator for a later deadline, saying why."""
    actor = _actor("request_extension", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _own_assignment(actor, issue, assignment)
    if assignment.state not in EXTENDABLE_STATES:
        raise Conflict(_("Only an assignment still being handled can ask for more time."))
    reason = _text(reason, _("Say why more time is needed."))
    if deadline is None:
        raise ActionError(_("Propose the new deadline."))
    deadline = _date(deadline, _("The deadline cannot be in the past."))
    if assignment.deadline is not None and deadline <= assignment.deadline:
        raise ActionError(
            _("Propose a date after the current deadline (%(deadline)s).")
            % {"deadline": assignment.deadline.isoformat()}
        )
    if Extension.objects.filter(assignment=assignment, state=ExtensionState.PENDING).exists():
        raise Conflict(_("An extension request is already waiting for the initiator's answer."))
    extension = Extension.objects.create(
        issue=issue,
        assignment=assignment,
        requested_by=acting_user,
        reason=reason,
        old_deadline=assignment.deadline,
        proposed_deadline=deadline,
    )
    _record(
        issue,
        actor,
        "request_extension",
        after=_extension_snapshot(extension),
        reason=reason,
        assignment=assignment,
        related_agency=issue.initiator,
    )
    return extension


@transaction.atomic
def grant_extension(
    *, acting_user, agency: Agency, issue, assignment, deadline: dt.date | None = None
) -> Extension:
    """The initiator grants the pending request: the date asked for, or another it chooses."""
    actor = _actor("grant_extension", acting_user, agency)
    issue = _lock(issue)
    _require(actor, issue, perms.MANAGE)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _assignment(issue, assignment)
    extension = _pending_extension(assignment)
    if assignment.state not in EXTENDABLE_STATES:
        raise Conflict(_("This assignment is no longer being handled; refresh the page."))
    granted = _date(deadline, _("The deadline cannot be in the past.")) or extension.proposed_deadline
    before = _extension_snapshot(extension)
    _decide_extension(extension, actor, ExtensionState.GRANTED, granted_deadline=granted)
    moved = Assignment.objects.filter(
        pk=assignment.pk, state__in=EXTENDABLE_STATES, deadline=assignment.deadline
    ).update(deadline=granted)
    if not moved:
        raise Conflict(_("Someone else changed this assignment at the same moment; nothing was saved."))
    assignment.deadline = granted
    # The issue's deadline is the last one any handler owes: a closure after it counts as late.
    if issue.deadline is not None and granted > issue.deadline:
        Issue.objects.filter(pk=issue.pk).update(deadline=granted)
        issue.deadline = granted
    _record(
        issue,
        actor,
        "grant_extension",
        before=before,
        after={**_extension_snapshot(extension), "granted_deadline": granted.isoformat()},
        assignment=assignment,
        related_agency=assignment.agency,
    )
    return extension


@transaction.atomic
def refuse_extension(*, acting_user, agency: Agency, issue, assignment, reason: str) -> Extension:
    """The initiator refuses the pending request, saying why; the deadline stays."""
    actor = _actor("refuse_extension", acting_user, agency)
    issue = _lock(issue)
    _require(actor, issue, perms.MANAGE)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _assignment(issue, assignment)
    extension = _pending_extension(assignment)
    reason = _text(reason, _("Say why the extension is refused."))
    before = _extension_snapshot(extension)
    _decide_extension(extension, actor, ExtensionState.REFUSED, decision_reason=reason)
    _record(
        issue,
        actor,
        "refuse_extension",
        before=before,
        after=_extension_snapshot(extension),
        reason=reason,
        assignment=assignment,
        related_agency=assignment.agency,
    )
    return extension

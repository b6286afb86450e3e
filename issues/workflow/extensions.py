"""Extensions (延期): the handler asks for a later deadline; the initiator grants or refuses it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from notifications.live import outbox

from .. import ledger_lines
from ..models import Assignment, Extension, ExtensionState, Issue
from . import notices, record
from .catalogue import Action, performs
from .common import Actor, _actor, _assignment, _check, _date, _lock, _text
from .errors import ActionError, Conflict
from .rules import EXTENDABLE_STATES


def _pending_extension(assignment: Assignment) -> Extension:
    """The request waiting on the assignment (the rule has made sure there is one)."""
    return Extension.objects.get(assignment=assignment, state=ExtensionState.PENDING)


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


@performs(Action.REQUEST_EXTENSION)
@transaction.atomic
def request_extension(
    *, acting_user, agency: Agency, issue, assignment, reason: str, deadline: dt.date
) -> Extension:
    """延期申请: the handler asks the initiator for a later deadline, saying why."""
    actor = _actor(Action.REQUEST_EXTENSION, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.REQUEST_EXTENSION, actor, issue, assignment=assignment)
    reason = _text(reason, _("Say why more time is needed."))
    if deadline is None:
        raise ActionError(_("Propose the new deadline."))
    deadline = _date(deadline, _("The deadline cannot be in the past."))
    if assignment.deadline is not None and deadline <= assignment.deadline:
        raise ActionError(
            _("Propose a date after the current deadline (%(deadline)s).")
            % {"deadline": assignment.deadline.isoformat()}
        )
    extension = Extension.objects.create(
        issue=issue,
        assignment=assignment,
        requested_by=acting_user,
        reason=reason,
        old_deadline=assignment.deadline,
        proposed_deadline=deadline,
    )
    event = record.append(
        issue,
        actor,
        Action.REQUEST_EXTENSION,
        after=_extension_snapshot(extension),
        reason=reason,
        assignment=assignment,
        related_agency=issue.initiator,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return extension


@performs(Action.GRANT_EXTENSION)
@transaction.atomic
def grant_extension(
    *, acting_user, agency: Agency, issue, assignment, deadline: dt.date | None = None
) -> Extension:
    """The initiator grants the pending request: the date asked for, or another it chooses."""
    actor = _actor(Action.GRANT_EXTENSION, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.GRANT_EXTENSION, actor, issue, assignment=assignment)
    extension = _pending_extension(assignment)
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
    event = record.append(
        issue,
        actor,
        Action.GRANT_EXTENSION,
        before=before,
        after={**_extension_snapshot(extension), "granted_deadline": granted.isoformat()},
        assignment=assignment,
        related_agency=assignment.agency,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return extension


@performs(Action.REFUSE_EXTENSION)
@transaction.atomic
def refuse_extension(*, acting_user, agency: Agency, issue, assignment, reason: str) -> Extension:
    """The initiator refuses the pending request, saying why; the deadline stays."""
    actor = _actor(Action.REFUSE_EXTENSION, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.REFUSE_EXTENSION, actor, issue, assignment=assignment)
    extension = _pending_extension(assignment)
    reason = _text(reason, _("Say why the extension is refused."))
    before = _extension_snapshot(extension)
    _decide_extension(extension, actor, ExtensionState.REFUSED, decision_reason=reason)
    event = record.append(
        issue,
        actor,
        Action.REFUSE_EXTENSION,
        before=before,
        after=_extension_snapshot(extension),
        reason=reason,
        assignment=assignment,
        related_agency=assignment.agency,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return extension

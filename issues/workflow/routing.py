"""Routing an issue: push it to its handlers, who sign for it, decline, transfer or assign it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from notifications.live import outbox

from .. import ledger_lines
from .. import permissions as perms
from ..attachments import files_removed_on_failure, store_attachments
from ..models import Assignment, AssignmentState, HandlerRole, Issue, IssueState, PartyRole
from . import notices, record
from .catalogue import Action, performs
from .common import (
    _active_bodies,
    _actor,
    _add_party,
    _assignment,
    _check,
    _checked_uploads,
    _date,
    _live_assignments,
    _lock,
    _move_assignment,
    _move_issue,
    _open_assignment,
    _retire_handler,
    _settle_issue_state,
    _settle_stationed_groups,
    _snapshot,
    _text,
)
from .errors import ActionError


@performs(Action.PUSH)
def push(
    *,
    acting_user,
    agency: Agency,
    title: str,
    description: str,
    category: str,
    source: str,
    priority: str,
    deadline: dt.date | None,
    lead: Agency,
    co_handlers: Iterable[Agency] = (),
    copied: Iterable[Agency] = (),
    attachments=(),
) -> Issue:
    """发起/推送: create an issue and push it to a lead handler and any co-handlers.

    Every input, attached files included, is checked before anything is written; the files
    are removed again if the push fails after storing them.
    """
    actor = _actor(Action.PUSH, acting_user, agency)
    if lead is None:
        raise ActionError(_("Choose the lead handler."))
    lead, *co_handlers = _active_bodies([lead, *co_handlers])
    if agency.pk in {lead.pk, *(a.pk for a in co_handlers)}:
        raise ActionError(_("An agency cannot push an issue to itself."))
    copied = [
        body
        for body in _active_bodies(copied)
        if body.pk not in {agency.pk, lead.pk, *(a.pk for a in co_handlers)}
    ]
    deadline = _date(deadline, _("The deadline cannot be in the past."))
    issue = Issue(
        # A placeholder unique to this push until the row's id gives the real number.
        number=uuid.uuid4().hex,
        title=title.strip() if isinstance(title, str) else title,
        description=description.strip() if isinstance(description, str) else description,
        category=category,
        source=source,
        priority=priority,
        initiator=agency,
        created_by=acting_user,
        deadline=deadline,
        state=IssueState.PUSHED,
    )
    try:
        issue.full_clean(exclude=["number", "initiator", "created_by"], validate_unique=False)
    except ValidationError as error:
        raise ActionError(" ".join(error.messages)) from None
    uploads = _checked_uploads(attachments)
    with files_removed_on_failure(), transaction.atomic():
        now = timezone.now()
        issue.pushed_at = now
        issue.save(force_insert=True)
        issue.number = f"JD{now:%Y}{issue.pk:07d}"
        Issue.objects.filter(pk=issue.pk).update(number=issue.number)
        _add_party(issue, agency, PartyRole.INITIATOR)
        handlers = [(lead, HandlerRole.LEAD)] + [(a, HandlerRole.CO_HANDLER) for a in co_handlers]
        for handler, role in handlers:
            _open_assignment(issue, handler, role, assigned_by=agency, deadline=deadline)
        for body in copied:
            _add_party(issue, body, PartyRole.COPIED)
        stored = store_attachments(issue, uploads, user=acting_user, agency=agency)
        perms.sync_issue_permissions(issue)
        event = record.append(
            issue,
            actor,
            Action.PUSH,
            after={
                "state": issue.state,
                "lead": lead.pk,
                "co_handlers": [a.pk for a in co_handlers],
                "copied": [a.pk for a in copied],
                "deadline": deadline.isoformat() if deadline else None,
                "attachments": [a.pk for a in stored],
            },
            related_agency=lead,
        )
        ledger_lines.refresh([issue.pk])
        outbox.enqueue_issue_event(event)
        notices.notify(event)
    return issue


@performs(Action.SIGN)
@transaction.atomic
def sign(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """签收: the handler takes the assignment on."""
    actor = _actor(Action.SIGN, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.SIGN, actor, issue, assignment=assignment)
    before = _snapshot(assignment)
    _move_assignment(assignment, AssignmentState.PENDING, AssignmentState.SIGNED, signed_at=timezone.now())
    if issue.state == IssueState.PUSHED:
        _move_issue(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    event = record.append(
        issue, actor, Action.SIGN, before=before, after=_snapshot(assignment), assignment=assignment
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


@performs(Action.DECLINE)
@transaction.atomic
def decline(
    *, acting_user, agency: Agency, issue, assignment, reason: str, suggested: Agency | None
) -> Assignment:
    """退回: not ours. Back to the initiator with the reason and the body we suggest.

    The suggestion is optional (a department often knows only that the work is not its own)
    but may not be the declining agency itself. With no open assignment left the issue stays
    where it is, on the initiator's "to verify" tab, until the initiator re-routes the declined
    assignment (``transfer``) or withdraws the issue.
    """
    actor = _actor(Action.DECLINE, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.DECLINE, actor, issue, assignment=assignment)
    reason = _text(reason, _("Say why this issue is not yours."))
    if suggested is not None:
        (suggested,) = _active_bodies([suggested])
        if suggested.pk == actor.agency.pk:
            raise ActionError(_("Suggest another body than your own."))
    before = _snapshot(assignment)
    _move_assignment(
        assignment,
        [AssignmentState.PENDING, AssignmentState.SIGNED],
        AssignmentState.DECLINED,
        end_reason=reason,
        suggested_agency=suggested,
        ended_at=timezone.now(),
    )
    _retire_handler(issue, assignment)
    _settle_stationed_groups(issue)
    perms.sync_issue_permissions(issue)
    _settle_issue_state(issue)
    event = record.append(
        issue,
        actor,
        Action.DECLINE,
        before=before,
        after=_snapshot(assignment),
        reason=reason,
        assignment=assignment,
        related_agency=suggested,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return assignment


@performs(Action.TRANSFER)
@transaction.atomic
def transfer(*, acting_user, agency: Agency, issue, assignment, to: Agency, reason: str) -> Assignment:
    """转办: hand an assignment to the body that should own it.

    The handler transfers its own open assignment; the initiator re-routes any open or declined
    one. The old handler keeps read access to what happened; the routing history is kept.
    """
    actor = _actor(Action.TRANSFER, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.TRANSFER, actor, issue, assignment=assignment)
    reason = _text(reason, _("Say why the issue is transferred."))
    if to is None:
        raise ActionError(_("Choose the body to transfer to."))
    (to,) = _active_bodies([to])
    if to.pk in (assignment.agency_id, issue.initiator_id):
        raise ActionError(_("Choose another body to transfer to."))
    rerouting_declined = assignment.state == AssignmentState.DECLINED
    before = _snapshot(assignment)
    if not rerouting_declined:
        _move_assignment(
            assignment,
            [AssignmentState.PENDING, AssignmentState.SIGNED],
            AssignmentState.TRANSFERRED,
            end_reason=reason,
            suggested_agency=to,
            ended_at=timezone.now(),
        )
        _retire_handler(issue, assignment)
    new = _open_assignment(
        issue,
        to,
        assignment.role,
        assigned_by=actor.agency,
        deadline=assignment.deadline,
        transferred_from=assignment,
    )
    _settle_stationed_groups(issue)
    perms.sync_issue_permissions(issue)
    _settle_issue_state(issue)
    event = record.append(
        issue,
        actor,
        Action.TRANSFER,
        before=before,
        after=_snapshot(new),
        reason=reason,
        assignment=new,
        related_agency=to,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return new


@performs(Action.ASSIGN)
@transaction.atomic
def assign(
    *, acting_user, agency: Agency, issue, co_handlers: Iterable[Agency], deadline=None
) -> list[Assignment]:
    """分办: the lead handler splits the work to co-handlers."""
    actor = _actor(Action.ASSIGN, acting_user, agency)
    issue = _lock(issue)
    _check(Action.ASSIGN, actor, issue)
    lead = _live_assignments(issue).get(agency=actor.agency, role=HandlerRole.LEAD)
    co_handlers = [
        a for a in _active_bodies(co_handlers) if a.pk not in (actor.agency.pk, issue.initiator_id)
    ]
    if not co_handlers:
        raise ActionError(_("Choose at least one co-handler."))
    deadline = _date(deadline, _("The deadline cannot be in the past."))
    if deadline is not None and lead.deadline and deadline > lead.deadline:
        raise ActionError(_("A co-handler's deadline cannot be later than the lead's."))
    created = [
        _open_assignment(
            issue, body, HandlerRole.CO_HANDLER, assigned_by=actor.agency, deadline=deadline or lead.deadline
        )
        for body in co_handlers
    ]
    perms.sync_issue_permissions(issue)
    _settle_issue_state(issue)
    event = record.append(issue, actor, Action.ASSIGN, after={"co_handlers": [a.agency_id for a in created]})
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return created

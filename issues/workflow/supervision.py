"""Bringing others in and pressing handlers: copy, consult, comment, urge (by a person or a deadline rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from notifications.live import outbox

from .. import ledger_lines
from .. import permissions as perms
from ..models import Assignment, Comment, Participant, PartyRole, Urge
from . import notices, record
from .catalogue import SPECS, Action, performs
from .common import _active_bodies, _actor, _add_party, _assignment, _check, _date, _lock, _text
from .errors import ActionError
from .rules import COMMENTING_ROLES, Context

# A body already on the issue in one of these roles gains nothing by being invited again.
_ALREADY_COVERED = {
    PartyRole.COPIED: set(PartyRole) - {PartyRole.FORMER_HANDLER, PartyRole.FORMER_SUPERVISOR},
    PartyRole.CONSULTEE: COMMENTING_ROLES,
}


def _invite(role, actor, issue, bodies) -> list[Agency]:
    covered = set(
        Participant.objects.filter(issue=issue, role__in=_ALREADY_COVERED[role]).values_list(
            "agency_id", flat=True
        )
    )
    added = [body for body in _active_bodies(bodies) if body.pk != actor.agency.pk and body.pk not in covered]
    if not added:
        raise ActionError(_("Everyone chosen is already on this issue."))
    for body in added:
        _add_party(issue, body, role)
    perms.sync_issue_permissions(issue)
    return added


@performs(Action.COPY)
@transaction.atomic
def copy(*, acting_user, agency: Agency, issue, bodies: Iterable[Agency]) -> list[Agency]:
    """抄送: let other bodies follow the issue (read only)."""
    actor = _actor(Action.COPY, acting_user, agency)
    issue = _lock(issue)
    _check(Action.COPY, actor, issue)
    added = _invite(PartyRole.COPIED, actor, issue, bodies)
    event = record.append(
        issue,
        actor,
        Action.COPY,
        after={PartyRole.COPIED: [body.pk for body in added]},
        related_agency=added[0] if len(added) == 1 else None,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return added


@performs(Action.CONSULT)
@transaction.atomic
def consult(*, acting_user, agency: Agency, issue, bodies: Iterable[Agency], question: str) -> list[Agency]:
    """会商: invite bodies in to read and comment.

    The question opens the conversation as the first comment; the consultation is one event on
    the issue record (the question is its reason), not two.
    """
    actor = _actor(Action.CONSULT, acting_user, agency)
    issue = _lock(issue)
    _check(Action.CONSULT, actor, issue)
    question = _text(question, _("Say what you want to consult about."))
    added = _invite(PartyRole.CONSULTEE, actor, issue, bodies)
    created = Comment.objects.create(issue=issue, author=acting_user, agency=actor.agency, text=question)
    event = record.append(
        issue,
        actor,
        Action.CONSULT,
        after={PartyRole.CONSULTEE: [body.pk for body in added], "comment": created.pk},
        reason=question,
        related_agency=added[0] if len(added) == 1 else None,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return added


@performs(Action.URGE)
@transaction.atomic
def urge(*, acting_user, agency: Agency, issue, assignment, text: str, due_date: dt.date) -> Urge:
    """督办: a supervisor presses a handler, on the issue record, with a due date.

    A supervisor urges the handlers it supervises: a stationed group the departments it is
    stationed at, a commission those of its jurisdiction. Being a supervisor of the issue (for
    another handler) is not enough.
    """
    actor = _actor(Action.URGE, acting_user, agency)
    issue = _lock(issue)
    assignment = _assignment(issue, assignment)
    _check(Action.URGE, actor, issue, assignment=assignment)
    text = _text(text, _("Write what the handler must do."))
    if due_date is None:
        raise ActionError(_("Give the date the handler must answer by."))
    due_date = _date(due_date, _("The due date cannot be in the past."))
    created = Urge.objects.create(
        issue=issue,
        assignment=assignment,
        by_agency=actor.agency,
        by_user=acting_user,
        text=text,
        due_date=due_date,
    )
    event = record.append(
        issue,
        actor,
        Action.URGE,
        after={"urge": created.pk, "due_date": due_date.isoformat()},
        reason=text,
        assignment=assignment,
        related_agency=assignment.agency,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return created


@performs(Action.COMMENT)
@transaction.atomic
def comment(*, acting_user, agency: Agency, issue, text: str) -> Comment:
    """A party's remark on the issue (initiator, handlers, supervisors, consultees)."""
    actor = _actor(Action.COMMENT, acting_user, agency)
    issue = _lock(issue)
    _check(Action.COMMENT, actor, issue)
    text = _text(text, _("Write a comment first."))
    created = Comment.objects.create(issue=issue, author=acting_user, agency=actor.agency, text=text)
    event = record.append(issue, actor, Action.COMMENT, after={"comment": created.pk}, reason=text)
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return created


@performs(Action.AUTO_URGE)
@transaction.atomic
def auto_urge(*, assignment_id: int, rule: str, due_date: dt.date, by_agency_id: int | None = None) -> Urge:
    """督办 by a deadline rule (issues.deadlines.reminders), not a person.

    On the issue record the actor is empty and ``automation_rule`` names the rule. The urging body is
    ``by_agency_id`` (an escalation: the commission one level up) or else the handler's first
    supervisor, its stationed group where it has one. It must supervise the handler.
    """
    issue = _lock(Assignment.objects.values_list("issue_id", flat=True).get(pk=assignment_id))
    assignment = _assignment(issue, assignment_id)
    SPECS[Action.AUTO_URGE].require(Context.of(None, issue, assignment=assignment))
    supervisors = [
        body
        for body in perms.supervisors_of(assignment.agency)
        if by_agency_id is None or body.pk == by_agency_id
    ]
    if not supervisors:
        raise ActionError(_("No body supervises this handler."))
    text = _("The deadline of %(deadline)s has been reached: answer by %(due)s.") % {
        "deadline": assignment.deadline.isoformat() if assignment.deadline else "-",
        "due": due_date.isoformat(),
    }
    created = Urge.objects.create(
        issue=issue,
        assignment=assignment,
        by_agency=supervisors[0],
        text=text,
        due_date=due_date,
        automation_rule=rule,
    )
    event = record.append(
        issue,
        None,
        Action.URGE,  # an urge on the issue record, as a person's; its rule is what differs
        after={"urge": created.pk, "due_date": due_date.isoformat(), "by_agency": supervisors[0].pk},
        reason=text,
        assignment=assignment,
        related_agency=assignment.agency,
        automation_rule=rule,
    )
    ledger_lines.refresh([issue.pk])
    outbox.enqueue_issue_event(event)
    notices.notify(event)
    return created

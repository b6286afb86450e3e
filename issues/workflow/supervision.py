"""Bringing others in and pressing handlers: copy, consult, comment, urge (by a person or a deadline rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency

from .. import permissions as perms
from ..models import Assignment, AssignmentState, Comment, IssueState, Participant, PartyRole, Urge
from .common import (
    ActionError,
    Conflict,
    NotPermitted,
    _active_bodies,
    _actor,
    _add_party,
    _assignment,
    _date,
    _lock,
    _party_roles,
    _record,
    _require,
    _require_issue_state,
    _text,
)

# Who may bring others in: the initiator, a handler, a supervisor. Copied bodies follow the issue
# read-only, consultees answer what they were asked, former handlers no longer act.
_INVITING_PERMISSIONS = (perms.MANAGE, perms.HANDLE, perms.SUPERVISE)
# Whose voice the issue's comments carry; copied bodies and former handlers read only.
COMMENTING_ROLES = {
    PartyRole.INITIATOR,
    PartyRole.LEAD,
    PartyRole.CO_HANDLER,
    PartyRole.SUPERVISOR,
    PartyRole.CONSULTEE,
}
# A body already on the issue in one of these roles gains nothing by being invited again.
_ALREADY_COVERED = {
    PartyRole.COPIED: set(PartyRole) - {PartyRole.FORMER_HANDLER, PartyRole.FORMER_SUPERVISOR},
    PartyRole.CONSULTEE: COMMENTING_ROLES,
}


def _invite(action, role, actor, issue, bodies) -> list[Agency]:
    allowed = _INVITING_PERMISSIONS if action == "consult" else (perms.MANAGE, perms.HANDLE)
    if not any(perms.agency_holds(actor.agency, issue, codename) for codename in allowed):
        if action == "copy":
            raise NotPermitted(_("Only the initiator or a handler can copy this issue."))
        raise NotPermitted(_("Only the initiator, a handler or a supervisor can consult on this issue."))
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED)
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


@transaction.atomic
def copy(*, acting_user, agency: Agency, issue, bodies: Iterable[Agency]) -> list[Agency]:
    """抄送: let other bodies follow the issue (read only)."""
    actor = _actor("copy", acting_user, agency)
    issue = _lock(issue)
    added = _invite("copy", PartyRole.COPIED, actor, issue, bodies)
    _record(
        issue,
        actor,
        "copy",
        after={PartyRole.COPIED: [body.pk for body in added]},
        related_agency=added[0] if len(added) == 1 else None,
    )
    return added


@transaction.atomic
def consult(*, acting_user, agency: Agency, issue, bodies: Iterable[Agency], question: str) -> list[Agency]:
    """会商: invite bodies in to read and comment.

    The question opens the conversation as the first comment; the consultation is one event on
    the record (the question is its reason), not two.
    """
    actor = _actor("consult", acting_user, agency)
    issue = _lock(issue)
    question = _text(question, _("Say what you want to consult about."))
    added = _invite("consult", PartyRole.CONSULTEE, actor, issue, bodies)
    created = Comment.objects.create(issue=issue, author=acting_user, agency=actor.agency, text=question)
    _record(
        issue,
        actor,
        "consult",
        after={PartyRole.CONSULTEE: [body.pk for body in added], "comment": created.pk},
        reason=question,
        related_agency=added[0] if len(added) == 1 else None,
    )
    return added


# Urging presses a handler that still owes work; a report waiting for the initiator owes nothing.
URGEABLE_STATES = (AssignmentState.PENDING, AssignmentState.SIGNED, AssignmentState.AWAITING_APPROVAL)


@transaction.atomic
def urge(*, acting_user, agency: Agency, issue, assignment, text: str, due_date: dt.date) -> Urge:
    """督办: a supervisor presses a handler, on the record, with a due date.

    A supervisor urges the handlers it supervises: a stationed group the departments it is
    stationed at, a commission those of its jurisdiction. Being a supervisor of the issue (for
    another handler) is not enough.
    """
    actor = _actor("urge", acting_user, agency)
    issue = _lock(issue)
    if PartyRole.FORMER_SUPERVISOR in _party_roles(issue, actor.agency) and not perms.agency_holds(
        actor.agency, issue, perms.SUPERVISE
    ):
        raise Conflict(
            _(
                "None of the departments %(agency)s supervises handles this issue any more. Refresh the "
                "page to see what changed."
            )
            % {"agency": actor.agency}
        )
    _require(actor, issue, perms.SUPERVISE)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _assignment(issue, assignment)
    if all(body.pk != actor.agency.pk for body in perms.supervisors_of(assignment.agency)):
        raise NotPermitted(_("%(agency)s does not supervise this handler.") % {"agency": actor.agency})
    if assignment.state not in URGEABLE_STATES:
        raise Conflict(_("Only an assignment still being worked on can be urged."))
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
    _record(
        issue,
        actor,
        "urge",
        after={"urge": created.pk, "due_date": due_date.isoformat()},
        reason=text,
        assignment=assignment,
        related_agency=assignment.agency,
    )
    return created


@transaction.atomic
def comment(*, acting_user, agency: Agency, issue, text: str) -> Comment:
    """A party's remark on the issue (initiator, handlers, supervisors, consultees)."""
    actor = _actor("comment", acting_user, agency)
    issue = _lock(issue)
    roles = _party_roles(issue, actor.agency)
    if not roles:
        raise NotPermitted(_("%(agency)s is not a party to this issue.") % {"agency": actor.agency})
    if not roles & COMMENTING_ROLES:
        raise NotPermitted(_("%(agency)s follows this issue read-only.") % {"agency": actor.agency})
    text = _text(text, _("Write a comment first."))
    created = Comment.objects.create(issue=issue, author=acting_user, agency=actor.agency, text=text)
    _record(issue, actor, "comment", after={"comment": created.pk}, reason=text)
    return created


@transaction.atomic
def auto_urge(*, assignment_id: int, rule: str, due_date: dt.date, by_agency_id: int | None = None) -> Urge:
    """督办 by a deadline rule (issues.deadlines.reminders), not a person.

    On the record the actor is empty and ``automation_rule`` names the rule. The urging body is
    ``by_agency_id`` (an escalation: the commission one level up) or else the handler's first
    supervisor, its stationed group where it has one. It must supervise the handler.
    """
    issue = _lock(Assignment.objects.values_list("issue_id", flat=True).get(pk=assignment_id))
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _assignment(issue, assignment_id)
    if assignment.state not in URGEABLE_STATES:
        raise Conflict(_("Only an assignment still being worked on can be urged."))
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
    _record(
        issue,
        None,
        "urge",
        after={"urge": created.pk, "due_date": due_date.isoformat(), "by_agency": supervisors[0].pk},
        reason=text,
        assignment=assignment,
        related_agency=assignment.agency,
        automation_rule=rule,
    )
    return created

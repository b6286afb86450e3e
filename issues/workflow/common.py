"""What every action shares: the acting agency, the lock, its rule, compare-and-set, and the
steps that keep parties and assignments right.

The actions themselves live in the sibling modules; see the package's docstring for the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind, Membership

from .. import permissions as perms
from ..attachments import validate_uploads
from ..models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    DeadlinePolicy,
    Issue,
    IssueState,
    Participant,
    PartyRole,
)
from .catalogue import SPECS, Action
from .errors import ActionError, Conflict, NotPermitted
from .rules import Context


@dataclass(frozen=True)
class Actor:
    user: object
    agency: Agency
    role: str


# --- the shared steps of every action ------------------------------------------------------


def _actor(action: Action, acting_user, agency: Agency) -> Actor:
    """Who acts: an active member of ``agency`` whose role there may take ``action``."""
    membership = Membership.objects.filter(user=acting_user, agency=agency, agency__is_active=True).first()
    if membership is None or not acting_user.is_active:
        raise NotPermitted(_("You do not act for this agency."))
    if not SPECS[action].may(membership.role):
        raise NotPermitted(_("Your role in %(agency)s does not allow this action.") % {"agency": agency})
    return Actor(acting_user, agency, membership.role)


def _lock(issue: Issue | int) -> Issue:
    """Re-read the issue under a row lock: actions on one issue take turns."""
    pk = issue.pk if isinstance(issue, Issue) else issue
    return Issue.objects.select_for_update().get(pk=pk)


def _check(action: Action, actor: Actor, issue: Issue, *, assignment=None, comment=None) -> None:
    """Run the action's rule (the one its button was offered by) on the locked issue."""
    ctx = Context.of(actor.agency, issue, user=actor.user, assignment=assignment, comment=comment)
    SPECS[action].require(ctx)


def _move_issue(issue: Issue, expected: str, new: str, **fields) -> None:
    """Compare-and-set the issue's state; zero rows means someone else got there first."""
    now = timezone.now()
    changed = Issue.objects.filter(pk=issue.pk, state=expected).update(state=new, updated_at=now, **fields)
    if not changed:
        raise Conflict(_("Someone else changed this issue at the same moment; nothing was saved."))
    issue.state = new
    issue.updated_at = now
    for name, value in fields.items():
        setattr(issue, name, value)


def _move_assignment(assignment: Assignment, expected: Sequence[str] | str, new: str, **fields) -> None:
    expected = [expected] if isinstance(expected, str) else list(expected)
    changed = Assignment.objects.filter(pk=assignment.pk, state__in=expected).update(state=new, **fields)
    if not changed:
        raise Conflict(_("Someone else changed this assignment at the same moment; nothing was saved."))
    assignment.state = new
    for name, value in fields.items():
        setattr(assignment, name, value)


def _assignment(issue: Issue, assignment: Assignment | int) -> Assignment:
    pk = assignment.pk if isinstance(assignment, Assignment) else assignment
    try:
        return Assignment.objects.select_related("agency").get(pk=pk, issue=issue)
    except Assignment.DoesNotExist:
        raise ActionError(_("That assignment is not part of this issue.")) from None


def _text(value, message: str) -> str:
    """A required free-text input, stripped; refused with ``message`` when blank."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ActionError(message)
    return text


def _date(value, message: str) -> dt.date | None:
    """An optional date that may not lie in the past."""
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ActionError(_("Give the date as a calendar day."))
    if value < timezone.localdate():
        raise ActionError(message)
    return value


def _active_bodies(bodies) -> list[Agency]:
    """The chosen agencies, each once, in order; an inactive one is refused by name."""
    chosen: dict[int, Agency] = {}
    for body in bodies:
        if body is None:
            continue
        if not body.is_active:
            raise ActionError(_("%(agency)s is no longer active on the portal.") % {"agency": body})
        chosen.setdefault(body.pk, body)
    return list(chosen.values())


def _checked_uploads(uploads) -> list:
    """Every file checked before anything is written; a refused one is named in the message."""
    uploads = list(uploads)
    try:
        validate_uploads(uploads)
    except ValidationError as error:
        raise ActionError(" ".join(error.messages)) from None
    return uploads


def _add_party(issue: Issue, agency: Agency, role: str) -> bool:
    _, created = Participant.objects.get_or_create(issue=issue, agency=agency, role=role)
    return created


def _add_handler_parties(issue: Issue, agency: Agency, role: str) -> None:
    _add_party(issue, agency, role)
    supervisors = perms.supervisors_of(agency)
    for supervisor in supervisors:
        _add_party(issue, supervisor, PartyRole.SUPERVISOR)
    Participant.objects.filter(
        issue=issue, agency__in=supervisors, role=PartyRole.FORMER_SUPERVISOR
    ).delete()


def _settle_stationed_groups(issue: Issue) -> None:
    """A stationed group supervises the issue while one of its departments handles it.

    A group watches the departments it is stationed at (派驻监督), not the issue as such: once
    none of them has a live assignment (declined, transferred away, withdrawn) it has nobody
    here to urge, and it follows the issue read-only as a former supervisor instead of keeping
    an issue on its "supervised" tab that it can do nothing about. Commissions supervise by
    jurisdiction and stay. (A withdrawn issue leaves every supervised tab by its state; its
    groups keep their rows, so that a late urge hears "withdrawn", not "not yours".)
    """
    live_handlers = Agency.objects.filter(
        pk__in=_live_assignments(issue).values("agency_id")
    ).select_related("region")
    still = {body.pk for handler in live_handlers for body in perms.supervisors_of(handler)}
    idle = Participant.objects.filter(
        issue=issue, role=PartyRole.SUPERVISOR, agency__kind=AgencyKind.STATIONED_GROUP
    ).exclude(agency_id__in=still)
    for agency_id in list(idle.values_list("agency_id", flat=True)):
        Participant.objects.get_or_create(issue=issue, agency_id=agency_id, role=PartyRole.FORMER_SUPERVISOR)
    idle.delete()


def _retire_handler(issue: Issue, assignment: Assignment) -> None:
    """The handler's party row becomes "former handler" (reads what happened, acts no more)."""
    still_live = Assignment.objects.filter(
        issue=issue, agency=assignment.agency, state__in=OPEN_ASSIGNMENT_STATES + (AssignmentState.ACCEPTED,)
    ).exclude(pk=assignment.pk)
    if not still_live.exists():
        Participant.objects.filter(
            issue=issue, agency=assignment.agency, role__in=[PartyRole.LEAD, PartyRole.CO_HANDLER]
        ).delete()
    _add_party(issue, assignment.agency, PartyRole.FORMER_HANDLER)


def _snapshot(assignment: Assignment) -> dict:
    return {"assignment": assignment.pk, "agency": assignment.agency_id, "state": assignment.state}


def _live_assignments(issue: Issue):
    return Assignment.objects.filter(
        issue=issue, state__in=OPEN_ASSIGNMENT_STATES + (AssignmentState.ACCEPTED,)
    )


def _settle_issue_state(issue: Issue) -> None:
    """The issue is "reported" when every live handler has reported (or been accepted)."""
    live = list(_live_assignments(issue).values_list("state", flat=True))
    done = {AssignmentState.REPORTED, AssignmentState.ACCEPTED}
    if issue.state == IssueState.IN_PROGRESS and live and all(state in done for state in live):
        _move_issue(issue, IssueState.IN_PROGRESS, IssueState.REPORTED)
    elif issue.state == IssueState.REPORTED and not all(state in done for state in live):
        _move_issue(issue, IssueState.REPORTED, IssueState.IN_PROGRESS)


def _open_assignment(issue, agency, role, *, assigned_by, deadline, transferred_from=None) -> Assignment:
    if _live_assignments(issue).filter(agency=agency).exists():
        raise ActionError(_("%(agency)s is already handling this issue.") % {"agency": agency})
    assignment = Assignment.objects.create(
        issue=issue,
        agency=agency,
        role=role,
        deadline=deadline or issue.deadline,
        sign_deadline=DeadlinePolicy.objects.sign_deadline(issue.category, issue.priority),
        assigned_by=assigned_by,
        transferred_from=transferred_from,
    )
    _add_handler_parties(issue, agency, role)
    return assignment

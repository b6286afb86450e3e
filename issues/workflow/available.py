"""Which actions the user, acting for an agency, may take on an issue right now.

The issue page shows a button only for these. It reads the same rows and applies the same
preconditions as ``issues.actions`` (which checks them again, under a lock, when the button is
pressed), so a button is never offered that would only answer "not permitted".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actions import COMMENTING_ROLES, EXTENDABLE_STATES, URGEABLE_STATES, WITHDRAWABLE_REPORT_STATES
from .models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Extension,
    ExtensionState,
    HandlerRole,
    Issue,
    IssueState,
    Participant,
)
from .permissions import HANDLE, MANAGE, ROLES_FOR_ACTION, SUPERVISE, VIEW, held_codenames, supervisors_of

OPEN_ISSUE_STATES = (IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED)
HANDLING_STATES = (IssueState.PUSHED, IssueState.IN_PROGRESS)


@dataclass
class Available:
    """Issue-wide actions, and per assignment the actions on that assignment."""

    issue_actions: list[str] = field(default_factory=list)
    by_assignment: dict[int, list[str]] = field(default_factory=dict)

    def allows(self, action: str, assignment: Assignment | None = None) -> bool:
        if assignment is None:
            return action in self.issue_actions
        return action in self.by_assignment.get(assignment.pk, [])

    def __bool__(self) -> bool:
        return bool(self.issue_actions or any(self.by_assignment.values()))


def available_actions(agency, role: str | None, issue: Issue, assignments: list[Assignment]) -> Available:
    """What ``role`` in ``agency`` may do on ``issue`` now; ``assignments`` are the issue's, all."""
    result = Available()
    if agency is None or role is None:
        return result
    held = held_codenames(agency, issue)
    if VIEW not in held:
        return result

    def may(action: str) -> bool:
        return role in ROLES_FOR_ACTION[action]

    state = issue.state
    manages, handles, supervises = MANAGE in held, HANDLE in held, SUPERVISE in held
    rerouted = {a.transferred_from_id for a in assignments if a.transferred_from_id}
    supervised: dict[int, bool] = {}
    pending = Extension.objects.filter(issue=issue, state=ExtensionState.PENDING)
    asking = set(pending.values_list("assignment_id", flat=True))

    def supervises_handler(handler) -> bool:
        """A supervisor urges only the handlers it supervises, not every handler of the issue."""
        if handler.pk not in supervised:
            supervised[handler.pk] = any(body.pk == agency.pk for body in supervisors_of(handler))
        return supervised[handler.pk]

    for assignment in assignments:
        actions = []
        ours = assignment.agency_id == agency.pk and handles
        if ours and state in HANDLING_STATES:
            if assignment.state == AssignmentState.PENDING and may("sign"):
                actions.append("sign")
            if assignment.state in (AssignmentState.PENDING, AssignmentState.SIGNED) and may("decline"):
                actions.append("decline")
        reportable = state == IssueState.IN_PROGRESS and assignment.state == AssignmentState.SIGNED
        if ours and reportable and may("report"):
            actions.append("report")
        if ours and assignment.state == AssignmentState.AWAITING_APPROVAL and may("approve_report"):
            actions.append("approve_report")
        unread_report = assignment.state in WITHDRAWABLE_REPORT_STATES and assignment.report_read_at is None
        verifiable_now = state in (IssueState.IN_PROGRESS, IssueState.REPORTED)
        if ours and verifiable_now and unread_report and may("withdraw_report"):
            actions.append("withdraw_report")
        if state in OPEN_ISSUE_STATES and may("transfer"):
            open_here = assignment.state in (AssignmentState.PENDING, AssignmentState.SIGNED)
            declined_unrouted = (
                assignment.state == AssignmentState.DECLINED and assignment.pk not in rerouted and manages
            )
            if (open_here and (ours or manages)) or declined_unrouted:
                actions.append("transfer")
        verifiable = state in (IssueState.IN_PROGRESS, IssueState.REPORTED)
        if manages and verifiable and assignment.state == AssignmentState.REPORTED:
            actions += [a for a in ("accept_report", "reject_report") if may(a)]
        extendable = state in HANDLING_STATES and assignment.state in EXTENDABLE_STATES
        if ours and extendable and assignment.pk not in asking and may("request_extension"):
            actions.append("request_extension")
        if manages and extendable and assignment.pk in asking:
            actions += [a for a in ("grant_extension", "refuse_extension") if may(a)]
        urgeable = state in HANDLING_STATES and assignment.state in URGEABLE_STATES
        if supervises and urgeable and may("urge") and supervises_handler(assignment.agency):
            actions.append("urge")
        if actions:
            result.by_assignment[assignment.pk] = actions

    live = [a for a in assignments if a.state in (*OPEN_ASSIGNMENT_STATES, AssignmentState.ACCEPTED)]
    leads_here = any(
        a.agency_id == agency.pk
        and a.role == HandlerRole.LEAD
        and a.state in (AssignmentState.PENDING, AssignmentState.SIGNED)
        for a in live
    )
    issue_actions = result.issue_actions
    if handles and leads_here and state in HANDLING_STATES and may("assign"):
        issue_actions.append("assign")
    if (manages or handles) and state in OPEN_ISSUE_STATES and may("copy"):
        issue_actions.append("copy")
    if (manages or handles or supervises) and state in OPEN_ISSUE_STATES and may("consult"):
        issue_actions.append("consult")
    all_accepted = bool(live) and all(a.state == AssignmentState.ACCEPTED for a in live)
    if manages and state == IssueState.REPORTED and all_accepted and may("close"):
        issue_actions.append("close")
    if manages and state in (IssueState.DRAFT, *OPEN_ISSUE_STATES) and may("withdraw"):
        issue_actions.append("withdraw")
    reopener = manages or (agency.is_commission and supervises)
    if state == IssueState.CLOSED and reopener and may("reopen"):
        issue_actions.append("reopen")
    if may("comment") and _party_roles(issue, agency) & COMMENTING_ROLES:
        issue_actions.append("comment")
    return result


def comment_corrections(user, agency, role: str | None, issue: Issue, comment) -> list[str]:
    """The corrections ``user`` may make to ``comment`` now: only its author, for the agency it
    was written for, while the agency still has a voice on the issue (as for ``comment``)."""
    if agency is None or role is None or comment.withdrawn_at is not None:
        return []
    if comment.author_id != user.pk or comment.agency_id != agency.pk:
        return []
    if not _party_roles(issue, agency) & COMMENTING_ROLES:
        return []
    return [name for name in ("amend_comment", "withdraw_comment") if role in ROLES_FOR_ACTION[name]]


def _party_roles(issue: Issue, agency) -> set[str]:
    """Copied bodies and former handlers read only; the others have a voice in the comments."""
    return set(Participant.objects.filter(issue=issue, agency=agency).values_list("role", flat=True))


def acting_role(membership) -> str | None:
    return membership.role if membership is not None else None

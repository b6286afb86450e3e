"""Every change to an issue happens here, and nowhere else (DESIGN §5, Zulip's zerver/actions).

Each action: takes the acting user and the agency acted for keyword-only; locks the issue row;
checks that the agency is the right kind of party and that the user's role in it allows the
action; moves state with compare-and-set; writes one IssueEvent to the issue's hash chain;
updates parties and permissions; and registers the live event to be sent on commit. All of it
in one transaction: a failure anywhere leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Membership, Role

from . import permissions as perms
from .attachments import files_removed_on_failure, store_attachments, validate_uploads
from .models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Comment,
    Extension,
    ExtensionState,
    HandlerRole,
    Issue,
    IssueEvent,
    IssueState,
    Participant,
    PartyRole,
    Urge,
)
from .record import GENESIS, chain_hash


class ActionError(Exception):
    """An action that cannot be taken; the message is for the user, in their language."""


class NotPermitted(ActionError):
    """The agency is not the right party, or the user's role does not allow the action."""


class Conflict(ActionError):
    """Someone else changed the issue first; nothing was written."""


@dataclass(frozen=True)
class Actor:
    user: object
    agency: Agency
    role: str


# --- the shared steps of every action ------------------------------------------------------


def _actor(action: str, acting_user, agency: Agency) -> Actor:
    membership = Membership.objects.filter(user=acting_user, agency=agency, agency__is_active=True).first()
    if membership is None or not acting_user.is_active:
        raise NotPermitted(_("You do not act for this agency."))
    if membership.role not in perms.ROLES_FOR_ACTION[action]:
        raise NotPermitted(_("Your role in %(agency)s does not allow this action.") % {"agency": agency})
    return Actor(acting_user, agency, membership.role)


def _lock(issue: Issue | int) -> Issue:
    """Re-read the issue under a row lock: actions on one issue take turns."""
    pk = issue.pk if isinstance(issue, Issue) else issue
    return Issue.objects.select_for_update().get(pk=pk)


def _require(actor: Actor, issue: Issue, codename: str) -> None:
    if not perms.agency_holds(actor.agency, issue, codename):
        raise NotPermitted(_("%(agency)s cannot do this on this issue.") % {"agency": actor.agency})


def _require_handler(actor: Actor, issue: Issue) -> None:
    """The agency must be handling the issue now.

    An agency that handled it until a moment ago (its assignment was transferred, declined or
    withdrawn, typically by a colleague at the same time) is told the issue changed under it, a
    Conflict, rather than that it has no business here.
    """
    if perms.agency_holds(actor.agency, issue, perms.HANDLE):
        return
    if PartyRole.FORMER_HANDLER in _party_roles(issue, actor.agency):
        raise Conflict(
            _(
                "%(agency)s no longer handles this issue: its assignment was transferred, declined or "
                "withdrawn. Refresh the page to see what changed."
            )
            % {"agency": actor.agency}
        )
    raise NotPermitted(_("%(agency)s cannot do this on this issue.") % {"agency": actor.agency})


def _require_issue_state(issue: Issue, *states: str) -> None:
    if issue.state not in states:
        raise Conflict(
            _("This issue is now “%(state)s”; refresh the page to see what changed.")
            % {"state": issue.get_state_display()}
        )


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


def _own_assignment(actor: Actor, issue: Issue, assignment) -> Assignment:
    found = _assignment(issue, assignment)
    if found.agency_id != actor.agency.pk:
        raise NotPermitted(_("Only the handler it was assigned to can do this."))
    return found


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


def _party_roles(issue: Issue, agency: Agency) -> set[str]:
    return set(Participant.objects.filter(issue=issue, agency=agency).values_list("role", flat=True))


def _record(
    issue: Issue,
    actor: Actor | None,
    action: str,
    *,
    before=None,
    after=None,
    reason: str = "",
    assignment: Assignment | None = None,
    related_agency: Agency | None = None,
    automation_rule: str = "",
    request_id: str = "",
) -> IssueEvent:
    """Append one event to the issue's hash chain and move the chain's head."""
    event = IssueEvent(
        issue=issue,
        seq=issue.event_count + 1,
        assignment=assignment,
        action=action,
        actor=actor.user if actor else None,
        actor_name=(actor.user.get_full_name() if actor else _("Deadline rule")),
        agency=actor.agency if actor else None,
        related_agency=related_agency,
        before=before or {},
        after=after or {},
        reason=reason,
        automation_rule=automation_rule,
        request_id=request_id,
        created_at=timezone.now(),
        prev_hash=issue.record_head or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, event)
    event.save()
    due_date = _earliest_open_deadline(issue)
    moved = Issue.objects.filter(pk=issue.pk, event_count=issue.event_count).update(
        event_count=event.seq, record_head=event.hash, due_date=due_date
    )
    if not moved:
        raise Conflict(_("Someone else changed this issue at the same moment; nothing was saved."))
    issue.event_count, issue.record_head, issue.due_date = event.seq, event.hash, due_date
    transaction.on_commit(lambda: _publish(event.pk))
    return event


def _earliest_open_deadline(issue: Issue) -> dt.date | None:
    if issue.state in (IssueState.CLOSED, IssueState.WITHDRAWN):
        return None
    return (
        Assignment.objects.filter(issue=issue, state__in=OPEN_ASSIGNMENT_STATES, deadline__isnull=False)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )


def _publish(event_id: int) -> None:
    from notifications.live import publish_issue_event

    publish_issue_event(event_id)


def _add_party(issue: Issue, agency: Agency, role: str) -> bool:
    _, created = Participant.objects.get_or_create(issue=issue, agency=agency, role=role)
    return created


def _add_handler_parties(issue: Issue, agency: Agency, role: str) -> None:
    _add_party(issue, agency, role)
    for supervisor in perms.supervisors_of(agency):
        _add_party(issue, supervisor, PartyRole.SUPERVISOR)


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
        assigned_by=assigned_by,
        transferred_from=transferred_from,
    )
    _add_handler_parties(issue, agency, role)
    return assignment


# --- the actions ------------------------------------------------------------------------------


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
    actor = _actor("push", acting_user, agency)
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
        _record(
            issue,
            actor,
            "push",
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
    return issue


@transaction.atomic
def sign(*, acting_user, agency: Agency, issue, assignment) -> Assignment:
    """签收: the handler takes the assignment on."""
    actor = _actor("sign", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _own_assignment(actor, issue, assignment)
    if assignment.state != AssignmentState.PENDING:
        raise Conflict(_("This assignment has already been signed for or has ended."))
    before = _snapshot(assignment)
    _move_assignment(assignment, AssignmentState.PENDING, AssignmentState.SIGNED, signed_at=timezone.now())
    if issue.state == IssueState.PUSHED:
        _move_issue(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    _record(issue, actor, "sign", before=before, after=_snapshot(assignment), assignment=assignment)
    return assignment


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
    actor = _actor("decline", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    reason = _text(reason, _("Say why this issue is not yours."))
    if suggested is not None:
        (suggested,) = _active_bodies([suggested])
        if suggested.pk == actor.agency.pk:
            raise ActionError(_("Suggest another body than your own."))
    assignment = _own_assignment(actor, issue, assignment)
    if assignment.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        raise Conflict(_("Only an assignment that is still open can be declined."))
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
    perms.sync_issue_permissions(issue)
    _settle_issue_state(issue)
    _record(
        issue,
        actor,
        "decline",
        before=before,
        after=_snapshot(assignment),
        reason=reason,
        assignment=assignment,
        related_agency=suggested,
    )
    return assignment


@transaction.atomic
def transfer(*, acting_user, agency: Agency, issue, assignment, to: Agency, reason: str) -> Assignment:
    """转办: hand an assignment to the body that should own it.

    The handler transfers its own open assignment; the initiator re-routes any open or declined
    one. The old handler keeps read access to what happened; the routing history is kept.
    """
    actor = _actor("transfer", acting_user, agency)
    issue = _lock(issue)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED)
    reason = _text(reason, _("Say why the issue is transferred."))
    if to is None:
        raise ActionError(_("Choose the body to transfer to."))
    (to,) = _active_bodies([to])
    assignment = _assignment(issue, assignment)
    by_initiator = perms.agency_holds(actor.agency, issue, perms.MANAGE)
    by_handler = assignment.agency_id == actor.agency.pk and perms.agency_holds(
        actor.agency, issue, perms.HANDLE
    )
    if not (by_initiator or by_handler):
        if assignment.agency_id == actor.agency.pk:
            _require_handler(actor, issue)  # a Conflict if it handled this a moment ago
        raise NotPermitted(_("Only the handler or the initiator can transfer this assignment."))
    if to.pk in (assignment.agency_id, issue.initiator_id):
        raise ActionError(_("Choose another body to transfer to."))
    rerouting_declined = assignment.state == AssignmentState.DECLINED
    if rerouting_declined:
        if not by_initiator or assignment.transferred_to.exists():
            raise Conflict(_("This declined assignment has already been re-routed."))
    elif assignment.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        raise Conflict(_("Only an open assignment can be transferred."))
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
    perms.sync_issue_permissions(issue)
    _settle_issue_state(issue)
    _record(
        issue,
        actor,
        "transfer",
        before=before,
        after=_snapshot(new),
        reason=reason,
        assignment=new,
        related_agency=to,
    )
    return new


@transaction.atomic
def assign(
    *, acting_user, agency: Agency, issue, co_handlers: Iterable[Agency], deadline=None
) -> list[Assignment]:
    """分办: the lead handler splits the work to co-handlers."""
    actor = _actor("assign", acting_user, agency)
    issue = _lock(issue)
    _require_handler(actor, issue)
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    lead = _live_assignments(issue).filter(agency=actor.agency, role=HandlerRole.LEAD).first()
    if lead is None:
        raise NotPermitted(_("Only the lead handler, while handling, can assign co-handlers."))
    if lead.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        # Our own work moved on (reported, waiting for approval): a stale page, not a stranger.
        raise Conflict(_("Only the lead handler, while handling, can assign co-handlers."))
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
    _record(issue, actor, "assign", after={"co_handlers": [a.agency_id for a in created]})
    return created


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
    PartyRole.COPIED: set(PartyRole) - {PartyRole.FORMER_HANDLER},
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
        raise ActionError(_("Propose a date after the current deadline (%(deadline)s).")
                          % {"deadline": assignment.deadline.isoformat()})
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
    """督办 by a deadline rule (notifications.reminders), not a person.

    On the record the actor is empty and ``automation_rule`` names the rule. The urging body is
    ``by_agency_id`` (an escalation: the commission one level up) or else the handler's first
    supervisor, its stationed group where it has one. It must supervise the handler.
    """
    issue = _lock(Assignment.objects.values_list("issue_id", flat=True).get(pk=assignment_id))
    _require_issue_state(issue, IssueState.PUSHED, IssueState.IN_PROGRESS)
    assignment = _assignment(issue, assignment_id)
    if assignment.state not in URGEABLE_STATES:
        raise Conflict(_("Only an assignment still being worked on can be urged."))
    supervisors = [body for body in perms.supervisors_of(assignment.agency)
                   if by_agency_id is None or body.pk == by_agency_id]
    if not supervisors:
        raise ActionError(_("No body supervises this handler."))
    text = _("The deadline of %(deadline)s has been reached: answer by %(due)s.") % {
        "deadline": assignment.deadline.isoformat() if assignment.deadline else "-",
        "due": due_date.isoformat(),
    }
    created = Urge.objects.create(
        issue=issue, assignment=assignment, by_agency=supervisors[0], text=text, due_date=due_date,
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

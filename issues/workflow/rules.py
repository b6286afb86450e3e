"""When an action may be taken: one precondition per action, read by its button and by the action.

A rule reads a ``Context`` (who acts, for which agency, on which issue, assignment or comment)
and either returns or raises the refusal the user reads (``NotPermitted`` or ``Conflict``, with
its reason). The issue page offers a button where the rule passes; the action runs the same rule
again under the issue's row lock, so a button is never offered that would only answer "not
permitted", and a page left open while someone else acted hears why it is now refused.

What a rule checks is the issue's state and the agency's part in it. What the user typed (a
reason, a date, the bodies chosen) is checked by the action itself, after the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency

from .. import permissions as perms
from ..models import (
    OPEN_ASSIGNMENT_STATES,
    OPEN_ISSUE_STATES,
    Assignment,
    AssignmentState,
    Comment,
    Extension,
    ExtensionState,
    HandlerRole,
    Issue,
    IssueState,
    Participant,
    PartyRole,
)
from .errors import ActionError, Conflict, NotPermitted

# An issue its handlers are still working on (nothing reported yet by all of them).
HANDLED_ISSUE_STATES = (IssueState.PUSHED, IssueState.IN_PROGRESS)
# 延期: a handler may ask for more time while it still owes the work, not after reporting.
EXTENDABLE_STATES = (AssignmentState.PENDING, AssignmentState.SIGNED)
# Urging presses a handler that still owes work; a report waiting for the initiator owes nothing.
URGEABLE_STATES = (AssignmentState.PENDING, AssignmentState.SIGNED, AssignmentState.AWAITING_APPROVAL)
# A report that has not been accepted or returned yet.
WITHDRAWABLE_REPORT_STATES = (AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED)
# Whose voice the issue's comments carry; copied bodies and former handlers read only.
COMMENTING_ROLES = {
    PartyRole.INITIATOR,
    PartyRole.LEAD,
    PartyRole.CO_HANDLER,
    PartyRole.SUPERVISOR,
    PartyRole.CONSULTEE,
}
_LIVE_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.ACCEPTED)


@dataclass
class Facts:
    """What the rules read about one agency on one issue, each fact read once and kept.

    The issue page asks about every button of every assignment; ``assignments`` (all the
    issue's, when the caller has them) saves it reading them again.
    """

    agency: Agency
    issue: Issue
    assignments: list[Assignment] | None = None
    _supervised: dict[int, bool] = field(default_factory=dict)

    @cached_property
    def held(self) -> set[str]:
        return perms.held_codenames(self.agency, self.issue)

    @cached_property
    def party_roles(self) -> set[str]:
        return set(
            Participant.objects.filter(issue=self.issue, agency=self.agency).values_list("role", flat=True)
        )

    @cached_property
    def all_assignments(self) -> list[Assignment]:
        if self.assignments is not None:
            return self.assignments
        return list(Assignment.objects.filter(issue=self.issue).select_related("agency"))

    @cached_property
    def live_assignments(self) -> list[Assignment]:
        return [a for a in self.all_assignments if a.state in _LIVE_STATES]

    @cached_property
    def rerouted(self) -> set[int]:
        """The assignments a transfer has already handed on (a declined one is re-routed once)."""
        return {a.transferred_from_id for a in self.all_assignments if a.transferred_from_id}

    @cached_property
    def asking(self) -> set[int]:
        """The assignments with an extension request waiting for the initiator's answer."""
        return set(
            Extension.objects.filter(issue=self.issue, state=ExtensionState.PENDING).values_list(
                "assignment_id", flat=True
            )
        )

    def supervises(self, handler: Agency) -> bool:
        """A supervisor urges only the handlers it supervises, not every handler of the issue."""
        if handler.pk not in self._supervised:
            self._supervised[handler.pk] = any(
                body.pk == self.agency.pk for body in perms.supervisors_of(handler)
            )
        return self._supervised[handler.pk]


@dataclass(frozen=True)
class Context:
    """One question to a rule: may ``agency`` act on ``issue`` (and this assignment or comment)?"""

    facts: Facts
    user: object = None
    assignment: Assignment | None = None
    comment: Comment | None = None

    @classmethod
    def of(cls, agency, issue, *, user=None, assignment=None, comment=None, assignments=None) -> Context:
        return cls(Facts(agency, issue, assignments), user, assignment, comment)

    def on(self, *, assignment=None, comment=None) -> Context:
        """The same agency and issue, asked about another assignment or comment."""
        return Context(self.facts, self.user, assignment, comment)

    @property
    def agency(self) -> Agency:
        return self.facts.agency

    @property
    def issue(self) -> Issue:
        return self.facts.issue

    def holds(self, codename: str) -> bool:
        return codename in self.facts.held

    def owns_assignment(self) -> bool:
        return self.assignment.agency_id == self.agency.pk


# --- the checks rules are made of ----------------------------------------------------------------


def _cannot(ctx: Context) -> NotPermitted:
    return NotPermitted(_("%(agency)s cannot do this on this issue.") % {"agency": ctx.agency})


def _require(ctx: Context, codename: str) -> None:
    if not ctx.holds(codename):
        raise _cannot(ctx)


def _require_handler(ctx: Context) -> None:
    """The agency must be handling the issue now.

    An agency that handled it until a moment ago (its assignment was transferred, declined or
    withdrawn, typically by a colleague at the same time) is told the issue changed under it, a
    Conflict, rather than that it has no business here.
    """
    if ctx.holds(perms.HANDLE):
        return
    if PartyRole.FORMER_HANDLER in ctx.facts.party_roles:
        raise Conflict(
            _(
                "%(agency)s no longer handles this issue: its assignment was transferred, declined or "
                "withdrawn. Refresh the page to see what changed."
            )
            % {"agency": ctx.agency}
        )
    raise _cannot(ctx)


def _require_issue_state(ctx: Context, *states: str) -> None:
    if ctx.issue.state not in states:
        raise Conflict(
            _("This issue is now “%(state)s”; refresh the page to see what changed.")
            % {"state": ctx.issue.get_state_display()}
        )


def _require_own_assignment(ctx: Context) -> None:
    if not ctx.owns_assignment():
        raise NotPermitted(_("Only the handler it was assigned to can do this."))


def _handling_own(ctx: Context, *issue_states: str) -> None:
    """The shared opening of a handler's rule: handling, the issue in ``issue_states``, its own."""
    _require_handler(ctx)
    _require_issue_state(ctx, *issue_states)
    _require_own_assignment(ctx)


def _require_voice(ctx: Context) -> None:
    roles = ctx.facts.party_roles
    if not roles:
        raise NotPermitted(_("%(agency)s is not a party to this issue.") % {"agency": ctx.agency})
    if not roles & COMMENTING_ROLES:
        raise NotPermitted(_("%(agency)s follows this issue read-only.") % {"agency": ctx.agency})


# --- one rule per action -------------------------------------------------------------------------


def may_sign(ctx: Context) -> None:
    _handling_own(ctx, *HANDLED_ISSUE_STATES)
    if ctx.assignment.state != AssignmentState.PENDING:
        raise Conflict(_("This assignment has already been signed for or has ended."))


def may_decline(ctx: Context) -> None:
    _handling_own(ctx, *HANDLED_ISSUE_STATES)
    if ctx.assignment.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        raise Conflict(_("Only an assignment that is still open can be declined."))


def may_transfer(ctx: Context) -> None:
    """The handler transfers its own open assignment; the initiator re-routes any open or
    declined one, a declined one once."""
    _require_issue_state(ctx, *OPEN_ISSUE_STATES)
    by_initiator = ctx.holds(perms.MANAGE)
    by_handler = ctx.owns_assignment() and ctx.holds(perms.HANDLE)
    if not (by_initiator or by_handler):
        if ctx.owns_assignment():
            _require_handler(ctx)  # a Conflict if it handled this a moment ago
        raise NotPermitted(_("Only the handler or the initiator can transfer this assignment."))
    if ctx.assignment.state == AssignmentState.DECLINED:
        if not by_initiator or ctx.assignment.pk in ctx.facts.rerouted:
            raise Conflict(_("This declined assignment has already been re-routed."))
    elif ctx.assignment.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        raise Conflict(_("Only an open assignment can be transferred."))


def leading_assignment(ctx: Context) -> Assignment | None:
    """The agency's own live lead assignment on the issue, if it has one."""
    return next(
        (
            a
            for a in ctx.facts.live_assignments
            if a.agency_id == ctx.agency.pk and a.role == HandlerRole.LEAD
        ),
        None,
    )


def may_assign(ctx: Context) -> None:
    _require_handler(ctx)
    _require_issue_state(ctx, *HANDLED_ISSUE_STATES)
    lead = leading_assignment(ctx)
    if lead is None:
        raise NotPermitted(_("Only the lead handler, while handling, can assign co-handlers."))
    if lead.state not in (AssignmentState.PENDING, AssignmentState.SIGNED):
        # Our own work moved on (reported, waiting for approval): a stale page, not a stranger.
        raise Conflict(_("Only the lead handler, while handling, can assign co-handlers."))


def may_report(ctx: Context) -> None:
    _handling_own(ctx, IssueState.IN_PROGRESS)
    if ctx.assignment.state != AssignmentState.SIGNED:
        raise Conflict(_("Only an assignment being handled can be reported."))


def may_approve_report(ctx: Context) -> None:
    _handling_own(ctx, IssueState.IN_PROGRESS)
    if ctx.assignment.state != AssignmentState.AWAITING_APPROVAL:
        raise Conflict(_("This report is not waiting for approval."))


def may_review_report(ctx: Context) -> None:
    """The initiator accepts a handler's report or sends it back."""
    _require(ctx, perms.MANAGE)
    _require_issue_state(ctx, IssueState.IN_PROGRESS, IssueState.REPORTED)
    if ctx.assignment.state != AssignmentState.REPORTED:
        raise Conflict(_("This handler's report is not waiting for verification."))


def may_withdraw_report(ctx: Context) -> None:
    """Before the verifying agency has read it (issues.workflow.corrections)."""
    _handling_own(ctx, IssueState.IN_PROGRESS, IssueState.REPORTED)
    assignment = ctx.assignment
    if assignment.state not in WITHDRAWABLE_REPORT_STATES:
        raise Conflict(_("Only a report that has not been accepted or returned can be withdrawn."))
    if assignment.report_read_at is not None:
        raise Conflict(report_read_already(ctx.issue, assignment))


def report_read_already(issue: Issue, assignment: Assignment) -> str:
    return _(
        "%(initiator)s read this report at %(time)s, so it can no longer be withdrawn; ask them to "
        "send it back if it must change."
    ) % {
        "initiator": issue.initiator,
        "time": timezone.localtime(assignment.report_read_at).strftime("%Y-%m-%d %H:%M"),
    }


def may_close(ctx: Context) -> None:
    _require(ctx, perms.MANAGE)
    _require_issue_state(ctx, IssueState.REPORTED)
    live = ctx.facts.live_assignments
    if not live or any(a.state != AssignmentState.ACCEPTED for a in live):
        raise ActionError(_("Every handler's report must be accepted before the issue is closed."))


def may_withdraw(ctx: Context) -> None:
    _require(ctx, perms.MANAGE)
    _require_issue_state(ctx, IssueState.DRAFT, *OPEN_ISSUE_STATES)


def may_reopen(ctx: Context) -> None:
    """The initiator, or the commission in re-supervision (再监督)."""
    if not (ctx.holds(perms.MANAGE) or (ctx.agency.is_commission and ctx.holds(perms.SUPERVISE))):
        raise NotPermitted(_("Only the initiator or the discipline commission can reopen an issue."))
    _require_issue_state(ctx, IssueState.CLOSED)


def may_copy(ctx: Context) -> None:
    """The initiator or a handler; copied bodies follow read-only, former handlers no longer act."""
    if not (ctx.holds(perms.MANAGE) or ctx.holds(perms.HANDLE)):
        raise NotPermitted(_("Only the initiator or a handler can copy this issue."))
    _require_issue_state(ctx, *OPEN_ISSUE_STATES)


def may_consult(ctx: Context) -> None:
    """The initiator, a handler or a supervisor; consultees answer what they were asked."""
    if not any(ctx.holds(codename) for codename in (perms.MANAGE, perms.HANDLE, perms.SUPERVISE)):
        raise NotPermitted(_("Only the initiator, a handler or a supervisor can consult on this issue."))
    _require_issue_state(ctx, *OPEN_ISSUE_STATES)


def may_urge(ctx: Context) -> None:
    """A supervisor urges the handlers it supervises: a stationed group the departments it is
    stationed at, a commission those of its jurisdiction. Being a supervisor of the issue (for
    another handler) is not enough."""
    if PartyRole.FORMER_SUPERVISOR in ctx.facts.party_roles and not ctx.holds(perms.SUPERVISE):
        raise Conflict(
            _(
                "None of the departments %(agency)s supervises handles this issue any more. Refresh the "
                "page to see what changed."
            )
            % {"agency": ctx.agency}
        )
    _require(ctx, perms.SUPERVISE)
    _require_issue_state(ctx, *HANDLED_ISSUE_STATES)
    if not ctx.facts.supervises(ctx.assignment.agency):
        raise NotPermitted(_("%(agency)s does not supervise this handler.") % {"agency": ctx.agency})
    _require_urgeable_assignment(ctx)


def may_auto_urge(ctx: Context) -> None:
    """A deadline rule urges a handler that still owes work; no agency acts (ctx names none)."""
    _require_issue_state(ctx, *HANDLED_ISSUE_STATES)
    _require_urgeable_assignment(ctx)


def _require_urgeable_assignment(ctx: Context) -> None:
    if ctx.assignment.state not in URGEABLE_STATES:
        raise Conflict(_("Only an assignment still being worked on can be urged."))


def may_comment(ctx: Context) -> None:
    _require_voice(ctx)


def may_request_extension(ctx: Context) -> None:
    _handling_own(ctx, *HANDLED_ISSUE_STATES)
    if ctx.assignment.state not in EXTENDABLE_STATES:
        raise Conflict(_("Only an assignment still being handled can ask for more time."))
    if ctx.assignment.pk in ctx.facts.asking:
        raise Conflict(_("An extension request is already waiting for the initiator's answer."))


def _answering_extension(ctx: Context) -> None:
    _require(ctx, perms.MANAGE)
    _require_issue_state(ctx, *HANDLED_ISSUE_STATES)
    if ctx.assignment.pk not in ctx.facts.asking:
        raise Conflict(_("No extension request is waiting on this assignment; refresh the page."))


def may_grant_extension(ctx: Context) -> None:
    _answering_extension(ctx)
    if ctx.assignment.state not in EXTENDABLE_STATES:
        raise Conflict(_("This assignment is no longer being handled; refresh the page."))


def may_refuse_extension(ctx: Context) -> None:
    _answering_extension(ctx)


def may_correct_comment(ctx: Context) -> None:
    """Only its author, for the agency it was written for, while the agency still has a voice
    on the issue (as for ``comment``): in every state of the issue."""
    comment = ctx.comment
    if comment.author_id != getattr(ctx.user, "pk", None) or comment.agency_id != ctx.agency.pk:
        raise NotPermitted(_("Only its author can correct a comment."))
    if comment.withdrawn_at is not None:
        raise Conflict(_("This comment has been withdrawn already; refresh the page."))
    if not ctx.facts.party_roles & COMMENTING_ROLES:
        raise NotPermitted(_("%(agency)s follows this issue read-only.") % {"agency": ctx.agency})

"""The workflow catalogue: every action on an issue, one entry each, and nothing about an action
anywhere else.

An entry says who may take the action (the member's role in the acting agency), when (its rule,
in ``rules``), what the issue page shows for it (the button's label, form and style, and the
message after it succeeded), how the issue record reads it (the timeline's phrase and icon) and
who hears of it (its notices, in ``audiences``). The buttons, the action view, the permissions,
the timeline and the notifications all read the entry; the action's function (in one of this
package's modules, marked ``@performs``) runs the same rule under the issue's lock.

Adding an action: add its name to ``Action``, its entry to ``SPECS``, and one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agencies.models import Role
from notifications.models import NotificationKind as Kind

from ..models import AssignmentState
from . import audiences as hear
from . import forms, rules
from .audiences import Notice
from .errors import ActionError

STAFF, LEADER, LIAISON = Role.STAFF, Role.LEADER, Role.LIAISON


class Action(models.TextChoices):
    """An action's name (as the issue record stores it) and its button's label."""

    PUSH = "push", _("Push")
    SIGN = "sign", _("Sign for")
    DECLINE = "decline", _("Decline")
    TRANSFER = "transfer", _("Transfer")
    ASSIGN = "assign", _("Assign co-handlers")
    REPORT = "report", _("Report back")
    APPROVE_REPORT = "approve_report", _("Approve the report")
    ACCEPT_REPORT = "accept_report", _("Accept the report")
    REJECT_REPORT = "reject_report", _("Send back for more work")
    CLOSE = "close", _("Verify and close")
    WITHDRAW = "withdraw", _("Withdraw")
    REOPEN = "reopen", _("Reopen")
    COPY = "copy", _("Copy to")
    CONSULT = "consult", _("Consult")
    URGE = "urge", _("Urge")
    COMMENT = "comment", _("Comment")
    REQUEST_EXTENSION = "request_extension", _("Ask for more time")
    GRANT_EXTENSION = "grant_extension", _("Grant the extension")
    REFUSE_EXTENSION = "refuse_extension", _("Refuse the extension")
    WITHDRAW_REPORT = "withdraw_report", _("Withdraw the report")
    AMEND_COMMENT = "amend_comment", _("Amend")
    WITHDRAW_COMMENT = "withdraw_comment", _("Withdraw")
    # Taken by the portal, never offered as a button: no label is ever shown.
    AUTO_URGE = "auto_urge"
    NOTE_REPORT_READ = "note_report_read"


class Target(models.TextChoices):
    """What a button acts on: the issue as a whole, one of its assignments, or one comment."""

    NONE = "none"  # push makes the issue; the portal's own actions have no button
    ISSUE = "issue"
    ASSIGNMENT = "assignment"
    COMMENT = "comment"


@dataclass(frozen=True)
class Spec:
    action: Action
    roles: frozenset[str]  # the member roles in the acting agency that may take it
    rule: Callable[[rules.Context], None] | None  # raises the refusal; None: the role is enough
    target: Target = Target.ISSUE
    form: type[forms.ActionForm] | None = None
    fields: tuple[str, ...] = ()  # form fields passed on to the function under the same name
    style: str = "outline-secondary"
    done: str = ""  # the message shown after it succeeds
    phrase: str = ""  # how the issue record reads it: "<actor> signed for it"
    icon: str = "dot"  # bootstrap-icons name on the timeline
    notices: tuple[Notice, ...] = ()

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def label(self) -> str:
        return self.action.label

    def may(self, role: str | None) -> bool:
        return role in self.roles

    def require(self, ctx: rules.Context) -> None:
        """Raise the refusal the user reads if the action may not be taken now."""
        if self.rule is not None:
            self.rule(ctx)

    def allowed(self, ctx: rules.Context) -> bool:
        try:
            self.require(ctx)
        except ActionError:
            return False
        return True


ASSIGNED = gettext_noop("%(agency)s assigned issue %(number)s “%(title)s” to your agency.")
COPIED = gettext_noop("%(agency)s copied issue %(number)s “%(title)s” to your agency.")
REPORTED = gettext_noop("%(agency)s reported on issue %(number)s “%(title)s”.")
EVERY_ROLE = frozenset(Role)
ON_ASSIGNMENT, ON_COMMENT = Target.ASSIGNMENT, Target.COMMENT

SPECS: dict[str, Spec] = {
    spec.action: spec
    for spec in [
        # In the order the issue page shows the buttons: per assignment, then on the issue.
        Spec(
            Action.PUSH,
            frozenset({STAFF, LEADER}),
            None,
            Target.NONE,
            phrase=_("pushed the issue"),
            icon="send",
            notices=(
                Notice(hear.pushed_handlers, Kind.ASSIGNED, ASSIGNED),
                Notice(hear.listed("copied"), Kind.COPIED, COPIED),
            ),
        ),
        Spec(
            Action.SIGN,
            frozenset({STAFF, LEADER}),
            rules.may_sign,
            ON_ASSIGNMENT,
            forms.ActionForm,
            style="primary",
            done=_("Signed for. The issue is now on your “Handling” tab."),
            phrase=_("signed for it"),
            icon="pen",
        ),
        Spec(
            Action.DECLINE,
            frozenset({STAFF, LEADER}),
            rules.may_decline,
            ON_ASSIGNMENT,
            forms.DeclineForm,
            ("reason", "suggested"),
            style="outline-danger",
            done=_("Declined and sent back to the initiator."),
            phrase=_("declined it"),
            icon="arrow-return-left",
            notices=(
                Notice(
                    hear.initiator_and_assigner, Kind.DECLINED,
                    gettext_noop("%(agency)s declined issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.REPORT,
            frozenset({STAFF, LEADER}),
            rules.may_report,
            ON_ASSIGNMENT,
            forms.ReportForm,
            ("text", "attachments"),
            style="primary",
            done=_("Report saved."),
            phrase=_("reported back"),
            icon="file-earmark-text",
            notices=(Notice(hear.report_readers, Kind.REPORTED, REPORTED),),
        ),
        Spec(
            Action.APPROVE_REPORT,
            frozenset({LEADER}),
            rules.may_approve_report,
            ON_ASSIGNMENT,
            forms.ActionForm,
            style="primary",
            done=_("Report approved and sent to the initiator."),
            phrase=_("approved the report"),
            icon="check2-square",
            notices=(Notice(hear.report_readers, Kind.REPORTED, REPORTED),),
        ),
        # A correction: whoever could write the report may take it back before it is read.
        Spec(
            Action.WITHDRAW_REPORT,
            frozenset({STAFF, LEADER}),
            rules.may_withdraw_report,
            ON_ASSIGNMENT,
            forms.ReasonForm,
            ("reason",),
            style="outline-danger",
            done=_("Report withdrawn; the assignment is being handled again."),
            phrase=_("withdrew the report"),
            icon="file-earmark-x",
            # Only a report that had gone out was heard of; one still waiting for its leader was not.
            notices=(
                Notice(
                    hear.withdrawn_report_readers, Kind.WITHDRAWN,
                    gettext_noop(
                        "%(agency)s withdrew its report on issue %(number)s “%(title)s” to work on it again."
                    ),
                ),
            ),
        ),
        Spec(
            Action.TRANSFER,
            frozenset({LEADER}),
            rules.may_transfer,
            ON_ASSIGNMENT,
            forms.TransferForm,
            ("to", "reason"),
            done=_("Transferred."),
            phrase=_("transferred it"),
            icon="arrow-left-right",
            notices=(
                Notice(
                    hear.related, Kind.TRANSFERRED,
                    gettext_noop("%(agency)s transferred issue %(number)s “%(title)s” to your agency."),
                ),
                Notice(
                    hear.transfer_onlookers, Kind.TRANSFERRED,
                    gettext_noop("%(agency)s transferred issue %(number)s “%(title)s” to %(related)s."),
                ),
            ),
        ),
        Spec(
            Action.ACCEPT_REPORT,
            frozenset({STAFF, LEADER}),
            rules.may_review_report,
            ON_ASSIGNMENT,
            forms.ActionForm,
            style="success",
            done=_("Report accepted."),
            phrase=_("accepted the report"),
            icon="check2-circle",
            notices=(
                Notice(
                    hear.handler, Kind.ACCEPTED,
                    gettext_noop("%(agency)s accepted your agency's report on issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.REJECT_REPORT,
            frozenset({STAFF, LEADER}),
            rules.may_review_report,
            ON_ASSIGNMENT,
            forms.ReasonForm,
            ("reason",),
            style="outline-danger",
            done=_("Report sent back to the handler."),
            phrase=_("sent the report back"),
            icon="arrow-counterclockwise",
            notices=(
                Notice(
                    hear.handler, Kind.RETURNED,
                    gettext_noop("%(agency)s returned your agency's report on issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.REQUEST_EXTENSION,
            frozenset({STAFF, LEADER}),
            rules.may_request_extension,
            ON_ASSIGNMENT,
            forms.ExtensionRequestForm,
            ("reason", "deadline"),
            done=_("Extension requested; the initiator will answer."),
            phrase=_("asked for more time"),
            icon="hourglass-split",
            notices=(
                Notice(
                    hear.initiator, Kind.EXTENSION,
                    gettext_noop(
                        "%(agency)s asks for more time on issue %(number)s “%(title)s”, until "
                        "%(proposed_deadline)s."
                    ),
                ),
            ),
        ),
        Spec(
            Action.GRANT_EXTENSION,
            frozenset({STAFF, LEADER}),
            rules.may_grant_extension,
            ON_ASSIGNMENT,
            forms.GrantExtensionForm,
            ("deadline",),
            style="outline-success",
            done=_("Extension granted; the handler's deadline has moved."),
            phrase=_("granted more time"),
            icon="calendar-check",
            notices=(
                Notice(
                    hear.handler, Kind.EXTENSION_GRANTED,
                    gettext_noop(
                        "%(agency)s extended your agency's deadline on issue %(number)s “%(title)s” "
                        "to %(granted_deadline)s."
                    ),
                ),
            ),
        ),
        Spec(
            Action.REFUSE_EXTENSION,
            frozenset({STAFF, LEADER}),
            rules.may_refuse_extension,
            ON_ASSIGNMENT,
            forms.ReasonForm,
            ("reason",),
            style="outline-danger",
            done=_("Extension refused; the deadline stays."),
            phrase=_("refused more time"),
            icon="calendar-x",
            notices=(
                Notice(
                    hear.handler, Kind.EXTENSION_REFUSED,
                    gettext_noop(
                        "%(agency)s refused your agency's request for more time on issue %(number)s "
                        "“%(title)s”."
                    ),
                ),
            ),
        ),
        Spec(
            Action.URGE,
            frozenset({LEADER, LIAISON}),
            rules.may_urge,
            ON_ASSIGNMENT,
            forms.UrgeForm,
            ("text", "due_date"),
            style="outline-warning",
            done=_("Urge recorded; it shows on the handler's board."),
            phrase=_("urged the handler"),
            icon="alarm",
            notices=(
                Notice(
                    hear.related, Kind.URGED,
                    gettext_noop(
                        "%(agency)s urged your agency on issue %(number)s “%(title)s”: answer by "
                        "%(due_date)s."
                    ),
                ),
            ),
        ),
        Spec(
            Action.ASSIGN,
            frozenset({LEADER}),
            rules.may_assign,
            Target.ISSUE,
            forms.AssignForm,
            ("co_handlers", "deadline"),
            done=_("Co-handlers assigned."),
            phrase=_("assigned co-handlers"),
            icon="diagram-3",
            notices=(Notice(hear.listed("co_handlers"), Kind.ASSIGNED, ASSIGNED),),
        ),
        Spec(
            Action.COPY,
            frozenset({STAFF, LEADER}),
            rules.may_copy,
            Target.ISSUE,
            forms.BodiesForm,
            ("bodies",),
            done=_("Copied."),
            phrase=_("copied it to other bodies"),
            icon="people",
            notices=(Notice(hear.listed("copied"), Kind.COPIED, COPIED),),
        ),
        Spec(
            Action.CONSULT,
            frozenset({STAFF, LEADER, LIAISON}),
            rules.may_consult,
            Target.ISSUE,
            forms.ConsultForm,
            ("bodies", "question"),
            done=_("Consultees invited."),
            phrase=_("invited bodies to consult"),
            icon="chat-square-text",
            notices=(
                Notice(
                    hear.listed("consultee"), Kind.CONSULTED,
                    gettext_noop("%(agency)s asks your agency's opinion on issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.CLOSE,
            frozenset({STAFF, LEADER}),
            rules.may_close,
            Target.ISSUE,
            forms.CloseForm,
            ("summary",),
            style="success",
            done=_("The issue is closed."),
            phrase=_("verified and closed the issue"),
            icon="archive",
            notices=(
                Notice(
                    hear.handlers_in(AssignmentState.ACCEPTED), Kind.CLOSED,
                    gettext_noop("%(agency)s closed issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.WITHDRAW,
            frozenset({LEADER}),
            rules.may_withdraw,
            Target.ISSUE,
            forms.ReasonForm,
            ("reason",),
            style="outline-danger",
            done=_("The issue is withdrawn."),
            phrase=_("withdrew the issue"),
            icon="x-circle",
            notices=(
                Notice(
                    hear.handlers_in(AssignmentState.WITHDRAWN), Kind.WITHDRAWN,
                    gettext_noop("%(agency)s withdrew issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.REOPEN,
            frozenset({LEADER}),
            rules.may_reopen,
            Target.ISSUE,
            forms.ReopenForm,
            ("reason", "deadline"),
            style="outline-danger",
            done=_("The issue is open again."),
            phrase=_("reopened the issue"),
            icon="arrow-repeat",
            notices=(
                Notice(
                    hear.reopen_readers, Kind.REOPENED,
                    gettext_noop("%(agency)s reopened issue %(number)s “%(title)s”."),
                ),
            ),
        ),
        Spec(
            Action.COMMENT,
            frozenset({STAFF, LEADER, LIAISON}),
            rules.may_comment,
            Target.ISSUE,
            forms.CommentForm,
            ("text",),
            done=_("Comment added."),
            phrase=_("commented"),
            icon="chat-left-text",
        ),
        # Corrections of comments: whoever could write the comment may take it back. Amended
        # and withdrawn comments notify nobody: comments never did.
        Spec(
            Action.AMEND_COMMENT,
            frozenset({STAFF, LEADER, LIAISON}),
            rules.may_correct_comment,
            ON_COMMENT,
            forms.AmendCommentForm,
            ("text",),
            style="link",
            done=_("Comment amended; the issue record keeps the earlier text."),
            phrase=_("amended a comment"),
            icon="pencil",
        ),
        Spec(
            Action.WITHDRAW_COMMENT,
            frozenset({STAFF, LEADER, LIAISON}),
            rules.may_correct_comment,
            ON_COMMENT,
            forms.WithdrawCommentForm,
            ("reason",),
            style="link",
            done=_("Comment withdrawn; the issue record keeps what it said."),
            phrase=_("withdrew a comment"),
            icon="chat-left-dots",
        ),
        # A deadline rule urges (issues.deadlines.reminders); no person acts as one. Its event
        # is an urge on the issue record, read by the urge's phrase.
        Spec(Action.AUTO_URGE, frozenset(), rules.may_auto_urge, Target.NONE),
        # Opening the issue page as the verifying agency marks its waiting reports read (any
        # member); not a step of the work, so not on the record.
        Spec(Action.NOTE_REPORT_READ, EVERY_ROLE, None, Target.NONE),
    ]
}

_FUNCTIONS: dict[str, Callable] = {}


def performs(action: Action) -> Callable[[Callable], Callable]:
    """Mark the function that takes ``action``: the catalogue dispatches to it."""

    def register(function: Callable) -> Callable:
        assert action not in _FUNCTIONS, f"{action} is taken by two functions"
        _FUNCTIONS[action] = function
        return function

    return register


def perform(action: str, **arguments):
    """Take ``action`` through its function (the issue page's buttons come here)."""
    return _FUNCTIONS[action](**arguments)


def spec(action: str) -> Spec | None:
    """The entry of ``action``, or None for a name that is not an action (a URL typed by hand)."""
    return SPECS.get(action)


def may(role: str | None, action: Action) -> bool:
    return SPECS[action].may(role)

"""The issue page's buttons: for each action, its label, its form and how the form maps onto the
keyword arguments of the function in ``issues.actions`` of the same name."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    form: type[forms.ActionForm]
    fields: tuple[str, ...] = ()  # form fields passed on under the same name
    on_assignment: bool = False
    on_comment: bool = False  # the form names the comment it corrects
    style: str = "outline-secondary"
    done: str = ""  # the message shown after it succeeds


SPECS = {
    spec.name: spec
    for spec in [
        ActionSpec(
            "sign",
            _("Sign for"),
            forms.ActionForm,
            on_assignment=True,
            style="primary",
            done=_("Signed for. The issue is now on your “Handling” tab."),
        ),
        ActionSpec(
            "decline",
            _("Decline"),
            forms.DeclineForm,
            ("reason", "suggested"),
            on_assignment=True,
            style="outline-danger",
            done=_("Declined and sent back to the initiator."),
        ),
        ActionSpec(
            "transfer",
            _("Transfer"),
            forms.TransferForm,
            ("to", "reason"),
            on_assignment=True,
            done=_("Transferred."),
        ),
        ActionSpec(
            "report",
            _("Report back"),
            forms.ReportForm,
            ("text", "attachments"),
            on_assignment=True,
            style="primary",
            done=_("Report saved."),
        ),
        ActionSpec(
            "approve_report",
            _("Approve the report"),
            forms.ActionForm,
            on_assignment=True,
            style="primary",
            done=_("Report approved and sent to the initiator."),
        ),
        ActionSpec(
            "accept_report",
            _("Accept the report"),
            forms.ActionForm,
            on_assignment=True,
            style="success",
            done=_("Report accepted."),
        ),
        ActionSpec(
            "reject_report",
            _("Send back for more work"),
            forms.ReasonForm,
            ("reason",),
            on_assignment=True,
            style="outline-danger",
            done=_("Report sent back to the handler."),
        ),
        ActionSpec(
            "urge",
            _("Urge"),
            forms.UrgeForm,
            ("text", "due_date"),
            on_assignment=True,
            style="outline-warning",
            done=_("Urge recorded; it shows on the handler's board."),
        ),
        ActionSpec(
            "request_extension",
            _("Ask for more time"),
            forms.ExtensionRequestForm,
            ("reason", "deadline"),
            on_assignment=True,
            done=_("Extension requested; the initiator will answer."),
        ),
        ActionSpec(
            "grant_extension",
            _("Grant the extension"),
            forms.GrantExtensionForm,
            ("deadline",),
            on_assignment=True,
            style="outline-success",
            done=_("Extension granted; the handler's deadline has moved."),
        ),
        ActionSpec(
            "refuse_extension",
            _("Refuse the extension"),
            forms.ReasonForm,
            ("reason",),
            on_assignment=True,
            style="outline-danger",
            done=_("Extension refused; the deadline stays."),
        ),
        ActionSpec(
            "assign",
            _("Assign co-handlers"),
            forms.AssignForm,
            ("co_handlers", "deadline"),
            done=_("Co-handlers assigned."),
        ),
        ActionSpec("copy", _("Copy to"), forms.BodiesForm, ("bodies",), done=_("Copied.")),
        ActionSpec(
            "consult", _("Consult"), forms.ConsultForm, ("bodies", "question"), done=_("Consultees invited.")
        ),
        ActionSpec(
            "close",
            _("Verify and close"),
            forms.CloseForm,
            ("summary",),
            style="success",
            done=_("The issue is closed."),
        ),
        ActionSpec(
            "withdraw",
            _("Withdraw"),
            forms.ReasonForm,
            ("reason",),
            style="outline-danger",
            done=_("The issue is withdrawn."),
        ),
        ActionSpec(
            "reopen",
            _("Reopen"),
            forms.ReopenForm,
            ("reason", "deadline"),
            style="outline-danger",
            done=_("The issue is open again."),
        ),
        ActionSpec("comment", _("Comment"), forms.CommentForm, ("text",), done=_("Comment added.")),
        ActionSpec(
            "withdraw_report",
            _("Withdraw the report"),
            forms.ReasonForm,
            ("reason",),
            on_assignment=True,
            style="outline-danger",
            done=_("Report withdrawn; the assignment is being handled again."),
        ),
        ActionSpec(
            "amend_comment",
            _("Amend"),
            forms.AmendCommentForm,
            ("text",),
            on_comment=True,
            style="link",
            done=_("Comment amended; the record keeps the earlier text."),
        ),
        ActionSpec(
            "withdraw_comment",
            _("Withdraw"),
            forms.WithdrawCommentForm,
            ("reason",),
            on_comment=True,
            style="link",
            done=_("Comment withdrawn; the record keeps what it said."),
        ),
    ]
}

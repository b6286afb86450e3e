"""Every change to an issue happens here, and nowhere else (DESIGN §5, Zulip's zerver/actions).

Each action: takes the acting user and the agency acted for keyword-only; locks the issue row;
checks that the agency is the right kind of party and that the user's role in it allows the
action; moves state with compare-and-set; writes one IssueEvent to the issue's hash chain;
updates parties and permissions; and registers the live event to be sent on commit. All of it
in one transaction: a failure anywhere leaves nothing half-written.

The actions are grouped by what they do: ``routing`` (push, sign, decline, transfer, assign),
``handling`` (report, approve, accept, reject, close, withdraw, reopen), ``supervision`` (copy,
consult, comment, urge, auto_urge), ``extensions`` and ``corrections`` (amend or withdraw a
comment, withdraw a report before it is read); ``common`` holds the steps they share.
Import them from here: ``from issues.actions import push``.
"""

from .common import ActionError, Actor, Conflict, NotPermitted
from .corrections import (
    WITHDRAWABLE_REPORT_STATES,
    amend_comment,
    note_report_read,
    withdraw_comment,
    withdraw_report,
)
from .extensions import EXTENDABLE_STATES, grant_extension, refuse_extension, request_extension
from .handling import accept_report, approve_report, close, reject_report, reopen, report, withdraw
from .routing import assign, decline, push, sign, transfer
from .supervision import COMMENTING_ROLES, URGEABLE_STATES, auto_urge, comment, consult, copy, urge

__all__ = [
    "COMMENTING_ROLES",
    "EXTENDABLE_STATES",
    "URGEABLE_STATES",
    "WITHDRAWABLE_REPORT_STATES",
    "ActionError",
    "Actor",
    "Conflict",
    "NotPermitted",
    "accept_report",
    "amend_comment",
    "approve_report",
    "assign",
    "auto_urge",
    "close",
    "comment",
    "consult",
    "copy",
    "decline",
    "grant_extension",
    "note_report_read",
    "push",
    "refuse_extension",
    "reject_report",
    "reopen",
    "report",
    "request_extension",
    "sign",
    "transfer",
    "urge",
    "withdraw",
    "withdraw_comment",
    "withdraw_report",
]

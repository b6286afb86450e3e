"""Every change to an issue happens here, and nowhere else (DESIGN §5, Zulip's zerver/actions).

``catalogue`` lists the actions, one entry each: who may take it, its rule (``rules``), its
button, its phrase on the issue record and its notices. Each action's function:

- takes the acting user and the agency acted for, keyword-only, and checks the member's role;
- locks the issue row and runs the action's rule, the one its button was offered by;
- checks what the user typed, moves state with compare-and-set, updates parties and permissions;
- appends one event to the issue record (``record.append``);
- then, by name: refreshes the ledger lines, queues the live message, writes the notices.

All of it in one transaction: a failure anywhere leaves nothing half-written.

The functions are grouped by what they do: ``routing`` (push, sign, decline, transfer, assign),
``handling`` (report, approve, accept, reject, close, withdraw, reopen), ``supervision`` (copy,
consult, comment, urge, auto_urge), ``extensions`` and ``corrections`` (amend or withdraw a
comment, withdraw a report before it is read); ``common`` holds the steps they share.
Import them from here: ``from issues.workflow import push``.
"""

from .catalogue import SPECS, Action
from .common import Actor
from .corrections import amend_comment, note_report_read, withdraw_comment, withdraw_report
from .errors import ActionError, Conflict, NotPermitted
from .extensions import grant_extension, refuse_extension, request_extension
from .handling import accept_report, approve_report, close, reject_report, reopen, report, withdraw
from .routing import assign, decline, push, sign, transfer
from .rules import COMMENTING_ROLES, EXTENDABLE_STATES, URGEABLE_STATES, WITHDRAWABLE_REPORT_STATES
from .supervision import auto_urge, comment, consult, copy, urge

__all__ = [
    "COMMENTING_ROLES",
    "EXTENDABLE_STATES",
    "SPECS",
    "URGEABLE_STATES",
    "WITHDRAWABLE_REPORT_STATES",
    "Action",
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

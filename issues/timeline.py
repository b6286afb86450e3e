"""How the record reads to people: one line per event, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .record import verify

ACTION_LABELS = {
    "push": _("pushed the issue"),
    "sign": _("signed for it"),
    "decline": _("declined it"),
    "transfer": _("transferred it"),
    "assign": _("assigned co-handlers"),
    "report": _("reported back"),
    "approve_report": _("approved the report"),
    "accept_report": _("accepted the report"),
    "reject_report": _("sent the report back"),
    "close": _("verified and closed the issue"),
    "withdraw": _("withdrew the issue"),
    "reopen": _("reopened the issue"),
    "copy": _("copied it to other bodies"),
    "consult": _("invited bodies to consult"),
    "urge": _("urged the handler"),
    "comment": _("commented"),
    "request_extension": _("asked for more time"),
    "grant_extension": _("granted more time"),
    "refuse_extension": _("refused more time"),
    "withdraw_report": _("withdrew the report"),
    "amend_comment": _("amended a comment"),
    "withdraw_comment": _("withdrew a comment"),
}

# Which icon (bootstrap-icons) marks each kind of step on the timeline.
ACTION_ICONS = {
    "push": "send",
    "sign": "pen",
    "decline": "arrow-return-left",
    "transfer": "arrow-left-right",
    "assign": "diagram-3",
    "report": "file-earmark-text",
    "approve_report": "check2-square",
    "accept_report": "check2-circle",
    "reject_report": "arrow-counterclockwise",
    "close": "archive",
    "withdraw": "x-circle",
    "reopen": "arrow-repeat",
    "copy": "people",
    "consult": "chat-square-text",
    "urge": "alarm",
    "comment": "chat-left-text",
    "request_extension": "hourglass-split",
    "grant_extension": "calendar-check",
    "refuse_extension": "calendar-x",
    "withdraw_report": "file-earmark-x",
    "amend_comment": "pencil",
    "withdraw_comment": "chat-left-dots",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def timeline(issue):
    """The issue's events, oldest first, each with its label and icon, and whether the chain holds."""
    events = list(
        issue.events.select_related("agency", "related_agency", "assignment__agency").order_by("seq")
    )
    for event in events:
        event.label = action_label(event.action)
        event.icon = ACTION_ICONS.get(event.action, "dot")
    broken = verify(events)
    # A chain that ends before the head the issue remembers has lost its tail.
    if broken is None and issue.event_count and (not events or events[-1].hash != issue.record_head):
        holds = False
    else:
        holds = broken is None
    return events, holds

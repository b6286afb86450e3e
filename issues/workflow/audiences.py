"""Who hears of an event on an issue: each action's notices, in its catalogue entry, name the
agencies that hear with one of these functions.

A function reads the recorded event alone, as it stands when the action has recorded it, and
returns the ids of the agencies that hear. ``issues.workflow.notices`` writes the notifications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..models import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentState


@dataclass(frozen=True)
class Notice:
    hears: Callable[[object], Iterable[int | None]]  # the event → the ids of the agencies that hear
    kind: str
    text: str  # a gettext_noop source, filled with the event's number, title, agencies and dates


# --- who hears -----------------------------------------------------------------------------------


def initiator(event) -> list[int]:
    return [event.issue.initiator_id]


def related(event) -> list[int | None]:
    return [event.related_agency_id]


def handler(event) -> list[int]:
    """The handler whose assignment the event is about."""
    return [event.assignment.agency_id]


def listed(key: str) -> Callable:
    """The agencies the event's ``after`` lists under ``key`` (those just added)."""
    return lambda event: event.after.get(key) or []


def pushed_handlers(event) -> list[int]:
    return [event.after["lead"], *event.after.get("co_handlers", [])]


def handlers_in(*states: str) -> Callable:
    """The handlers of the issue's assignments now in ``states`` (those the action just moved)."""

    def hears(event):
        return Assignment.objects.filter(issue_id=event.issue_id, state__in=states).values_list(
            "agency_id", flat=True
        )

    return hears


def transfer_onlookers(event) -> list[int]:
    """The initiator, and the handler the assignment was taken from (unless it had declined it)."""
    heard = initiator(event)
    if event.before.get("state") != AssignmentState.DECLINED:
        heard.append(event.before.get("agency"))
    return heard


def initiator_and_assigner(event) -> list[int]:
    """Who waits on a handler: the initiator, and the body that assigned it the work (a lead,
    for its co-handlers)."""
    return [event.issue.initiator_id, event.assignment.assigned_by_id]


def report_readers(event) -> list[int]:
    # A report still waiting for its leader's approval has not gone out yet.
    if event.after.get("state") != AssignmentState.REPORTED:
        return []
    return initiator_and_assigner(event)


def withdrawn_report_readers(event) -> list[int]:
    if event.before.get("state") != AssignmentState.REPORTED:
        return []
    return initiator_and_assigner(event)


def reopen_readers(event) -> list[int]:
    # The commission may reopen (re-supervision): then the initiator hears too.
    return [*initiator(event), *handlers_in(*OPEN_ASSIGNMENT_STATES)(event)]

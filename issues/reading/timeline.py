"""How the issue record reads to people: one line per event, in the reader's language, with the
phrase and icon of its action's catalogue entry."""

from __future__ import annotations

from ..workflow import catalogue
from ..workflow.record import verify


def timeline(issue):
    """The issue's events, oldest first, each with its label and icon, and whether the chain holds."""
    events = list(
        issue.events.select_related("agency", "related_agency", "assignment__agency").order_by("seq")
    )
    for event in events:
        spec = catalogue.spec(event.action)  # an unknown name reads as itself
        event.label = spec.phrase if spec is not None and spec.phrase else event.action
        event.icon = spec.icon if spec is not None else "dot"
    broken = verify(events)
    # A chain that ends before the head the issue remembers has lost its tail.
    if broken is None and issue.event_count and (not events or events[-1].hash != issue.record_head):
        holds = False
    else:
        holds = broken is None
    return events, holds

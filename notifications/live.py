"""Sending board events to the parties' open pages (DESIGN §6). Called on commit by the actions."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def agency_group(agency_id: int) -> str:
    return f"agency.{agency_id}"


def issue_group(issue_id: int) -> str:
    return f"issue.{issue_id}"


def publish_issue_event(event_id: int) -> None:
    from issues.models import IssueEvent, Participant

    event = IssueEvent.objects.filter(pk=event_id).values("issue_id", "action", "seq").first()
    if event is None:
        return
    layer = get_channel_layer()
    message = {
        "type": "issue.changed",
        "issue": event["issue_id"],
        "action": event["action"],
        "seq": event["seq"],
    }
    agency_ids = set(
        Participant.objects.filter(issue_id=event["issue_id"]).values_list("agency_id", flat=True)
    )
    groups = [agency_group(agency_id) for agency_id in agency_ids] + [issue_group(event["issue_id"])]
    send_all(layer, [(group, message) for group in groups])


def send_all(layer, messages: list[tuple[str, dict]]) -> None:
    """Send each (group, message) in order, in one event loop: ``async_to_sync`` starts a thread
    per call, which costs more than the sends themselves when there are many."""
    if messages:
        async_to_sync(_send_all)(layer, messages)


async def _send_all(layer, messages: list[tuple[str, dict]]) -> None:
    for group, message in messages:
        await layer.group_send(group, message)

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
    for agency_id in agency_ids:
        async_to_sync(layer.group_send)(agency_group(agency_id), message)
    async_to_sync(layer.group_send)(issue_group(event["issue_id"]), message)

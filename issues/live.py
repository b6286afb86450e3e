"""The board's live streams (DESIGN §6), registered with the live layer by ``IssuesConfig.ready``.

``issue.<id>`` is numbered by the issue record (``IssueEvent.seq``), so it needs no
numbering of the live layer's; every recorded event is also announced on the streams of the
issue's parties (``agency.<id>``), which the live layer numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from notifications.live import events, streams

from .models import Issue, IssueEvent, Participant
from .permissions import visible_issues


def may_read_issue(user_id: int, pk: int) -> bool:
    """A party that sees the issue, while an active user."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and visible_issues(user).filter(pk=pk).exists()


def position(pk: int) -> int:
    return Issue.objects.filter(pk=pk).values_list("event_count", flat=True).first() or 0


def replay(stream: str, pk: int, after: int, limit: int) -> list[events.IssueChanged]:
    rows = IssueEvent.objects.filter(issue_id=pk, seq__gt=after).order_by("seq").values_list("seq", "action")
    return [
        {"type": "issue.changed", "stream": stream, "seq": seq, "issue": pk, "action": action}
        for seq, action in rows[:limit]
    ]


def announce(event_ids: Iterable[int]) -> dict[int, list[streams.Announcement]]:
    """Each recorded event, to its issue's parties (numbered by the live layer) and to the
    issue's own stream (with the issue record's number)."""
    recorded = IssueEvent.objects.filter(pk__in=event_ids).values_list("pk", "issue_id", "action", "seq")
    recorded = list(recorded)
    parties: dict[int, set[int]] = {}
    issue_ids = {issue_id for _pk, issue_id, _action, _seq in recorded}
    for issue_id, agency_id in Participant.objects.filter(issue_id__in=issue_ids).values_list(
        "issue_id", "agency_id"
    ):
        parties.setdefault(issue_id, set()).add(agency_id)
    announced = {}
    for pk, issue_id, action, seq in recorded:
        payload = {"type": "issue.changed", "issue": issue_id, "action": action}
        party_agencies = sorted(parties.get(issue_id, ()))
        announced[pk] = [
            *((events.agency_stream(agency_id), payload, None) for agency_id in party_agencies),
            (events.issue_stream(issue_id), payload, seq),
        ]
    return announced


def register_streams() -> None:
    streams.register(
        events.ISSUE, may_read=may_read_issue, position=position, replay=replay, announce=announce
    )

"""The live layer's outbox: every committed action is numbered once into each party's stream.

The relay is called directly here (pytest-django's test transaction never commits, so on-commit
hooks would not run); what it sends is read back from the in-memory channel layer.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from issues import workflow
from notifications.live import events, outbox
from notifications.models import LiveEvent, LiveOutbox, LiveStream
from tests.factories import AgencyFactory, pushed_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    """What the relay sends is read back here in separate event loops, which channels-redis's
    per-loop queues do not allow; the cross-process path is tested on Redis in tests/services."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def listen(*groups: str):
    """A channel of the in-memory layer in ``groups``; returns a function that drains it."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    for group in groups:
        async_to_sync(layer.group_add)(group, channel)

    async def drain():
        received = []
        while True:
            try:
                received.append(await asyncio.wait_for(layer.receive(channel), timeout=0.05))
            except TimeoutError:
                return received

    return lambda: async_to_sync(drain)()


def numbers(stream: str) -> list[int]:
    return list(LiveEvent.objects.filter(stream=stream).order_by("seq").values_list("seq", flat=True))


def test_an_action_is_numbered_into_every_partys_stream(city_commission, pusher, our_agency, alice):
    received = listen(events.agency_stream(our_agency.pk), events.agency_stream(city_commission.pk))
    issue = pushed_issue(pusher, city_commission, our_agency)
    # Written by the action, in its transaction: one row per recorded event.
    assert LiveOutbox.objects.filter(issue_event__issue=issue).count() == 1

    outbox.relay()
    assert not LiveOutbox.objects.exists()
    for agency in (our_agency, city_commission):
        assert numbers(events.agency_stream(agency.pk)) == [1]
    messages = received()
    assert sorted(m["stream"] for m in messages) == sorted(
        [events.agency_stream(our_agency.pk), events.agency_stream(city_commission.pk)]
    )
    assert all(
        m == {**m, "type": "issue.changed", "seq": 1, "issue": issue.pk, "action": "push"} for m in messages
    )

    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=issue.assignments.get())
    outbox.relay()
    assert numbers(events.agency_stream(our_agency.pk)) == [1, 2]
    assert [m["action"] for m in received()] == ["sign", "sign"]
    assert LiveStream.objects.get(name=events.agency_stream(our_agency.pk)).seq == 2


def test_the_issue_stream_carries_the_records_own_numbers(city_commission, pusher, our_agency, alice):
    issue = pushed_issue(pusher, city_commission, our_agency)
    received = listen(events.issue_stream(issue.pk))
    outbox.relay()
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=issue.assignments.get())
    outbox.relay()
    assert [(m["seq"], m["action"]) for m in received()] == [(1, "push"), (2, "sign")]
    # Nothing is stored for it: the record is the stream.
    assert not LiveEvent.objects.filter(stream=events.issue_stream(issue.pk)).exists()


def test_a_refused_action_announces_nothing(city_commission, pusher, our_agency, other_agency, bob):
    issue = pushed_issue(pusher, city_commission, our_agency)
    outbox.relay()
    with pytest.raises(workflow.ActionError):
        workflow.sign(acting_user=bob, agency=other_agency, issue=issue, assignment=issue.assignments.get())
    assert not LiveOutbox.objects.exists()
    assert outbox.relay() == 0


def test_a_second_relay_sends_nothing_again(city_commission, pusher, our_agency):
    pushed_issue(pusher, city_commission, our_agency)
    received = listen(events.agency_stream(our_agency.pk))
    assert outbox.relay() >= 1
    assert outbox.relay() == 0
    assert len(received()) == 1


def test_an_unrelated_agency_hears_nothing(city_commission, pusher, our_agency, other_agency):
    received = listen(events.agency_stream(other_agency.pk))
    pushed_issue(pusher, city_commission, our_agency)
    outbox.relay()
    assert received() == []
    assert position_of(other_agency) == 0


def position_of(agency) -> int:
    return outbox.position(events.agency_stream(agency.pk))


def test_inbox_announcements_are_numbered_per_user(alice, bob):
    outbox.enqueue_inbox({alice.pk: 2, bob.pk: 0})
    outbox.enqueue_inbox({alice.pk: 1}, digest=True)
    received = listen(events.user_stream(alice.pk))
    outbox.relay()
    assert [(m["seq"], m["new"], m["digest"]) for m in received()] == [(1, 2, False), (2, 1, True)]
    assert outbox.position(events.user_stream(bob.pk)) == 0  # nothing new for bob: no message


def test_replay_gives_what_came_after_or_says_it_cannot(city_commission, pusher, our_agency, alice):
    stream = events.agency_stream(our_agency.pk)
    for n in range(3):
        pushed_issue(pusher, city_commission, our_agency, title=f"第{n}号")
    outbox.relay()
    assert [m["seq"] for m in outbox.replay(stream, 1)] == [2, 3]
    assert outbox.replay(stream, 3) == []
    assert outbox.replay(stream, 7) is None  # a number this stream never gave
    assert outbox.replay(stream, 0, limit=2) is None  # too far behind: reload instead

    later = timezone.now() + dt.timedelta(days=30)
    stored = LiveEvent.objects.count()
    assert outbox.prune(later) == stored
    assert not LiveEvent.objects.filter(stream=stream).exists()
    assert outbox.replay(stream, 1) is None  # pruned: the client reloads its live parts
    assert outbox.replay(stream, 3) == []  # up to date needs nothing


def test_prune_keeps_what_is_recent(city_commission, pusher, our_agency):
    pushed_issue(pusher, city_commission, our_agency)
    outbox.relay()
    assert outbox.prune() == 0
    assert numbers(events.agency_stream(our_agency.pk)) == [1]


def test_a_party_added_later_hears_the_later_actions(city_commission, pusher, our_agency, alice):
    copied = AgencyFactory(code="audit", name="审计局", name_en="Audit Bureau", region=our_agency.region)
    issue = pushed_issue(pusher, city_commission, our_agency)
    outbox.relay()
    workflow.copy(acting_user=pusher, agency=city_commission, issue=issue, bodies=[copied])
    outbox.relay()
    assert numbers(events.agency_stream(copied.pk)) == [1]
    assert LiveEvent.objects.get(stream=events.agency_stream(copied.pk)).payload["action"] == "copy"

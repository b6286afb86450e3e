"""The WebSocket conversation of DESIGN §6 through the whole ASGI stack, on the in-memory layer.

Actions run in Channels' database threads and commit (``transaction=True``), so their on-commit
relay really sends to the layer the consumer listens on.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from agencies.actions import remove_member
from agencies.models import Membership
from issues import workflow
from notifications.live import events, outbox
from portal.asgi import application
from tests.factories import pushed_issue

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(user) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application,
        "/ws/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", await session_cookie(user))],
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from())["type"] == "hello"
    return socket


async def subscribe(socket, streams: dict) -> list[dict]:
    """Subscribe and return everything received up to the last answer (replays come first)."""
    await socket.send_json_to({"type": "subscribe", "streams": streams})
    received, answered = [], 0
    while answered < len(streams):
        message = await socket.receive_json_from(timeout=5)
        received.append(message)
        answered += message["type"] in ("subscribed", "denied")
    return received


push = database_sync_to_async(pushed_issue)


@database_sync_to_async
def sign(user, agency, issue):
    workflow.sign(acting_user=user, agency=agency, issue=issue, assignment=issue.assignments.get())


async def test_a_party_hears_an_action_on_its_board_stream(alice, our_agency, city_commission, pusher):
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        assert await subscribe(socket, {stream: None}) == [{"type": "subscribed", "stream": stream, "seq": 0}]
        issue = await push(pusher, city_commission, our_agency)
        message = await socket.receive_json_from(timeout=5)
        assert message == {
            "type": "issue.changed",
            "stream": stream,
            "seq": 1,
            "issue": issue.pk,
            "action": "push",
        }
    finally:
        await socket.disconnect()


async def test_a_reconnecting_page_gets_what_it_missed_in_order(alice, our_agency, city_commission, pusher):
    first = await push(pusher, city_commission, our_agency, title="第一件")
    second = await push(pusher, city_commission, our_agency, title="第二件")
    await sign(alice, our_agency, first)
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        received = await subscribe(socket, {stream: 1})
        assert [(m["seq"], m.get("issue"), m.get("action")) for m in received] == [
            (2, second.pk, "push"),
            (3, first.pk, "sign"),
            (3, None, None),
        ]
        assert received[-1] == {"type": "subscribed", "stream": stream, "seq": 3}
    finally:
        await socket.disconnect()


async def test_streams_the_user_may_not_read_are_denied(
    alice, bob, our_agency, other_agency, city_commission, pusher
):
    hidden = await push(pusher, city_commission, other_agency)
    socket = await open_socket(alice)
    try:
        names = [
            events.agency_stream(other_agency.pk),
            events.user_stream(bob.pk),
            events.issue_stream(hidden.pk),
            "agency.x",
            "board",
        ]
        received = await subscribe(socket, dict.fromkeys(names))
        assert received == [{"type": "denied", "stream": name} for name in names]
        # And nothing of the hidden issue reaches her afterwards.
        await sign(bob, other_agency, hidden)
        assert await socket.receive_nothing(timeout=0.3)
    finally:
        await socket.disconnect()


async def test_an_issue_page_follows_the_record(alice, our_agency, city_commission, pusher):
    issue = await push(pusher, city_commission, our_agency)
    socket = await open_socket(alice)
    try:
        stream = events.issue_stream(issue.pk)
        assert await subscribe(socket, {stream: 1}) == [{"type": "subscribed", "stream": stream, "seq": 1}]
        await sign(alice, our_agency, issue)
        message = await socket.receive_json_from(timeout=5)
        assert (message["stream"], message["seq"], message["action"]) == (stream, 2, "sign")
    finally:
        await socket.disconnect()


async def test_access_is_checked_again_before_each_message(alice, our_agency, city_commission, pusher):
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        await subscribe(socket, {stream: None})
        membership = await Membership.objects.aget(user=alice, agency=our_agency)
        await database_sync_to_async(remove_member)(membership)
        await push(pusher, city_commission, our_agency)
        assert await socket.receive_json_from(timeout=5) == {"type": "denied", "stream": stream}
        await push(pusher, city_commission, our_agency, title="又一件")
        assert await socket.receive_nothing(timeout=0.3)
    finally:
        await socket.disconnect()


async def test_a_message_the_layer_lost_arrives_at_the_next_ping(alice, our_agency, city_commission, pusher):
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        await subscribe(socket, {stream: None})
        issue = await database_sync_to_async(number_silently)(pusher, city_commission, our_agency)
        assert await socket.receive_nothing(timeout=0.3)
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=5) == {
            "type": "issue.changed",
            "stream": stream,
            "seq": 1,
            "issue": issue.pk,
            "action": "push",
        }
        assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await socket.disconnect()


async def test_a_gap_is_filled_from_the_database_before_the_next_message(
    alice, our_agency, city_commission, pusher
):
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        await subscribe(socket, {stream: None})
        lost = await database_sync_to_async(number_silently)(pusher, city_commission, our_agency)
        sent = await push(pusher, city_commission, our_agency, title="第二件")
        first = await socket.receive_json_from(timeout=5)
        second = await socket.receive_json_from(timeout=5)
        assert [(first["seq"], first["issue"]), (second["seq"], second["issue"])] == [
            (1, lost.pk),
            (2, sent.pk),
        ]
        assert await socket.receive_nothing(timeout=0.3)
    finally:
        await socket.disconnect()


async def test_a_page_too_far_behind_is_told_to_reset(alice, our_agency, city_commission, pusher):
    await push(pusher, city_commission, our_agency)
    socket = await open_socket(alice)
    try:
        stream = events.agency_stream(our_agency.pk)
        received = await subscribe(socket, {stream: 40})  # a number this stream never gave
        assert received[0] == {"type": "reset", "stream": stream, "seq": 1}
    finally:
        await socket.disconnect()


async def test_the_bell_hears_of_new_notifications(alice):
    socket = await open_socket(alice)
    try:
        stream = events.user_stream(alice.pk)
        await subscribe(socket, {stream: None})
        await database_sync_to_async(announce_notification)(alice)
        message = await socket.receive_json_from(timeout=5)
        assert message == {
            "type": "inbox.changed",
            "stream": stream,
            "seq": 1,
            "new": 1,
            "digest": False,
            "unread": 1,
        }
    finally:
        await socket.disconnect()


def announce_notification(user):
    from django.utils import timezone

    from notifications.models import Notification

    with transaction.atomic():
        now = timezone.now()
        Notification.objects.create(
            recipient=user, kind="remind", text="提醒", deliver_after=now, delivered_at=now
        )
        outbox.enqueue_inbox({user.pk: 1})


def number_silently(pusher, initiator, lead):
    """Push, and let the relay number the announcement but not send it: as if Redis had been
    down at that moment. The on-commit relay is kept from running by numbering inside the
    action's own transaction, where the row is already visible."""
    with transaction.atomic():
        issue = pushed_issue(pusher, initiator, lead, title="没送到的一件")
        outbox._number_batch(outbox.RELAY_BATCH)
    return issue

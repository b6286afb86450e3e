"""The portal's WebSocket endpoint, through the whole ASGI stack (origin check, session auth).

Database access happens in the threads Channels uses for it, so these tests commit their data
(``transaction=True``) to make it visible there.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from portal.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(*headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/", headers=list(headers))


async def test_it_greets_a_signed_in_user(alice):
    socket = communicator(ORIGIN, (b"cookie", await session_cookie(alice)))
    connected, _ = await socket.connect()
    try:
        assert connected
        assert await socket.receive_json_from() == {"type": "hello", "user": "alice", "unread": 0}
    finally:
        await socket.disconnect()


async def test_it_answers_ping_with_pong(alice):
    socket = communicator(ORIGIN, (b"cookie", await session_cookie(alice)))
    connected, _ = await socket.connect()
    try:
        assert connected
        await socket.receive_json_from()
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from() == {"type": "pong"}
        await socket.send_json_to({"type": "something-else"})
        assert await socket.receive_nothing()
    finally:
        await socket.disconnect()


async def test_it_refuses_an_anonymous_visitor(db):
    socket = communicator(ORIGIN)
    connected, _ = await socket.connect()
    assert not connected


async def test_it_refuses_a_session_that_does_not_exist(db):
    socket = communicator(ORIGIN, (b"cookie", b"sessionid=no-such-session"))
    connected, _ = await socket.connect()
    assert not connected


async def test_it_refuses_a_foreign_origin(alice):
    socket = communicator((b"origin", b"http://evil.example"), (b"cookie", await session_cookie(alice)))
    connected, _ = await socket.connect()
    assert not connected

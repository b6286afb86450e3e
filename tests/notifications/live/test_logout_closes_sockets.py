"""Signing out closes the WebSockets of that user, and only theirs (close code 4001)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.signals import user_logged_out
from django.test import Client

from portal.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_socket(client: Client) -> WebsocketCommunicator:
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    socket = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)]
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from())["type"] == "hello"
    return socket


async def test_signing_out_closes_the_users_sockets(alice, bob):
    alice_client = await signed_in_client(alice)
    bob_client = await signed_in_client(bob)
    first = await open_socket(alice_client)
    second = await open_socket(alice_client)  # another tab
    bobs = await open_socket(bob_client)

    response = await database_sync_to_async(alice_client.post)("/accounts/logout/")
    assert response.status_code == 302

    for socket in (first, second):
        assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4001}
    # bob is still connected and served.
    await bobs.send_json_to({"type": "ping"})
    assert await bobs.receive_json_from() == {"type": "pong"}
    await bobs.disconnect()


async def test_a_closed_session_cannot_reconnect(alice):
    client = await signed_in_client(alice)
    socket = await open_socket(client)
    await database_sync_to_async(client.post)("/accounts/logout/")
    await socket.receive_output(timeout=5)

    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    headers = [(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)]
    again = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await again.connect()
    assert not connected


def test_an_anonymous_sign_out_sends_nothing(rf):
    # Django sends user_logged_out with user=None when nobody was signed in.
    user_logged_out.send(sender=None, request=rf.post("/accounts/logout/"), user=None)

"""The portal's WebSocket endpoint (DESIGN §6).

Only signed-in users may connect: the session cookie authenticates them, and the origin is
checked by ``AllowedHostsOriginValidator`` in ``portal.asgi``. Each connection joins its user's
group, so signing out anywhere closes it (code 4001).

The conversation, all JSON:

- server: ``{"type": "hello", "user": name, "unread": n}`` on connect;
- client: ``{"type": "subscribe", "streams": {"agency.12": 40, "user.7": null}}``, each stream
  with the last number the page has seen (null: from now). The server checks the user may read
  each stream, joins its group, and sends what came after that number; it answers
  ``{"type": "subscribed", "stream", "seq"}``, or ``{"type": "denied", "stream"}``;
- server: the streams' numbered messages (``notifications.live.events``), each once and in order. A
  gap (the layer dropped one, or a message overtook another) is filled from the database first;
  ``{"type": "reset", "stream", "seq"}`` says the gap is too old or too long to fill, and the
  page reloads its live parts;
- client: ``{"type": "ping"}`` every half minute; the server first sends whatever the database
  has that the layer did not deliver (a message sent while Redis was down), then ``pong``.

Access is checked when subscribing and again before every message is forwarded: a user who left
the agency, or an issue's party that no longer sees it, stops hearing about it at once.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from agencies.models import Membership

from ..models import Notification
from . import events, outbox, streams

# More streams than any page needs is a client misbehaving: the rest are ignored.
MAX_STREAMS = 8
CLOSE_SIGNED_OUT = 4001


def may_read(user_id: int, stream: str) -> bool:
    """Whether the user may hear the stream now, as the app that owns its kind says
    (``streams``): a member of the agency, a party that sees the issue, or its own inbox; and
    still an active user."""
    parsed = events.parse_stream(stream)
    if parsed is None:
        return False
    kind, pk = parsed
    return streams.kind(kind).may_read(user_id, pk)


# The streams this app owns (registered by NotificationsConfig.ready). One query each: this runs
# before every message.


def may_read_inbox(user_id: int, pk: int) -> bool:
    """``user.<id>``: one's own inbox, while one is an active user."""
    return pk == user_id and get_user_model().objects.filter(pk=user_id, is_active=True).exists()


def may_read_agency(user_id: int, pk: int) -> bool:
    """``agency.<id>``: an active member of the active agency."""
    return Membership.objects.filter(
        user_id=user_id, user__is_active=True, agency_id=pk, agency__is_active=True
    ).exists()


def unread_count(user_id: int) -> int:
    return Notification.objects.inbox(user_id).unread().count()


class PortalConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Refuse the handshake: the client sees HTTP 403 and no socket opens.
            await self.close()
            return
        self.user_id = user.pk
        self.positions: dict[str, int] = {}  # stream → last number forwarded
        # The user's own stream is also where signing out is announced (session.ended).
        self.groups_joined = {events.user_stream(user.pk)}
        await self.channel_layer.group_add(events.user_stream(user.pk), self.channel_name)
        await self.accept()
        unread = await database_sync_to_async(unread_count)(user.pk)
        await self.send_json({"type": "hello", "user": user.get_username(), "unread": unread})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        if content.get("type") == "subscribe" and isinstance(content.get("streams"), dict):
            for stream, after in list(content["streams"].items())[:MAX_STREAMS]:
                await self.subscribe(stream, after)
        elif content.get("type") == "ping":
            for stream in list(self.positions):
                await self.catch_up(stream)
            await self.send_json({"type": "pong"})

    async def subscribe(self, stream, after) -> None:
        if not await database_sync_to_async(may_read)(self.user_id, stream):
            await self.send_json({"type": "denied", "stream": str(stream)[:40]})
            return
        if stream not in self.groups_joined:
            # Joined before reading the database: a message committed in between arrives
            # twice at worst, and the second copy is dropped by its number.
            await self.channel_layer.group_add(stream, self.channel_name)
            self.groups_joined.add(stream)
        if isinstance(after, int) and not isinstance(after, bool) and after >= 0:
            self.positions[stream] = after
            await self.catch_up(stream)
        else:
            self.positions[stream] = await database_sync_to_async(outbox.position)(stream)
        await self.send_json({"type": "subscribed", "stream": stream, "seq": self.positions[stream]})

    async def leave(self, stream: str) -> None:
        self.positions.pop(stream, None)
        if stream in self.groups_joined and stream != events.user_stream(self.user_id):
            self.groups_joined.discard(stream)
            await self.channel_layer.group_discard(stream, self.channel_name)
        await self.send_json({"type": "denied", "stream": stream})

    async def catch_up(self, stream: str) -> None:
        """Send what the database holds after the stream's position, or tell the page to reset."""
        after = self.positions[stream]
        messages = await database_sync_to_async(outbox.replay)(stream, after)
        if messages is None:
            self.positions[stream] = await database_sync_to_async(outbox.position)(stream)
            await self.send_json({"type": "reset", "stream": stream, "seq": self.positions[stream]})
            return
        for message in messages:
            await self.deliver(message)

    async def deliver(self, message: events.StreamMessage) -> None:
        if message["type"] == "inbox.changed":
            message = {**message, "unread": await database_sync_to_async(unread_count)(self.user_id)}
        await self.send_json(message)
        self.positions[message["stream"]] = message["seq"]

    async def forward(self, message: events.StreamMessage) -> None:
        stream = message.get("stream")
        position = self.positions.get(stream)
        if position is None or message["seq"] <= position:
            return  # not subscribed (yet), or already sent
        if not await database_sync_to_async(may_read)(self.user_id, stream):
            await self.leave(stream)
            return
        if message["seq"] == position + 1:
            await self.deliver(message)
        else:
            await self.catch_up(stream)

    # Group messages, by their "type" (notifications.live.events).

    async def issue_changed(self, message):
        await self.forward(message)

    async def inbox_changed(self, message):
        await self.forward(message)

    async def warnings_raised(self, message):
        await self.forward(message)

    async def session_ended(self, message):
        """Sent to the user's group when they sign out: close every socket they hold."""
        await self.close(code=CLOSE_SIGNED_OUT)

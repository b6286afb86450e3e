"""The portal's WebSocket endpoint.

Only signed-in users may connect (the session cookie authenticates them; the origin is checked
by ``AllowedHostsOriginValidator`` in ``portal.asgi``). Each connection joins its user's group,
so signing out anywhere closes it. Live board events are added on this consumer later.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


class PortalConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Refuse the handshake: the client sees HTTP 403 and no socket opens.
            await self.close()
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.get_username()})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def session_ended(self, event):
        """Sent to the user's group when they sign out: close every socket they hold."""
        await self.close(code=4001)

    async def notification_new(self, event):
        """Reminders arrived in the user's inbox (notifications.reminders)."""
        await self.send_json({"type": "notifications", "count": event["count"]})

    async def notification_digest(self, event):
        """What was held outside working hours was delivered at the start of working hours."""
        await self.send_json({"type": "notifications", "count": event["count"], "digest": True})

"""Signal receivers of the live-update layer.

Signing out closes every WebSocket the user holds, in every daphne process: the consumers join
the user's stream group (``events.user_stream``) and close on ``session.ended``.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from . import events


@receiver(user_logged_out, dispatch_uid="notifications.close_sockets_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is None or user.pk is None:
        return  # an anonymous visitor signing out holds no sockets
    # If the layer is down this is logged and signing out still succeeds: the session is gone,
    # so no socket can reconnect with it.
    events.send([(events.user_stream(user.pk), {"type": "session.ended"})])

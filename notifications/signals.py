"""Signal receivers of the live-update layer.

Signing out closes every WebSocket the user holds, in every daphne process: the consumers join
the user's group (``consumers.user_group``) and close on ``session.ended``.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from .consumers import user_group

logger = logging.getLogger(__name__)


@receiver(user_logged_out, dispatch_uid="notifications.close_sockets_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is None or user.pk is None:
        return  # an anonymous visitor signing out holds no sockets
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user.pk), {"type": "session.ended"})
    except Exception:  # noqa: BLE001 - signing out must not fail because the layer is down
        # The session is gone either way, so no socket can reconnect with it; log loudly.
        logger.exception("could not close the WebSockets of user %s on sign-out", user.pk)

"""Component checks behind /healthz: database, channel layer, Celery beat and worker, search."""

from __future__ import annotations

from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.utils import timezone

from search.index.connection import ping

from .models import ServiceHeartbeat


def component_status() -> dict[str, dict]:
    return {
        "database": _database(),
        "channel_layer": _channel_layer(),
        "celery": _celery(),
        "search": _search(),
    }


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "backend": connection.vendor}
    except Exception:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "backend": connection.vendor}


def _channel_layer() -> dict:
    layer = get_channel_layer()
    backend = type(layer).__name__
    try:
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.send)(channel, {"type": "health.ping"})
        ok = async_to_sync(layer.receive)(channel) == {"type": "health.ping"}
        return {"ok": ok, "backend": backend}
    except Exception:  # noqa: BLE001
        return {"ok": False, "backend": backend}


def _celery() -> dict:
    beat = ServiceHeartbeat.objects.filter(name="celery").first()
    # Beat ticks every minute; three missed ticks mean the worker or beat is down. Not required
    # for serving pages, so it degrades the report without failing it.
    fresh = beat is not None and beat.seen_at > timezone.now() - timedelta(minutes=3)
    return {"ok": fresh, "backend": settings.CELERY_BROKER_URL.split("://", 1)[0], "required": False}


def _search() -> dict:
    return {"ok": ping(), "backend": settings.SEARCH_BACKEND}

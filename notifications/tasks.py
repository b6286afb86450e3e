"""Celery tasks of the notifications app; scheduled by beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import inbox
from .live import outbox


@shared_task
def deliver_digests() -> int:
    """Deliver the notifications held outside working hours once working hours start again.

    Runs every few minutes rather than at one fixed time, so that a changed working-hours setting
    or a beat that was down at the start of the day delays the digest by minutes, not a day.
    """
    return inbox.deliver_held()


@shared_task
def relay_live_events() -> int:
    """Send the live updates whose on-commit relay did not run (notifications.live.outbox)."""
    return outbox.relay()


@shared_task
def prune_live_events() -> int:
    """Forget numbered live messages older than LIVE_EVENT_RETENTION."""
    return outbox.prune()

"""Celery tasks of the issues app; scheduled by beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from .deadlines import reminders


# Named as it was when the ladder lived in the notifications app: the beat schedule and any
# message already queued under that name keep reaching it.
@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """Fire every reminder step that is due and has not fired yet (safe to run twice at once)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.sweep().as_dict()

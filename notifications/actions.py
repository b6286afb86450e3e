"""The one place that changes a user's notifications (the reminders create them)."""

from __future__ import annotations

from django.utils import timezone

from .models import Notification


def mark_read(*, acting_user, pk: int | None = None) -> int:
    """Mark one of the user's delivered notifications read, or all of them; returns how many."""
    now = timezone.now()
    rows = Notification.objects.filter(recipient=acting_user, read_at__isnull=True, deliver_after__lte=now)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=now)

"""The one place that changes a user's notifications and their preference (``inbox`` writes the
notifications, for the deadline ladder, the board's notices and saved searches)."""

from __future__ import annotations

from django.utils import timezone

from .models import Delivery, Notification, NotificationPreference


def mark_read(*, acting_user, pk: int | None = None) -> int:
    """Mark one of the user's delivered notifications read, or all of them; returns how many."""
    now = timezone.now()
    rows = Notification.objects.inbox(acting_user.pk).unread()
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=now)


def set_delivery(*, acting_user, delivery: str) -> NotificationPreference:
    """Hear as things happen, or in the digest; applies to notifications created from now on."""
    if delivery not in Delivery.values:
        raise ValueError(delivery)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=acting_user, defaults={"delivery": delivery}
    )
    return preference


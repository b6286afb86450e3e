"""The inbox's delivery (DESIGN §3): notifications written for users, delivered at once or held.

``deliver`` is the one way a notification is written: the ladder (issues.deadlines), the board's
notices (issues.workflow.notices) and saved searches call it, or a ``NotificationBatch`` when many
notifications of one run go out together (one INSERT, one announcement). When a notification
reaches its reader depends on its kind and on the reader's ``NotificationPreference``: as things
happen, or in the digest at the start of working hours (``deliver_held``, run by beat).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.calendar import is_working_day, next_working_day

from .live import outbox
from .models import LADDER_KINDS, URGENT_KINDS, Delivery, Notification, NotificationPreference

# --- when a notification may go out --------------------------------------------------------------


def _hours() -> tuple[dt.time, dt.time]:
    start, end = settings.NOTIFICATION_WORKING_HOURS
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def digest_time(now: dt.datetime) -> dt.datetime:
    """The next working-hours start after ``now``: today's while it is still ahead on a working
    day, else the next working day's."""
    start, _end = _hours()
    local = timezone.localtime(now)
    day = local.date()
    if not (is_working_day(day) and local.time() < start):
        day = next_working_day(day + dt.timedelta(days=1))
    return timezone.make_aware(dt.datetime.combine(day, start))


def delivery_time(now: dt.datetime) -> dt.datetime:
    """``now`` inside working hours on a working day, else the next working-hours start."""
    start, end = _hours()
    local = timezone.localtime(now)
    if is_working_day(local.date()) and start <= local.time() < end:
        return now
    return digest_time(now)


def deliver_after(kind: str, digest: bool, now: dt.datetime) -> dt.datetime:
    """When a notification of ``kind`` reaches a reader who chose the digest (or not)."""
    if digest and kind not in URGENT_KINDS:
        return digest_time(now)
    if kind in LADDER_KINDS:
        return delivery_time(now)
    return now


def digest_readers(user_ids) -> set[int]:
    """Those of ``user_ids`` who chose the digest (no row: as things happen)."""
    return set(
        NotificationPreference.objects.filter(user_id__in=user_ids, delivery=Delivery.DIGEST).values_list(
            "user_id", flat=True
        )
    )


@dataclass
class NotificationBatch:
    """The notifications of one batch (of firings, or of one event): one INSERT, one announcement.

    When each one goes out depends on its kind and its reader's choice (``deliver_after``),
    settled in ``send`` with one query for all readers. Those that go out at once are announced
    to the users' open pages, once per batch rather than once per notification.
    """

    now: dt.datetime
    rows: list = field(default_factory=list)

    def add(self, user_ids, *, issue_id: int | None, kind: str, text: str, link: str = "") -> int:
        user_ids = sorted(set(user_ids))
        self.rows += [
            Notification(recipient_id=user_id, issue_id=issue_id, kind=kind, text=text, link=link)
            for user_id in user_ids
        ]
        return len(user_ids)

    def send(self) -> None:
        """Write them in the current transaction; announce the delivered ones when it commits."""
        if not self.rows:
            return
        digest = digest_readers({row.recipient_id for row in self.rows})
        times: dict[tuple[str, bool], dt.datetime] = {}  # the calendar asked once per pair
        counts: dict[int, int] = {}
        for row in self.rows:
            key = (row.kind, row.recipient_id in digest)
            if key not in times:
                times[key] = deliver_after(*key, self.now)
            row.deliver_after = times[key]
            if row.deliver_after <= self.now:
                row.delivered_at = self.now
                counts[row.recipient_id] = counts.get(row.recipient_id, 0) + 1
        Notification.objects.bulk_create(self.rows, batch_size=1_000)
        outbox.enqueue_inbox(counts)
        self.rows = []


def deliver_held(now: dt.datetime | None = None, batch_size: int = 5_000) -> int:
    """The digest: deliver what was held outside working hours and whose time has come."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(delivered_at__isnull=True, deliver_after__lte=now)
                .order_by("pk")
                .values_list("pk", "recipient_id")[:batch_size]
            )
            if not rows:
                return total
            Notification.objects.filter(pk__in=[pk for pk, _user in rows]).update(delivered_at=now)
            counts: dict[int, int] = {}
            for _pk, user_id in rows:
                counts[user_id] = counts.get(user_id, 0) + 1
            outbox.enqueue_inbox(counts, digest=True)
        total += len(rows)


def deliver(
    user_ids, kind: str, text: str, link: str = "", *, issue_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write one notification for each of ``user_ids`` in the current transaction; returns how
    many. ``issue_id`` (a notification about an issue) makes the notification lead to it."""
    batch = NotificationBatch(now or timezone.now())
    count = batch.add(user_ids, issue_id=issue_id, kind=kind, text=text, link=link)
    batch.send()
    return count

"""The notification inbox and the live layer's tables.

``Notification`` is a user's inbox, fed by the deadline ladder and the board's events (through
``inbox.deliver``), delivered at once or held for the next morning's digest as
``NotificationPreference`` says. ``LiveOutbox``, ``LiveStream`` and ``LiveEvent`` carry the live
updates (``live``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about: a step of the deadline ladder, or an event on an issue.

    The ladder's steps (issues.deadlines ``StepKind``) take their values from the first four.
    """

    REMIND = "remind", _("Reminder")
    ALERT = "alert", _("Yellow alert")
    URGE = "urge", _("Red alert and automatic urge")
    ESCALATE = "escalate", _("Escalation to the commission one level up")
    ASSIGNED = "assigned", _("Assigned")
    TRANSFERRED = "transferred", _("Transferred")
    COPIED = "copied", _("Copied")
    CONSULTED = "consulted", _("Consultation")
    URGED = "urged", _("Urged")
    REPORTED = "reported", _("Reported")
    DECLINED = "declined", _("Declined")
    RETURNED = "returned", _("Report returned")
    ACCEPTED = "accepted", _("Report accepted")
    CLOSED = "closed", _("Closed")
    EXTENSION = "extension", _("Extension requested")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SAVED_SEARCH = "saved_search", _("New linked records for a saved search")


# The ladder's steps wait for working hours; an event's notification goes out when it happens.
LADDER_KINDS = frozenset(
    {NotificationKind.REMIND, NotificationKind.ALERT, NotificationKind.URGE, NotificationKind.ESCALATE}
)
# These exist to get attention: they reach digest readers as they happen, not the next morning.
URGENT_KINDS = frozenset({NotificationKind.URGE, NotificationKind.ESCALATE, NotificationKind.URGED})


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("As they happen")
    DIGEST = "digest", _("In a digest at the start of working hours")


class NotificationQuerySet(models.QuerySet):
    def inbox(self, user_id: int):
        """What the user's inbox shows: their notifications that have been delivered (a held one
        waits for its digest or for working hours)."""
        return self.filter(recipient_id=user_id, deliver_after__lte=timezone.now())

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    issue = models.ForeignKey(
        "issues.Issue", verbose_name=_("issue"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    text = models.TextField(_("text"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # A held notification (the reader's digest, or a ladder step outside working hours) waits
    # for the next working-hours start.
    deliver_after = models.DateTimeField(_("deliver after"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Where a notification about something other than an issue leads (a saved search's new hits).
    link = models.CharField(_("link"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-deliver_after", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-deliver_after", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["deliver_after"], condition=Q(delivered_at__isnull=True), name="notification_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} · {self.kind} · {self.text[:40]}"

    def get_absolute_url(self) -> str:
        if self.issue_id:
            return reverse("issues:detail", args=[self.issue_id])
        if self.link:
            return self.link
        return reverse("notifications:inbox")


class NotificationPreference(models.Model):
    """How a user wants to hear: as things happen, or gathered into the morning digest.

    A user without a row hears as things happen; the row is written when they first choose.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, primary_key=True,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.delivery}"


# --- the live layer's outbox and streams (DESIGN §6) ---------------------------------------------


class LiveOutbox(models.Model):
    """Something committed that the parties' open pages have not been told about yet.

    Written in the same transaction as the change it announces, so a crash, a rollback or a
    channel layer that is down can delay an announcement but never lose or invent one. The relay
    (``notifications.live.outbox.relay``) numbers each row into its streams, then deletes it.
    """

    issue_event = models.ForeignKey(
        "issues.IssueEvent", verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    # For a user's row: how many notifications just reached the inbox, and whether as the digest.
    new_notifications = models.PositiveIntegerField(_("new notifications"), default=0)
    digest = models.BooleanField(_("digest"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("live update waiting to be sent")
        verbose_name_plural = _("live updates waiting to be sent")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"event {self.issue_event_id}" if self.issue_event_id else f"inbox of {self.user_id}"


class LiveStream(models.Model):
    """The last sequence number given in one stream ("agency.12", "user.7").

    Numbers are given by the relay under this row's lock, after the announced change committed,
    so a stream's numbers have no gaps and a client that saw n knows exactly what came after.
    """

    name = models.CharField(_("stream"), max_length=40, primary_key=True)
    seq = models.PositiveBigIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("live stream")
        verbose_name_plural = _("live streams")

    def __str__(self) -> str:
        return f"{self.name} @{self.seq}"


class LiveEvent(models.Model):
    """One numbered message of a stream, kept for a while so that reconnecting clients catch up."""

    stream = models.CharField(_("stream"), max_length=40)
    seq = models.PositiveBigIntegerField(_("number"))
    payload = models.JSONField(_("payload"))
    created = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        ordering = ["stream", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="one_live_event_per_seq")]

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"

from django import template

from ..live import events, outbox
from ..models import Notification, NotificationKind

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many delivered notifications the signed-in user has not read (the nav badge)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.inbox(user.pk).unread().count()


@register.simple_tag(takes_context=True)
def user_live_stream(context) -> dict | None:
    """The signed-in user's inbox stream and its position, for the page's live connection.

    Read before the unread count below it in the page, so a notification arriving in between is
    announced to the page rather than missed.
    """
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    name = events.user_stream(user.pk)
    return {"name": name, "seq": outbox.position(name)}


# The badge's colour by kind: red for what presses, amber for what went back, green for what was
# granted, grey for what ended; blue (primary) for the rest.
_BADGES = {
    NotificationKind.URGE: "text-bg-danger",
    NotificationKind.ESCALATE: "text-bg-danger",
    NotificationKind.URGED: "text-bg-danger",
    NotificationKind.ALERT: "text-bg-warning",
    NotificationKind.RETURNED: "text-bg-warning",
    NotificationKind.DECLINED: "text-bg-warning",
    NotificationKind.EXTENSION_REFUSED: "text-bg-warning",
    NotificationKind.ACCEPTED: "text-bg-success",
    NotificationKind.EXTENSION_GRANTED: "text-bg-success",
    NotificationKind.CLOSED: "text-bg-secondary",
    NotificationKind.WITHDRAWN: "text-bg-secondary",
    NotificationKind.COPIED: "text-bg-info",
    NotificationKind.CONSULTED: "text-bg-info",
}


@register.filter
def kind_badge(kind: str) -> str:
    return _BADGES.get(kind, "text-bg-primary")

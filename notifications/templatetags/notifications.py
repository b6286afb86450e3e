from django import template
from django.utils import timezone

from ..models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many delivered notifications the signed-in user has not read (the nav badge)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, deliver_after__lte=timezone.now()
    ).count()

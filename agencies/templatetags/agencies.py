"""Template helpers of the directory: the supervision class badge."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from agencies.models import SupervisionClass

register = template.Library()

# Short labels for badges; the full label is the badge's title.
SHORT_LABELS = {
    SupervisionClass.PARTY: _("Party discipline"),
    SupervisionClass.CONGRESS: _("People's congress"),
    SupervisionClass.DEMOCRATIC: _("Democratic"),
    SupervisionClass.ADMINISTRATIVE: _("Administrative"),
    SupervisionClass.JUDICIAL: _("Judicial"),
    SupervisionClass.AUDIT: _("Audit"),
    SupervisionClass.FINANCIAL: _("Financial"),
    SupervisionClass.STATISTICAL: _("Statistical"),
    SupervisionClass.PUBLIC: _("Public"),
    SupervisionClass.MEDIA: _("Media"),
}


@register.inclusion_tag("agencies/_class_badge.html")
def class_badge(agency):
    value = agency.supervision_class
    return {
        "value": value,
        "short": SHORT_LABELS.get(value, ""),
        "full": agency.get_supervision_class_display() if value else "",
    }

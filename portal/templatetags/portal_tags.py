"""Template helpers for the portal's pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.models import Site

register = template.Library()


@register.filter
def joined(items) -> str:
    """Items joined as the reader's language joins a list: 、 in Chinese, a comma in English."""
    return pgettext("between the items of a list", ", ").join(str(item) for item in items)

_SECTIONS = (
    ("portal.CircularIndexPage", _("Circulars"), "circulars"),
    ("portal.PolicyIndexPage", _("Policies"), "policies"),
)


@register.simple_tag(takes_context=True)
def portal_sections(context) -> list[dict]:
    """The header's links to the circular and policy indexes of the current site.

    Labels come from the code (so they follow the interface language); the pages are whatever
    editors published under the site's home page. Computed once per request.
    """
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_portal_sections", None)
    if cached is not None:
        return cached
    sections = []
    site = Site.find_for_request(request)
    if site is not None:
        root = site.root_page
        for model_label, label, key in _SECTIONS:
            model = apps.get_model(model_label)
            page = model.objects.live().descendant_of(root).order_by("path").first()
            if page is not None:
                url = page.get_url(request)
                sections.append({
                    "key": key, "label": label, "url": url,
                    "active": bool(url) and request.path.startswith(url),
                })
    request._portal_sections = sections
    return sections


@register.filter
def total_minutes(duration) -> int:
    """A timedelta as whole minutes, rounded up (for "paused for 15 minutes")."""
    if not duration:
        return 0
    seconds = int(duration.total_seconds())
    return max(1, -(-seconds // 60))


@register.filter
def thousands(value, places=None):
    """A count or an amount with a comma between every three digits: 12,345 or 1,234,567.80.

    Django's ``intcomma`` follows the locale, and the Chinese locale groups by four digits with
    no separator at all; financial tables in Chinese use commas by threes, as here. ``places``
    fixes the decimals (amounts in yuan: ``|thousands:2``). Anything not a number is shown as is.
    """
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if places is not None:
        return f"{number:,.{int(places)}f}"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"

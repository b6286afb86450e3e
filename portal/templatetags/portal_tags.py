"""Template helpers for the portal's editorial pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

register = template.Library()

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
    from django.apps import apps

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

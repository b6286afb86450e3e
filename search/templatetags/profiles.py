"""``{% profile_link kind value %}``: a person's ID number or a company's credit code (normalised, as
record keys and warnings' subjects hold them) as the reader may see it, linked to their profile.

Masked unless a system whose identifiers the reader sees names it; linked only when a system the
reader may search names it (the profile would read nothing else); any other kind of key, or one
no readable system names, is shown as text, masked the same way, without a link.
"""

from django import template
from django.utils.html import format_html

from search.investigate.permissions import readable, reader_for
from search.investigate.profiles import link_to
from search.masking import shown_key

register = template.Library()

_CACHE_ATTR = "_profile_link_accesses"


def _accesses(request) -> dict:
    """The reader's systems, read once per request however many links a page has."""
    accesses = getattr(request, _CACHE_ATTR, None)
    if accesses is None:
        accesses = readable(reader_for(request)) if request.user.is_authenticated else {}
        setattr(request, _CACHE_ATTR, accesses)
    return accesses


@register.simple_tag(takes_context=True)
def profile_link(context, kind, value):
    request = context.get("request")
    kind, value = str(kind or ""), str(value or "")
    link = link_to(request.user, _accesses(request), kind, value) if request is not None else None
    if link is None:
        shown = shown_key(kind, value, identifiers=False)
        return format_html('<span class="font-monospace">{}</span>', shown)
    return format_html('<a class="font-monospace profile-link" href="{}">{}</a>', link.url, link.shown)

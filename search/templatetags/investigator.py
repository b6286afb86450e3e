"""The header's link to the linked record search, shown only to those who may read a linked system."""

from django import template

from ..investigate import permissions

register = template.Library()

_CACHE_ATTR = "_may_search_records"


@register.simple_tag(takes_context=True)
def may_search_records(context) -> bool:
    """Whether the acting user may read at least one linked system; once per request."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = permissions.may_read_any(permissions.reader_for(request))
        setattr(request, _CACHE_ATTR, cached)
    return cached

"""Template tags of the triage: whether the acting agency owns warning models (the nav's link)."""

from django import template

from search.detection.reading import owns_models
from search.investigate.permissions import reader_for

register = template.Library()


@register.simple_tag(takes_context=True)
def owns_warning_models(context) -> bool:
    """Whether the acting user's agency owns warning models, whose warnings they triage."""
    request = context.get("request")
    return request is not None and owns_models(reader_for(request))

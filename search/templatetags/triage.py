"""Template tags of the triage: whether the acting agency owns warning models (the nav's link),
and a template's name in words."""

from django import template

from search.detection import patterns
from search.detection.reading import owns_models
from search.investigate.permissions import reader_for

register = template.Library()


@register.simple_tag(takes_context=True)
def owns_warning_models(context) -> bool:
    """Whether the acting user's agency owns warning models, whose warnings they triage."""
    request = context.get("request")
    return request is not None and owns_models(reader_for(request))


@register.filter
def template_label(name: str) -> str:
    """A warning model's template (``WarningModelVersion.template``) as the reader calls it."""
    return patterns.label(name)

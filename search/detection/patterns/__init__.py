"""The templates warning models are made of (DESIGN §12), one module each: a parameters form
(a Django form: the model-building page renders it, and hostile parameters get their messages
there before anything runs) and a compiler to one set-based SQL query over the record keys, with
bound values, on SQLite and PostgreSQL alike (``base``).

Named "patterns", not "templates": that word is Django's, for HTML.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import first_appearance, list_match, outlier, relation_path, rescreen, sequence, threshold
from .base import Context, Pattern, PatternForm, Query

TEMPLATES: dict[str, Pattern] = {
    module.PATTERN.name: module.PATTERN
    for module in (list_match, sequence, threshold, first_appearance, outlier, relation_path, rescreen)
}
CHOICES = [(name, pattern.label) for name, pattern in TEMPLATES.items()]


class UnknownTemplate(ValueError):
    pass


def template(name: str) -> Pattern:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise UnknownTemplate(_("There is no template named %(name)s.") % {"name": str(name)[:40]}) from None


__all__ = [
    "CHOICES", "TEMPLATES", "Context", "Pattern", "PatternForm", "Query", "UnknownTemplate", "template",
]


def label(name: str) -> str:
    """A template's name (``WarningModelVersion.template``) in the reader's words; a name no longer
    known as it was stored."""
    pattern = TEMPLATES.get(name)
    return str(pattern.label) if pattern else name

"""Template tags of the harvest and the uploads: open clues, who may upload or review the search
log, masked titles."""

from django import template

from agencies.acting import acting_membership
from search.harvest.clues import clues_of, with_words
from search.ingest.permissions import uploadable_systems
from search.investigate.permissions import may_review_search_log, readable, reader_for
from search.masking import mask_text

register = template.Library()

OFFERED_CLUES = 20


@register.simple_tag(takes_context=True)
def open_clues(context):
    """The newest clues of the acting agency not yet pushed to the board (for "add to clue")."""
    request = context.get("request")
    if request is None:
        return []
    reader = reader_for(request)
    clues = clues_of(reader).filter(issue__isnull=True)
    return with_words(reader, clues.order_by("-created_at")[:OFFERED_CLUES])


@register.simple_tag(takes_context=True)
def may_upload(context) -> bool:
    """Whether the acting user may load exports into some linked system (the upload page)."""
    request = context.get("request")
    return request is not None and uploadable_systems(acting_membership(request)).exists()


@register.simple_tag(takes_context=True)
def may_review_log(context) -> bool:
    """Whether the acting user reviews the search log, so that the investigators' nav offers it."""
    request = context.get("request")
    return request is not None and may_review_search_log(reader_for(request))


@register.simple_tag(takes_context=True)
def readable_systems(context) -> set[str]:
    """The codes of the systems the acting user may read: evidence from the others is listed
    (the issue's parties were given it) but without a link to the linked record's page, which they
    would find closed."""
    request = context.get("request")
    return set(readable(reader_for(request))) if request is not None else set()


@register.filter
def masked(text):
    """The text with its ID and phone numbers masked: for pages read by parties without the right."""
    return mask_text(str(text or ""))

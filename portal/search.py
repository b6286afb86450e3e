"""Searching the editorial pages (circulars and policies) with Wagtail's database backend.

Full-text engines split words on spaces and punctuation. Chinese has neither between words, so
SQLite FTS5 (unicode61) and PostgreSQL both index a whole run of characters such as
"关于医保基金专项整治中典型问题的通报" as one token, and a search for "医保" finds nothing.
The fix keeps the stock backend: the pages index an extra text in which every CJK character
stands alone (``common.cjk.cjk_spaced``), and a query's Chinese words become phrases of single characters
(``page_query``), so "医保" must match "医" directly followed by "保".
"""

from __future__ import annotations

import re

from wagtail.models import Page
from wagtail.search.query import And, Phrase, PlainText, SearchQuery

from common.cjk import cjk_pieces

from .models import CircularPage, PolicyPage

_WORD = re.compile(r"\w+")

MAX_QUERY_TERMS = 12


def page_query(query_string: str) -> SearchQuery | None:
    """A Wagtail search query for what a user typed, or None when it holds no word.

    Only word characters survive (punctuation, quotes and markup are search-engine syntax or
    noise), each whitespace-separated word is required, and a word holding CJK characters is a
    phrase of its pieces ("12345热线" → the phrase "12345 热 线").
    """
    parts: list[SearchQuery] = []
    for word in _WORD.findall(query_string or "")[:MAX_QUERY_TERMS]:
        pieces = cjk_pieces(word)
        if len(pieces) == 1:
            parts.append(PlainText(word))
        else:
            parts.append(Phrase(" ".join(pieces)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def search_pages(query_string: str, *, page_types=None):
    """Live pages of ``page_types`` (default: circulars and policies) matching the query, best first."""
    query = page_query(query_string)
    if query is None:
        return Page.objects.none()
    return (
        Page.objects.live()
        .type(*(page_types or (CircularPage, PolicyPage)))
        .specific()
        .search(query)
    )

"""Why a hit matched: its words marked in the text its reader sees, for both backends.

The backends only find the hits; the marks and the excerpts are made here, in Python, from the
record as ``search.masking.shown_record`` gives it to the reader. A hidden digit is gone before
a word is looked for or a fragment is cut, so no query (the hidden digits themselves, a term
straddling a number) and no fragment boundary can show one. The record's text is escaped here;
the only markup in what this module returns is its own ``<mark>``.

A word is marked wherever it occurs in the text, ignoring case, and with the spaces between two
ideographs left out as the search does (``search.index._embedded.variants``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..masking import ShownRecord
from ._elastic import terms_to_mark
from ._embedded import variants

TEXT_FIELDS = ("title", "body", "names")
FRAGMENT = 120  # characters of text around the matches
FRAGMENTS = 5


def words_to_mark(tree) -> dict[str, list[str]]:
    """For each text field, the words to mark in it: the positive terms that search it."""
    words: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
    for term in terms_to_mark(tree) if tree is not None else ():
        for name in TEXT_FIELDS if term.field is None else (term.field,) if term.field in words else ():
            words[name].extend(variants(term.text))
    return words


@dataclass
class Marked:
    """A shown record's text with its marks: escaped HTML, ``<mark>`` the only markup."""

    title: str | None = None  # None: no word in the title
    fragments: list[str] = field(default_factory=list)  # pieces of the body around the words
    names: dict[int, str] = field(default_factory=dict)  # index of a name → that name marked


def marked(shown: ShownRecord, words: dict[str, list[str]]) -> Marked:
    """Where ``words`` (from ``words_to_mark``) occur in what the reader sees of a record."""
    found = Marked()
    title_spans = spans(shown.title, words["title"])
    if title_spans:
        found.title = mark(shown.title, title_spans)
    body_spans = spans(shown.body, words["body"])
    if body_spans:
        found.fragments = fragments(shown.body, body_spans)
    for index, name in enumerate(shown.names):
        name_spans = spans(name, words["names"])
        if name_spans:
            found.names[index] = mark(name, name_spans)
    return found


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in ``text`` (ignoring case), overlapping ones merged, in order."""
    if not text or not words:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: match as written
        lowered = text
    found = []
    for word in {word.lower() for word in words if word}:
        start = lowered.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = lowered.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, marks: list[tuple[int, int]], offset: int = 0, end: int | None = None) -> str:
    """``text[offset:end]`` escaped, with <mark> around the spans: the record's text is never markup."""
    end = len(text) if end is None else end
    out, at = [], offset
    for start, stop in marks:
        start, stop = max(start, offset), min(stop, end)
        if start >= stop:
            continue
        out.append(html.escape(text[at:start], quote=False))
        out.append(f"<mark>{html.escape(text[start:stop], quote=False)}</mark>")
        at = stop
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out)


def fragments(text: str, marks: list[tuple[int, int]]) -> list[str]:
    """Pieces of about FRAGMENT characters around the matches, at most FRAGMENTS of them."""
    pieces = []
    index = 0
    while index < len(marks) and len(pieces) < FRAGMENTS:
        first = marks[index]
        start = max(0, min(first[0] - FRAGMENT // 3, len(text) - FRAGMENT))
        end = min(len(text), start + FRAGMENT)
        inside = []
        while index < len(marks) and marks[index][0] < end:
            inside.append(marks[index])
            index += 1
        end = max(end, inside[-1][1])
        pieces.append(mark(text, inside, start, end))
    return pieces

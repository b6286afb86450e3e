"""The embedded backend's copy of the text as a reader who may not see identifiers sees it (§7).

A search must not find a record through digits its reader cannot see: typing the hidden middle
of a mobile number and watching which records match would give the digits away one guess at a
time. So, in a system whose identifiers a reader does not see, the words of their query are
matched against the *masked* text (``search.masking.mask_text``, as ``shown_record`` shows
it), where a hidden digit is a ``*`` that no word can match.

Only a minority of records hold a number at all, and for the others the masked text is the text
itself; so ``search_record_masked`` (``models.MaskedText``, migration 0009) holds a row only for
a record whose masked title, text or names differ from what was received, and a masked reader's
query is answered from this row where there is one and from the ordinary tables where there is
not. Beside the
masked text, each row keeps the numbers read in the text (``numbers``, as
``masking.number_key`` writes them, each between two ``#``): a number typed whole still finds
its record, but nothing less than a whole number does (``masking.whole_number``).

On SQLite the rows are indexed as the ordinary text is: a trigram table over this table
(``search_record_masked_fts``, external content, so the text is kept once) and a table of short
terms (``search_record_masked_chars``, see ``search.index.short_terms``). On PostgreSQL the embedded
backend scans this table as it scans the records. Both are written with the ordinary tables, by
``search.index._embedded``; a record deleted from the database takes its row with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..masking import mask_text, numbers_in
from . import short_terms

TABLE = "search_record_masked"
FTS_TABLE = "search_record_masked_fts"
CHARS_TABLE = "search_record_masked_chars"
COLUMNS = ("title", "body", "names", "numbers")

CREATE_FTS = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    title, body, names, numbers, tokenize = 'trigram', content = '{TABLE}', content_rowid = 'record_id'
)
"""
CREATE_CHARS = short_terms.CREATE.replace(short_terms.TABLE, CHARS_TABLE)

_INSERT = (
    "INSERT INTO search_record_masked (record_id, title, body, names, numbers) VALUES (%s, %s, %s, %s, %s)"
)
_INSERT_FTS = (
    "INSERT INTO search_record_masked_fts (rowid, title, body, names, numbers) VALUES (%s, %s, %s, %s, %s)"
)
_DELETE_FTS = (
    "INSERT INTO search_record_masked_fts (search_record_masked_fts, rowid, title, body, names, numbers) "
    "VALUES ('delete', %s, %s, %s, %s, %s)"
)
_ROWS_OF = (
    "SELECT record_id, title, body, names, numbers FROM search_record_masked WHERE record_id IN ({marks})"
)
_DELETE = "DELETE FROM search_record_masked WHERE record_id IN ({marks})"
_EMPTY = "DELETE FROM search_record_masked"
_EMPTY_FTS = "INSERT INTO search_record_masked_fts (search_record_masked_fts) VALUES ('delete-all')"
_OPTIMIZE_FTS = "INSERT INTO search_record_masked_fts (search_record_masked_fts) VALUES ('optimize')"

# Conditions on "search_record". A masked reader's word, in one list of record ids: the records
# without a masked row that the table of the text as stored finds (the first parameter, its FTS5
# query), and those that the masked text's twin of that table finds (the second).
HAS_ROW = 'EXISTS (SELECT 1 FROM search_record_masked AS masked WHERE masked.record_id = "search_record".id)'
MATCHING = (
    '"search_record".id IN (SELECT rowid FROM search_record_fts WHERE search_record_fts MATCH %s'
    " AND rowid NOT IN (SELECT record_id FROM search_record_masked)"
    " UNION ALL SELECT rowid FROM search_record_masked_fts WHERE search_record_masked_fts MATCH %s)"
)
CHARS_MATCHING = (
    '"search_record".id IN (SELECT rowid FROM search_record_chars WHERE search_record_chars MATCH %s'
    " AND rowid NOT IN (SELECT record_id FROM search_record_masked)"
    " UNION ALL SELECT rowid FROM search_record_masked_chars WHERE search_record_masked_chars MATCH %s)"
)
ID_CHUNK = 500  # ids per IN list, under every database's limit of parameters


def numbers_value(numbers: Iterable[str]) -> str:
    """The numbers column: each number between two ``#``, so that one is found only whole."""
    numbers = sorted(numbers)
    return "#" + "#".join(numbers) + "#" if numbers else ""


def number_query(key: str) -> str:
    """What the numbers column holds for the number ``key`` (a substring of it, only whole)."""
    return f"#{key}#"


@dataclass(frozen=True)
class Masked:
    """A record's searchable text as a reader who may not see identifiers sees it, and the
    numbers read in it (``masking.number_key``): what both backends index for such readers."""

    title: str
    body: str
    names: list[str]
    numbers: list[str]


def masked(title: str, body: str, names: list[str]) -> Masked | None:
    """The masked text of a record, or None when masking changes none of it."""
    title, body, names = title or "", body or "", list(names or [])
    shown = Masked(mask_text(title), mask_text(body), [mask_text(name) for name in names], [])
    if (shown.title, shown.body, shown.names) == (title, body, names):
        return None
    numbers = set().union(*(numbers_in(text) for text in (title, body, *names)))
    return Masked(shown.title, shown.body, shown.names, sorted(numbers))


def row(record_id: int, title: str, body: str, names: list[str]) -> tuple | None:
    """The masked row of a record, or None when masking changes none of its text."""
    found = masked(title, body, names)
    if found is None:
        return None
    return record_id, found.title, found.body, "\n".join(found.names), numbers_value(found.numbers)


def rows_of(records: Iterable) -> list[tuple]:
    """The masked rows of the records that need one."""
    found = (row(record.pk, record.title, record.body, list(record.names or [])) for record in records)
    return [masked for masked in found if masked is not None]


def add(cursor, rows: list[tuple], *, full_text: bool) -> None:
    """Store masked rows (records without one now: ``forget`` them first); ``full_text``: index
    them in the SQLite tables too."""
    cursor.executemany(_INSERT, rows)
    if full_text:
        cursor.executemany(_INSERT_FTS, rows)
        short_terms.add_rows(cursor, rows, table=CHARS_TABLE)


def forget(cursor, record_ids: list[int], *, full_text: bool) -> None:
    """Take the records' masked rows out, from the indexes first while the text is there to say
    which tokens to forget. Records without a row are skipped."""
    for start in range(0, len(record_ids), ID_CHUNK):
        chunk = record_ids[start : start + ID_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        if full_text:
            cursor.execute(_ROWS_OF.format(marks=marks), chunk)
            rows = cursor.fetchall()
            if not rows:
                continue
            cursor.executemany(_DELETE_FTS, rows)
            short_terms.remove_rows(cursor, rows, table=CHARS_TABLE)
        cursor.execute(_DELETE.format(marks=marks), chunk)


def empty(cursor, *, full_text: bool) -> None:
    cursor.execute(_EMPTY)
    if full_text:
        cursor.execute(_EMPTY_FTS)
        short_terms.empty(cursor, table=CHARS_TABLE)


def optimize(cursor) -> None:
    cursor.execute(_OPTIMIZE_FTS)
    short_terms.optimize(cursor, table=CHARS_TABLE)


def fill(cursor, *, full_text: bool, chunk: int = 2_000) -> int:
    """Make the masked rows of every record in the database (for one made before this table);
    returns how many records needed one."""
    done, last = 0, 0
    while True:
        cursor.execute(
            "SELECT id, title, body, names FROM search_record WHERE id > %s ORDER BY id LIMIT %s",
            [last, chunk],
        )
        records = cursor.fetchall()
        if not records:
            return done
        rows = []
        for record_id, title, body, names in records:
            names = names if isinstance(names, list) else json.loads(names or "[]")
            masked = row(record_id, title, body, names)
            if masked is not None:
                rows.append(masked)
        add(cursor, rows, full_text=full_text)
        done += len(rows)
        last = records[-1][0]


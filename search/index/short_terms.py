"""The embedded backend's index of short terms on SQLite (DESIGN §7): words of one or two characters.

The trigram table (``search_record_fts``) cannot answer a word shorter than three characters,
and scanning a million records for one takes seconds. This second FTS5 table,
``search_record_chars`` (migration 0006), holds for each record and text field every character
and every pair of neighbouring characters once, each written as one ASCII token:

    张伟 → u5f20 u4f1f b5f20x4f1f

so a word of one or two characters is one token, and a record holds the word as a substring of
the field exactly when the field holds its token (the same meaning as the trigram phrase or a
scan with ``instr``). Writing the code points in hex keeps every character a token of its own,
punctuation and spaces included, whatever the tokenizer thinks of them; case is folded as the
trigram tokenizer folds it. Positions are not needed, so the table keeps only which records and
columns hold a token (``detail=column``), and none of the text (``content=''``).

Such a contentless table forgets a row only when it is told the row's tokens again: they are
worked out from the text the trigram table still holds for the record, before that row is
replaced (``forget``). Both tables are therefore written together, always by this module's
callers in ``search.index._embedded``.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import add

TABLE = "search_record_chars"
LONGEST = 2  # the longest word this table answers; longer ones are trigram phrases
FIELDS = ("title", "body", "names")

CREATE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
    title, body, names, tokenize = 'ascii', detail = column, content = ''
)
"""
# Statements for a table of short terms: this one, or another of the same shape
# (search.index.masked_text keeps one for the masked text).
_INSERT = "INSERT INTO {table} (rowid, title, body, names) VALUES (%s, %s, %s, %s)"
_DELETE = "INSERT INTO {table} ({table}, rowid, title, body, names) VALUES ('delete', %s, %s, %s, %s)"
_EMPTY = "INSERT INTO {table} ({table}) VALUES ('delete-all')"
_OPTIMIZE = "INSERT INTO {table} ({table}) VALUES ('optimize')"
# What the trigram table holds for some records: the text whose tokens are to be forgotten.
# json_each drives the lookup so that each id is one rowid probe of the FTS5 table.
_INDEXED_TEXT = (
    "SELECT f.rowid, f.title, f.body, f.names FROM json_each(%s) AS wanted "
    "JOIN search_record_fts AS f ON f.rowid = wanted.value"
)
MATCHING = '"search_record".id IN (SELECT rowid FROM search_record_chars WHERE search_record_chars MATCH %s)'


def _folded(text: str) -> str:
    """Lower case, as the trigram tokenizer folds it; a text whose lower case changes its length
    (a rare letter) is kept as written, so that pairs stay pairs of neighbours."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _token(word: str) -> str:
    if len(word) == 1:
        return f"u{ord(word):x}"
    return f"b{ord(word[0]):x}x{ord(word[1]):x}"


def tokens(text: str) -> str:
    """Every character and neighbouring pair of ``text``, each once, as the table's tokens."""
    if not text:
        return ""
    folded = _folded(text)
    words = set(folded)
    words.update(map(add, folded, folded[1:]))
    return " ".join(map(_token, words))


def query(fields: Iterable[str], word: str) -> str:
    """The FTS5 query finding ``word`` (one or two characters) in ``fields``."""
    return "{" + " ".join(fields) + "} : " + _token(_folded(word))


def _row(rowid: int, title: str, body: str, names: str) -> tuple:
    return rowid, tokens(title), tokens(body), tokens(names)


def add_rows(cursor, rows: Iterable[tuple], table: str = TABLE) -> None:
    """Index ``rows`` of (record id, title, body, names joined by newlines), as the trigram table
    holds them; the records must not be in this table (``forget`` them first)."""
    cursor.executemany(_INSERT.format(table=table), [_row(*row[:4]) for row in rows])


def remove_rows(cursor, rows: Iterable[tuple], table: str = TABLE) -> None:
    """Take out ``rows`` of (record id, title, body, names), exactly as they were added."""
    cursor.executemany(_DELETE.format(table=table), [_row(*row[:4]) for row in rows])


def forget(cursor, record_ids: list[int]) -> None:
    """Take the records out of this table, by the text the trigram table holds for them: call it
    before their trigram rows are replaced or deleted. Records not indexed are skipped."""
    if not record_ids:
        return
    cursor.execute(_INDEXED_TEXT, [_json_list(record_ids)])
    remove_rows(cursor, cursor.fetchall())


def empty(cursor, table: str = TABLE) -> None:
    cursor.execute(_EMPTY.format(table=table))


def optimize(cursor, table: str = TABLE) -> None:
    cursor.execute(_OPTIMIZE.format(table=table))


def fill_from_trigram_table(cursor, chunk: int = 2_000) -> int:
    """Index every record the trigram table holds (for a database made before this table)."""
    done, last = 0, 0
    while True:
        cursor.execute(
            "SELECT rowid, title, body, names FROM search_record_fts "
            "WHERE rowid > %s ORDER BY rowid LIMIT %s",
            [last, chunk],
        )
        rows = cursor.fetchall()
        if not rows:
            return done
        add_rows(cursor, rows)
        done += len(rows)
        last = rows[-1][0]


def _json_list(values: list[int]) -> str:
    return "[" + ",".join(str(int(value)) for value in values) + "]"

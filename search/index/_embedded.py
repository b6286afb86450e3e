"""The embedded search backend (DESIGN §4, §7): the database itself, nothing to install.

It keeps the meanings of ``search.index._elastic`` function for function, and the contract suite
(tests/search/index/test_contract.py) runs on both. How it answers:

- **SQLite**: an FTS5 table with the trigram tokenizer (``search_record_fts``, one row per
  record, its rowid the record's id, made by migration 0003) holds the searchable text. A word
  of three characters or more is a trigram phrase query, which is a substring search answered
  from the index; a word of one or two characters, which no trigram can hold, is one token of a
  second table of characters and pairs of characters (``search.index.short_terms``). The words of one
  AND or OR that either table answers go to it as one MATCH, not one subquery a word.
- **A reader who may not see identifiers** in a system has their words matched there against
  the masked text (``search.index.masked_text``): each word is one list of record ids, from the
  tables above for the records that masking leaves unchanged and from their masked twins for
  the others, so no hidden digit makes a record match (``_matches``).
- **PostgreSQL without Elasticsearch**: a scan of the records table (``strpos`` on the text,
  the names' JSON elements). Correct at any size, fast enough for a small deployment; past
  that, set ``ELASTICSEARCH_URL``.

The query tree means what ``search.index._elastic.translate`` makes of it: a word or phrase is a
substring of the title, text or names (case-insensitive, as Elasticsearch's analyser lowercases;
spaces between ideographs in a phrase may be left out, as the standard tokenizer drops them);
``title:``, ``body:``, ``names:`` narrow it to one of them; codes, ID and phone numbers are exact
elements of their lists; ``system:`` and ``region:`` are exact codes; ``year:`` is the calendar
year in the portal's time zone. One difference remains on purpose: Elasticsearch matches Latin
words and digit runs whole, this backend finds them inside longer ones as well.

Relevance here is a plain score, documented rather than tuned: how many of the query's positive
words the title holds; ties go to the newest record. Past ``settings.SEARCH_EXACT_COUNT`` hits
a search is counted as "more than" the bound, listed newest first, and its facets count the
newest hits up to the bound (see _page: with up to READ_AHEAD times the bound the hits are
sorted in hand, with more the date index is walked): its cost then stops growing with its hits.
Paging is keyset paging on the sort key with the record id as the last tiebreaker; the "point in time"
is the highest record id when the first page was read, so records arriving meanwhile do not
shift the pages.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import reduce
from itertools import islice
from operator import and_, or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, IntegerField, Max, Q, Value
from django.db.models.expressions import RawSQL

from agencies.models import Region

from ..masking import whole_number
from ..models import Record, SourceSystem
from . import masked_text, short_terms
from ._elastic import terms_to_mark
from .query import And, Not, Or, Term, reads_text
from .types import Filters, Hit, Page

FTS_TABLE = "search_record_fts"
TRIGRAM = 3  # the shortest word the trigram index can answer
TEXT_FIELDS = ("title", "body", "names")
LIST_FIELDS = ("credit_codes", "id_numbers", "phones")
CHUNK = 2_000
MATCH_NONE = Q(pk__in=[])

# Spaces between two ideographs: the standard tokenizer drops them, so "城南 路灯" is 城南路灯.
_IDEOGRAPH_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


# --- writing the full-text table ---------------------------------------------------------------


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _fts_row(record) -> tuple:
    return (
        record.pk,
        record.title,
        record.body,
        "\n".join(record.names),
        "\n".join(record.credit_codes),
        "\n".join(record.id_numbers),
        "\n".join(record.phones),
    )


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


_INSERT = (
    "INSERT INTO search_record_fts (rowid, title, body, names, credit_codes, id_numbers, phones) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
_DELETE = "DELETE FROM search_record_fts WHERE rowid = %s"
_EMPTY = "DELETE FROM search_record_fts"
_OPTIMIZE = "INSERT INTO search_record_fts (search_record_fts) VALUES ('optimize')"
# A record whose text fields hold a phrase, by the trigram index (an FTS5 query as the parameter).
_MATCHING = '"search_record".id IN (SELECT rowid FROM search_record_fts WHERE search_record_fts MATCH %s)'


def index_records(records: Iterable) -> int:
    """Add or replace the records' rows (records with their pk); returns how many.

    On PostgreSQL the records table is the index: only the masked text is written."""
    done = 0
    for chunk in _chunks(records):
        # The last of a record given twice wins; twice in one chunk would be forgotten twice.
        unique = list({record.pk: record for record in chunk}.values())
        with transaction.atomic(), connection.cursor() as cursor:
            if _uses_fts():
                rows = [_fts_row(record) for record in unique]
                _forget(cursor, [row[0] for row in rows])
                cursor.executemany(_INSERT, rows)
                short_terms.add_rows(cursor, rows)
            else:
                masked_text.forget(cursor, [record.pk for record in unique], full_text=False)
            masked_text.add(cursor, masked_text.rows_of(unique), full_text=_uses_fts())
        done += len(chunk)
    return done


def remove_records(record_ids: list[int]) -> int:
    if record_ids:
        with transaction.atomic(), connection.cursor() as cursor:
            if _uses_fts():
                _forget(cursor, list(dict.fromkeys(record_ids)))
            else:
                masked_text.forget(cursor, list(dict.fromkeys(record_ids)), full_text=False)
    return len(record_ids)


def _forget(cursor, record_ids: list[int]) -> None:
    """Take records out of every table: the short-term table first, while the trigram table
    still holds the text it must be told again; the masked text with its own tables."""
    short_terms.forget(cursor, record_ids)
    cursor.executemany(_DELETE, [(pk,) for pk in record_ids])
    masked_text.forget(cursor, record_ids, full_text=True)


def refresh() -> None:
    """Nothing to do: what is written is searchable once its transaction commits."""


def close(pit: str) -> None:
    """Nothing to do: the snapshot is a number, it holds no resources."""


def reindex(records: Iterable, *, progress: Callable[[int], None] | None = None) -> str:
    """Rebuild the full-text table from ``records`` in one transaction: readers see the old
    table until the new one commits (SQLite's WAL keeps their snapshot), never a half-built one."""
    done = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if _uses_fts():
                cursor.execute(_EMPTY)
                short_terms.empty(cursor)
            masked_text.empty(cursor, full_text=_uses_fts())
        for chunk in _chunks(records):
            with connection.cursor() as cursor:
                if _uses_fts():
                    rows = [_fts_row(record) for record in chunk]
                    cursor.executemany(_INSERT, rows)
                    short_terms.add_rows(cursor, rows)
                masked_text.add(cursor, masked_text.rows_of(chunk), full_text=_uses_fts())
            done += len(chunk)
            if progress:
                progress(done)
        if _uses_fts():
            with connection.cursor() as cursor:
                cursor.execute(_OPTIMIZE)
                short_terms.optimize(cursor)
                masked_text.optimize(cursor)
    return FTS_TABLE if _uses_fts() else Record._meta.db_table


# --- the query tree as conditions on the records table ------------------------------------------

def _matches(tree, filters: Filters) -> Q:
    """The records the query finds, each searched in the text its reader may see: as stored in
    the systems whose identifiers they see (``filters.identifiers_shown``), else masked, where
    a hidden digit matches nothing (``search.index.masked_text``). Without ``within_systems`` (no
    reader: internal use), as stored everywhere."""
    stored = _condition(tree)
    if filters.within_systems is None or not reads_text(tree):
        return stored
    seen, hidden = filters.systems_by_identifiers()
    if not hidden or not seen:  # one text everywhere: _filtered keeps the reader's systems
        return _condition(tree, masked=True) if hidden else stored
    return (_in_systems(seen) & stored) | (_in_systems(hidden) & _condition(tree, masked=True))


def _in_systems(codes: list[str] | tuple[str, ...]) -> Q:
    """Records of the systems with these codes, as a reader's limits say. On SQLite a condition
    that no index answers (unary plus on the column): given the system index, SQLite walks
    every record of those systems and tests each against the full-text tables' lists, where
    looking the matches up by id is many times faster (at 1M records, 7,163 hits of a reader of
    every system: 1.2 s against 0.2 s)."""
    if not _uses_fts():
        return Q(system__code__in=codes)
    if not codes:
        return MATCH_NONE
    marks = ", ".join(["%s"] * len(codes))  # the codes are parameters
    systems = f"SELECT id FROM search_sourcesystem WHERE code IN ({marks})"  # noqa: S608
    return _raw(f'+"search_record".system_id IN ({systems})', list(codes))


def _condition(tree, masked: bool = False) -> Q:
    if isinstance(tree, Term):
        return _term(tree, masked)
    if isinstance(tree, Not):
        return ~_condition(tree.item, masked)
    if isinstance(tree, And | Or):
        return _combined(tree, masked)
    raise TypeError(tree)


def _combined(tree: And | Or, masked: bool = False) -> Q:
    """The items of an AND or an OR. On SQLite the words that a full-text table answers go to it
    as one MATCH (FTS5 intersects or unites its own lists: fifty ORed words are one query, not
    fifty subqueries); the other items are conditions of their own, joined as the tree says."""
    joiner, join = (" AND ", and_) if isinstance(tree, And) else (" OR ", or_)
    queries: dict[str, list[str]] = {}
    conditions = []
    for item in tree.items:
        found = _full_text_queries(item, masked) if _combinable(item) else None
        tables = {table for table, _query in found or ()}
        if found is None or (join is and_ and len(tables) != 1):
            conditions.append(_condition(item, masked))  # an AND cannot split one word's forms
        elif join is and_:
            queries.setdefault(tables.pop(), []).append(_joined(" OR ", [query for _table, query in found]))
        else:
            for table, query in found:
                queries.setdefault(table, []).append(query)
    for table, parts in queries.items():
        conditions.append(_matching(table, _joined(joiner, parts)))
    return reduce(join, conditions)


def _joined(joiner: str, queries: list[tuple[str, ...]]) -> tuple[str, ...]:
    """FTS5 queries joined by AND or OR, each of the text as stored and, for a masked reader, of
    the masked text (see ``_full_text_queries``) joined with its own kind."""
    return tuple(joiner.join(f"({query[kind]})" for query in queries) for kind in range(len(queries[0])))


def _combinable(item) -> bool:
    """Words of the title or text, searched as substrings (names have a meaning of their own)."""
    return isinstance(item, Term) and item.field in (None, "title", "body")


def _term(term: Term, masked: bool = False) -> Q:
    if term.field in LIST_FIELDS:
        return _exact_element(term.field, term.text)
    if term.field == "names" and term.phrase:  # 名称:"张伟": exactly that name, not 张伟柏
        return _exact_element("names", term.text)
    if term.field == "system":
        return Q(system__code=term.text)
    if term.field == "region":
        return Q(region__code=term.text)
    if term.field == "year":
        try:
            return _in_year(int(term.text))
        except ValueError:
            return MATCH_NONE
    found = _full_text_queries(term, masked)
    if found is not None:
        by_table: dict[str, list[tuple[str, ...]]] = {}
        for table, query in found:
            by_table.setdefault(table, []).append(query)
        return reduce(or_, (_matching(table, _joined(" OR ", parts)) for table, parts in by_table.items()))
    fields = (term.field,) if term.field else TEXT_FIELDS
    stored = reduce(or_, (_contains(fields, text) for text in variants(term.text)))
    if masked and not _uses_fts():  # (on SQLite only an empty word comes here: no digit in it)
        # A record that masking leaves unchanged has nothing hidden: its text as stored is safe.
        has_masked = _raw(masked_text.HAS_ROW, [])
        return (~has_masked & stored) | _masked_contains(fields, term.text)
    return stored


def _full_text_queries(term: Term, masked: bool = False) -> list[tuple[str, tuple[str, ...]]] | None:
    """(table, FTS5 queries) for each form of a word of the title, text or names, on SQLite: a
    trigram phrase for three characters or more, a token of the short-term table for one or
    two. For a reader who sees identifiers, one query, of the text as stored; for one who does
    not (``masked``), a second, of the masked text in the table's twin (``search.index.masked_text``),
    where a number typed whole is looked up among the numbers read in the text. None where no
    full-text table answers: PostgreSQL, other fields, an empty word."""
    if not _uses_fts() or term.field not in (None, *TEXT_FIELDS) or not term.text:
        return None
    fields = (term.field,) if term.field else TEXT_FIELDS
    number = whole_number(term.text) if masked else None
    found = []
    for text in variants(term.text):
        if len(text) > short_terms.LONGEST:
            table, query = FTS_TABLE, "{" + " ".join(fields) + "} : " + _fts_phrase(text)
            if number is not None:
                masked_query = "{numbers} : " + _fts_phrase(masked_text.number_query(number))
            else:
                masked_query = query
        else:
            table, query = short_terms.TABLE, short_terms.query(fields, text)
            masked_query = query
        found.append((table, (query, masked_query) if masked else (query,)))
    return found


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_MATCHING_IN = {
    FTS_TABLE: (_MATCHING, masked_text.MATCHING),
    short_terms.TABLE: (short_terms.MATCHING, masked_text.CHARS_MATCHING),
}


def _matching(table: str, queries: tuple[str, ...]) -> Q:
    """Records that the FTS5 query finds in ``table``; given two queries (a masked reader's),
    the first answers for the records that masking leaves unchanged, the second in the masked
    text's twin of the table for the others: one list of ids, which SQLite looks up by rowid."""
    stored, masked = _MATCHING_IN[table]
    if len(queries) == 1:
        return _raw(stored, list(queries))
    return _raw(masked, list(queries))


def variants(text: str) -> list[str]:
    """The forms of a word or phrase that count as it (see _IDEOGRAPH_SPACE)."""
    joined = _IDEOGRAPH_SPACE.sub("", text)
    return [text] if joined == text else [text, joined]


def _raw(sql: str, params: list) -> Q:
    return Q(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611 - values are parameters


def _contains(fields: tuple[str, ...], text: str) -> Q:
    """Records whose ``fields`` hold ``text`` as a substring, ignoring case: a scan (PostgreSQL,
    and an empty word on SQLite; otherwise the full-text tables answer, see _full_text_queries)."""
    if _uses_fts():  # only an empty word comes here, which every text holds
        return Q(pk__isnull=False)
    conditions = []
    for field in fields:
        if field == "names":
            conditions.append(
                'EXISTS (SELECT 1 FROM jsonb_array_elements_text("search_record".names) AS name(value)'
                " WHERE strpos(lower(name.value), lower(%s)) > 0)"
            )
        else:
            conditions.append(f'strpos(lower("search_record".{field}), lower(%s)) > 0')
    return _raw("(" + " OR ".join(conditions) + ")", [text] * len(fields))


def _masked_contains(fields: tuple[str, ...], text: str) -> Q:
    """On PostgreSQL: records whose masked row (search.index.masked_text) holds ``text`` in ``fields``,
    or, for a number typed whole, among its numbers. A scan, as ``_contains`` is."""
    number = whole_number(text)
    if number is not None:
        condition, values = "strpos(masked.numbers, %s) > 0", [masked_text.number_query(number)]
    else:
        words = variants(text)
        condition = " OR ".join(
            f"strpos(lower(masked.{field}), lower(%s)) > 0" for field in fields for _word in words
        )
        values = [word for _field in fields for word in words]
    return _raw(
        f'EXISTS (SELECT 1 FROM {masked_text.TABLE} AS masked WHERE masked.record_id = "search_record".id'  # noqa: S608
        f" AND ({condition}))",
        values,
    )


def _exact_element(field: str, value: str) -> Q:
    """Records whose list ``field`` (codes, ID or phone numbers) has ``value`` as an element."""
    if not _uses_fts():
        return _raw(f'"search_record".{field} @> %s::jsonb', [json.dumps([value])])
    element = f'EXISTS (SELECT 1 FROM json_each("search_record".{field}) WHERE value = %s)'  # noqa: S608
    if len(value) < TRIGRAM:
        return _raw(element, [value])
    # The trigram index narrows the records down; the JSON list then decides exactly.
    phrase = "{" + field + '} : "' + value.replace('"', '""') + '"'
    return _raw(f"({_MATCHING} AND {element})", [phrase, value])


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def _in_year(year: int) -> Q:
    if not 1 <= year <= 9998:
        return MATCH_NONE
    start, end = _midnight(dt.date(year, 1, 1)), _midnight(dt.date(year + 1, 1, 1))
    return Q(occurred_at__gte=start, occurred_at__lt=end)


def _filtered(filters: Filters, snapshot: int | None = None):
    records = Record.objects.all()
    if snapshot is not None:
        records = records.filter(pk__lte=snapshot)
    if filters.within_systems is not None:
        records = records.filter(_in_systems(filters.within_systems))
    if filters.ingested_since is not None:
        records = records.filter(ingested_at__gte=filters.ingested_since)
    if filters.systems:
        records = records.filter(system__code__in=filters.systems)
    if filters.regions:
        records = records.filter(region__code__in=filters.regions)
    if filters.agencies:
        records = records.filter(system__owner_code__in=filters.agencies)
    if filters.years:
        records = records.filter(reduce(or_, (_in_year(year) for year in filters.years)))
    if filters.occurred_from:
        records = records.filter(occurred_at__gte=_midnight(filters.occurred_from))
    if filters.occurred_to:
        records = records.filter(occurred_at__lt=_midnight(filters.occurred_to + dt.timedelta(days=1)))
    if filters.amount_min is not None:
        records = records.filter(amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        records = records.filter(amount__lte=filters.amount_max)
    return records


# --- sorting and keyset paging -------------------------------------------------------------------


def _score(tree, filters: Filters):
    """How many of the query's positive words the title holds (see the module's docstring): the
    title its reader sees, so that the order of the hits tells no more than the hits do."""
    words = [term.text for term in terms_to_mark(tree) if term.field in (None, "title")]
    if not words:
        return Value(0, output_field=IntegerField())
    title, params = _seen_title(filters)
    if _uses_fts():
        found = f"(instr(lower({title}), lower(%s)) > 0)"  # in brackets: + binds before >
    else:
        found = f"(strpos(lower({title}), lower(%s)) > 0)::int"
    total = "(" + " + ".join([found] * len(words)) + ")"
    values = [value for word in words for value in (*params, word)]
    return RawSQL(total, values, output_field=IntegerField())  # noqa: S611 - the words are parameters


_MASKED_TITLE = (
    "COALESCE((SELECT masked.title FROM search_record_masked AS masked"
    ' WHERE masked.record_id = "search_record".id), "search_record".title)'
)


def _seen_title(filters: Filters) -> tuple[str, list]:
    """SQL for the title as the reader sees it (masked in the systems whose identifiers they do
    not see, see ``_matches``), and its parameters."""
    if filters.within_systems is None:
        return '"search_record".title', []
    _seen, hidden = filters.systems_by_identifiers()
    if not hidden:
        return '"search_record".title', []
    marks = ", ".join(["%s"] * len(hidden))  # the codes are parameters
    systems = f"SELECT id FROM search_sourcesystem WHERE code IN ({marks})"  # noqa: S608
    hidden_system = f'"search_record".system_id IN ({systems})'
    return f'(CASE WHEN {hidden_system} THEN {_MASKED_TITLE} ELSE "search_record".title END)', hidden


ORDERINGS = {
    "relevance": [F("score").desc(), F("occurred_at").desc(), F("id").desc()],
    "date": [F("occurred_at").desc(), F("id").desc()],
    "amount": [F("amount").desc(nulls_last=True), F("id").desc()],
}


def _sort_key(sort: str, row: dict) -> list:
    """JSON-friendly: the views carry it in a link."""
    when = row["occurred_at"].isoformat()
    if sort == "relevance":
        return [row["score"], when, row["id"]]
    if sort == "date":
        return [when, row["id"]]
    return [str(row["amount"]) if row["amount"] is not None else None, row["id"]]


def _after(sort: str, after: list) -> Q:
    """The records that come after the sort key ``after`` (every order is descending)."""
    _check_sort_key(sort, after)
    if sort == "amount":
        amount, pk = after
        if amount is None:
            return Q(amount__isnull=True, id__lt=pk)
        return Q(amount__lt=amount) | Q(amount=amount, id__lt=pk) | Q(amount__isnull=True)
    if sort == "relevance":
        score, when, pk = after
        when = dt.datetime.fromisoformat(when)
        return (
            Q(score__lt=score)
            | Q(score=score, occurred_at__lt=when)
            | Q(score=score, occurred_at=when, id__lt=pk)
        )
    when, pk = after
    when = dt.datetime.fromisoformat(when)
    return Q(occurred_at__lt=when) | Q(occurred_at=when, id__lt=pk)


MAX_ROW_ID = 2**63 - 1


def _check_sort_key(sort: str, after: list) -> None:
    """ValueError unless ``after`` is a sort key this backend could have made for ``sort``: a key
    from a damaged link must not reach the database, where it would fail the transaction."""
    shapes = {"relevance": 3, "date": 2, "amount": 2}
    if not isinstance(after, list) or len(after) != shapes[sort]:
        raise ValueError("not a sort key")
    pk = after[-1]
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk <= MAX_ROW_ID:
        raise ValueError("not a record id")
    if sort == "relevance" and (not isinstance(after[0], int) or isinstance(after[0], bool)
                                or not 0 <= after[0] <= MAX_ROW_ID):
        raise ValueError("not a score")
    if sort in ("relevance", "date"):
        when = dt.datetime.fromisoformat(after[-2]) if isinstance(after[-2], str) else None
        if when is None or when.tzinfo is None:
            raise ValueError("not a moment")
    if sort == "amount" and after[0] is not None:
        try:
            amount = Decimal(after[0]) if isinstance(after[0], str) else Decimal("NaN")
        except InvalidOperation:
            raise ValueError("not an amount") from None
        if not amount.is_finite() or abs(amount) >= 10**14:
            raise ValueError("not an amount")


# --- searching -----------------------------------------------------------------------------------


def search(
    tree,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    size: int = 20,
    after: list | None = None,
    pit: str | None = None,
    facets: bool = True,
) -> Page:
    return _page(tree, filters or Filters(), sort=sort, size=size, after=after, pit=pit, facets=facets)


def _page(tree, filters, *, sort, size, after, pit, facets, count=True, plan=None) -> Page:
    """One page. ``plan`` (the order and whether the hits pass the bound), when the caller already
    knows it from the first page of a scan, spares counting again."""
    if pit is None:
        pit = str(Record.objects.aggregate(top=Max("pk"))["top"] or 0)
    matching = _filtered(filters, snapshot=int(pit)).filter(_matches(tree, filters))
    total, first = None, []
    bound = settings.SEARCH_EXACT_COUNT
    if facets and not after:
        # The first page counts and facets from one read of the matches, not a count and a
        # grouped query that would each list the matches again. It reads past the bound, up to
        # READ_AHEAD times it: a search with no more hits than that has them all in hand.
        first = _matches_up_to(matching, bound * READ_AHEAD + 1)
        total = len(first)
    elif count or plan is None:
        total = _count_up_to(matching, bound + 1)
    if total is not None:
        beyond = total > bound
        plan = ("date" if beyond and sort == "relevance" else sort, beyond)
    order, beyond = plan
    newest: list[tuple] = []
    if beyond and first and len(first) <= bound * READ_AHEAD:
        # Every hit in hand: its newest are sorted here, where a walk down the date index would
        # list the matches once more and, hits being sparse, pass up to a hundred entries a hit.
        newest = _newest_in(first, max(size + 1, bound))
    elif beyond and order == "date" and _uses_fts():
        # Many hits, dense enough that walking down the date index finds the newest soon: the
        # first page's walk reads the bound's worth of them at once (the facets count them, the
        # page is their head). Later pages read only a page from their key.
        wanted = size + 1 if after or not facets else max(size + 1, bound)
        newest = _newest(matching.filter(_after(order, after)) if after else matching, wanted)
    if beyond and order == "date" and newest:
        rows = _rows_in_order([row[0] for row in newest[: size + 1]])
    else:
        score = _score(tree, filters) if order == "relevance" else Value(0, output_field=IntegerField())
        among = matching
        if first and not beyond and _uses_fts():
            # Every hit in hand: the page is sorted among them, rather than among the matches
            # that the full-text tables would list once more.
            among = Record.objects.filter(_raw(_AMONG, [json.dumps([row[0] for row in first])]))
        ordered = among.annotate(score=score).order_by(*ORDERINGS[order])
        if after:
            ordered = ordered.filter(_after(order, after))
        rows = list(ordered.values(*PAGE_FIELDS)[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    hits = [
        Hit(
            record_id=row["id"],
            system=row["system__code"],
            external_id=row["external_id"],
            score=float(row["score"]) if order == "relevance" else None,
        )
        for row in rows
    ]
    found, counted = {}, None
    if facets and not after:
        if beyond:
            counted = bound
            if not newest:  # many hits listed by amount, or on PostgreSQL: no walk to share
                newest = _newest(matching, counted)
            found = _facets_of(newest[:counted])
        else:
            found = _facets_of(first)
    return Page(
        hits=hits,
        total=len(hits) if total is None else min(total, bound),
        facets=found,
        next_after=_sort_key(order, rows[-1]) if more else None,
        pit=pit,
        total_exact=not beyond,
        sort=order,
        facets_counted=counted,
    )


PAGE_FIELDS = ["id", "system__code", "external_id", "occurred_at", "amount", "score"]
_AMONG = '"search_record".id IN (SELECT value FROM json_each(%s))'  # ids as one JSON parameter


def _count_up_to(matching, limit: int) -> int:
    """How many records match, counted no further than ``limit``.

    Counting stops one past settings.SEARCH_EXACT_COUNT, so what a search costs stops growing
    with its hits there (as Elasticsearch's track_total_hits). Past the bound a relevance order is
    given up for the newest first: the title score would have to be computed for every hit before
    the first page (37 s for 900,000 hits at 1M records), while the newest hits come through the
    date index (_newest). The page says so (Page.sort)."""
    return matching.values("pk")[:limit].count()


# How far past the bound the first page reads the matches, in bounds: with that many hits or fewer
# the newest are sorted from the hits in hand (_newest_in); with more, the hits are dense enough
# (at 1M records and the default bound, 4% of the records or more) for the walk down the date
# index (_newest) to find the newest soon. Measured at 1M records: see bench/RESULTS.md,
# "Counting to a bound".
READ_AHEAD = 4


def _matches_up_to(matching, limit: int) -> list[tuple]:
    """(id, system id, region id, occurred_at) of at most ``limit`` matches, in no order.

    Read by a plain cursor, without the ORM's conversions of every row: the moments stay as the
    cursor gives them (see _moment), which compare as the date index orders them."""
    query = matching.order_by().values_list("id", "system_id", "region_id", "occurred_at")[:limit]
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a query that can match nothing (a year out of range, no system)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _newest_in(rows: list[tuple], count: int) -> list[tuple]:
    """The ``count`` newest of rows as _matches_up_to reads them, newest first, as _newest orders
    them (the moment, then the id, both descending)."""
    return heapq.nlargest(count, rows, key=_newest_first)


def _newest_first(row: tuple) -> tuple:
    return row[3], row[0]


def _newest(matching, count: int) -> list[tuple]:
    """(id, system id, region id, occurred_at) of the ``count`` newest matches, newest first.

    On SQLite the walk goes down the date index, testing each record against the matches (whose
    rowids the full-text table lists once): it stops after ``count`` hits, where ordering the
    matches by date would read every hit's row and sort them all (11 s for 900,000 hits at 1M).
    Only worth it when the hits are many, which is when it is used (past the bound)."""
    query = matching.order_by(*ORDERINGS["date"]).values_list("id", "system_id", "region_id", "occurred_at")
    if not _uses_fts():
        return list(query[:count])
    sql, params = query[:count].query.sql_with_params()
    table = connection.ops.quote_name(Record._meta.db_table)
    sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {_date_index()}", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, system, region, _moment(when)) for pk, system, region, when in cursor.fetchall()]


def _date_index() -> str:
    """The name Django gave the index of ``occurred_at`` (db_index=True)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Record._meta.db_table)
    return next(name for name, index in indexes.items()
                if index["index"] and index["columns"] == ["occurred_at"])


def _moment(value) -> dt.datetime:
    """A datetime column as a plain cursor hands it over: on SQLite naive (Django's converter)
    or text, in UTC either way; on PostgreSQL aware."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _rows_in_order(record_ids: list[int]) -> list[dict]:
    """The page's fields of these records, in the order given (newest first, no score)."""
    found = {
        row["id"]: row
        for row in Record.objects.filter(pk__in=record_ids)
        .annotate(score=Value(0, output_field=IntegerField()))
        .values(*PAGE_FIELDS)
    }
    return [found[pk] for pk in record_ids]


def _facets_of(rows: list[tuple]) -> dict[str, list[tuple[str, int]]]:
    """Counts by system, region, agency (the system's owner) and year of rows as _matches_up_to
    and _newest read them (a bounded number), ordered as Elasticsearch's aggregations order
    them: most hits first, then by key; years in order. Counted here, from rows already read,
    rather than by a grouped query that would list the matches once more."""
    systems = dict(SourceSystem.objects.values_list("pk", "code"))
    owners = dict(SourceSystem.objects.values_list("pk", "owner_code"))
    regions = dict(Region.objects.values_list("pk", "code"))
    zone = _zone()
    counts: dict[str, Counter] = {name: Counter() for name in FACET_KEYS}
    for _pk, system, region, when in rows:
        counts["system"][systems[system]] += 1
        if owners[system]:
            counts["agency"][owners[system]] += 1
        if region is not None:
            counts["region"][regions[region]] += 1
        counts["year"][str(_moment(when).astimezone(zone).year)] += 1
    found = {name: sorted(counter.items(), key=_most_first) for name, counter in counts.items()}
    found["year"].sort()
    return found


FACET_KEYS = ("system", "region", "agency", "year")


def _most_first(bucket: tuple[str, int]):
    return -bucket[1], bucket[0]


def scan(tree, filters: Filters | None = None, *, sort: str = "date", batch: int = 1_000) -> Iterator[Hit]:
    """Every hit over one snapshot, page by page (no counts)."""
    filters = filters or Filters()
    after, pit, plan = None, None, None
    while True:
        page = _page(
            tree, filters, sort=sort, size=batch, after=after, pit=pit,
            facets=False, count=False, plan=plan,
        )
        yield from page.hits
        if page.next_after is None:
            return
        # Counted once, on the first page: the order and the walk stay those of the first page.
        after, pit, plan = page.next_after, page.pit, (page.sort, not page.total_exact)


def count_by_system(trees: list, filters: Filters | None = None) -> list[dict[str, int]]:
    """For each tree, its matches by system: one GROUP BY query a tree."""
    filters = filters or Filters()
    base = _filtered(filters)
    return [
        dict(
            base.filter(_matches(tree, filters))
            .values("system__code")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("system__code", "n")
        )
        for tree in trees
    ]

"""The Elasticsearch side of the search layer (DESIGN §7): the index, its versions, the queries.

Chinese text is analysed by the standard tokenizer, one token per ideograph, with
``index_phrases``: a phrase of ideographs is then a run of adjacent tokens that the shingle
field answers quickly, so phrase queries act as substring search without any plugin. Codes,
ID numbers and phone numbers are keywords, matched exactly. Only core modules are assumed.

A reader who may not see identifiers in a system searches its records' *masked* text
(``search.index.masked_text``): a record whose masking changes its title, text or names also holds
them masked (``masked_title``, ``masked_body``, ``masked_names``) and the numbers read in them
(``numbers``, keywords), and says so (``has_masked``). Such a reader's words are matched
against the masked fields where ``has_masked`` is true, where a hidden digit matches nothing,
and a number typed whole against ``numbers``; against the ordinary fields where it is false. A
document of a version made before these fields has neither value and matches no such reader's
words until ``manage.py search_reindex`` has built a new version.

The index is versioned behind an alias: ``<prefix>-records`` names the live version,
``<prefix>-records-<stamp>``. A reindex builds a new version from the database while the old
one answers, then moves the alias in one atomic call and drops the old version: no downtime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.utils import timezone
from elasticsearch import BadRequestError, NotFoundError
from elasticsearch.dsl import Boolean, Date, Document, Double, Keyword, Long, Q, Text
from elasticsearch.helpers import bulk

from ..masking import whole_number
from . import masked_text
from .connection import elasticsearch_client
from .query import And, Not, Or, Term, reads_text
from .types import Filters, Hit, Page, QueryRejected

# How a record's text is searched: standard tokenizer (one token per ideograph), with phrases.
CHINESE_TEXT = {"analyzer": "standard", "index_phrases": True}


class RecordDocument(Document):
    record_id = Long()
    system = Keyword()
    external_id = Keyword()
    title = Text(**CHINESE_TEXT)
    body = Text(**CHINESE_TEXT)
    occurred_at = Date()
    region = Keyword()
    agency = Keyword()  # the system's owner agency, a facet
    amount = Double()  # yuan; mapper-extras (scaled_float) is not a core module
    names = Text(**CHINESE_TEXT, fields={"exact": Keyword()})
    credit_codes = Keyword()
    id_numbers = Keyword()
    phones = Keyword()
    ingested_at = Date()
    # The text as a reader who may not see identifiers sees it, where masking changes it.
    has_masked = Boolean()
    masked_title = Text(**CHINESE_TEXT)
    masked_body = Text(**CHINESE_TEXT)
    masked_names = Text(**CHINESE_TEXT)
    numbers = Keyword()

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


def alias() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-records"


def _new_version_name() -> str:
    return f"{alias()}-{timezone.now():%Y%m%d%H%M%S%f}"


def _create_version(name: str) -> None:
    index = RecordDocument._index.clone(name)
    index.settings(**RecordDocument.Index.settings)
    index.create(using=elasticsearch_client())


def live_versions() -> list[str]:
    """The concrete indices the alias points at (one, except halfway through a move)."""
    client = elasticsearch_client()
    if not client.indices.exists_alias(name=alias()):
        return []
    return sorted(client.indices.get_alias(name=alias()).keys())


def ensure_index() -> str:
    """The live version, created empty on first use."""
    versions = live_versions()
    if versions:
        return versions[-1]
    name = _new_version_name()
    _create_version(name)
    elasticsearch_client().indices.put_alias(index=name, name=alias())
    return name


def as_document(record) -> dict:
    """The indexed form of a ``search.models.Record`` (with its system and region loaded)."""
    masked = masked_text.masked(record.title, record.body, record.names)
    return {
        "_id": f"{record.system.code}:{record.external_id}",
        "record_id": record.pk,
        "system": record.system.code,
        "external_id": record.external_id,
        "title": record.title,
        "body": record.body,
        "occurred_at": record.occurred_at.isoformat(),
        "region": record.region.code if record.region_id else None,
        "agency": record.system.owner_code or None,
        "amount": float(record.amount) if record.amount is not None else None,
        "names": record.names,
        "credit_codes": record.credit_codes,
        "id_numbers": record.id_numbers,
        "phones": record.phones,
        "ingested_at": record.ingested_at.isoformat(),
        "has_masked": masked is not None,
        **(
            {
                "masked_title": masked.title, "masked_body": masked.body, "masked_names": masked.names,
                "numbers": masked.numbers,
            }
            if masked is not None else {}
        ),
    }


def index_records(records: Iterable, *, index: str | None = None, refresh: bool = False) -> int:
    """Write the records with ``_bulk`` (one request per 2,000) to ``index``, or through the alias
    to whichever version is live at that moment: a write racing a reindex lands in the version
    the alias has just moved to, never in one about to be dropped. Returns how many."""
    if index is None:
        ensure_index()
    target = index or alias()
    actions = ({"_index": target, **as_document(record)} for record in records)
    done, _errors = bulk(
        elasticsearch_client(), actions, chunk_size=2_000, raise_on_error=True,
        require_alias=index is None,  # never let a write auto-create an index under the alias's name
    )
    if refresh:
        elasticsearch_client().indices.refresh(index=target)
    return done


def remove_records(record_ids: list[int]) -> int:
    """Delete the records' documents from the live version; returns how many were there.

    The documents are found by record id and deleted with ``_bulk``: ``_delete_by_query`` lives
    in the reindex module, which a core-only node does not have."""
    client = elasticsearch_client()
    deleted = 0
    for start in range(0, len(record_ids), REMOVE_CHUNK):
        chunk = record_ids[start : start + REMOVE_CHUNK]
        found = client.search(
            index=alias(), query={"terms": {"record_id": chunk}}, size=len(chunk), _source=False,
            track_total_hits=False,
        )["hits"]["hits"]
        actions = [{"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]} for hit in found]
        done, _errors = bulk(client, actions, raise_on_error=True)
        deleted += done
    return deleted


REMOVE_CHUNK = 5_000  # record ids per lookup, under the default 10,000 result window


def refresh() -> None:
    # Before the first record there is no index to refresh, and nothing to make searchable.
    elasticsearch_client().indices.refresh(index=alias(), ignore_unavailable=True, allow_no_indices=True)


def reindex(records: Iterable, *, progress: Callable[[int], None] | None = None) -> str:
    """Build a new version from ``records``, move the alias to it, drop the old ones.

    A reindex that fails drops its half-built version; the old one never stopped answering."""
    client = elasticsearch_client()
    old = live_versions()
    name = _new_version_name()
    _create_version(name)
    try:
        # Bulk loading goes faster without refreshes; the alias moves after one final refresh.
        client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
        done = 0
        records = iter(records)
        while batch := list(islice(records, 2_000)):
            done += index_records(batch, index=name)
            if progress:
                progress(done)
    except BaseException:
        client.indices.delete(index=name)
        raise
    client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
    client.indices.refresh(index=name)
    actions = [{"remove": {"index": version, "alias": alias()}} for version in old]
    actions.append({"add": {"index": name, "alias": alias()}})
    client.indices.update_aliases(actions=actions)
    for version in old:
        client.indices.delete(index=version)
    return name


# --- queries --------------------------------------------------------------------------------

TEXT_FIELDS = ["title", "body", "names"]
EXACT_FIELDS = {"credit_codes", "id_numbers", "phones", "system", "region"}


MASKED_FIELDS = {"title": "masked_title", "body": "masked_body", "names": "masked_names"}


def translate(tree, masked: bool = False) -> Q:
    """The parsed query (search.index.query) as an Elasticsearch query; ``masked``: its words looked
    for in the masked text (see the module's docstring)."""
    if isinstance(tree, Term):
        return _term(tree, masked)
    if isinstance(tree, Not):
        return ~translate(tree.item, masked)
    if isinstance(tree, And):
        return Q("bool", must=[translate(item, masked) for item in tree.items])
    if isinstance(tree, Or):
        return Q("bool", should=[translate(item, masked) for item in tree.items], minimum_should_match=1)
    raise TypeError(tree)


def _matches(tree, filters: Filters) -> Q:
    """The records the query finds, each searched in the text its reader may see: as stored in
    the systems whose identifiers they see (``filters.identifiers_shown``), else masked. Without
    ``within_systems`` (no reader: internal use), as stored everywhere."""
    stored = translate(tree)
    if filters.within_systems is None or not reads_text(tree):
        return stored
    seen, hidden = filters.systems_by_identifiers()
    found = []
    if seen:
        found.append(Q("bool", filter=[Q("terms", system=seen)], must=[stored]))
    if hidden:
        # A record that masking leaves unchanged has nothing hidden: its text as stored is safe.
        either = Q(
            "bool",
            should=[
                Q("bool", filter=[Q("term", has_masked=False)], must=[stored]),
                Q("bool", filter=[Q("term", has_masked=True)], must=[translate(tree, masked=True)]),
            ],
            minimum_should_match=1,
        )
        found.append(Q("bool", filter=[Q("terms", system=hidden)], must=[either]))
    if not found:
        return Q("match_none")
    return found[0] if len(found) == 1 else Q("bool", should=found, minimum_should_match=1)


def _term(term: Term, masked: bool = False) -> Q:
    if term.field in EXACT_FIELDS:
        return Q("term", **{term.field: term.text})
    if term.field == "year":
        try:
            year = int(term.text)
        except ValueError:
            return Q("match_none")
        if not 1 <= year <= 9998:
            return Q("match_none")
        return Q("range", occurred_at=_local_days(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)))
    fields = [term.field] if term.field else TEXT_FIELDS
    if term.field == "names" and term.phrase:
        # 名称:"张伟" is exactly that name (not 张伟柏); 名称:张伟, below, any name holding it.
        return Q("term", **{"names.exact": term.text})
    if masked:
        number = whole_number(term.text)
        if number is not None:  # typed whole: found among the numbers read in the text
            return Q("term", numbers=number)
        fields = [MASKED_FIELDS[field] for field in fields]
    # Chinese words are runs of ideographs: a word is searched as a phrase of its characters,
    # which with index_phrases is a substring search.
    return _phrase(fields, term.text)


def _local_days(start: dt.date | None, end: dt.date | None) -> dict:
    """From ``start`` to before ``end``, both local midnights: a day or year is the portal's
    (settings.TIME_ZONE), not UTC's, in filters and facets alike."""
    bounds = {"time_zone": settings.TIME_ZONE}
    if start:
        bounds["gte"] = start.isoformat()
    if end:
        bounds["lt"] = end.isoformat()
    return bounds


def _phrase(fields: list[str], text: str, slop: int = 0) -> Q:
    return Q("multi_match", query=text, fields=fields, type="phrase", slop=slop)


def terms_to_mark(tree) -> list[Term]:
    """The terms that made a record match: every term not under a NOT (relevance, highlights)."""
    if isinstance(tree, Term):
        return [tree]
    if isinstance(tree, Not):
        return []
    return [term for item in tree.items for term in terms_to_mark(item)]


# --- searching: filters, facets, complete paging ----------------------------------------------

SORT_ORDERS = {
    "relevance": [{"_score": "desc"}],
    "date": [{"occurred_at": "desc"}],
    "amount": [{"amount": {"order": "desc", "missing": "_last"}}],
}
# How long a result set stays open between two pages (each page renews it): long enough for an
# investigator to read a page of hits before asking for the next one.
KEEP_ALIVE = "10m"


def _filter_clauses(filters: Filters) -> list[Q]:
    clauses = []
    if filters.within_systems is not None:
        clauses.append(Q("terms", system=list(filters.within_systems)))
    if filters.ingested_since is not None:
        clauses.append(Q("range", ingested_at={"gte": filters.ingested_since.isoformat()}))
    for field, values in (
        ("system", filters.systems),
        ("region", filters.regions),
        ("agency", filters.agencies),
    ):
        if values:
            clauses.append(Q("terms", **{field: list(values)}))
    if filters.years:
        clauses.append(
            Q(
                "bool",
                should=[_term(Term(str(year), field="year")) for year in filters.years],
                minimum_should_match=1,
            )
        )
    if filters.occurred_from or filters.occurred_to:
        until = filters.occurred_to + dt.timedelta(days=1) if filters.occurred_to else None
        clauses.append(Q("range", occurred_at=_local_days(filters.occurred_from, until)))
    amounts = {}
    if filters.amount_min is not None:
        amounts["gte"] = float(filters.amount_min)
    if filters.amount_max is not None:
        amounts["lte"] = float(filters.amount_max)
    if amounts:
        clauses.append(Q("range", amount=amounts))
    return clauses


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
    """One page of matches. The first call opens a point in time; pass ``pit`` and ``after``
    from the returned page to read the next one over the same snapshot, to the very last hit
    (no 10,000 ceiling)."""
    return _page(tree, filters or Filters(), sort=sort, size=size, after=after, pit=pit, facets=facets)


def _page(tree, filters: Filters, *, sort, size, after, pit, facets, count=True) -> Page:
    client = elasticsearch_client()
    if pit is None:
        pit = open_point_in_time()
    body = {
        "query": _query(tree, filters).to_dict(),
        "size": size,
        "sort": SORT_ORDERS[sort] + [{"_shard_doc": "asc"}],  # the point in time's tiebreaker
        "pit": {"id": pit, "keep_alive": KEEP_ALIVE},
        # Counted exactly up to the bound, past it "more than" (Page.total_exact), as the
        # embedded backend does; the facets' aggregations still count every hit.
        "track_total_hits": settings.SEARCH_EXACT_COUNT if count else False,
        "_source": ["record_id", "system", "external_id"],
    }
    if after:
        body["search_after"] = after
    if facets and not after:
        body["aggs"] = _facet_aggregations()
    try:
        response = client.search(body=body)
    except BadRequestError as error:  # e.g. too many clauses, or a page token it cannot use
        raise QueryRejected(str(error)) from error
    raw_hits = response["hits"]["hits"]
    hits = [
        Hit(
            record_id=hit["_source"]["record_id"],
            system=hit["_source"]["system"],
            external_id=hit["_source"]["external_id"],
            score=hit.get("_score"),
        )
        for hit in raw_hits
    ]
    found = {}
    for name, aggregation in response.get("aggregations", {}).items():
        found[name] = [
            (bucket.get("key_as_string", "")[:4] if name == "year" else bucket["key"], bucket["doc_count"])
            for bucket in aggregation["buckets"]
        ]
    total = response["hits"]["total"] if count else {"value": len(hits), "relation": "eq"}
    return Page(
        hits=hits,
        total=total["value"],
        facets=found,
        next_after=raw_hits[-1]["sort"] if len(raw_hits) == size else None,
        pit=response.get("pit_id", pit),
        total_exact=total["relation"] == "eq",
        sort=sort,
    )


def _facet_aggregations() -> dict:
    return {
        "system": {"terms": {"field": "system", "size": 50}},
        "region": {"terms": {"field": "region", "size": 50}},
        "agency": {"terms": {"field": "agency", "size": 50}},
        "year": {
            "date_histogram": {
                "field": "occurred_at",
                "calendar_interval": "year",
                "min_doc_count": 1,
                "time_zone": settings.TIME_ZONE,  # a year is the portal's, as in the year filter
            }
        },
    }


def _query(tree, filters: Filters) -> Q:
    return Q("bool", must=[_matches(tree, filters)], filter=_filter_clauses(filters))


def open_point_in_time() -> str:
    client = elasticsearch_client()
    try:
        return client.open_point_in_time(index=alias(), keep_alive=KEEP_ALIVE)["id"]
    except NotFoundError:
        # Nothing indexed yet on a new installation: search the empty live version.
        ensure_index()
        return client.open_point_in_time(index=alias(), keep_alive=KEEP_ALIVE)["id"]


def close(pit: str) -> None:
    elasticsearch_client().close_point_in_time(id=pit)


def scan(tree, filters: Filters | None = None, *, sort: str = "date", batch: int = 1_000) -> Iterator[Hit]:
    """Every hit over one point in time, page by page with search_after; the point in time is
    closed at the end, also when the reader stops early or fails."""
    filters = filters or Filters()
    pit = open_point_in_time()
    after = None
    try:
        while True:
            page = _page(
                tree, filters, sort=sort, size=batch, after=after, pit=pit,
                facets=False, count=False,
            )
            pit = page.pit
            yield from page.hits
            if page.next_after is None:
                return
            after = page.next_after
    finally:
        close(pit)


MSEARCH_CHUNK = 100  # trees per _msearch request


def count_by_system(trees: list, filters: Filters | None = None) -> list[dict[str, int]]:
    """For each tree, its matches by system: one ``_msearch`` per hundred trees, each search
    only a terms aggregation (size 0)."""
    filters = filters or Filters()
    ensure_index()  # a new installation has no index until the first record arrives
    counts: list[dict[str, int]] = []
    for start in range(0, len(trees), MSEARCH_CHUNK):
        searches: list[dict] = []
        for tree in trees[start : start + MSEARCH_CHUNK]:
            searches.append({"index": alias()})
            searches.append({
                "query": _query(tree, filters).to_dict(),
                "size": 0,
                "track_total_hits": False,
                "aggs": {"system": {"terms": {"field": "system", "size": 100}}},
            })
        for response in elasticsearch_client().msearch(searches=searches)["responses"]:
            if "error" in response:
                failure = QueryRejected if response.get("status") == 400 else RuntimeError
                raise failure(response["error"])
            counts.append({
                bucket["key"]: bucket["doc_count"] for bucket in response["aggregations"]["system"]["buckets"]
            })
    return counts

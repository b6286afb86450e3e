"""The Elasticsearch side of the search layer (DESIGN §7): the index, its versions, the queries.

Chinese text is analysed by the standard tokenizer, one token per ideograph, with
``index_phrases``: a phrase of ideographs is then a run of adjacent tokens that the shingle
field answers quickly, so phrase queries act as substring search without any plugin. Codes,
ID numbers and phone numbers are keywords, matched exactly. Only core modules are assumed.

The index is versioned behind an alias: ``<prefix>-records`` names the live version,
``<prefix>-records-<stamp>``. A reindex builds a new version from the database while the old
one answers, then moves the alias in one atomic call and drops the old version: no downtime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from elasticsearch.dsl import Date, Document, Double, Keyword, Q, Text
from elasticsearch.helpers import bulk

from .connection import elasticsearch_client
from .query import And, Not, Or, Term

# How a record's text is searched: standard tokenizer (one token per ideograph), with phrases.
CHINESE_TEXT = {"analyzer": "standard", "index_phrases": True}


class RecordDocument(Document):
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
    return {
        "_id": f"{record.system.code}:{record.external_id}",
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
    }


def index_records(records: Iterable, *, index: str | None = None, refresh: bool = False) -> int:
    """Write the records to the live version (or ``index``) with ``_bulk``; returns how many."""
    target = index or ensure_index()
    actions = ({"_index": target, **as_document(record)} for record in records)
    done, errors = bulk(elasticsearch_client(), actions, chunk_size=2_000, raise_on_error=True)
    if refresh:
        elasticsearch_client().indices.refresh(index=target)
    return done


def reindex(records: Iterable, *, progress: Callable[[int], None] | None = None) -> str:
    """Build a new version from ``records``, move the alias to it, drop the old ones."""
    client = elasticsearch_client()
    old = live_versions()
    name = _new_version_name()
    _create_version(name)
    # Bulk loading goes faster without refreshes; the alias moves after one final refresh.
    client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
    done = 0
    batch: list = []
    for record in records:
        batch.append(record)
        if len(batch) == 2_000:
            done += index_records(batch, index=name)
            batch = []
            if progress:
                progress(done)
    if batch:
        done += index_records(batch, index=name)
        if progress:
            progress(done)
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


def translate(tree) -> Q:
    """The parsed query (search.query) as an Elasticsearch query."""
    if isinstance(tree, Term):
        return _term(tree)
    if isinstance(tree, Not):
        return ~translate(tree.item)
    if isinstance(tree, And):
        return Q("bool", must=[translate(item) for item in tree.items])
    if isinstance(tree, Or):
        return Q("bool", should=[translate(item) for item in tree.items], minimum_should_match=1)
    raise TypeError(tree)


def _term(term: Term) -> Q:
    if term.field in EXACT_FIELDS:
        return Q("term", **{term.field: term.text})
    if term.field == "year":
        try:
            year = int(term.text)
        except ValueError:
            return Q("match_none")
        start = dt.date(year, 1, 1).isoformat() if 1 <= year <= 9998 else None
        if start is None:
            return Q("match_none")
        return Q("range", occurred_at={"gte": start, "lt": dt.date(year + 1, 1, 1).isoformat()})
    fields = [term.field] if term.field else TEXT_FIELDS
    if term.field == "names":
        # A name is matched whole (张伟 must not find 张伟民's records by its first two characters
        # only when asked exactly); as a phrase it still finds it inside a longer text.
        return Q("bool", should=[Q("term", **{"names.exact": term.text}), _phrase(fields, term.text)])
    # Chinese words are runs of ideographs: a word is searched as a phrase of its characters,
    # which with index_phrases is a substring search.
    return _phrase(fields, term.text)


def _phrase(fields: list[str], text: str) -> Q:
    return Q("multi_match", query=text, fields=fields, type="phrase")

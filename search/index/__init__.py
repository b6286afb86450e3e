"""The search index (DESIGN §7), and this package its one entry point: index, remove, search,
scan, count_by_system, reindex.

Callers never import a backend: this module hands each call to the one settings chose —
Elasticsearch (``_elastic``) when ``ELASTICSEARCH_URL`` is set, else the embedded backend in the
database (``_embedded``). Both keep the meanings in ``types``, which tests/search/index/test_contract.py
checks on both. Beside them: the query parser (``query``), the embedded backend's tables of
masked text and of short words (``masked_text``, ``short_terms``), the marks on a hit
(``highlight``) and the connection to Elasticsearch (``connection``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib import import_module

from django.conf import settings

from .types import Filters, Hit, Page

BACKENDS = {"elasticsearch": "search.index._elastic", "embedded": "search.index._embedded"}


def _backend():
    return import_module(BACKENDS[settings.SEARCH_BACKEND])


def index(records: Iterable) -> int:
    """Add or replace ``records`` (search.models.Record with system and region loaded)."""
    return _backend().index_records(records)


def remove(record_ids: Iterable[int]) -> int:
    return _backend().remove_records(list(record_ids))


def refresh() -> None:
    """Make everything indexed so far searchable now (Elasticsearch refreshes every second)."""
    _backend().refresh()


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
    """One page of hits for the parsed query ``tree`` (search.index.query.parse). Pass the page's
    ``next_after`` and ``pit`` back for the next page: paging reaches the very last hit."""
    return _backend().search(
        tree, filters or Filters(), sort=sort, size=size, after=after, pit=pit, facets=facets
    )


def close(pit: str | None) -> None:
    if pit:
        _backend().close(pit)


def scan(tree, filters: Filters | None = None, *, sort: str = "date", batch: int = 1_000) -> Iterator[Hit]:
    """Every hit, in ``sort`` order, read page by page over one snapshot (exports, alerts)."""
    return _backend().scan(tree, filters or Filters(), sort=sort, batch=batch)


def count_by_system(trees: list, filters: Filters | None = None) -> list[dict[str, int]]:
    """For each query tree, how many records of each system match: the batch search's matrix."""
    return _backend().count_by_system(trees, filters or Filters())


def reindex(records: Iterable, *, progress: Callable[[int], None] | None = None) -> str:
    """Rebuild the whole index from ``records`` without a moment of empty answers."""
    return _backend().reindex(records, progress=progress)

"""What both search backends take and give (DESIGN §7): the filters, one hit, one page.

The contract suite (tests/search/index/test_contract.py) holds both backends to these meanings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

SORTS = ("relevance", "date", "amount")


class QueryRejected(Exception):
    """The search backend refused the query itself (too many clauses, a value it cannot use), as
    opposed to not answering: the reader is asked to simplify the query, not to wait."""
FACETS = ("system", "region", "agency", "year")


@dataclass(frozen=True)
class Filters:
    systems: tuple[str, ...] = ()  # chosen by the user (a facet)
    regions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None  # inclusive
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    # The systems the searcher may read (permissions); None means no limit. Facets are counted
    # within them too, so nobody learns how many hits a closed system holds.
    within_systems: tuple[str, ...] | None = None
    # Of ``within_systems``, those whose identifiers the searcher sees (permissions): their records
    # are searched in the text as stored; in the others a word is matched against the masked
    # text, so that no hidden digit can make a record match (a number typed whole still does).
    # Not given: masked in every one of ``within_systems``.
    identifiers_shown: tuple[str, ...] = ()
    # Only records ingested (first loaded or changed) at or after this moment: saved searches.
    ingested_since: dt.datetime | None = None

    def systems_by_identifiers(self) -> tuple[list[str], list[str]]:
        """``within_systems`` split in two: those whose identifiers the searcher sees, searched
        as stored, and those searched in the masked text. Both backends split them so."""
        shown = set(self.identifiers_shown)
        within = self.within_systems or ()
        return [code for code in within if code in shown], [code for code in within if code not in shown]


@dataclass
class Hit:
    record_id: int
    system: str
    external_id: str
    score: float | None  # why a hit matched is shown by search.index.highlight, from the masked text


@dataclass
class Page:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    next_after: list | None  # give it back as ``after`` for the next page; None on the last
    pit: str | None  # give it back with ``after``; close it with search.index.close when done
    # False past settings.SEARCH_EXACT_COUNT hits: ``total`` is then that bound, and there are more.
    total_exact: bool = True
    # The order the hits are in: the one asked for, except that the embedded backend lists a
    # search of more hits than the bound newest first ("date") instead of by relevance.
    sort: str = "relevance"
    # None when the facets count every hit; else how many hits they count (the embedded backend
    # past the bound counts only that many newest hits, and the page says so).
    facets_counted: int | None = None

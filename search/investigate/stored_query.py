"""A search kept for later: the query text and its filters as plain JSON, and back again.

Exports and saved searches run long after the request that asked for them (in a Celery task,
every few minutes for months), so they keep what the user typed, not a parsed tree or a
``Filters`` object: the query is parsed again and the filters rebuilt when they run, and the
systems the owner may read are decided again at that moment (permissions can change meanwhile).

The search page's GET parameters (search.investigate.forms.SearchForm), which the stored dict mirrors: q,
system, region, agency, year (each repeatable), date_from, date_to (ISO dates), amount_min,
amount_max, sort, purpose.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from ..index.types import Filters

LISTS = {"systems": "system", "regions": "region", "agencies": "agency"}  # stored key → GET name
DATES = {"occurred_from": "date_from", "occurred_to": "date_to"}
AMOUNTS = {"amount_min": "amount_min", "amount_max": "amount_max"}


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _amount(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def stored_filters(filters: Filters) -> dict:
    """The user's own filters (the search form's ``filters()``) as a JSON-able dict; the limits
    permissions add (``within_systems``) are not kept: they are decided again at each run."""
    data: dict = {}
    for key in LISTS:
        if values := list(getattr(filters, key)):
            data[key] = values
    if filters.years:
        data["years"] = [int(year) for year in filters.years]
    for key in DATES:
        if (value := getattr(filters, key)) is not None:
            data[key] = value.isoformat()
    for key in AMOUNTS:
        if (value := getattr(filters, key)) is not None:
            data[key] = str(value)
    return data


def as_filters(
    data: dict, *, within_systems=None, identifiers_shown=(), ingested_since: dt.datetime | None = None
) -> Filters:
    """The stored dict as ``search.index.types.Filters``, limited to ``within_systems`` and searched in
    the masked text but in ``identifiers_shown`` (permissions)."""
    return Filters(
        systems=tuple(data.get("systems", ())),
        regions=tuple(data.get("regions", ())),
        agencies=tuple(data.get("agencies", ())),
        years=tuple(int(year) for year in data.get("years", ())),
        occurred_from=_date(data.get("occurred_from")),
        occurred_to=_date(data.get("occurred_to")),
        amount_min=_amount(data.get("amount_min")),
        amount_max=_amount(data.get("amount_max")),
        within_systems=tuple(sorted(within_systems)) if within_systems is not None else None,
        identifiers_shown=tuple(sorted(identifiers_shown)),
        ingested_since=ingested_since,
    )


def searched_systems(data: dict, readable_codes) -> set[str]:
    """The systems a stored search reaches: those it chose (if any) that the owner may read."""
    chosen = set(data.get("systems", ()))
    readable_codes = set(readable_codes)
    return readable_codes & chosen if chosen else readable_codes


def search_params(query: str, data: dict, *, sort: str | None = None, purpose: str = "") -> str:
    """The search page's query string for a stored search: a link that shows it again."""
    pairs: list[tuple[str, str]] = [("q", query)]
    for key, name in LISTS.items():
        pairs += [(name, value) for value in data.get(key, ())]
    pairs += [("year", str(year)) for year in data.get("years", ())]
    for key, name in {**DATES, **AMOUNTS}.items():
        if data.get(key):
            pairs.append((name, data[key]))
    if sort:
        pairs.append(("sort", sort))
    if purpose:
        pairs.append(("purpose", purpose))
    return urlencode(pairs)

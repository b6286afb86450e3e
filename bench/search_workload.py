"""Realistic searches for the search benchmarks, drawn from the generator's vocabulary and the data.

The same seed and the same database give the same queries. Phrases are runs of 2 to 6
ideographs cut from ``demo.generator.words`` (the words the records are written with); names
and codes are read from records picked at random by id; boolean queries combine them; a share
of the queries carries filters (a system, a year, a region, an amount range) as the investigator's
page sends them. The batch list is names of public officials, credit codes of market entities
and keywords, as an investigator uploads them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]{2,}")
PLACEHOLDER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    filters: object  # search.index.types.Filters


def vocabulary() -> list[str]:
    """Runs of ideographs in the generator's word lists (placeholders such as {place} removed)."""
    from demo.generator import words as generator_words

    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.extend(IDEOGRAPHS.findall(PLACEHOLDER.sub(" ", value)))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for name in dir(generator_words):
        if name.isupper():
            walk(getattr(generator_words, name))
    return sorted(set(texts))


def phrase(rng: random.Random, words: list[str], low: int = 2, high: int = 6) -> str:
    word = rng.choice(words)
    length = rng.randint(low, min(high, len(word)))
    start = rng.randint(0, len(word) - length)
    return word[start : start + length]


def sample_records(rng: random.Random, count: int, system: str | None = None) -> list[dict]:
    """``count`` records picked at random by id (a few ids fall in gaps and are skipped)."""
    from django.db.models import Max, Min

    from search.models import Record

    records = Record.objects.filter(system__code=system) if system else Record.objects.all()
    bounds = records.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        raise SystemExit("No records: load the benchmark's data first.")
    picked: list[dict] = []
    while len(picked) < count:
        ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)]
        found = records.filter(pk__in=ids).values("names", "credit_codes", "occurred_at", "system__code")
        picked.extend(found)
    return picked[:count]


def _filters(rng: random.Random, record: dict, regions: list[str]):
    from search.index.types import Filters

    choice = rng.randrange(4)
    if choice == 0:
        return Filters(systems=(record["system__code"],))
    if choice == 1:
        return Filters(years=(record["occurred_at"].year,))
    if choice == 2:
        return Filters(regions=(rng.choice(regions),), years=(record["occurred_at"].year,))
    return Filters(amount_min=Decimal(rng.choice([1_000, 10_000, 100_000])), amount_max=Decimal(10_000_000))


def queries(count: int = 240, seed: int = 1) -> list[Query]:
    """``count`` queries: a sixth each of phrases, two words, names, codes, boolean, and
    filtered ones (any of those kinds with one of the page's filters)."""
    from agencies.models import Region
    from search.index.types import Filters

    rng = random.Random(seed)
    words = vocabulary()
    records = sample_records(rng, count)
    regions = list(Region.objects.values_list("code", flat=True))
    people = [name for record in records for name in record["names"][:1]]
    codes = [code for record in records for code in record["credit_codes"]]
    made: list[Query] = []
    kinds = ["phrase", "words", "name", "code", "boolean", "filtered"]
    for number in range(count):
        kind = kinds[number % len(kinds)]
        base = rng.choice(kinds[:5]) if kind == "filtered" else kind
        if base == "phrase":
            text = f'"{phrase(rng, words)}"'
        elif base == "words":
            text = f"{phrase(rng, words, 2, 3)} {phrase(rng, words, 2, 3)}"
        elif base == "name":
            text = f'名称:"{rng.choice(people)}"'
        elif base == "code":
            text = f"代码:{rng.choice(codes)}" if codes else f'"{phrase(rng, words)}"'
        else:
            a, b, c = (phrase(rng, words, 2, 4) for _ in range(3))
            text = rng.choice([f"{a} AND {b}", f"({a} OR {b}) -{c}", f'"{a}" OR "{b}"', f"{a} NOT {b}"])
        filters = _filters(rng, rng.choice(records), regions) if kind == "filtered" else Filters()
        made.append(Query(kind, text, filters))
    return made


def batch_terms(count: int = 1_000, seed: int = 2) -> list[tuple[str, str]]:
    """(kind, term): 40% names of public officials, 30% credit codes of market entities, 30%
    keywords; falls back to any record's names and codes where those systems hold none."""
    rng = random.Random(seed)
    words = vocabulary()
    names_wanted, codes_wanted = count * 4 // 10, count * 3 // 10
    officials = _values(rng, names_wanted, "public-officials", "names")
    companies = _values(rng, codes_wanted, "market-entities", "credit_codes")
    terms = [("names", name) for name in officials] + [("credit_codes", code) for code in companies]
    terms += [("keywords", phrase(rng, words, 2, 4)) for _ in range(count - len(terms))]
    return terms


def _values(rng: random.Random, count: int, system: str, field: str) -> list[str]:
    found: list[str] = []
    for where in (system, None):
        try:
            records = sample_records(rng, count, where)
        except SystemExit:
            continue
        found += [values[0] for values in (record[field] for record in records) if values]
        if len(found) >= count:
            break
    return list(dict.fromkeys(found))[:count]


def batch_query(kind: str, term: str) -> str:
    """The query a batch search runs for one term (as search.investigate.batch builds it)."""
    field = {"names": "名称", "credit_codes": "代码"}.get(kind)
    return f'{field}:"{term}"' if field else f'"{term}"'

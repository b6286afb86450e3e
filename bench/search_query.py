"""Search latency and batch search on the loaded records, through ``search.index`` (DESIGN §9).

    export DATABASE_URL=postgres://…/portal_search_bench ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
           SEARCH_INDEX_PREFIX=bench PORTAL_DEMO=1
    python -m bench.search_query queries --count 240      # first page with facets: median, p95, p99
    python -m bench.search_query batch --terms 1000       # count_by_system over 1,000 terms
    python -m bench.search_query ored --terms 50          # 50 one-character words ORed, 10 times

``queries`` runs each query of ``bench.search_workload.queries`` once through
``search.index.search(tree, filters, facets=True)`` (20 hits, highlights, the four facets,
the total counted to ``SEARCH_EXACT_COUNT``; the point in time it opens is closed outside the
timing), after ``--warmup`` other queries; times are wall clock in Python, parse included. ``batch`` times
``search.index.count_by_system`` over the whole list, as the batch search's matrix does.
``ored`` times queries of many one-character words joined by OR (distinct ideographs of the
generator's vocabulary, drawn anew for each query), the first page with facets as ``queries``.
Either backend: whichever the settings choose (``ELASTICSEARCH_URL`` set or not).
``queries --reader masked`` runs the same queries as a reader of every system who sees no
identifiers (words matched in the masked text where a record has one, search.index.masked_text);
``--reader full`` as one who sees them all; by default, with no reader's limits at all.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.board import percentile


def summary(samples_ms: list[float]) -> dict:
    return {
        "n": len(samples_ms),
        "median_ms": round(statistics.median(samples_ms), 1),
        "p95_ms": round(percentile(samples_ms, 0.95), 1),
        "p99_ms": round(percentile(samples_ms, 0.99), 1),
        "max_ms": round(max(samples_ms), 1),
    }


def as_reader(filters, reader: str):
    """``filters`` limited as the search page limits them for a reader of every system who sees
    no identifiers (``masked``) or all of them (``full``); unchanged for ``everyone``."""
    import dataclasses

    from search.models import SourceSystem

    if reader == "everyone":
        return filters
    codes = tuple(sorted(SourceSystem.objects.values_list("code", flat=True)))
    shown = codes if reader == "full" else ()
    return dataclasses.replace(filters, within_systems=codes, identifiers_shown=shown)


def run_queries(count: int, warmup: int, seed: int, verbose: bool = False, reader: str = "everyone") -> dict:
    from bench.search_workload import queries
    from search import index
    from search.index.query import parse
    from search.index.types import Filters

    for query in queries(warmup, seed=seed + 1000):
        page = index.search(parse(query.text), as_reader(query.filters, reader), facets=True)
        index.close(page.pit)
    timings: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for query in queries(count, seed=seed):
        filters = as_reader(query.filters, reader)
        started = time.perf_counter()
        page = index.search(parse(query.text), filters, facets=True)
        elapsed = (time.perf_counter() - started) * 1000
        index.close(page.pit)
        timings.setdefault(query.kind, []).append(elapsed)
        totals.setdefault(query.kind, []).append(page.total)
        if verbose:
            shown = "" if query.filters == Filters() else f"  {query.filters}"
            print(f"{elapsed:8.1f} ms {page.total:>10,}  {query.text}{shown}", flush=True)
    everything = [value for values in timings.values() for value in values]
    result = {"all": summary(everything) | {"median_total": statistics.median(
        [total for values in totals.values() for total in values])}}
    for kind, values in timings.items():
        result[kind] = summary(values) | {"median_total": statistics.median(totals[kind]),
                                          "max_total": max(totals[kind])}
    return result


def run_batch(count: int, seed: int) -> dict:
    from bench.search_workload import batch_query, batch_terms
    from search import index
    from search.index.query import parse

    terms = batch_terms(count, seed=seed)
    trees = [parse(batch_query(kind, term)) for kind, term in terms]
    started = time.perf_counter()
    counts = index.count_by_system(trees)
    seconds = time.perf_counter() - started
    kinds = {kind for kind, _term in terms}
    return {
        "terms": len(terms),
        "by_kind": {kind: sum(1 for k, _t in terms if k == kind) for kind in sorted(kinds)},
        "seconds": round(seconds, 2),
        "terms_per_second": round(len(terms) / seconds, 1),
        "terms_with_hits": sum(1 for row in counts if row),
        "cells_with_hits": sum(len(row) for row in counts),
    }


def ored_query(rng, characters: list[str], terms: int) -> str:
    return " OR ".join(rng.sample(characters, terms))


def run_ored(count: int, terms: int, seed: int, verbose: bool = False) -> dict:
    import random

    from bench.search_workload import vocabulary
    from search import index
    from search.index.query import parse

    rng = random.Random(seed)
    characters = sorted({character for word in vocabulary() for character in word})
    timings, totals = [], []
    for _number in range(count):
        text = ored_query(rng, characters, terms)
        started = time.perf_counter()
        page = index.search(parse(text), facets=True)
        elapsed = (time.perf_counter() - started) * 1000
        index.close(page.pit)
        timings.append(elapsed)
        totals.append(page.total)
        if verbose:
            print(f"{elapsed:8.1f} ms {page.total:>10,}  {text[:60]}…", flush=True)
    return {"terms": terms, **summary(timings), "median_total": statistics.median(totals),
            "max_total": max(totals)}


def main(argv=None, setup=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    steps = parser.add_subparsers(dest="step", required=True)
    timing = steps.add_parser("queries", help="latency of the first page of results with facets")
    timing.add_argument("--count", type=int, default=240)
    timing.add_argument("--warmup", type=int, default=30)
    timing.add_argument("--seed", type=int, default=1)
    timing.add_argument("--verbose", action="store_true", help="print every query with its time and total")
    timing.add_argument("--reader", choices=["everyone", "masked", "full"], default="everyone")
    batch = steps.add_parser("batch", help="a batch search: hits per term and system")
    batch.add_argument("--terms", type=int, default=1_000)
    batch.add_argument("--seed", type=int, default=2)
    ored = steps.add_parser("ored", help="many one-character words joined by OR, first page with facets")
    ored.add_argument("--terms", type=int, default=50)
    ored.add_argument("--count", type=int, default=10)
    ored.add_argument("--seed", type=int, default=3)
    ored.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if setup is None:
        from bench.common import django_setup as setup
    setup()
    from django.conf import settings

    from search.models import Record

    result = {"backend": settings.SEARCH_BACKEND, "records": Record.objects.count()}
    if args.step == "queries":
        result |= run_queries(args.count, args.warmup, args.seed, args.verbose, args.reader) | {
            "reader": args.reader
        }
    elif args.step == "ored":
        result |= run_ored(args.count, args.terms, args.seed, args.verbose)
    else:
        result |= run_batch(args.terms, args.seed)
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

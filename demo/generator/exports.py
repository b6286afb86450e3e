"""A system's export: its ordinary rows in date order with the planted ones among them, spoiled
rows on request, written as CSV or JSONL."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from search.ingest.registry import BY_CODE

from . import businesses, residents
from .planted import PlantedFacts, World
from .world import Context


def rows(
    code: str, seed=1, count: int = 1_000, *, bad_rate: float = 0.0, world: World | None = None
) -> Iterator[dict]:
    """``count`` rows of the system ``code`` (see the package docstring)."""
    spec = BY_CODE[code]
    world = world or World(seed, count)
    start, end, ordinary = GENERATORS[code]
    ctx = Context(world, code, count, start, end)
    planted = world.planted.get(code, [])
    total = sum(entry.size for entry in planted)
    span = max(1, ctx.span)
    positions, before = [], 0
    for entry in planted:
        fraction = min(max((entry.day - ctx.start) / span, 0.0), 1.0)
        positions.append(int(fraction * max(0, count - total)) + before)
        before += entry.size
    spoil = random.Random(f"{world.seed}:{code}:bad").random if bad_rate > 0 else None
    stream = ordinary(ctx)
    waiting: Iterator[dict] = iter(())
    j = 0
    for i in range(count):
        ctx.i = i
        row = next(waiting, None)
        while row is None and j < len(planted) and positions[j] <= i:
            waiting = planted[j].build(ctx)
            j += 1
            row = next(waiting, None)
        if row is not None:
            yield row
            continue
        row = next(stream)
        if spoil is not None and spoil() < bad_rate:
            _spoil(row, spec.field_mapping, spoil)
        yield row


BAD_DATES = ("2023-02-30", "2024-13-05", "去年三月", "00/00/0000", "2022.07.15", "待补录")
BAD_AMOUNTS = ("约5万元", "1,2O0.00", "待定", "-350.00", "壹仟元整", "N/A")


def _spoil(row: dict, mapping: dict, r: Callable[[], float]) -> str:
    """Make ``row`` one that ingestion must refuse; the kind of harm done."""
    kinds = ["missing", "date"] + (["amount"] if mapping.get("amount") else [])
    kind = kinds[int(r() * len(kinds))]
    if kind == "missing":
        columns = [mapping["external_id"], mapping["occurred_at"], *mapping.get("required", [])]
        columns = list(dict.fromkeys(columns))
        row.pop(columns[int(r() * len(columns))], None)
    elif kind == "date":
        row[mapping["occurred_at"]] = BAD_DATES[int(r() * len(BAD_DATES))]
    else:
        row[mapping["amount"]] = BAD_AMOUNTS[int(r() * len(BAD_AMOUNTS))]
    return kind


def planted_facts(seed=1, count: int = 1_000) -> PlantedFacts:
    """What ``rows()`` plants for this seed and count (the same for every system)."""
    return World(seed, count).facts


FORMATS = ("jsonl", "csv")


def write_system(
    code: str, path: Path, *, fmt: str = "jsonl", seed=1, count: int = 1_000, bad_rate: float = 0.0,
    world: World | None = None, progress: Callable[[int], None] | None = None, every: int = 10_000,
) -> int:
    """Write ``count`` rows of ``code`` to ``path`` as CSV or JSONL; the rows written.

    ``progress`` is called with the rows written so far every ``every`` rows and at the end.
    """
    columns = BY_CODE[code].columns
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="raise")
            writer.writeheader()
            write = writer.writerow
        else:
            dumps = json.dumps

            def write(row):
                out.write(dumps(row, ensure_ascii=False) + "\n")

        for row in rows(code, seed, count, bad_rate=bad_rate, world=world):
            write(row)
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
    if progress is not None and written % every:
        progress(written)
    return written


# Every system's export period and the builder of its ordinary rows.
GENERATORS = {**residents.GENERATORS, **businesses.GENERATORS}

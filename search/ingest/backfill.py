"""Record keys for the linked records that have none (``manage.py record_keys``, DESIGN §12).

Ingestion writes the keys of every record it stores; the records stored before their system's
mapping declared keys get theirs here, from the row as received (``Record.raw``) read through
the system's mapping now, exactly as ingestion would have read it. The records go by id, a
batch at a time, each batch committed with its keys: stopped anywhere, the next run starts with
the records that still have none, so nothing is done twice. A record whose row gives no key
(every value of its key columns empty or not a value of its kind) stays without one and is read
again by the next run, at the cost of reading it.

An ingest of the same system may run meanwhile: each batch here takes the system's write lock
(``hold_system``, as each batch of an ingest does) and reads its records again under it, so it
writes keys only for the records still without any, from their rows as they are now.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from search.ingest.mapping import Mapping, RowMapper
from search.ingest.upsert import hold_system, store_keys
from search.models import Record, RecordKey, SourceSystem

BATCH_SIZE = 2_000
Progress = Callable[[int, int], None]  # records done, records to do


@dataclass
class Backfilled:
    records: int = 0  # records read
    keyed: int = 0  # of which given keys here
    keys: int = 0  # keys written
    seconds: float = 0.0
    without_keys: tuple[str, ...] = ()  # codes of the systems whose mapping declares none


def records_without_keys(systems: Iterable[SourceSystem]) -> QuerySet[Record]:
    return Record.objects.filter(system__in=list(systems)).filter(
        ~Exists(RecordKey.objects.filter(record=OuterRef("pk")))
    )


def backfill_keys(systems: Iterable[SourceSystem], *, batch_size: int = BATCH_SIZE,
                  progress: Progress | None = None) -> Backfilled:
    """Give keys to the records of ``systems`` that have none; MappingError (before anything is
    written) when a system's mapping cannot be read."""
    started = time.monotonic()
    mappers = {system.pk: RowMapper(system, Mapping.of(system), {}) for system in systems}
    outcome = Backfilled(without_keys=tuple(
        mapper.system.code for mapper in mappers.values() if not mapper.mapping.keys
    ))
    keyed_systems = [mapper.system for mapper in mappers.values() if mapper.mapping.keys]
    pending = records_without_keys(keyed_systems).order_by("pk")
    pending = pending.only("system", "occurred_at", "amount", "raw")
    total = pending.count()
    if progress:
        progress(0, total)
    last = 0
    while chosen := list(pending.filter(pk__gt=last).values_list("pk", "system_id")[:batch_size]):
        last = chosen[-1][0]
        outcome.records += len(chosen)
        with transaction.atomic():
            for system_id in sorted({system_id for _pk, system_id in chosen}):  # one order: no deadlock
                hold_system(system_id)
            # An ingest may have written some of them meanwhile: those keep what it wrote, and the
            # rest are read as it left them.
            batch = list(pending.filter(pk__in=[pk for pk, _system in chosen]))
            keys = [mappers[record.system_id].keys(_row(record.raw), record) for record in batch]
            outcome.keys += store_keys(batch, keys)
        outcome.keyed += sum(1 for record_keys in keys if record_keys)
        if progress:
            progress(outcome.records, total)
    outcome.seconds = time.monotonic() - started
    return outcome


def _row(raw) -> dict:
    return raw if isinstance(raw, dict) else {}

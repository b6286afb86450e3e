"""Writing a batch of records by (system, external id), as fast as the database allows.

``upsert(records)`` inserts the new records and replaces the existing ones (the last of several
with the same external id wins), sets each record's ``pk`` and ``ingested_at`` as stored, and
does it inside the caller's transaction.

PostgreSQL: the rows go into a temporary table with ``COPY`` (psycopg streams them without
quoting each value into the SQL text, which is where the ORM's ``bulk_create`` spent most of
its time on JSON lists), then one ``INSERT … SELECT … ON CONFLICT DO UPDATE … RETURNING`` moves
them into the records and gives back their ids. Other databases (SQLite): ``bulk_create`` with
``update_conflicts``, which returns the ids there too.

``hold_system(system_id)``, first in the transaction of every batch that writes a system's
records or keys (an ingest's batch, a batch of the record keys backfill), makes those of one
system take turns, so that neither writes keys from a row the other is replacing.

``store_keys(records, keys)`` then writes their record keys (DESIGN §12) in the same
transaction: every key of a new record; for a record stored before, nothing when its keys are
the ones it has, else its keys replaced. One query reads the keys of the records stored before,
one deletes those to be replaced, and one ``COPY`` (PostgreSQL) or ``executemany`` writes the
new ones, whatever the number of records.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from search.ingest.mapping import Key
from search.models import Record, RecordKey

UNIQUE_FIELDS = ["system", "external_id"]
UPDATE_FIELDS = [
    "title", "body", "occurred_at", "region", "amount", "names", "credit_codes", "id_numbers",
    "phones", "raw", "ingested_at", "ingest_run", "ingest_line",
]
COPIED_FIELDS = ["system", "external_id", *UPDATE_FIELDS]
JSON_FIELDS = {"names", "credit_codes", "id_numbers", "phones", "raw"}
STAGING_TABLE = "search_record_staging"
KEY_COLUMNS = ["record", "system", "role", "kind", "value", "date", "amount"]
# The first key of the PostgreSQL advisory locks taken here (the second is the system's id), so
# that they cannot be mistaken for another's advisory locks.
SYSTEM_LOCK_SPACE = 0x5EA6C4


def analyse_tables() -> None:
    """Fresh statistics of the records and their keys after a load, on PostgreSQL: the warning
    models run right after it (``records_loaded``), and a plan made from the statistics of an
    empty or much smaller table joins millions of keys as if they were a few. ANALYZE reads a
    sample, so it costs about the same at any size."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Record._meta.db_table}, {RecordKey._meta.db_table}")


def hold_system(system_id: int) -> None:
    """Wait for, then hold until the caller's transaction ends, the right to write the records
    and keys of one linked system. PostgreSQL: a transaction-scoped advisory lock (a row lock on
    the system would clash with the key-share locks its records' inserts take). SQLite: nothing
    to do, as every transaction there takes the database's write lock as it begins (IMMEDIATE,
    portal.settings), so writers take turns already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SYSTEM_LOCK_SPACE, system_id])


def upsert(records: list[Record]) -> list[Record]:
    """Store ``records``; returns those stored (one per external id, the last one given)."""
    stored = list({(record.system_id, record.external_id): record for record in records}.values())
    if not stored:
        return stored
    now = timezone.now()
    for record in stored:
        record.ingested_at = now
    if connection.vendor == "postgresql":
        _copy_and_upsert(stored)
    else:
        Record.objects.bulk_create(
            stored, update_conflicts=True, unique_fields=UNIQUE_FIELDS, update_fields=UPDATE_FIELDS
        )
    return stored


_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # made once, not per value


@dataclass(frozen=True)
class Statements:
    create: str
    copy: str
    upsert: str
    drop: str


@lru_cache(maxsize=1)
def _statements() -> Statements:
    """The batch's SQL, built from the model's own table and column names (no outside input)."""
    quote = connection.ops.quote_name
    fields = [Record._meta.get_field(name) for name in COPIED_FIELDS]
    names = ", ".join(quote(field.column) for field in fields)
    declared = ", ".join(f"{quote(field.column)} {field.db_type(connection)}" for field in fields)
    updated = [quote(field.column) for field in fields if field.name in UPDATE_FIELDS]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in updated)
    unique = [Record._meta.get_field(name).column for name in UNIQUE_FIELDS]
    conflict = ", ".join(quote(column) for column in unique)
    returned = ", ".join(quote(column) for column in (Record._meta.pk.column, *unique))
    return Statements(
        # Dropped at the end of the batch as well as ON COMMIT: the batch may be a savepoint
        # inside a longer transaction, and the next batch creates it again.
        create=f"CREATE TEMPORARY TABLE {STAGING_TABLE} ({declared}) ON COMMIT DROP",
        copy=f"COPY {STAGING_TABLE} ({names}) FROM STDIN",
        upsert=(
            f"INSERT INTO {quote(Record._meta.db_table)} ({names}) SELECT {names} FROM {STAGING_TABLE} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO UPDATE SET {updates} RETURNING {returned}"
        ),
        drop=f"DROP TABLE {STAGING_TABLE}",
    )


def _copy_and_upsert(records: list[Record]) -> None:
    statements = _statements()
    attributes = [(Record._meta.get_field(name).attname, name in JSON_FIELDS) for name in COPIED_FIELDS]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        raw.execute(statements.create)
        with raw.copy(statements.copy) as copy:
            for record in records:
                copy.write_row([
                    _encode_json(getattr(record, attname)) if is_json else getattr(record, attname)
                    for attname, is_json in attributes
                ])
        raw.execute(statements.upsert)
        ids = {(system_id, external_id): pk for pk, system_id, external_id in raw.fetchall()}
        raw.execute(statements.drop)
    for record in records:
        record.pk = ids[record.system_id, record.external_id]
        record._state.adding, record._state.db = False, connection.alias  # as a save would leave it


def store_keys(records: Sequence[Record], keys: Sequence[list[Key]], *,
               stored_before: Collection[int] = ()) -> int:
    """Write the keys of ``records`` (``keys[n]`` are those of ``records[n]``, each stored, with its
    pk): all those of a new record; those of a record whose pk is in ``stored_before`` only when
    they differ from the keys it has, which they then replace. Returns the number of keys written."""
    stored_before = set(stored_before)
    current: dict[int, set[tuple]] = defaultdict(set)
    if stored_before:
        for record_id, *key in RecordKey.objects.filter(record_id__in=list(stored_before)).values_list(
            "record_id", "role", "kind", "value", "date", "amount"
        ):
            current[record_id].add(tuple(key))
    replaced, rows = [], []
    for record, record_keys in zip(records, keys, strict=True):
        if record.pk in stored_before:
            present = current.get(record.pk, set())
            if set(record_keys) == present:
                continue  # the same keys: left as they are
            if present:
                replaced.append(record.pk)
        rows.extend((record.pk, record.system_id, *key) for key in record_keys)
    if replaced:
        RecordKey.objects.filter(record_id__in=replaced).delete()
    if rows:
        _insert_keys(rows)
    return len(rows)


def _insert_keys(rows: list[tuple]) -> None:
    """One statement for all the rows: ``COPY`` on PostgreSQL, else one prepared ``INSERT`` run
    for each row (``executemany``), the values adapted as the model's fields adapt them; the ORM's
    ``bulk_create`` spent most of its time building a model and compiling SQL for each key."""
    quote = connection.ops.quote_name
    table = quote(RecordKey._meta.db_table)
    columns = ", ".join(quote(RecordKey._meta.get_field(name).column) for name in KEY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops, amount = connection.ops, RecordKey._meta.get_field("amount")
        placeholders = ", ".join(["%s"] * len(KEY_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", [  # noqa: S608
            (*row[:5], ops.adapt_datefield_value(row[5]),
             ops.adapt_decimalfield_value(row[6], amount.max_digits, amount.decimal_places))
            for row in rows
        ])

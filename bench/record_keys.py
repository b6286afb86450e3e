"""What record keys cost ingestion (issue 16, point 1): the same rows loaded with keys and without.

    # a database of its own (its linked records are emptied at every run), PostgreSQL or SQLite
    psql -h 127.0.0.1 -U portal -d postgres -c 'CREATE DATABASE bench_keys'
    export DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/bench_keys PORTAL_DEMO=1
    #   or DATABASE_URL=sqlite:////var/tmp/bench_keys.sqlite3
    python manage.py migrate && python manage.py shell -c "from demo import city; city.seed()"
    python manage.py seed_systems
    python -m bench.record_keys --per-system 3704 --runs 5 --json keys.json   # 27 systems, 100,008 rows

Every export is generated once (``demo.generator``, every system, ``--per-system`` rows each),
then each run, in turn with keys and without (the order alternating from run to run, so that a
drift of the machine weighs on both alike):

- ``load``: the linked records emptied, every file loaded with ``search.ingest.files.ingest_file``
  (what ``manage.py ingest --no-index`` does: mapped, checked, upserted by batch of 2,000 with the
  run's progress, one file after another in one process), the systems' mappings declaring the
  registry's keys or none;
- ``again``: the same files loaded once more: every record is there and unchanged, so its keys
  are read and compared, and left as they are;
- ``backfill`` (after the load without keys): the registry's keys put back in the mappings and
  every record given its keys by ``search.ingest.backfill.backfill_keys`` (``manage.py record_keys``).

Rates are rows (records) a second of wall time for the whole load, and a second of this process's
CPU time (on SQLite all the work, on PostgreSQL the client's share: a shared machine's other
work weighs on the first, hardly on the second). The search index is left out
(``index=False``): what the keys cost is measured against the database's own work, where it is
largest in proportion. After the loads with keys: keys per row and the size of the key table
and of its indexes, beside the records' table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.board import percentile
from bench.search_ingest import machine

SEED = 20261207
EMPTIED = (
    "search_recordkey", "search_record_masked", "search_record", "search_rejectedrow", "search_ingestrun",
)


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.db import connection

    if "bench" not in str(connection.settings_dict["NAME"]):
        sys.exit("This benchmark empties the linked records: give it a database of its own, with "
                 "'bench' in its name (DATABASE_URL=postgres://…/bench_keys or sqlite:///…/bench_keys.sqlite3).")


def generate(folder: Path, per_system: int, *, seed: int = SEED) -> dict[str, Path]:
    """Every system's export, generated into ``folder`` unless a run before left it there."""
    from demo.generator import World, write_system
    from search.ingest.registry import SYSTEMS

    folder = folder / f"{seed}-{per_system}"
    folder.mkdir(parents=True, exist_ok=True)
    files = {spec.code: folder / f"{spec.code}.jsonl" for spec in SYSTEMS}
    if not all(path.exists() for path in files.values()):
        world = World(seed, per_system)
        for code, path in files.items():
            write_system(code, path, seed=seed, count=per_system, world=world)
    return files


def empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(EMPTIED)} RESTART IDENTITY CASCADE")
        else:
            for table in EMPTIED:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the module's own table names)


def declare_keys(with_keys: bool) -> None:
    from search.ingest.registry import BY_CODE
    from search.models import SourceSystem

    for system in SourceSystem.objects.filter(code__in=list(BY_CODE)):
        mapping = {name: value for name, value in system.field_mapping.items() if name != "keys"}
        if with_keys:
            mapping["keys"] = BY_CODE[system.code].field_mapping["keys"]
        system.field_mapping = mapping
        system.save(update_fields=["field_mapping"])


def load_all(files: dict[str, Path]) -> tuple[int, float, float]:
    """Rows loaded, wall seconds, and CPU seconds of this process (on SQLite all the work; on
    PostgreSQL the client's share)."""
    from search.ingest.files import ingest_file
    from search.models import SourceSystem

    systems = {system.code: system for system in SourceSystem.objects.filter(code__in=list(files))}
    rows, started, cpu = 0, time.perf_counter(), time.process_time()
    for code, path in files.items():
        rows += ingest_file(systems[code], path, again=True, index=False).run.rows_done
    return rows, time.perf_counter() - started, time.process_time() - cpu


def sizes() -> dict:
    """Bytes of the key table, its indexes, and the records' table (with its own indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('search_recordkey'), pg_indexes_size('search_recordkey'), "
                "pg_total_relation_size('search_record')"
            )
            table, indexes, records = cursor.fetchone()
        else:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE tbl_name IN "
                           "('search_recordkey', 'search_record')")
            owner = dict(cursor.fetchall())
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            used = dict(cursor.fetchall())
            table = used.get("search_recordkey", 0)
            indexes = sum(size for name, size in used.items()
                          if owner.get(name) == "search_recordkey" and name != "search_recordkey")
            records = sum(size for name, size in used.items() if owner.get(name) == "search_record")
    return {"key_table_mb": round(table / 2**20, 1), "key_indexes_mb": round(indexes / 2**20, 1),
            "records_mb": round(records / 2**20, 1)}


def run(files: dict[str, Path], with_keys: bool) -> dict:
    from search.ingest.backfill import backfill_keys
    from search.models import Record, RecordKey, SourceSystem

    empty()
    declare_keys(with_keys)
    rows, seconds, cpu = load_all(files)
    result = {"keys": with_keys, "rows": rows, "load_s": round(seconds, 2), "load_cpu_s": round(cpu, 2),
              "load_rows_per_s": round(rows / seconds), "load_rows_per_cpu_s": round(rows / cpu)}
    rows, seconds, cpu = load_all(files)
    result |= {"again_s": round(seconds, 2), "again_cpu_s": round(cpu, 2),
               "again_rows_per_s": round(rows / seconds), "again_rows_per_cpu_s": round(rows / cpu)}
    if with_keys:
        keys = RecordKey.objects.count()
        result |= {"key_rows": keys, "keys_per_row": round(keys / Record.objects.count(), 2)} | sizes()
    else:
        assert not RecordKey.objects.exists()
        declare_keys(True)
        cpu = time.process_time()
        done = backfill_keys(list(SourceSystem.objects.all()))
        cpu = time.process_time() - cpu
        result |= {"backfill_s": round(done.seconds, 2), "backfill_cpu_s": round(cpu, 2),
                   "backfill_records": done.records, "backfill_keys": done.keys,
                   "backfill_records_per_s": round(done.records / done.seconds)}
    print(json.dumps(result), flush=True)
    return result


def summary(runs: list[dict], seconds: str, rows: str = "rows") -> dict:
    """Median and p95 of the runs' ``seconds`` (the slow end), and the rate at the median."""
    values = [run[seconds] for run in runs]
    median = statistics.median(values)
    return {"median_s": round(median, 2), "p95_s": round(percentile(values, 0.95), 2),
            "per_s_at_median": round(statistics.median([run[rows] for run in runs]) / median)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-system", type=int, default=3_704, help="rows generated for each of 27 systems")
    parser.add_argument("--runs", type=int, default=5, help="runs with keys, and as many without")
    parser.add_argument("--data", type=Path, help="keep the generated exports here for the next run")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    django_setup()
    facts = machine()
    print(json.dumps(facts), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as scratch:
        files = generate(args.data or Path(scratch), args.per_system)
        runs = []
        for number in range(args.runs):
            order = (True, False) if number % 2 == 0 else (False, True)
            runs.extend(run(files, with_keys) for with_keys in order)
    with_keys = [item for item in runs if item["keys"]]
    without = [item for item in runs if not item["keys"]]
    result = {
        "machine": facts, "rows": runs[0]["rows"], "systems": len(files),
        **{f"{step}_{mode}_keys{unit}": summary(items, f"{step}{unit}")
           for step in ("load", "again") for mode, items in (("with", with_keys), ("without", without))
           for unit in ("_s", "_cpu_s")},
        "backfill": summary(without, "backfill_s"),
        "backfill_cpu": summary(without, "backfill_cpu_s"),
        "backfill_keys": summary(without, "backfill_s", "backfill_keys"),
        "keys_per_row": with_keys[-1]["keys_per_row"], "key_rows": with_keys[-1]["key_rows"],
        **{name: with_keys[-1][name] for name in ("key_table_mb", "key_indexes_mb", "records_mb")},
        "runs": runs,
    }
    print(json.dumps({key: value for key, value in result.items() if key != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Warning models at scale (issue 16, point 10): every seeded model over the bench's linked records
on PostgreSQL, a full run and an incremental run after an ingest, and what record keys cost an
ingest into a table already that large.

    psql -h 127.0.0.1 -U portal -d postgres -c 'CREATE DATABASE bench_detection'
    export DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/bench_detection PORTAL_DEMO=1
    python manage.py migrate && python manage.py shell -c "from demo import city; city.seed()"
    python manage.py seed_systems
    # 27 systems × 370,371 rows = 10,000,017 linked records, loaded once (--load), kept after
    python -m bench.detection --per-system 370371 --load --workers 2 --data /var/tmp/bench-detection \\
        --json detection.json

Steps, each printed as a line of JSON as it ends:

- ``load`` (with ``--load``): the linked records emptied, then every system's export (generated
  once by ``demo.generator`` into ``--data``) loaded with its keys by ``ingest_file`` (what
  ``manage.py ingest --no-index`` does), ``--workers`` systems at a time; each finished load
  analyses the tables (search.ingest), as a real ingest does.
- ``full``: the seeded models (``detection seed``) switched on; their warnings, evidence and runs
  emptied; then every model run over all records, one after another, as the nightly run does. It
  is done ``--full-runs`` times: the first writes every warning, the next ones find them again and
  write nothing new (the nightly case).
- ``ingest``: ``--ingest-rows`` rows more loaded without keys, then as many with keys (each another
  seed's world, the same share for every system): what keys cost an ingest when the key table
  already holds the bench's tens of millions of keys. The rows loaded without keys stay, keyless
  (a hundredth of the records at 10M; deleting them by ingest run could take base records that
  another world's row happened to update, their ids being a date and a number).
- ``incremental``: every model run over what that ingest added (``Scope(since=…)``, what the run
  queued after a load reads), ``--incremental-runs`` times.

Times are wall seconds; the goals (issue 16) are a full run of all models under 5 minutes and an
incremental run of all models under 30 s. The peak memory of this process is reported beside.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bench.board import percentile
from bench.record_keys import SEED, declare_keys, django_setup, empty, generate, sizes
from bench.search_ingest import machine


def _load_one(code: str, path: str) -> tuple[str, int, float]:
    """One system's export loaded in a process of its own (forked after Django is set up)."""
    from django.db import connections

    from search.ingest.files import ingest_file
    from search.models import SourceSystem

    connections.close_all()  # the parent's connection is not this process's to use
    started = time.perf_counter()
    outcome = ingest_file(SourceSystem.objects.get(code=code), path, again=True, index=False)
    return code, outcome.run.rows_done, time.perf_counter() - started


def load(files: dict[str, Path], workers: int) -> dict:
    from django.db import connections

    empty()
    declare_keys(True)
    connections.close_all()
    started = time.perf_counter()
    rows = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        for code, done, seconds in pool.map(_load_one, files, [str(path) for path in files.values()]):
            rows += done
            print(json.dumps({"loaded": code, "rows": done, "s": round(seconds, 1)}), flush=True)
    seconds = time.perf_counter() - started
    return {"step": "load", "rows": rows, "workers": workers, "s": round(seconds, 1),
            "rows_per_s": round(rows / seconds)} | sizes()


def switched_on_models():
    from search.detection import actions
    from search.detection.seeds import seed_models

    seed_models()
    return actions.active_models()


def empty_warnings() -> None:
    from django.db import connection

    from search.detection.models import DetectionRun, Warning, WarningEvent, WarningEvidence

    tables = [model._meta.db_table for model in (WarningEvent, WarningEvidence, Warning, DetectionRun)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def run_all(models, scope) -> dict:
    """Every model run over ``scope``, one after another: seconds and warnings found for each."""
    from search.detection import actions

    each, started = {}, time.perf_counter()
    for model in models:
        began = time.perf_counter()
        run = actions.run_model(model, scope=scope)
        each[model.key] = {"s": round(time.perf_counter() - began, 2), "found": run.warnings_found,
                           "new": run.new_warnings}
    return {"s": round(time.perf_counter() - started, 2), "models": each}


def ingest_more(per_system: int, data: Path, seed: int, with_keys: bool) -> dict:
    """``per_system`` rows of another world for every system, loaded in this process."""
    from search.ingest.files import ingest_file
    from search.models import SourceSystem

    files = generate(data, per_system, seed=seed)
    declare_keys(with_keys)
    systems = {system.code: system for system in SourceSystem.objects.filter(code__in=list(files))}
    rows, started = 0, time.perf_counter()
    for code, path in files.items():
        rows += ingest_file(systems[code], path, again=True, index=False).run.rows_done
    seconds = time.perf_counter() - started
    declare_keys(True)
    return {"keys": with_keys, "rows": rows, "s": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def summary(values: list[float]) -> dict:
    return {"median_s": round(statistics.median(values), 2), "p95_s": round(percentile(values, 0.95), 2),
            "runs": len(values)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-system", type=int, default=3_704, help="rows generated for each of 27 systems")
    parser.add_argument("--load", action="store_true", help="empty the linked records and load them again")
    parser.add_argument("--workers", type=int, default=2, help="systems loaded at a time with --load")
    parser.add_argument("--full-runs", type=int, default=2)
    parser.add_argument("--ingest-rows", type=int, default=100_000,
                        help="rows of the ingest before the incremental runs")
    parser.add_argument("--incremental-runs", type=int, default=5)
    parser.add_argument("--data", type=Path, required=True,
                        help="a folder for the generated exports, kept there for the next run")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    django_setup()

    import datetime

    from django.utils import timezone

    from search.detection import runs
    from search.models import Record, RecordKey

    result = {"machine": machine()}
    print(json.dumps(result["machine"]), flush=True)
    if args.load:
        result["load"] = load(generate(args.data, args.per_system), args.workers)
        print(json.dumps(result["load"]), flush=True)
    result |= {"records": Record.objects.count(), "keys": RecordKey.objects.count()}
    models = switched_on_models()
    result["model_count"] = len(models)
    empty_warnings()
    full = []
    for _ in range(args.full_runs):
        full.append(run_all(models, runs.FULL))
        print(json.dumps({"step": "full"} | full[-1]), flush=True)
    result["full"] = summary([item["s"] for item in full]) | {"each": full}

    share = max(1, args.ingest_rows // 27)
    without = ingest_more(share, args.data, SEED + 2, with_keys=False)
    since = timezone.now() - datetime.timedelta(seconds=1)
    with_keys = ingest_more(share, args.data, SEED + 1, with_keys=True)
    result["ingest"] = {"without_keys": without, "with_keys": with_keys}
    print(json.dumps({"step": "ingest"} | result["ingest"]), flush=True)

    incremental = []
    for _ in range(args.incremental_runs):
        incremental.append(run_all(models, runs.Scope(since=since)))
        print(json.dumps({"step": "incremental"} | incremental[-1]), flush=True)
    result["incremental"] = summary([item["s"] for item in incremental]) | {"each": incremental}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps({key: value for key, value in result.items() if key not in ("full", "incremental")}
                     | {"full": summary([item["s"] for item in full]),
                        "incremental": summary([item["s"] for item in incremental])}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

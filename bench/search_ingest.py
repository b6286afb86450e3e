"""Ingestion rate of the linked systems' exports (DESIGN §7, §9): database alone, index alone, both.

    export DATABASE_URL=postgres://…/portal_search_bench ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
           SEARCH_INDEX_PREFIX=bench PORTAL_DEMO=1
    python manage.py generate_records --count 370371 --seed 20261122 --out DATA  # 27 files, 10M rows
    python -m bench.search_ingest load DATA --processes 2             # database and index, per batch
    python -m bench.search_ingest load DATA --no-index                # the database alone
    python -m bench.search_ingest index --limit 2000000               # the index alone, from the database

``load`` runs ``search.ingest.files.ingest_file`` on every file of DATA named after a linked system
(``<code>.jsonl`` or ``.csv``), each file in one process of a pool: exactly what
``manage.py ingest`` does, file by file. ``index`` reads records from the database in id order
and writes them with ``search.index._elastic.index_records`` into a scratch version of the index (not
the live one; refresh off, as ``search_reindex`` builds a version), then deletes it unless
``--keep``. Rates are rows (records) a second of wall time, for the whole run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import time
from pathlib import Path

from bench.common import django_setup


def machine() -> dict:
    """What the numbers were measured on."""
    from django.conf import settings
    from django.db import connection

    facts = {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average": os.getloadavg()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            facts["postgresql"] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            facts["sqlite"] = cursor.fetchone()[0]
    if settings.SEARCH_BACKEND == "elasticsearch":
        from search.index.connection import elasticsearch_client

        nodes = elasticsearch_client().nodes.info(metric="jvm")["nodes"].values()
        facts["elasticsearch"] = [
            {"version": node["version"], "heap_mb": node["jvm"]["mem"]["heap_max_in_bytes"] >> 20}
            for node in nodes
        ]
    return facts


def exports(folder: Path, systems: list[str] | None) -> list[tuple[str, Path]]:
    """(system code, file) for each export in ``folder``, the largest first (the pool ends sooner)."""
    from search.ingest.files import FORMATS
    from search.models import SourceSystem

    known = set(SourceSystem.objects.values_list("code", flat=True))
    found = [
        (path.stem, path) for path in folder.iterdir()
        if path.suffix in FORMATS and path.stem in known and (not systems or path.stem in systems)
    ]
    return sorted(found, key=lambda item: -item[1].stat().st_size)


def _load_one(job: tuple[str, str, bool]) -> dict:
    """One file, in a pool process (forked after Django started, with fresh connections)."""
    from search.ingest.files import ingest_file
    from search.models import SourceSystem

    code, path, index = job
    started = time.perf_counter()
    outcome = ingest_file(SourceSystem.objects.get(code=code), path, again=True, index=index)
    seconds = time.perf_counter() - started
    run = outcome.run
    print(f"  {code}: {run.rows_loaded:,} loaded, {run.rows_rejected:,} rejected in {seconds:,.1f} s "
          f"({run.rows_done / seconds:,.0f} rows/s)", flush=True)
    return {"system": code, "rows": run.rows_done, "loaded": run.rows_loaded, "seconds": seconds}


def _fresh_process() -> None:
    from django.db import connections

    from search.index.connection import elasticsearch_client

    connections.close_all()  # the parent's sockets are not this process's to use
    elasticsearch_client.cache_clear()


def load(folder: Path, *, systems: list[str] | None, processes: int, index: bool) -> dict:
    from django.conf import settings
    from django.db import connections

    from search.index import _elastic
    from search.models import Record

    jobs = [(code, str(path), index) for code, path in exports(folder, systems)]
    if not jobs:
        raise SystemExit(f"No export of a known linked system in {folder}.")
    before = Record.objects.count()
    if index and settings.SEARCH_BACKEND == "elasticsearch":
        _elastic.ensure_index()  # once, here: two processes must not each create a first version
    connections.close_all()
    print(f"Loading {len(jobs)} files with {processes} process(es), indexing {'on' if index else 'off'}; "
          f"{before:,} records before.", flush=True)
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_fresh_process) as pool:
        files = list(pool.imap_unordered(_load_one, jobs))
    seconds = time.perf_counter() - started
    rows = sum(item["rows"] for item in files)
    return {
        "what": "load", "index": index, "processes": processes, "files": len(files), "rows": rows,
        "loaded": sum(item["loaded"] for item in files), "records_before": before,
        "records_after": Record.objects.count(), "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds), "per_file": files,
    }


def index_only(limit: int | None, keep: bool) -> dict:
    """The index alone: records read from the database and bulk-indexed into a scratch version."""
    from search.index import _elastic
    from search.index.connection import elasticsearch_client
    from search.models import Record

    client = elasticsearch_client()
    name = f"{_elastic.alias()}-scratch-{int(time.time())}"
    _elastic._create_version(name)
    client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
    records = Record.objects.select_related("system", "region").order_by("pk")
    if limit:
        records = records[:limit]
    done, batch, started = 0, [], time.perf_counter()
    for record in records.iterator(chunk_size=2_000):
        batch.append(record)
        if len(batch) == 2_000:
            done += _elastic.index_records(batch, index=name)
            batch = []
            if done % 200_000 == 0:
                print(f"  {done:,} indexed, {done / (time.perf_counter() - started):,.0f} rows/s", flush=True)
    done += _elastic.index_records(batch, index=name) if batch else 0
    client.indices.refresh(index=name)
    seconds = time.perf_counter() - started
    if not keep:
        client.indices.delete(index=name)
    return {"what": "index", "rows": done, "seconds": round(seconds, 1),
            "rows_per_second": round(done / seconds), "scratch_index": name if keep else None}


def main(argv=None, setup=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    loading = steps.add_parser("load", help="ingest every export in a folder, as manage.py ingest does")
    loading.add_argument("folder", type=Path)
    loading.add_argument("--systems", help="only these system codes, separated by commas")
    loading.add_argument("--processes", type=int, default=1, help="files loaded side by side")
    loading.add_argument("--no-index", dest="index", action="store_false", help="the database alone")
    indexing = steps.add_parser("index", help="bulk-index records from the database into a scratch index")
    indexing.add_argument("--limit", type=int, help="the first N records only")
    indexing.add_argument("--keep", action="store_true", help="keep the scratch index")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    (setup or django_setup)()
    facts = machine()
    print(json.dumps(facts), flush=True)
    if args.step == "load":
        systems = args.systems.split(",") if args.systems else None
        result = load(args.folder, systems=systems, processes=args.processes, index=args.index)
    else:
        result = index_only(args.limit, args.keep)
    result["machine"] = facts
    summary = {key: value for key, value in result.items() if key != "per_file"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""The demo city's linked systems and about fifty thousand of their records (``manage.py seed_demo``).

The records are generated (``demo.generator``, a fixed seed: the same demo every time, with its
planted patterns) and loaded through ``search.ingest.files.ingest_file`` like any export: validated,
upserted and indexed exactly as real data is. The warning models shipped as data
(``search.detection.seeds``) are seeded before them and run over them once they are in.

`make run` loads them in the background once the portal answers (``manage.py load_demo_records``,
started by ``portal.serve``), so the search page tells how far the loading has got
(``loading_progress``, which ``demo.apps`` registers with ``search.ingest.loading`` for the page
to ask in demo mode). Loading resumes where it stopped: the systems load one after the other,
each from a file named after the demo (``DEMO_FILE``) whose run ``ingest_file`` resumes after its
last committed batch, and a system whose demo run is done is not loaded again. A database that
holds records but no demo run (real data, or a demo loaded before the runs were named) gets none.

Ingestion writes the records' keys with them. A demo loaded before there were record keys gets
its keys at the next start (``key_records_loaded_without_keys``), as ``manage.py record_keys``
would give them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from search.detection import actions as detection
from search.detection.runs import FULL
from search.detection.seeds import seed_models
from search.ingest.backfill import backfill_keys, records_without_keys
from search.ingest.files import ingest_file
from search.ingest.loading import Progress, progress_of_runs
from search.ingest.registry import SYSTEMS, seed_systems
from search.investigate.permissions import seed_default_grants
from search.models import IngestRun, IngestState, Record, SourceSystem

from .generator import World, write_system

SEED = "jiangzhou"
PER_SYSTEM = 1_852  # 27 systems: 50,004 records
DEMO_FILE = "jiangzhou-demo-{code}.jsonl"
# Rows committed at once: a batch holds SQLite's write lock, which the portal's own writes (a
# sign-in, a board action) wait for while the records load beside it.
BATCH_SIZE = 500


def records_per_system() -> int:
    """How many records each system gets; settings.DEMO_RECORDS_PER_SYSTEM overrides (0: none)."""
    return getattr(settings, "DEMO_RECORDS_PER_SYSTEM", PER_SYSTEM)


def _demo_runs():
    return IngestRun.objects.filter(file_name__startswith=DEMO_FILE.split("{")[0])


def _finished_codes() -> set[str]:
    return set(_demo_runs().filter(state=IngestState.DONE).values_list("system__code", flat=True))


def _wanted(per_system: int) -> bool:
    """Whether the demo's records are to be loaded at all: not into a database of other records."""
    return per_system > 0 and (_demo_runs().exists() or not Record.objects.exists())


def loading_progress(per_system: int | None = None) -> Progress | None:
    """How far the demo's records have loaded; None when none are to be loaded or all are."""
    per_system = records_per_system() if per_system is None else per_system
    if not _wanted(per_system):
        return None
    return progress_of_runs(_demo_runs(), [spec.code for spec in SYSTEMS], per_system)


def background_progress() -> Progress | None:
    """What the records search page shows: the demo's loading, outside demo mode never (a real
    portal's search page does not ask)."""
    return loading_progress() if settings.DEMO else None


def seed_records(per_system: int | None = None, *, report: Callable[[str, int], None] | None = None) -> int:
    """Create the linked systems, their default grants and the seeded warning models, then load the
    records of each system whose demo run is not done yet and run the models over them; returns
    how many records were loaded (0 when none were).
    ``report`` hears each system's code and the rows committed so far, after every batch."""
    seed_systems()
    seed_default_grants()
    seed_models()  # needs the agencies, the systems and their grants; before the records come
    per_system = records_per_system() if per_system is None else per_system
    if not _wanted(per_system):
        return 0
    finished = _finished_codes()
    pending = [spec.code for spec in SYSTEMS if spec.code not in finished]
    systems = {system.code: system for system in SourceSystem.objects.filter(code__in=pending)}
    world = World(SEED, per_system) if pending else None  # each system's rows depend on it only
    before = Record.objects.count()
    with tempfile.TemporaryDirectory(prefix="demo-records-") as folder:
        for code in pending:
            path = Path(folder) / DEMO_FILE.format(code=code)
            write_system(code, path, fmt="jsonl", seed=SEED, count=per_system, world=world)
            progress = (lambda done, total, code=code: report(code, done)) if report else None
            ingest_file(systems[code], path, batch_size=BATCH_SIZE, progress=progress)
            path.unlink()
    if pending:
        run_warning_models()
    return Record.objects.count() - before


def run_warning_models(*, not_run_yet: bool = False) -> int:
    """Every model switched on (or those that never ran), over all the records: the demo's triage
    list has its warnings as soon as the records are in, without waiting for a worker to take the
    runs each load queued (those then find nothing new). A model the worker is running already is
    left to it. Returns how many ran."""
    ran = 0
    for model in detection.active_models():
        if not_run_yet and detection.incremental_scope(model) != FULL:
            continue
        try:
            detection.run_model(model)
        except detection.ModelBusy:
            continue
        ran += 1
    return ran


def key_records_loaded_without_keys() -> int:
    """Give keys to the demo's records loaded before there were record keys; how many were read.
    A database without the demo's runs (real data) is left to ``manage.py record_keys``."""
    if not _demo_runs().exists():
        return 0
    systems = SourceSystem.objects.filter(code__in=[spec.code for spec in SYSTEMS])
    if not records_without_keys(systems).exists():
        return 0
    return backfill_keys(systems).records

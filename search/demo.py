"""The demo city's linked systems and about fifty thousand of their records (``manage.py seed_demo``).

The records are generated (``search.generator``, a fixed seed: the same demo every time, with its
planted patterns) and loaded through ``search.ingest.ingest_file`` like any export: validated,
upserted and indexed exactly as real data is. Once any record exists the step is skipped, so
running ``seed_demo`` again (``make run`` does) costs nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from .generator import World, write_system
from .governance import seed_default_grants
from .ingest import ingest_file
from .models import Record, SourceSystem
from .registry import SYSTEMS, seed_systems

SEED = "jiangzhou"
PER_SYSTEM = 1_852  # 27 systems: 50,004 records


def records_per_system() -> int:
    """How many records each system gets; settings.DEMO_RECORDS_PER_SYSTEM overrides (0: none)."""
    return getattr(settings, "DEMO_RECORDS_PER_SYSTEM", PER_SYSTEM)


def seed_records(per_system: int | None = None, *, report: Callable[[str, int], None] | None = None) -> int:
    """Create the linked systems and their default grants, then load the records unless some
    exist already; returns how many records were loaded (0 when skipped)."""
    seed_systems()
    seed_default_grants()
    per_system = records_per_system() if per_system is None else per_system
    if per_system <= 0 or Record.objects.exists():
        return 0
    codes = [spec.code for spec in SYSTEMS]
    systems = {system.code: system for system in SourceSystem.objects.filter(code__in=codes)}
    world = World(SEED, per_system)
    loaded = 0
    with tempfile.TemporaryDirectory(prefix="demo-records-") as folder:
        for spec in SYSTEMS:
            path = Path(folder) / f"{spec.code}.jsonl"
            write_system(spec.code, path, fmt="jsonl", seed=SEED, count=per_system, world=world)
            outcome = ingest_file(systems[spec.code], path)
            loaded += outcome.run.rows_loaded
            if report:
                report(spec.code, outcome.run.rows_loaded)
    return loaded

"""How far loading has got: one upload's run, for the upload page (``run_status``), and a loading
run of many linked systems, for the linked record search page.

A loading run is a set of ingest runs, one a linked system, each expected to commit the same
number of rows; a program that loads records in the background (the demo's
``manage.py load_demo_records``, started by `make run`) announces how to measure its run with
``register`` from its app's ``ready()``. The search page asks ``current()`` and shows a bar while
a run is unfinished; it knows nothing of who started the run or why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import IngestRun, IngestState


def run_status(run: IngestRun) -> dict:
    """The run's progress as the pages' progress poller (search/static/search/jobs.js) reads it."""
    total = run.rows_total
    percent = min(100, round(100 * run.rows_done / total)) if total else None
    if run.state == IngestState.DONE:
        percent = 100
    if total:
        label = _("%(done)s of %(total)s rows") % {"done": f"{run.rows_done:,}", "total": f"{total:,}"}
    else:
        label = _("%(done)s rows") % {"done": f"{run.rows_done:,}"}
    return {"state": run.state, "done": run.rows_done, "total": total, "percent": percent, "label": label}


@dataclass(frozen=True)
class Progress:
    done: int  # rows committed
    total: int

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 100


def progress_of_runs(runs: QuerySet[IngestRun], codes: Iterable[str], per_system: int) -> Progress | None:
    """How far the ``runs`` of the systems ``codes`` have got, each to commit ``per_system`` rows;
    None once every system's rows are committed. A system loaded more than once counts its best run."""
    codes = list(codes)
    done_by_code: dict[str, int] = {}
    for code, state, rows_done in runs.values_list("system__code", "state", "rows_done"):
        rows = per_system if state == IngestState.DONE else min(rows_done, per_system)
        done_by_code[code] = max(done_by_code.get(code, 0), rows)
    if all(done_by_code.get(code) == per_system for code in codes):
        return None
    return Progress(sum(done_by_code.get(code, 0) for code in codes), per_system * len(codes))


_sources: list[Callable[[], Progress | None]] = []


def register(source: Callable[[], Progress | None]) -> None:
    """Have the search page show ``source()``, a loading run's progress (None: nothing to show)."""
    if source not in _sources:
        _sources.append(source)


def current() -> Progress | None:
    """The first unfinished loading run's progress, or None when no run is loading."""
    for source in _sources:
        progress = source()
        if progress is not None:
            return progress
    return None

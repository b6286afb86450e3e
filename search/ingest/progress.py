"""A progress line for the search app's long commands (ingest, generate_records, reindex)."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Rows done, on one line redrawn in place on a terminal; elsewhere (a log) a line now and then."""

    WIDTH = 30
    LOG_EVERY = 10.0  # seconds

    def __init__(self, stream=sys.stderr, *, label: str = "", total: int | None = None):
        self.stream = stream
        self.label = f"{label} " if label else ""
        self.total = total
        self.redraw = stream.isatty()
        self.started = time.monotonic()
        self.last = None
        self.shown = False

    def show(self, done: int, total: int | None = None) -> None:
        total = total or self.total
        now = time.monotonic()
        rate = done / max(now - self.started, 1e-6)
        if total:
            share = min(done / total, 1.0)
            filled = round(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = f"{self.label}[{bar}] {share:4.0%} {done:,} / {total:,}"
        else:
            text = f"{self.label}{done:,}"
        text += f"  {rate:,.0f} rows/s"
        if self.redraw:
            self.stream.write(f"\r{text}")
        elif self.last is None or now - self.last >= self.LOG_EVERY:
            self.stream.write(f"{text}\n")
        else:
            return
        self.stream.flush()
        self.last, self.shown = now, True

    def close(self) -> None:
        if self.redraw and self.shown:
            self.stream.write("\n")
            self.stream.flush()

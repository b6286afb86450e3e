"""Celery tasks of the investigator's background work: exports, batch searches, saved searches.
Tasks take ids and skip what is gone (DESIGN §11); the work itself lives in the modules named, so
tests call it directly too.

Each keeps the name it had when this module was search/tasks.py: the beat schedule
(``CELERY_BEAT_SCHEDULE``) and any message already queued name it so."""

from __future__ import annotations

from celery import shared_task

from . import alerts, batch, exports


@shared_task(acks_late=True, name="search.tasks.export_records")
def export_records(job_id: int, site_url: str = "") -> int | None:
    """Write one export's file (search.investigate.exports); a job already taken or gone is left alone."""
    job = exports.run(job_id, site_url)
    return job.rows_done if job else None


@shared_task(acks_late=True, name="search.tasks.run_batch_search")
def run_batch_search(batch_id: int) -> int | None:
    """Fill one batch search's matrix (search.investigate.batch), resuming after the terms already done."""
    done = batch.run(batch_id)
    return done.terms_done if done else None


@shared_task(name="search.tasks.check_saved_searches")
def check_saved_searches() -> int:
    """Run the saved searches against new records (search.investigate.alerts); every 5 minutes by beat, and
    when an ingest run finishes. Two at once share the saved searches, never tell a hit twice."""
    return alerts.run_saved_searches().hits

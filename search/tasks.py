"""Celery tasks of the search app. Tasks take ids and skip what is gone (DESIGN §11); the work
itself lives in the modules named, so tests call it directly too."""

from __future__ import annotations

from celery import shared_task

from . import alerts, batch, exports


@shared_task(acks_late=True)
def export_records(job_id: int, site_url: str = "") -> int | None:
    """Write one export's file (search.exports); a job already taken or gone is left alone."""
    job = exports.run(job_id, site_url)
    return job.rows_done if job else None


@shared_task(acks_late=True)
def run_batch_search(batch_id: int) -> int | None:
    """Fill one batch search's matrix (search.batch), resuming after the terms already done."""
    done = batch.run(batch_id)
    return done.terms_done if done else None


@shared_task
def check_saved_searches() -> int:
    """Run the saved searches against new records (search.alerts); every 5 minutes by beat, and
    when an ingest run finishes. Two at once share the saved searches, never tell a hit twice."""
    return alerts.run_saved_searches().hits

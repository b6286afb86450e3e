"""Celery tasks of detection: runs of one model and of every model switched on, nightly (beat)
and after each ingest (the ``records_loaded`` signal, connected in SearchConfig.ready). Tasks
take ids and skip what is gone or switched off (DESIGN §11); a model that is running already is
tried again later, with backoff."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import IngestRun
from . import actions, runs
from .models import WarningModel

RETRIES = 5
FIRST_RETRY = 60  # seconds; doubled each time


@shared_task(bind=True, acks_late=True, max_retries=RETRIES, name="search.detection.tasks.run_model")
def run_model(self, model_id: int, full: bool = False, ingest_run_ids: list[int] | None = None,
              acting_user_id: int | None = None) -> int | None:
    """One run of the model: over the records of ``ingest_run_ids``, or all of them (``full``), or
    those ingested since its last run; as ``acting_user_id`` (the "run now" button), else as the
    owning agency. Returns how many warnings it raised."""
    model = WarningModel.objects.filter(pk=model_id, is_active=True).first()
    if model is None:
        return None
    acting_user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    if ingest_run_ids:
        scope = runs.Scope(ingest_runs=tuple(ingest_run_ids))
    else:
        scope = runs.FULL if full else actions.incremental_scope(model)
    try:
        return actions.run_model(model, acting_user=acting_user, scope=scope).new_warnings
    except actions.ModelBusy as busy:
        raise self.retry(exc=busy, countdown=FIRST_RETRY * 2 ** self.request.retries) from None


@shared_task(name="search.detection.tasks.run_active_models")
def run_active_models(full: bool = True, ingest_run_id: int | None = None) -> int:
    """Queue a run of every model switched on (nightly: full); after an ingest, an incremental
    run of those reading the ingested system, over what the ingest wrote. Returns how many."""
    code = None
    if ingest_run_id is not None:
        code = IngestRun.objects.filter(pk=ingest_run_id).values_list("system__code", flat=True).first()
        if code is None:
            return 0
    chosen = actions.active_models(code)
    for model in chosen:
        run_model.delay(model.pk, full, [ingest_run_id] if ingest_run_id is not None else None)
    return len(chosen)


def queue_runs_after_ingest(sender, run: IngestRun, **kwargs) -> None:
    """Receiver of ``search.ingest.signals.records_loaded``: the runs are queued once the load's
    transaction commits, so the worker finds its records."""
    transaction.on_commit(lambda: run_active_models.delay(full=False, ingest_run_id=run.pk))

"""Celery tasks of ingestion. Tasks take ids and skip what is gone (DESIGN §11)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..investigate.tasks import check_saved_searches
from ..models import IngestRun, IngestState
from .files import IngestError, RunTaken, ingest_file
from .storage import stored_file

logger = logging.getLogger(__name__)


def _stop(run_id: int, message: str) -> None:
    IngestRun.objects.filter(pk=run_id).exclude(state=IngestState.DONE).update(
        state=IngestState.FAILED, error=message
    )


# Named as it was when the upload page's code was one module: messages already queued under that
# name keep reaching it.
@shared_task(acks_late=True, name="search.uploads.ingest_upload")
def ingest_upload(run_id: int) -> str | None:
    """Load (or go on loading) an uploaded file; then let saved searches look at the new records."""
    run = IngestRun.objects.select_related("system", "uploaded_by").filter(pk=run_id).first()
    if run is None or run.state == IngestState.DONE:
        return None  # gone, or finished by an earlier delivery of this task
    with translation.override(settings.LANGUAGE_CODE):
        path = stored_file(run)
        if path is None:
            _stop(run.pk, _("The uploaded file is no longer kept; upload it again."))
            return IngestState.FAILED
        try:
            ingest_file(run.system, path, fmt=path.suffix[1:], uploaded_by=run.uploaded_by)
        except RunTaken:
            return None  # another worker is loading it
        except IngestError as error:
            _stop(run.pk, str(error))
            return IngestState.FAILED
        except Exception as error:
            _stop(run.pk, str(error) or type(error).__name__)
            logger.exception("Loading upload %s stopped", run.pk)
            raise
    check_saved_searches.delay()
    return IngestState.DONE

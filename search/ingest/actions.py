"""Loading a linked system's export uploaded through the browser (DESIGN §7): every change the
upload page makes happens here.

The file is checked (``upload_checks``) and kept (``storage``) before an ``IngestRun`` is made
for it, at once, so the page shows it before the worker starts. The Celery task
``tasks.ingest_upload`` then loads it with ``files.ingest_file``, which finds that run by the
file's checksum and commits ``rows_done`` with every batch: the run row is the progress, and a
run that stopped continues after its last committed batch, without duplicates.
"""

from __future__ import annotations

from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IngestRun, IngestState, SourceSystem
from .storage import store
from .tasks import ingest_upload


class UploadRefused(Exception):
    """The file was loaded into this system before; the message says when."""

    def __init__(self, message: str, run: IngestRun):
        super().__init__(message)
        self.run = run


def start_upload(*, acting_user, system: SourceSystem, upload, fmt: str) -> IngestRun:
    """Keep the file, make its run and have the worker load it once the run is committed.

    The same file sent again continues its run if that one stopped; a file already loaded
    into the system is refused (UploadRefused), naming the earlier run.
    """
    _path, sha256, lines = store(system, upload, fmt)
    same_file = IngestRun.objects.filter(system=system, file_sha256=sha256)
    earlier = same_file.order_by("-started_at", "-pk").first()
    if earlier is not None and earlier.state == IngestState.DONE:
        when = timezone.localtime(earlier.finished_at or earlier.started_at).strftime("%Y-%m-%d %H:%M")
        raise UploadRefused(
            _("This file was loaded into %(system)s on %(date)s already.") % {"system": system, "date": when},
            earlier,
        )
    if earlier is not None:
        continue_upload(earlier)
        return earlier
    rows = lines - 1 if fmt == "csv" else lines
    with transaction.atomic():
        run = IngestRun.objects.create(
            system=system, file_name=PurePath(upload.name).name[-255:], file_sha256=sha256,
            uploaded_by=acting_user, rows_total=max(rows, 0),
        )
        transaction.on_commit(lambda: ingest_upload.delay(run.pk))
    return run


def continue_upload(run: IngestRun) -> bool:
    """Load a stopped run again from its last committed row; False if it is not stopped."""
    with transaction.atomic():
        moved = IngestRun.objects.filter(pk=run.pk, state=IngestState.FAILED).update(
            state=IngestState.RUNNING, error="", finished_at=None
        )
        if moved:
            transaction.on_commit(lambda: ingest_upload.delay(run.pk))
    return bool(moved)

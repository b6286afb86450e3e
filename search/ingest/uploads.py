"""Loading a linked system's export uploaded through the browser (DESIGN §7).

Who may upload to a system: members of its owner agency, and the administrators of a discipline
commission. The file is checked (size, type, content) before it is kept, stored privately under
``MEDIA_ROOT/uploads/<system>/<sha256>/<name>.<format>`` (never served as a media file), and an
``IngestRun`` is made for it at once, so the page shows it before the worker starts. The Celery
task ``ingest_upload`` then loads it with ``search.ingest.files.ingest_file``, which finds that run by
the file's checksum and commits ``rows_done`` with every batch: the run row is the progress, and
a run that stopped continues after its last committed batch, without duplicates.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path, PurePath

from celery import shared_task
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from agencies.models import Role

from ..models import IngestRun, IngestState, SourceSystem
from .files import IngestError, RunTaken, ingest_file

logger = logging.getLogger(__name__)

UPLOAD_DIR = "uploads"
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": None}  # None: by content
SNIFF_BYTES = 8192
_SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip package) and the old .xls


def max_upload_bytes() -> int:
    return settings.SEARCH_UPLOAD_MAX_BYTES


# --- who may upload and see what ------------------------------------------------------------


def uploadable_systems(membership):
    """The systems ``membership`` may load files into (none without an agency)."""
    systems = SourceSystem.objects.filter(is_active=True)
    if membership is None:
        return systems.none()
    if membership.role == Role.ADMINISTRATOR and membership.agency.is_commission:
        return systems
    return systems.filter(owner=membership.agency)


def visible_runs(membership):
    """The runs the user uploaded, and every run of the systems they may upload to."""
    if membership is None:
        return IngestRun.objects.none()
    mine = Q(uploaded_by=membership.user) | Q(system__in=uploadable_systems(membership))
    return IngestRun.objects.filter(mine).select_related("system", "uploaded_by")


def access_run(membership, pk) -> IngestRun:
    """The run, if the user may see it; missing and forbidden both raise Http404."""
    try:
        return visible_runs(membership).get(pk=pk)
    except (IngestRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- checking a file before it is kept -------------------------------------------------------


def checked_format(upload) -> str:
    """The file's format (csv or jsonl), or ValidationError saying, in the user's words, why not."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: upload a .csv, .jsonl or .txt file. A spreadsheet is saved as "
              "“CSV UTF-8” first.") % {"name": name}
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(_("“%(name)s” is %(size)s; the limit is %(limit)s.") % {
            "name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(_SPREADSHEETS):
        raise ValidationError(
            _("“%(name)s” is an Excel workbook, not text. Save it as “CSV UTF-8” and upload that.")
            % {"name": name}
        )
    if b"\x00" in head:
        raise ValidationError(_("“%(name)s” is not a text file.") % {"name": name})
    fmt = EXTENSIONS[extension]
    if fmt is None:  # .txt: one JSON object a line, or CSV
        fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"
    return fmt


# --- keeping the file and starting the run ---------------------------------------------------


def upload_folder(system: SourceSystem) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / system.code


def stored_file(run: IngestRun) -> Path | None:
    """Where the run's file is kept, if it is."""
    folder = upload_folder(run.system) / run.file_sha256
    kept = sorted(path for path in folder.glob("*") if path.suffix in (".csv", ".jsonl"))
    return kept[0] if kept else None


def _store(system: SourceSystem, upload, fmt: str) -> tuple[Path, str, int]:
    """Write the upload to a folder named by its checksum, under the name its uploader knows
    (so that messages about it name it), with the format's extension. Returns path, checksum, lines."""
    folder = upload_folder(system)
    folder.mkdir(parents=True, exist_ok=True)
    digest, lines, last = hashlib.sha256(), 0, b"\n"
    partial = folder / f".{os.getpid()}-{id(upload)}.part"
    with partial.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk or last
            out.write(chunk)
    lines += not last.endswith(b"\n")
    kept = folder / digest.hexdigest()
    kept.mkdir(exist_ok=True)
    try:
        stem = get_valid_filename(PurePath(upload.name).stem)[:100]
    except SuspiciousFileOperation:  # nothing usable left of the name
        stem = "upload"
    path = kept / f"{stem}.{fmt}"
    partial.replace(path)
    return path, digest.hexdigest(), lines


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
    _path, sha256, lines = _store(system, upload, fmt)
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


# --- the worker's part -----------------------------------------------------------------------


def _stop(run_id: int, message: str) -> None:
    IngestRun.objects.filter(pk=run_id).exclude(state=IngestState.DONE).update(
        state=IngestState.FAILED, error=message
    )


# Named as it was when this module was search/uploads.py: messages already queued under that name
# keep reaching it.
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
    _tell_saved_searches()
    return IngestState.DONE


def _tell_saved_searches() -> None:
    from ..tasks import check_saved_searches  # search.tasks imports this module

    check_saved_searches.delay()

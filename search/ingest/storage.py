"""Where uploaded files are kept: privately under ``MEDIA_ROOT/uploads/<system>/<sha256>/<name>.<format>``,
never served as a media file (DESIGN §7)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from ..models import IngestRun, SourceSystem

UPLOAD_DIR = "uploads"


def upload_folder(system: SourceSystem) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / system.code


def stored_file(run: IngestRun) -> Path | None:
    """Where the run's file is kept, if it is."""
    folder = upload_folder(run.system) / run.file_sha256
    kept = sorted(path for path in folder.glob("*") if path.suffix in (".csv", ".jsonl"))
    return kept[0] if kept else None


def store(system: SourceSystem, upload, fmt: str) -> tuple[Path, str, int]:
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

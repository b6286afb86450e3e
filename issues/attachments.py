"""Attachments on issues and reports: limited by size and type, checked before anything is saved."""

from __future__ import annotations

import hashlib
import mimetypes
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Attachment.name holds the file name as the user knows it.
MAX_NAME_LENGTH = 200
# Office documents, PDFs, pictures and archives of them: what departments file as evidence.
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".odt",
    ".ods",
    ".wps",
    ".ofd",
    ".txt",
    ".csv",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".zip",
}
# A file's first bytes must agree with its extension, so a renamed executable is refused.
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".zip": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),  # WPS Office's own format is an OLE compound file, like .doc
    ".ofd": (b"PK\x03\x04",),  # the national layout format is a zip package
}
# Plain-text evidence has no signature; a NUL byte near the start means it is not text at all.
_TEXT_EXTENSIONS = {".txt", ".csv"}
_TEXT_PROBE = 8192


def validate_upload(upload) -> None:
    """Raise ValidationError, in the user's language, for a file we will not keep."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("“%(name)s…”: the file name is longer than %(limit)d characters; shorten it.")
            % {"name": name[:30], "limit": MAX_NAME_LENGTH}
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: files of this type cannot be attached. Allowed: %(types)s.")
            % {"name": name, "types": " ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    if upload.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_ATTACHMENT_SIZE),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    signatures = _SIGNATURES.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("“%(name)s” does not look like a %(type)s file.")
                % {"name": name, "type": extension[1:].upper()}
            )
    if extension in _TEXT_EXTENSIONS:
        upload.seek(0)
        head = upload.read(_TEXT_PROBE)
        upload.seek(0)
        if b"\x00" in head:
            raise ValidationError(
                _("“%(name)s” does not look like a %(type)s file.")
                % {"name": name, "type": extension[1:].upper()}
            )


def validate_uploads(uploads) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(count)d files at once.") % {"count": MAX_ATTACHMENTS})
    for upload in uploads:
        validate_upload(upload)


# The files stored inside the innermost ``files_removed_on_failure`` block, as (storage, name).
_guarded: ContextVar[list | None] = ContextVar("issues_attachment_guard", default=None)


@contextmanager
def files_removed_on_failure():
    """Delete again every file stored inside the block if the block raises.

    Storage is not transactional: a file written inside a transaction that rolls back would be
    left behind, referenced by nothing. Actions wrap their whole transaction in this (outside
    ``transaction.atomic``, so a failure while committing counts too). A block nested in another
    hands its files to the outer one on success, since the outer one may still fail. What it
    cannot see is a caller's own enclosing transaction rolling back after the action returned
    without an exception; nothing in Django reports a rollback, so callers must not do that.
    """
    outer = _guarded.get()
    files: list = []
    token = _guarded.set(files)
    try:
        yield
    except BaseException:
        _delete(files)
        raise
    finally:
        _guarded.reset(token)
    if outer is not None:
        outer.extend(files)


def _delete(files) -> None:
    for storage, name in files:
        storage.delete(name)


def store_attachments(issue, uploads, *, user, agency, assignment=None) -> list[Attachment]:
    """Validate every file first, then save them all (inside the caller's transaction).

    A file that fails to save takes the ones saved before it in this call along with it; the
    caller's ``files_removed_on_failure`` block removes them all if anything later fails.
    """
    uploads = list(uploads)
    validate_uploads(uploads)
    stored: list[Attachment] = []
    try:
        _save_all(issue, uploads, stored, user=user, agency=agency, assignment=assignment)
    except BaseException:
        _delete((a.file.storage, a.file.name) for a in stored if a.file.name)
        raise
    guard = _guarded.get()
    if guard is not None:
        guard.extend((a.file.storage, a.file.name) for a in stored)
    return stored


def _save_all(issue, uploads, stored: list, *, user, agency, assignment) -> None:
    for upload in uploads:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = PurePath(upload.name).name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment = Attachment(
            issue=issue,
            assignment=assignment,
            name=name,
            size=upload.size,
            content_type=content_type,
            sha256=digest.hexdigest(),
            uploaded_by=user,
            agency=agency,
        )
        stored.append(attachment)
        attachment.file.save(name, upload, save=False)
        attachment.save()

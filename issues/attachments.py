"""Attachments on issues and reports: limited by size and type, checked before anything is saved."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
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
}


def validate_upload(upload) -> None:
    """Raise ValidationError, in the user's language, for a file we will not keep."""
    name = PurePath(upload.name).name
    extension = PurePath(name).suffix.lower()
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


def validate_uploads(uploads) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(count)d files at once.") % {"count": MAX_ATTACHMENTS})
    for upload in uploads:
        validate_upload(upload)


def store_attachments(issue, uploads, *, user, agency, assignment=None) -> list[Attachment]:
    """Validate every file first, then save them all (inside the caller's transaction)."""
    uploads = list(uploads)
    validate_uploads(uploads)
    stored = []
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
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored

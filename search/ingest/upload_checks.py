"""What an uploaded file must be before it is kept: within the size limit, and a CSV or JSON
Lines text file by its name and its first bytes (DESIGN §7)."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": None}  # None: by content
SNIFF_BYTES = 8192
_SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip package) and the old .xls


def max_upload_bytes() -> int:
    return settings.SEARCH_UPLOAD_MAX_BYTES


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

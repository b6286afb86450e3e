"""Reading a screening list's entries from an uploaded .csv or .xlsx file (DESIGN §12, re-screen).

A list comes from outside the linked systems (a court's list of debtors, a partner's warnings),
usually as a spreadsheet someone typed. Every value is normalised as the record keys are
(search.ingest.keys), so a list matches the keys it names however it was typed; a row that
cannot be read is not dropped in silence but quarantined with its reason, for the author to fix
and upload again. Reading writes nothing: ``actions.add_screening_rows`` adds the good rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..ingest.keys import normalised
from ..models import KeyKind

# A screening list is read in the request, so it is kept small: 5 MiB is some 100,000 ID
# numbers, more than any list a partner sends; a larger one is split.
MAX_BYTES = 5 << 20
MAX_ROWS = 100_000
MAX_COLUMNS = 10_000  # a sheet this wide is no list of keys but a hostile or broken file
NOTE_LENGTH = 200
SHOWN_VALUE = 60  # characters of a bad row's value kept to show it back
ENCODINGS = ("utf-8-sig", "gb18030")
_XLSX = b"PK\x03\x04"

# A heading names its column in either language, in any case; the kind cell may hold the code
# or the kind's name.
HEADINGS = {
    "kind": ("kind", "type", "种类", "类型", "类别"),
    "value": ("value", "key", "值", "号码", "证件号码"),
    "name": ("name", "名称", "姓名"),
    "note": ("note", "notes", "备注", "说明"),
}


class ScreeningFileError(Exception):
    """The file as a whole cannot be read; the message, for the user, says why."""


@dataclass(frozen=True)
class Entry:
    line: int
    kind: str
    value: str  # normalised
    note: str = ""


@dataclass(frozen=True)
class Quarantined:
    line: int
    kind: str  # as typed when it is no kind
    value: str  # as typed, cut short
    reason: str


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)


def kind_names() -> dict[str, str]:
    """Every way a kind may be written in a file → its code."""
    names = {}
    for code, label in KeyKind.choices:
        names[code.lower()] = code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[str(label).strip().lower()] = code
    return names


def read_upload(upload, *, kind: str = "") -> Parsed:
    """The entries of an uploaded file (a Django UploadedFile); ``kind``, if given, is every
    row's kind and the file needs no kind column."""
    name = PurePath(upload.name or "").name
    if upload.size > MAX_BYTES:
        raise ScreeningFileError(_("“%(name)s” is too large: a screening list may be at most %(limit)d MB.")
                                 % {"name": name, "limit": MAX_BYTES >> 20})
    upload.seek(0)
    return read_bytes(name, upload.read(MAX_BYTES + 1), kind=kind)


def read_bytes(name: str, content: bytes, *, kind: str = "") -> Parsed:
    extension = PurePath(name).suffix.lower()
    if extension not in (".csv", ".xlsx", ".txt"):
        raise ScreeningFileError(_("“%(name)s”: upload a .csv or .xlsx file.") % {"name": name})
    if not content:
        raise ScreeningFileError(_("“%(name)s” is empty.") % {"name": name})
    if len(content) > MAX_BYTES:
        raise ScreeningFileError(_("“%(name)s” is too large: a screening list may be at most %(limit)d MB.")
                                 % {"name": name, "limit": MAX_BYTES >> 20})
    rows = _xlsx_rows(name, content) if content.startswith(_XLSX) else _csv_rows(name, content)
    return parse_rows(rows, kind=kind, name=name)


def _csv_rows(name: str, content: bytes) -> Iterator[list]:
    if b"\x00" in content:
        raise ScreeningFileError(_("“%(name)s” is not a spreadsheet: save it as .xlsx or “CSV UTF-8”.")
                                 % {"name": name})
    for encoding in ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ScreeningFileError(_("“%(name)s” is not a spreadsheet: save it as .xlsx or “CSV UTF-8”.")
                                 % {"name": name})
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as error:
        raise ScreeningFileError(_("“%(name)s” cannot be read as CSV: %(error)s") % {
            "name": name, "error": str(error)[:200]}) from None


def _xlsx_rows(name: str, content: bytes) -> Iterator[list]:
    # A broken or hostile workbook fails inside openpyxl in many ways (a bad zip, XML, a
    # missing part, a number it cannot read): each is one message to the user, never a 500.
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        width = sheet.max_column or 0
    except Exception:  # noqa: BLE001 - any failure of openpyxl on the bytes is a bad file
        raise ScreeningFileError(_("“%(name)s” is not a workbook that can be read: save it again as "
                                   ".xlsx or “CSV UTF-8”.") % {"name": name}) from None
    if width >= MAX_COLUMNS:
        raise ScreeningFileError(_("“%(name)s” has %(count)d columns; a screening list has a few.")
                                 % {"name": name, "count": width})
    try:
        for row in sheet.iter_rows(values_only=True):
            yield ["" if cell is None else cell for cell in row]
    except Exception:  # noqa: BLE001 - as above, for a sheet broken past its first part
        raise ScreeningFileError(_("“%(name)s” is not a workbook that can be read: save it again as "
                                   ".xlsx or “CSV UTF-8”.") % {"name": name}) from None
    finally:
        book.close()


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed in Excel comes back as 13800138000.0
    return str(value).strip()


def _columns(heading: list, name: str) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(heading):
        text = _cell(cell).lower()
        for column, words in HEADINGS.items():
            if text in words and column not in found:
                found[column] = index
    if "value" not in found:
        raise ScreeningFileError(
            _("“%(name)s” has no “value” column. The first row names the columns: kind (unless one "
              "kind is chosen for the whole file), value, and optionally name and note.") % {"name": name})
    return found


def parse_rows(rows: Iterable[list], *, kind: str = "", name: str = "") -> Parsed:
    """The entries of the rows, the first of which names the columns."""
    rows = iter(rows)
    heading = next(rows, None)
    if heading is None or not any(_cell(cell) for cell in heading):
        raise ScreeningFileError(_("“%(name)s” is empty.") % {"name": name})
    if len(heading) >= MAX_COLUMNS:
        raise ScreeningFileError(_("“%(name)s” has %(count)d columns; a screening list has a few.")
                                 % {"name": name, "count": len(heading)})
    columns = _columns(heading, name)
    if not kind and "kind" not in columns:
        raise ScreeningFileError(_("“%(name)s” has no “kind” column: add one, or choose one kind for the "
                                   "whole file.") % {"name": name})
    kinds, labels = kind_names(), dict(KeyKind.choices)
    parsed, seen = Parsed(), {}
    for line, row in enumerate(rows, start=2):
        if line > MAX_ROWS + 1:
            raise ScreeningFileError(_("“%(name)s” has more than %(count)d rows; split it.")
                                     % {"name": name, "count": MAX_ROWS})
        if len(row) >= MAX_COLUMNS:
            raise ScreeningFileError(_("“%(name)s” has %(count)d columns; a screening list has a few.")
                                     % {"name": name, "count": len(row)})
        cells = {column: _cell(row[index]) if index < len(row) else "" for column, index in columns.items()}
        if not any(_cell(cell) for cell in row):
            continue  # a blank line between blocks is no row
        typed_kind = kind or cells.get("kind", "")
        value = cells["value"]
        code = kinds.get(typed_kind.lower())
        stored = normalised(code, value) if code and value else None
        reason = _refusal(typed_kind, code, value, stored, seen.get((code, stored)), labels)
        if reason:
            parsed.quarantined.append(
                Quarantined(line, (code or typed_kind)[:SHOWN_VALUE], value[:SHOWN_VALUE], reason))
        else:
            seen[(code, stored)] = line
            note = " · ".join(part for part in (cells.get("name", ""), cells.get("note", "")) if part)
            parsed.entries.append(Entry(line, code, stored, note[:NOTE_LENGTH]))
    return parsed


def _refusal(typed_kind: str, code: str | None, value: str, stored: str | None, first_line: int | None,
             labels: dict) -> str:
    """Why the row is quarantined, or "" when it is a good entry."""
    if not value:
        return _("The value is empty.")
    if code is None:
        if not typed_kind:
            return _("The kind is empty.")
        return _("“%(kind)s” is no kind of key.") % {"kind": typed_kind[:SHOWN_VALUE]}
    if stored is None:
        return _("Not a valid %(kind)s (an ID number's check digit, a code's form).") % {"kind": labels[code]}
    if first_line is not None:
        return _("The same key as line %(line)d.") % {"line": first_line}
    return ""

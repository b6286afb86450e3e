"""The one writer of the spreadsheets the portal hands out, as CSV or Excel (.xlsx).

Every file says what it is before its table: a title, the filters that chose its rows, when it
was exported and by whom, then a blank row, the header and the rows. A file forwarded by e-mail
or printed a month later still tells its reader what they hold.

CSV is written in UTF-8 with a byte-order mark: Excel reads a CSV without one in the machine's
legacy code page (GBK on Chinese Windows) and garbles the Chinese. Excel files are written in
openpyxl's write-only mode, row by row, so memory stays flat however many rows there are; past
Excel's row limit the rows go on to another sheet, under the same header.

Records come from other systems and from the public (12345 complaints): a cell that starts with
``=``, ``+``, ``-`` or ``@`` would be run as a formula when the file is opened (CSV injection),
and openpyxl itself stores such a string as a formula. A leading apostrophe makes the
spreadsheet show the text as text. Numbers are left alone, so amounts stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet
# openpyxl refuses the control characters XML 1.0 forbids; a linked record's raw text may hold them.
_XML_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def inert(value):
    """``value`` safe to put in a spreadsheet cell: text that could start a formula is quoted.

    A lazily translated label (a choice's label) becomes its text in the active language."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(cells) -> list:
    return [inert(cell) for cell in cells]


# --- what a file says about itself ------------------------------------------------------------


def exporter(user, agency=None) -> str:
    """Who exported: the user's name, and the agency they acted for."""
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    return f"{name}（{agency.display_name}）" if agency is not None else name


@dataclass(frozen=True)
class Heading:
    """The lines above the table. ``filters`` are (label, value) pairs of what the reader chose,
    in the words of the page they chose it on; none means every row they may see."""

    title: str
    exported_by: str
    filters: Sequence[tuple[str, str]] = ()
    exported_at: dt.datetime = field(default_factory=timezone.now)

    def rows(self) -> list[list]:
        pair = pgettext("a filter in a spreadsheet heading", "%(label)s: %(value)s")
        chosen = pgettext("between filters in a spreadsheet heading", "; ").join(
            pair % {"label": label, "value": value}
            for label, value in self.filters
            if value not in ("", None)
        )
        return [
            [self.title],
            [pgettext("spreadsheet heading", "Filters"), chosen or pgettext("no filters", "none")],
            [_("Exported at"), timezone.localtime(self.exported_at).strftime("%Y-%m-%d %H:%M:%S")],
            [_("Exported by"), self.exported_by],
            [],
        ]


# --- the writers -------------------------------------------------------------------------------


class _CsvSheet:
    def __init__(self, stream, heading: Heading, columns: Sequence[str], sheet_title: str):
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)
        for row in heading.rows():
            self.writer.writerow(inert_row(row))
        self.writer.writerow(inert_row(columns))

    def append(self, cells) -> None:
        self.writer.writerow(["" if cell is None else cell for cell in cells])

    def close(self) -> None:
        self.text.flush()
        self.text.detach()  # the stream stays open for the caller


class _XlsxSheet:
    def __init__(self, stream, heading: Heading, columns: Sequence[str], sheet_title: str):
        self.stream = stream
        self.heading = heading
        self.columns = list(columns)
        self.sheet_title = sheet_title
        self.workbook = Workbook(write_only=True)
        self.sheet = None
        self.in_sheet = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        number = len(self.workbook.worksheets) + 1
        title = self.sheet_title if number == 1 else f"{self.sheet_title} {number}"
        self.sheet = self.workbook.create_sheet(title=_sheet_name(title))
        self.sheet.column_dimensions["A"].width = 24
        self.in_sheet = 0
        if number == 1:
            title, *lines = self.heading.rows()
            self._put(self._bold(title))
            for row in lines:
                self._put([inert(_xml_text(cell)) for cell in row])
        self._put(self._bold(self.columns))

    def _put(self, cells) -> None:
        self.sheet.append(cells)
        self.in_sheet += 1

    def _bold(self, cells) -> list:
        bold = []
        for value in cells:
            cell = WriteOnlyCell(self.sheet, value=inert(_xml_text(value)))
            cell.font = Font(bold=True)
            bold.append(cell)
        return bold

    def append(self, cells) -> None:
        if self.in_sheet >= XLSX_MAX_ROWS:
            self._new_sheet()
        self._put([_xml_text(cell) for cell in cells])

    def close(self) -> None:
        self.workbook.save(self.stream)


def _sheet_name(title: str) -> str:
    # Excel's limit on sheet names: 31 characters, none of []:*?/\
    return str(title).translate(dict.fromkeys(map(ord, "[]:*?/\\"), " "))[:31] or "Sheet"


def _xml_text(cell):
    return cell.translate(_XML_ILLEGAL) if isinstance(cell, str) else cell


class Spreadsheet:
    """A file being written: the heading and header at once, then ``append`` row by row, then
    ``close``. Every cell goes through ``inert``."""

    def __init__(self, fmt: str, stream, heading: Heading, columns: Sequence[str], sheet_title: str = ""):
        if fmt not in FORMATS:
            raise ValueError(f"unknown spreadsheet format {fmt!r}")
        self.format = fmt
        self.suffix = f".{fmt}"
        self.rows = 0
        writer = _CsvSheet if fmt == CSV else _XlsxSheet
        self._sheet = writer(stream, heading, [str(c) for c in columns], sheet_title or heading.title)

    def append(self, cells: Iterable) -> None:
        self._sheet.append(inert_row(cells))
        self.rows += 1

    def close(self) -> None:
        self._sheet.close()


def write(fmt: str, stream, heading: Heading, columns: Sequence[str], rows: Iterable[Iterable]) -> int:
    """Write the whole file to ``stream``; returns the number of rows under the header."""
    sheet = Spreadsheet(fmt, stream, heading, columns)
    for row in rows:
        sheet.append(row)
    sheet.close()
    return sheet.rows


def to_bytes(fmt: str, heading: Heading, columns: Sequence[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.BytesIO()
    write(fmt, buffer, heading, columns, rows)
    return buffer.getvalue()


def download(fmt: str, name: str, heading: Heading, columns: Sequence[str], rows: Iterable[Iterable]):
    """The file as a download named ``name`` (without its suffix). CSV streams as it is written,
    for lists too long to hold; an Excel file is put together before it is sent."""
    if fmt == CSV:
        response = StreamingHttpResponse(csv_lines(heading, columns, rows), content_type=CONTENT_TYPES[CSV])
    else:
        response = HttpResponse(to_bytes(fmt, heading, columns, rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class _Echo:
    def write(self, value):
        return value


def csv_lines(heading: Heading, columns: Sequence[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The CSV file line by line, as UTF-8 with its byte-order mark first."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in heading.rows():
        yield writer.writerow(inert_row(row)).encode()
    yield writer.writerow(inert_row(str(c) for c in columns)).encode()
    for row in rows:
        yield writer.writerow(["" if cell is None else cell for cell in inert_row(row)]).encode()

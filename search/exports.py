"""Whole result sets written to files in the background: CSV (UTF-8 with a BOM) or .xlsx.

An export reads every hit through ``backend.scan`` (one snapshot, page after page: no 10,000
ceiling), loads the records a thousand at a time and streams the rows into the file, so memory
stays flat however large the set. What the owner may see is decided when the export runs: only
systems they may read *and* export, with ID and phone numbers masked unless their access to the
record's system shows them.

Excel reads a CSV without a byte-order mark in the machine's legacy code page (GBK on Chinese
Windows) and garbles UTF-8 Chinese; the BOM makes it read UTF-8 (as issues/exports.py does).
openpyxl's write-only mode writes rows as they come instead of holding the sheet in memory.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from itertools import islice

from django.conf import settings
from django.core.files import File
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.spreadsheet_cells import inert, inert_row

from . import backend, governance
from .models import ExportFormat, ExportJob, JobState, Record
from .query import QuerySyntaxError, parse
from .stored_query import as_filters, searched_systems

CHUNK = 1_000  # hits per database read, and rows between two progress updates
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header: a larger set goes on more sheets
# openpyxl refuses the control characters XML 1.0 forbids; a record's raw text may hold them.
_XML_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


class ExportRefused(Exception):
    """The export cannot run (its owner lost access, or the query no longer parses)."""


def header() -> list[str]:
    return [
        _("Linked system"), _("External id"), _("Title"), _("Date"), _("Region"), _("Amount (yuan)"),
        _("Names"), _("Unified social credit codes"), _("ID numbers"), _("Phone numbers"), _("Text"),
        _("Link"),
    ]


# The address the portal was reached at when the export was asked for (scheme, host and port),
# so that the file's links open where its reader works; PORTAL_BASE_URL without one.
_site_url: ContextVar[str] = ContextVar("export_site_url", default="")


def record_link(pk: int) -> str:
    site = _site_url.get() or settings.WAGTAILADMIN_BASE_URL
    return site.rstrip("/") + reverse("search:record", args=[pk])


def record_row(record: Record, access: governance.SystemAccess) -> list:
    """One record as the export's cells, masked as its system's access says."""
    shown = access.identifiers
    text = (lambda value: value) if shown else governance.mask_text
    id_numbers = record.id_numbers if shown else [governance.mask_id_number(n) for n in record.id_numbers]
    phones = record.phones if shown else [governance.mask_phone(p) for p in record.phones]
    return [
        record.system.name,
        record.external_id,
        text(record.title),
        timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M"),
        record.region.name if record.region_id else "",
        record.amount,
        "；".join(record.names),
        "；".join(record.credit_codes),
        "；".join(id_numbers),
        "；".join(phones),
        text(record.body),
        record_link(record.pk),
    ]


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rows(hits: Iterable, accesses: dict[str, governance.SystemAccess]) -> Iterator[list]:
    """The rows of ``hits`` (in their order), records loaded a chunk at a time.

    A hit whose record is gone from the database (removed since it was indexed) is left out."""
    for chunk in _chunks(hits, CHUNK):
        records = Record.objects.select_related("system", "region").in_bulk([hit.record_id for hit in chunk])
        for hit in chunk:
            record = records.get(hit.record_id)
            if record is not None and record.system.code in accesses:
                yield record_row(record, accesses[record.system.code])


# --- writers ------------------------------------------------------------------------------------


class CsvWriter:
    suffix = ".csv"

    def __init__(self, stream):
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)

    def write(self, cells: list) -> None:
        self.writer.writerow(inert_row("" if cell is None else cell for cell in cells))

    def close(self) -> None:
        self.text.flush()
        self.text.detach()  # the stream stays open for the caller to store


class XlsxWriter:
    suffix = ".xlsx"

    def __init__(self, stream):
        self.stream = stream
        self.workbook = Workbook(write_only=True)
        self.sheet = None
        self.header: list | None = None
        self.in_sheet = 0

    def write(self, cells: list) -> None:
        if self.header is None:  # the first row is the header, repeated on every sheet
            self.header = cells
            self._new_sheet()
            return
        if self.in_sheet >= XLSX_MAX_ROWS:
            self._new_sheet()
        self.sheet.append([inert(_clean(cell)) for cell in cells])
        self.in_sheet += 1

    def _new_sheet(self) -> None:
        number = len(self.workbook.worksheets) + 1
        title = _("Records") if number == 1 else f"{_('Records')} {number}"
        self.sheet = self.workbook.create_sheet(title=title)
        bold = []
        for text in self.header:
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font = Font(bold=True)
            bold.append(cell)
        self.sheet.append(bold)
        self.in_sheet = 0

    def close(self) -> None:
        self.workbook.save(self.stream)


def _clean(cell):
    return cell.translate(_XML_ILLEGAL) if isinstance(cell, str) else cell


WRITERS = {ExportFormat.CSV: CsvWriter, ExportFormat.XLSX: XlsxWriter}


# --- running one export -------------------------------------------------------------------------


def owner_reader(job) -> governance.Reader | None:
    """The job's owner as they act for the job's agency today, or None if they no longer do."""
    from agencies.models import Membership

    membership = (
        Membership.objects.select_related("user", "agency")
        .filter(user_id=job.owner_id, agency_id=job.agency_id, agency__is_active=True, user__is_active=True)
        .first()
    )
    return governance.Reader.of(membership) if membership else None


def exportable(reader) -> dict[str, governance.SystemAccess]:
    return {code: access for code, access in governance.readable(reader).items() if access.export}


def plan(job: ExportJob):
    """(tree, filters, accesses) for the job as its owner's access stands now; ExportRefused if
    it cannot run. The same rule as the search page: a stated purpose when a system needs one."""
    reader = owner_reader(job)
    if reader is None:
        raise ExportRefused(_("You no longer act for the agency this export was made for."))
    try:
        tree = parse(job.query)
    except QuerySyntaxError as error:
        raise ExportRefused(error.message) from error
    accesses = exportable(reader)
    codes = searched_systems(job.filters, accesses)
    accesses = {code: accesses[code] for code in codes}
    if governance.needs_purpose(accesses.values()) and not governance.purpose_is_given(job.purpose):
        raise ExportRefused(_("These linked systems need a stated purpose (查询事由)."))
    return tree, as_filters(job.filters, within_systems=codes), accesses


def count(tree, filters) -> int:
    """How many records a search finds (the total of its first page)."""
    if filters.within_systems == ():
        return 0
    page = backend.search(tree, filters, size=1, facets=False)
    backend.close(page.pit)
    return page.total


def run(job_id: int, site_url: str = "") -> ExportJob | None:
    """Write the export's file; the job's state, rows and error say how it went. Its links
    start with ``site_url`` (as ``request.build_absolute_uri("/")`` gives it) when given."""
    # A running job is taken again: its worker died (the message comes back, acks_late), and the
    # file is written from the start. A finished or removed one is left alone.
    claimed = ExportJob.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    job = ExportJob.objects.get(pk=job_id)
    site = _site_url.set(site_url)
    try:
        # Written in the site's language, as stored notifications are: a file has one reader.
        with translation.override(settings.LANGUAGE_CODE):
            _write(job)
    except ExportRefused as error:
        _finish(job, JobState.FAILED, error=str(error))
    except Exception as error:
        _finish(job, JobState.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    finally:
        _site_url.reset(site)
    return ExportJob.objects.get(pk=job_id)


def _write(job: ExportJob) -> None:
    tree, filters, accesses = plan(job)
    total = count(tree, filters)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    hits = backend.scan(tree, filters, sort=job.sort) if accesses else iter(())
    done = 0
    with tempfile.TemporaryFile() as stream:
        writer = WRITERS[job.format](stream)
        writer.write(header())
        for cells in rows(hits, accesses):
            writer.write(cells)
            done += 1
            if done % CHUNK == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
        writer.close()
        stream.seek(0)
        job.file.save(f"export-{job.pk}{writer.suffix}", File(stream), save=False)
    _finish(job, JobState.DONE, rows=done, file=job.file.name)


def _finish(job: ExportJob, state: str, *, rows: int | None = None, file: str | None = None, error: str = ""):
    changes = {"state": state, "finished_at": timezone.now(), "error": error[:2000]}
    if rows is not None:
        changes.update(rows_done=rows, rows_total=rows)
    if file is not None:
        changes["file"] = file
    ExportJob.objects.filter(pk=job.pk).update(**changes)


def download_name(job: ExportJob) -> str:
    """The file's name as the owner's browser saves it: Chinese is fine (RFC 5987, FileResponse)."""
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return f"{_('records')}-{stamp}.{job.format}"

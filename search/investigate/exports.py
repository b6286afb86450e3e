"""Whole result sets written to files in the background: CSV (UTF-8 with a BOM) or .xlsx.

An export reads every hit through ``index.scan`` (one snapshot, page after page: no 10,000
ceiling), loads the records a thousand at a time and streams the rows into the file, so memory
stays flat however large the set. What the owner may see is decided when the export runs: only
systems they may read *and* export, with ID and phone numbers masked unless their access to the
record's system shows them.

The file is written by ``common.spreadsheets`` (BOM, write-only Excel, inert cells, a heading
with the query and filters, the time of the export and its owner).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from itertools import islice

from django.conf import settings
from django.core.files import File
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Agency, Membership, Region
from common import spreadsheets

from .. import index
from ..index.query import QuerySyntaxError
from ..masking import shown_record
from ..models import ExportJob, JobState, Record, SourceSystem
from . import permissions
from .interpret import read_for
from .stored_query import as_filters, searched_systems

CHUNK = 1_000  # hits per database read, and rows between two progress updates


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


def record_row(record: Record, access: permissions.SystemAccess) -> list:
    """One record as the export's cells, masked as its system's access says."""
    seen = shown_record(record, identifiers=access.identifiers)
    return [
        record.system.name,
        record.external_id,
        seen.title,
        timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M"),
        record.region.name if record.region_id else "",
        record.amount,
        "；".join(seen.names),
        "；".join(record.credit_codes),
        "；".join(seen.id_numbers),
        "；".join(seen.phones),
        seen.body,
        record_link(record.pk),
    ]


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rows(hits: Iterable, accesses: dict[str, permissions.SystemAccess]) -> Iterator[list]:
    """The rows of ``hits`` (in their order), records loaded a chunk at a time.

    A hit whose record is gone from the database (removed since it was indexed) is left out."""
    for chunk in _chunks(hits, CHUNK):
        records = Record.objects.select_related("system", "region").in_bulk([hit.record_id for hit in chunk])
        for hit in chunk:
            record = records.get(hit.record_id)
            if record is not None and record.system.code in accesses:
                yield record_row(record, accesses[record.system.code])


# --- the file's heading -------------------------------------------------------------------------


def heading(job: ExportJob) -> spreadsheets.Heading:
    """Title, the query and filters of the search, and who exported it, for the top of the file."""
    data = job.filters or {}
    models = {"systems": SourceSystem, "regions": Region, "agencies": Agency}
    names = {
        key: dict(model.objects.filter(code__in=data.get(key, [])).values_list("code", "name"))
        for key, model in models.items()
    }
    filters = [(_("Query"), job.query)]
    for key, label in (("systems", _("Linked system")), ("regions", _("Region")), ("agencies", _("Agency"))):
        filters.append((label, "、".join(names[key].get(code, code) for code in data.get(key, []))))
    filters += [
        (_("Year"), "、".join(str(year) for year in data.get("years", []))),
        (_("From"), data.get("occurred_from", "")),
        (_("To"), data.get("occurred_to", "")),
        (_("Amount from (yuan)"), data.get("amount_min", "")),
        (_("Amount to (yuan)"), data.get("amount_max", "")),
        (_("Stated purpose"), job.purpose),
    ]
    owner = job.owner if job.owner_id else None
    return spreadsheets.Heading(
        title=_("Linked records"), exported_by=spreadsheets.exporter(owner, job.agency), filters=filters
    )


# --- running one export -------------------------------------------------------------------------


def owner_reader(job) -> permissions.Reader | None:
    """The job's owner as they act for the job's agency today, or None if they no longer do."""
    membership = (
        Membership.objects.select_related("user", "agency")
        .filter(user_id=job.owner_id, agency_id=job.agency_id, agency__is_active=True, user__is_active=True)
        .first()
    )
    return permissions.Reader.of(membership) if membership else None


def exportable(reader) -> dict[str, permissions.SystemAccess]:
    return {code: access for code, access in permissions.readable(reader).items() if access.export}


def plan(job: ExportJob):
    """(tree, filters, accesses) for the job as its owner's access stands now; ExportRefused if
    it cannot run. The same rule as the search page: a stated purpose when a system needs one."""
    reader = owner_reader(job)
    if reader is None:
        raise ExportRefused(_("You no longer act for the agency this export was made for."))
    try:
        tree = read_for(job.query, reader).tree
    except QuerySyntaxError as error:  # the query language or the systems' names changed since
        raise ExportRefused(error.message) from error
    accesses = exportable(reader)
    codes = searched_systems(job.filters, accesses)
    accesses = {code: accesses[code] for code in codes}
    if permissions.needs_purpose(accesses.values()) and not permissions.purpose_is_given(job.purpose):
        raise ExportRefused(_("These linked systems need a stated purpose (查询事由)."))
    filters = as_filters(
        job.filters, within_systems=codes, identifiers_shown=permissions.identifiers_shown_in(accesses)
    )
    return tree, filters, accesses


def count(tree, filters) -> int | None:
    """How many records a search finds (the total of its first page); None past the exact count
    (settings.SEARCH_EXACT_COUNT), where the file's rows are known only once it is written."""
    if filters.within_systems == ():
        return 0
    page = index.search(tree, filters, size=1, facets=False)
    index.close(page.pit)
    return page.total if page.total_exact else None


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
    hits = index.scan(tree, filters, sort=job.sort) if accesses else iter(())
    done = 0
    with tempfile.TemporaryFile() as stream:
        writer = spreadsheets.Spreadsheet(job.format, stream, heading(job), header(), _("Linked records"))
        for cells in rows(hits, accesses):
            writer.append(cells)
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
    return f"{_('linked records')}-{stamp}.{job.format}"

"""Every change the investigator's background work makes: exports, batch searches and saved
searches (DESIGN §3, §11).

Views, tasks and tests call these functions and nothing else. Each takes the reader
(``permissions.Reader``: the acting user, the agency they act for and their role) or the acting
user keyword-only, checks what they may do through ``search.investigate.permissions``, changes the
data in one transaction and writes what the search log needs. The background work is enqueued
when the transaction commits, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..index.query import QuerySyntaxError
from ..index.types import QueryRejected
from ..models import (
    AccessAction,
    BatchKind,
    BatchSearch,
    ExportFormat,
    ExportJob,
    SavedSearch,
)
from . import exports, permissions, tasks
from .interpret import read_for
from .stored_query import as_filters, searched_systems, stored_filters


class WorkError(Exception):
    """An export, batch search or saved search that cannot be started or changed; the message,
    for the user, says why."""


def _parsed(query: str, reader: permissions.Reader):
    try:
        return read_for(query, reader).tree
    except QuerySyntaxError as error:
        raise WorkError(error.message) from None


def _require_purpose(accesses, purpose: str) -> None:
    if permissions.needs_purpose(accesses) and not permissions.purpose_is_given(purpose):
        raise WorkError(
            _("State the purpose of this search (查询事由): some of these linked systems require it.")
        )


def start_export(*, reader: permissions.Reader, query: str, filters, sort: str, fmt: str,
                 purpose: str = "", ip: str | None = None, site_url: str = "") -> ExportJob:
    """An export of the whole result set of ``query`` and ``filters`` (search.index.types.Filters),
    written in the background; in the search log now, with the number of hits. The file's
    links to linked records start with ``site_url``, the address the portal is reached at."""
    if fmt not in ExportFormat.values:
        raise WorkError(_("Choose CSV or Excel."))
    tree = _parsed(query, reader)
    data = stored_filters(filters)
    allowed = exports.exportable(reader)
    codes = searched_systems(data, allowed)
    if not codes:
        raise WorkError(_("You may not export records of these linked systems."))
    _require_purpose([allowed[code] for code in codes], purpose)
    try:
        shown = permissions.identifiers_shown_in({code: allowed[code] for code in codes})
        hits = exports.count(tree, as_filters(data, within_systems=codes, identifiers_shown=shown))
    except QueryRejected as error:
        raise WorkError(_("The search service cannot run this query as written: it is too complex. "
                          "Search for fewer words, with fewer parentheses, and try again.")) from error
    except Exception as error:  # the search service is down: say so, never a server error
        raise WorkError(_("The search service did not answer. Try again in a moment.")) from error
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=reader.user, agency=reader.agency, query=query.strip(), filters=data, sort=sort,
            format=fmt, purpose=(purpose or "").strip(), rows_total=hits,
        )
        permissions.log(reader, AccessAction.EXPORT, systems=codes, query=job.query, purpose=job.purpose,
                       hits=hits, ip=ip)
        transaction.on_commit(lambda: tasks.export_records.delay(job.pk, site_url))
    return job


def start_batch_search(*, reader: permissions.Reader, name: str, kind: str, terms: list[str],
                       purpose: str = "", ip: str | None = None) -> BatchSearch:
    """A batch search of ``terms`` against every system the reader may read, in the background."""
    if kind not in BatchKind.values:
        raise WorkError(_("Choose what the list holds."))
    if not terms:
        raise WorkError(_("The list holds no terms: write one a line."))
    accesses = permissions.readable(reader)
    if not accesses:
        raise WorkError(_("You may not read any linked system."))
    _require_purpose(accesses.values(), purpose)
    default_name = ngettext("%(count)d term", "%(count)d terms", len(terms)) % {"count": len(terms)}
    name = (name or "").strip()[:100] or default_name
    with transaction.atomic():
        batch = BatchSearch.objects.create(
            owner=reader.user, agency=reader.agency, name=name, kind=kind, terms=list(terms),
            systems=sorted(accesses), purpose=(purpose or "").strip(),
        )
        permissions.log(reader, AccessAction.BATCH, systems=accesses, query="\n".join(terms),
                       purpose=batch.purpose, ip=ip)
        transaction.on_commit(lambda: tasks.run_batch_search.delay(batch.pk))
    return batch


def save_search(*, reader: permissions.Reader, name: str, query: str, filters, purpose: str = "",
                alerts: bool = True) -> SavedSearch:
    """Keep a search; with alerts on, records ingested from now on that match are told to the
    reader (search.investigate.alerts). What exists already is the search page's business, not an alert."""
    _parsed(query, reader)
    name = (name or "").strip()
    if not name:
        raise WorkError(_("Give the saved search a name."))
    data = stored_filters(filters)
    accesses = permissions.readable(reader)
    codes = searched_systems(data, accesses)
    if not codes:
        raise WorkError(_("You may not read any of these linked systems."))
    _require_purpose([accesses[code] for code in codes], purpose)
    return SavedSearch.objects.create(
        owner=reader.user, agency=reader.agency, name=name[:100], query=query.strip(), filters=data,
        purpose=(purpose or "").strip(), is_active=alerts, checked_until=timezone.now(),
    )


def _own_saved_search(acting_user, pk: int) -> SavedSearch:
    saved = SavedSearch.objects.select_for_update().filter(pk=pk, owner=acting_user).first()
    if saved is None:
        raise WorkError(_("The saved search does not exist."))
    return saved


def rename_saved_search(*, acting_user, pk: int, name: str) -> SavedSearch:
    name = (name or "").strip()
    if not name:
        raise WorkError(_("Give the saved search a name."))
    with transaction.atomic():
        saved = _own_saved_search(acting_user, pk)
        saved.name = name[:100]
        saved.save(update_fields=["name"])
    return saved


def set_alerts(*, acting_user, pk: int, active: bool) -> SavedSearch:
    """Pause or resume a saved search's alerts. Resuming starts from now: what was ingested while
    it was paused is not told (the owner chose not to hear of it)."""
    with transaction.atomic():
        saved = _own_saved_search(acting_user, pk)
        if saved.is_active != active:
            saved.is_active = active
            fields = ["is_active"]
            if active:
                saved.checked_until = timezone.now()
                fields.append("checked_until")
            saved.save(update_fields=fields)
    return saved


def delete_saved_search(*, acting_user, pk: int) -> None:
    with transaction.atomic():
        _own_saved_search(acting_user, pk).delete()

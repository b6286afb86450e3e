"""Saved searches run against new records: every new hit told to the owner, once.

How "every one, once" holds:

- A run reads the records ingested since the saved search's ``checked_until``, and afterwards
  moves ``checked_until`` to the moment the run *started*, less ``OVERLAP``. A record is stamped
  (``ingested_at``) when ingestion writes it but becomes visible only when its batch commits and
  the index refreshes; the overlap lets the next run look again at the last minutes, so a record
  that was stamped before the run but committed after it is still found next time.
- Looking again is harmless: a hit is a ``SavedSearchHit`` row, unique per (saved search,
  record), inserted with ``ignore_conflicts``. What is told is read back as the rows not yet
  told (``notified_at`` null), and marked told in the same transaction as the notification, so
  a crash tells nothing twice and loses nothing (the untold rows are told by the next run).
- A saved search is worked on under its row lock (``select_for_update(skip_locked)``): two runs
  at once share the saved searches between them instead of both telling the same hits.

Decided behaviour: a record that is ingested again with changes is the same record (same system
and external id). It matches again, but its hit row exists already, so it is not told again.

The owner's access is decided at each run: only the systems they read now (and, where a system
needs one, only if the saved search carries a stated purpose).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from notifications.inbox import NotificationBatch
from notifications.models import NotificationKind

from .. import index
from ..index.query import QuerySyntaxError
from ..models import AccessAction, SavedSearch, SavedSearchHit
from . import permissions
from .exports import owner_reader
from .interpret import read_for
from .stored_query import as_filters, searched_systems

# Longer than an ingest batch's transaction plus the index's refresh interval (1 s).
OVERLAP = dt.timedelta(minutes=10)


@dataclass
class RunReport:
    searched: int = 0
    told: dict[int, int] = field(default_factory=dict)  # saved search id → new hits told

    @property
    def hits(self) -> int:
        return sum(self.told.values())


def searched_accesses(saved: SavedSearch, reader) -> dict[str, permissions.SystemAccess]:
    """The systems the saved search reaches for its owner now, with the owner's access to each."""
    accesses = permissions.readable(reader)
    codes = searched_systems(saved.filters, accesses)
    if not permissions.purpose_is_given(saved.purpose):
        codes = {code for code in codes if not accesses[code].needs_purpose}
    return {code: accesses[code] for code in codes}


def run_saved_searches(now: dt.datetime | None = None) -> RunReport:
    """Run every active saved search against the records ingested since it last looked."""
    report = RunReport()
    # Records indexed in the last second are not yet searchable on Elasticsearch; a run queued
    # right after an ingest must see them.
    index.refresh()
    with translation.override(settings.LANGUAGE_CODE):
        for pk in SavedSearch.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True):
            told = run_one(pk, now=now)
            if told is not None:
                report.searched += 1
                report.told[pk] = told
    return report


def run_one(pk: int, *, now: dt.datetime | None = None) -> int | None:
    """Run one saved search; how many new hits were told, None if it was not run (paused, gone,
    or being run by another process right now)."""
    with transaction.atomic():
        saved = SavedSearch.objects.select_for_update(skip_locked=True).filter(pk=pk, is_active=True).first()
        if saved is None:
            return None
        started = now or timezone.now()  # before the scan: what commits during it is seen next time
        since = saved.checked_until or saved.created_at
        reader = owner_reader(saved)
        if reader is not None:
            _collect(saved, reader, since)
        told = _tell(saved, reader, started)
        SavedSearch.objects.filter(pk=saved.pk).update(checked_until=max(since, started - OVERLAP))
    return told


def _collect(saved: SavedSearch, reader, since: dt.datetime) -> None:
    accesses = searched_accesses(saved, reader)
    if not accesses:
        return
    try:
        tree = read_for(saved.query, reader).tree
    except QuerySyntaxError:
        return  # the query language changed under it: nothing matches (the list page says so)
    filters = as_filters(
        saved.filters, within_systems=accesses, identifiers_shown=permissions.identifiers_shown_in(accesses),
        ingested_since=since,
    )
    batch: list[SavedSearchHit] = []
    for hit in index.scan(tree, filters, sort="date"):
        batch.append(SavedSearchHit(saved_search=saved, record_id=hit.record_id))
        if len(batch) >= 1_000:
            SavedSearchHit.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SavedSearchHit.objects.bulk_create(batch, ignore_conflicts=True)


def _tell(saved: SavedSearch, reader, now: dt.datetime) -> int:
    """Mark the hits not yet told as told now, and tell the owner in one notification."""
    if reader is None:  # the owner no longer acts for the agency: nobody is told anything
        return 0
    # A hit found while the owner could read its system, in one they no longer read, stays untold
    # (and unseen) until they may read it again.
    untold = SavedSearchHit.objects.filter(
        saved_search=saved, notified_at__isnull=True,
        record__system__code__in=list(permissions.readable(reader)),
    )
    ids = list(untold.values_list("pk", flat=True))
    if not ids:
        return 0
    SavedSearchHit.objects.filter(pk__in=ids).update(notified_at=now)
    box = NotificationBatch(now)
    box.add(
        [saved.owner_id],
        issue_id=None,
        kind=NotificationKind.SAVED_SEARCH,
        text=ngettext(
            "Saved search “%(name)s”: %(count)d new linked record.",
            "Saved search “%(name)s”: %(count)d new linked records.",
            len(ids),
        ) % {"name": saved.name, "count": len(ids)},
        link=told_link(saved, now),
    )
    box.send()
    systems = SavedSearchHit.objects.filter(pk__in=ids).values_list("record__system__code", flat=True)
    permissions.log(reader, AccessAction.SAVED, systems=set(systems), query=saved.query,
                   purpose=saved.purpose, hits=len(ids))
    return len(ids)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def told_stamp(moment: dt.datetime) -> str:
    """A run's moment in a link: microseconds since the epoch (exact, and short)."""
    return str((moment - EPOCH) // MICROSECOND)


def told_at(stamp: str | None) -> dt.datetime | None:
    if not (stamp or "").isdigit() or len(stamp) > 18:
        return None
    return EPOCH + int(stamp) * MICROSECOND


def told_link(saved: SavedSearch, moment: dt.datetime) -> str:
    """The saved search's page showing exactly the hits told at ``moment``."""
    return f"{reverse('search:saved', args=[saved.pk])}?told={told_stamp(moment)}"

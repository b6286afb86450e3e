"""Every change the harvest makes: clues (问题线索) of harvested hits, pushed to the board (DESIGN §3, §13).

Views and tests call these functions and nothing else. Each takes the acting user and the agency
they act for keyword-only, checks what the user may read through
``search.investigate.permissions``, changes the data in one transaction and writes what the search
log needs.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Membership
from common import spreadsheets
from issues import workflow as board
from issues.attachments import files_removed_on_failure
from issues.models import Issue, Source

from ..investigate import permissions
from ..models import AccessAction, Clue, ClueEvidence, Record
from .clues import clue_words, evidence_csv, evidence_file_name, evidence_records, issue_description


class ClueError(Exception):
    """The clue cannot be made, added to or pushed; the message, for the user, says why."""


def _reader(acting_user, agency) -> permissions.Reader:
    membership = Membership.objects.filter(user=acting_user, agency=agency).select_related("agency").first()
    if membership is None:
        raise ClueError(_("You do not act for this agency."))
    return permissions.Reader.of(membership)


def _readable_records(reader: permissions.Reader, record_ids) -> list[Record]:
    """The linked records, each readable by the reader; an id that is not answers as if it did not exist."""
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in record_ids))
    except (TypeError, ValueError):
        raise ClueError(_("Choose records from a search.")) from None
    if not wanted:
        raise ClueError(_("Choose at least one record."))
    codes = list(permissions.readable(reader))
    found = Record.objects.filter(pk__in=wanted, system__code__in=codes).select_related("system")
    by_pk = {record.pk: record for record in found}
    missing = [pk for pk in wanted if pk not in by_pk]
    if missing:
        raise ClueError(_("Linked record %(id)s does not exist.") % {"id": missing[0]})
    return [by_pk[pk] for pk in wanted]


def _add(clue: Clue, reader: permissions.Reader, records: list[Record], *, query: str, ip) -> int:
    made = ClueEvidence.objects.bulk_create(
        [ClueEvidence(clue=clue, record=record) for record in records], ignore_conflicts=True
    )
    permissions.log(reader, AccessAction.HARVEST, systems={r.system.code for r in records}, query=query,
                   hits=len(records), ip=ip)
    return len(made)


def create_clue(*, acting_user, agency, title: str, summary: str, records, query: str = "",
                ip: str | None = None) -> Clue:
    """A new clue of ``agency`` with ``records`` (ids) as its evidence, and the harvest in the search log."""
    reader = _reader(acting_user, agency)
    title = (title or "").strip()
    if not title:
        raise ClueError(_("Give the clue a title."))
    chosen = _readable_records(reader, records)
    with transaction.atomic():
        clue = Clue.objects.create(title=title, summary=(summary or "").strip(), created_by=acting_user,
                                   agency=agency, query=query)
        _add(clue, reader, chosen, query=query, ip=ip)
    return clue


def add_evidence(*, acting_user, agency, clue: Clue, records, query: str = "", ip: str | None = None) -> int:
    """Add linked records to a clue not yet pushed; returns how many were new to it."""
    reader = _reader(acting_user, agency)
    chosen = _readable_records(reader, records)
    with transaction.atomic():
        clue = Clue.objects.select_for_update().filter(pk=clue.pk, agency=agency).first()
        if clue is None:
            raise ClueError(_("The clue does not exist."))
        if clue.issue_id:
            raise ClueError(_("The clue has been pushed to the board; its evidence is fixed."))
        return _add(clue, reader, chosen, query=query, ip=ip)


def push_clue(*, acting_user, agency, clue: Clue, category: str, priority: str, deadline, lead,
              co_handlers=(), copied=()) -> Issue:
    """Push the clue to the board as an issue through the board's own ``push``, once.

    The issue's description is the clue's summary and its evidence (masked), and the whole
    evidence goes along as a CSV attachment. Errors of the board's push (``ActionError``)
    reach the caller unchanged, and nothing of the clue changes then.
    """
    if clue.agency_id != agency.pk:
        raise ClueError(_("The clue does not exist."))
    with files_removed_on_failure(), transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        if clue.issue_id:
            raise ClueError(_("This clue was pushed already, as issue %(number)s.")
                            % {"number": clue.issue.number})
        records = evidence_records(clue)
        if not records:
            raise ClueError(_("The clue has no evidence records."))
        listing = SimpleUploadedFile(
            evidence_file_name(clue),
            evidence_csv(clue, records, spreadsheets.exporter(acting_user, agency)),
            content_type="text/csv",
        )
        issue = board.push(
            acting_user=acting_user, agency=agency, title=clue_words({}, clue, ()).title,
            description=issue_description(clue, records), category=category, source=Source.DATA,
            priority=priority, deadline=deadline, lead=lead, co_handlers=co_handlers, copied=copied,
            attachments=[listing],
        )
        clue.issue, clue.pushed_at = issue, timezone.now()
        Clue.objects.filter(pk=clue.pk).update(issue=issue, pushed_at=clue.pushed_at)
    return issue

"""Clues (问题线索) as their readers see them: who may open one, and their evidence, masked.

The board's parties may not be allowed to see ID and phone numbers, so what a clue carries onto
the board (the evidence CSV, the issue's evidence section) is always masked; on the clue's own
pages a linked record is shown only to a reader of its system, masked unless their access allows
identifiers; other members of the agency see that it is there and from which system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common import spreadsheets

from ..investigate.permissions import Reader, readable, shows_identifiers
from ..masking import mask_text, shown_record
from ..models import Clue, ClueEvidence, Record


def clues_of(reader: Reader | None):
    """The clues of the reader's agency, newest first (none without an agency)."""
    if reader is None:
        return Clue.objects.none()
    return Clue.objects.filter(agency=reader.agency).select_related("created_by", "issue")


def access_clue(reader: Reader | None, pk) -> Clue:
    """The clue, if the reader's agency made it; missing and forbidden both raise Http404."""
    try:
        return clues_of(reader).get(pk=pk)
    except (Clue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def evidence_records(clue: Clue) -> list[Record]:
    evidence = clue.evidence.select_related("record__system", "record__region")
    return [item.record for item in evidence.order_by("added_at", "pk")]


@dataclass(frozen=True)
class Evidence:
    """One evidence record of a clue as a reader may see it: a reader of its system sees the
    linked record (masked as their access says) and may open it; anyone else learns only that
    there is one, and from which system."""

    record: Record
    readable: bool
    title: str = ""  # empty when not readable

    @property
    def system_name(self) -> str:
        return self.record.system.name


def shown_evidence(reader: Reader | None, records) -> list[Evidence]:
    accesses = readable(reader)
    shown = []
    for record in records:
        access = accesses.get(record.system.code)
        if access is None:
            shown.append(Evidence(record, readable=False))
        else:
            shown.append(Evidence(record, readable=True,
                                  title=shown_record(record, identifiers=access.identifiers).title))
    return shown


@dataclass(frozen=True)
class ClueWords:
    """What people typed into a clue (its title, summary and query) as one reader may read it."""

    title: str
    summary: str
    query: str


def clue_words(accesses: dict, clue: Clue, codes) -> ClueWords:
    """Masked unless the reader's access (permissions.readable) shows identifiers in every system
    of the clue's evidence (``codes``): a number typed into a clue is as private as its records."""
    if shows_identifiers(accesses, codes):
        return ClueWords(clue.title, clue.summary, clue.query)
    return ClueWords(mask_text(clue.title), mask_text(clue.summary), mask_text(clue.query))


def with_words(reader: Reader | None, clues) -> list[Clue]:
    """The clues, each with ``words`` as the reader may read them (one query for the systems)."""
    clues = list(clues)
    codes: dict[int, set[str]] = {clue.pk: set() for clue in clues}
    for clue_id, code in ClueEvidence.objects.filter(clue__in=clues).values_list(
        "clue_id", "record__system__code"
    ):
        codes[clue_id].add(code)
    accesses = readable(reader)
    for clue in clues:
        clue.words = clue_words(accesses, clue, codes[clue.pk])
    return clues


def issue_description(clue: Clue, records: list[Record]) -> str:
    """The clue's summary (masked: the board's parties may not see identifiers) and how many
    evidence records it has. The records themselves are listed once, in the issue's evidence
    section (masked, linked for readers of their systems), and in the attached list."""
    count = _(
        "Evidence records: %(count)d, listed under “Evidence records” and in the attached list."
    ) % {"count": len(records)}
    summary = clue_words({}, clue, ()).summary.strip()
    return "\n\n".join(part for part in (summary, count) if part)


def evidence_csv(clue: Clue, records: list[Record], exported_by: str) -> bytes:
    """The evidence as CSV (``common.spreadsheets``: Excel reads it right), identifiers masked."""
    heading = spreadsheets.Heading(
        title=_("Evidence records of the clue “%(title)s”") % {"title": clue_words({}, clue, ()).title},
        exported_by=exported_by,
    )
    columns = [_("Linked system"), _("External id"), _("Title"), _("Date"), _("Region"),
               _("Amount (yuan)"), _("Names"), _("Unified social credit codes")]
    rows = (_evidence_row(record, shown_record(record, identifiers=False)) for record in records)
    return spreadsheets.to_bytes(spreadsheets.CSV, heading, columns, rows)


def _evidence_row(record: Record, seen) -> list:
    """One evidence record as the attached list shows it (``seen``: masking.shown_record)."""
    return [
        record.system.name,
        record.external_id,
        seen.title,
        timezone.localtime(record.occurred_at).strftime("%Y-%m-%d"),
        record.region.name if record.region_id else "",
        "" if record.amount is None else f"{record.amount}",
        "、".join(seen.names),
        "、".join(record.credit_codes),
    ]


# Characters no file system or browser keeps in a downloaded file's name.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_FILE_NAME_TITLE_LIMIT = 80


def evidence_file_name(clue: Clue) -> str:
    """The evidence CSV's name on the board: what it is and whose, e.g. 线索证据记录：某某.csv
    (the title masked, as the board's parties read it)."""
    title = _UNSAFE_IN_FILE_NAMES.sub(" ", clue_words({}, clue, ()).title).strip(" .")
    title = title[:_FILE_NAME_TITLE_LIMIT].strip()
    return _("Evidence records of clue %(title)s.csv") % {"title": title or clue.pk}

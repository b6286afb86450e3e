"""Clues (问题线索) as their readers see them: who may open one, and their evidence, masked.

The board's parties may not be allowed to see ID and phone numbers, so what a clue carries onto
the board (the issue's description and the evidence CSV) is always masked; on the clue's own
pages each record is masked unless the reader's access to its system allows identifiers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.spreadsheet_cells import inert_row

from .governance import Reader, mask_text, readable
from .models import Clue, Record

# The issue's description lists this many records; the attached CSV lists them all.
DESCRIBED_RECORDS = 50


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
class ShownRecord:
    """One record of a clue as a reader may see it."""

    record: Record
    title: str
    readable: bool  # the reader may open its page


def shown_records(reader: Reader | None, records) -> list[ShownRecord]:
    accesses = readable(reader)
    shown = []
    for record in records:
        access = accesses.get(record.system.code)
        title = record.title if access is not None and access.identifiers else mask_text(record.title)
        shown.append(ShownRecord(record, title, access is not None))
    return shown


def _line(record: Record) -> str:
    when = timezone.localtime(record.occurred_at).strftime("%Y-%m-%d")
    return f"{record.system.name} · {record.external_id} · {mask_text(record.title)} · {when}"


def issue_description(clue: Clue, records: list[Record]) -> str:
    """The clue's summary, then its evidence records (masked): what the board's parties read."""
    lines = [clue.summary.strip(), "", _("Evidence records (%(count)d):") % {"count": len(records)}]
    lines += [f"{number}. {_line(record)}" for number, record in enumerate(records[:DESCRIBED_RECORDS], 1)]
    if len(records) > DESCRIBED_RECORDS:
        lines.append(
            _("… and %(count)d more: see the attached list.") % {"count": len(records) - DESCRIBED_RECORDS}
        )
    return "\n".join(lines).strip()


def evidence_csv(records: list[Record]) -> bytes:
    """The evidence as CSV in UTF-8 with a BOM (Excel reads it right), identifiers masked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Linked system"), _("External id"), _("Title"), _("Date"), _("Region"),
                     _("Amount (yuan)"), _("Names"), _("Unified social credit codes")])
    for record in records:
        writer.writerow(inert_row([
            record.system.name,
            record.external_id,
            mask_text(record.title),
            timezone.localtime(record.occurred_at).strftime("%Y-%m-%d"),
            record.region.name if record.region_id else "",
            "" if record.amount is None else f"{record.amount}",
            "、".join(record.names),
            "、".join(record.credit_codes),
        ]))
    return buffer.getvalue().encode("utf-8-sig")


# Characters no file system or browser keeps in a downloaded file's name.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_FILE_NAME_TITLE_LIMIT = 80


def evidence_file_name(clue: Clue) -> str:
    """The evidence CSV's name on the board: what it is and whose, e.g. 线索证据记录：某某.csv."""
    title = _UNSAFE_IN_FILE_NAMES.sub(" ", clue.title).strip(" .")[:_FILE_NAME_TITLE_LIMIT].strip()
    return _("Evidence records of clue %(title)s.csv") % {"title": title or clue.pk}

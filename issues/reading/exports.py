"""The board's tables as files people open in Excel: ledgers, their drill-down lists and scores.

Each is written by ``common.spreadsheets``: title, filters, time and exporter above the table.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common import spreadsheets

from .ledgers import Ledger


def ledger_table(ledger: Ledger) -> tuple[list, list[list]]:
    """The ledger's header and rows, totals last, as the page shows it."""
    header = [str(ledger.dimension.label), *(str(m.label) for m in ledger.metrics)]
    averages = list(ledger.average_labels)
    rated = ledger.kind.slug == "issues"
    if rated:
        header.append(_("On-time rate (%)"))
    header += [str(ledger.average_labels[a]) for a in averages]
    rows = []
    for row in ledger.rows:
        cells = [row.label, *(row.values[m.slug] for m in ledger.metrics)]
        if rated:
            cells.append(row.on_time_rate)
        cells += [row.averages.get(a) for a in averages]
        rows.append(cells)
    totals = [_("Total"), *(ledger.totals[m.slug] for m in ledger.metrics)]
    rows.append(totals + [None] * (len(header) - len(totals)))
    return header, rows


def ledger_download(ledger: Ledger, fmt: str, heading: spreadsheets.Heading):
    header, rows = ledger_table(ledger)
    name = f"ledger-{ledger.kind.slug}-{ledger.dimension.slug}-{_stamp()}"
    return spreadsheets.download(fmt, name, heading, header, rows)


def issues_download(issues, fmt: str, heading: spreadsheets.Heading, name: str):
    """A list of issues (a ledger's drill-down), labelled as the board shows them."""
    header = [
        pgettext("board column", "Number"),
        pgettext("board column", "Title"),
        pgettext("board column", "Initiator"),
        pgettext("board column", "State"),
        pgettext("board column", "Light"),
        pgettext("board column", "Due"),
        _("Pushed at"),
        _("Handlers"),
    ]
    rows = (
        [
            issue.number,
            issue.title,
            issue.initiator.display_name,
            issue.get_state_display(),
            issue.light_label,
            _date(issue.due_date or issue.deadline),
            _time(issue.pushed_at),
            "、".join(issue.handler_names),
        ]
        for issue in issues
    )
    return spreadsheets.download(fmt, f"{name}-{_stamp()}", heading, header, rows)


def scores_download(scores: list, fmt: str, heading: spreadsheets.Heading):
    header = [
        _("Rank"), _("Department"), _("Assignments"), _("Signed on time"), _("Signed, with a sign deadline"),
        _("Closed on time"),
        _("Accepted"), _("Overdue now"), _("Urges received"), _("Score"),
    ]
    rows = (
        [
            score.rank or _("Not ranked"),
            score.agency,
            score.assignments,
            score.signed_on_time,
            score.signed,
            score.closed_on_time,
            score.accepted,
            score.overdue,
            score.urges,
            score.score if score.score is not None else _unscored(score),
        ]
        for score in scores
    )
    return spreadsheets.download(fmt, f"scores-{_stamp()}", heading, header, rows)


def _unscored(score) -> str:
    return _("Nothing to score yet") if score.has_items else _("No items")


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _date(value) -> str:
    return value.isoformat() if value else ""


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

"""Ledgers as files people open in Excel: .xlsx (openpyxl) and CSV in UTF-8 with a BOM.

Excel reads a CSV without a byte-order mark in the machine's legacy code page (GBK on Chinese
Windows) and garbles UTF-8 Chinese; the BOM makes it read UTF-8.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .ledgers import Ledger


def ledger_table(ledger: Ledger) -> list[list]:
    """The ledger as rows of cells, header first and totals last, as the page shows it."""
    header = [str(ledger.dimension.label), *(str(m.label) for m in ledger.metrics)]
    averages = list(ledger.average_labels)
    rated = ledger.kind.slug == "issues"
    if rated:
        header.append(_("On-time rate (%)"))
    header += [str(ledger.average_labels[a]) for a in averages]
    rows = [header]
    for row in ledger.rows:
        cells = [row.label, *(row.values[m.slug] for m in ledger.metrics)]
        if rated:
            cells.append(row.on_time_rate)
        cells += [row.averages.get(a) for a in averages]
        rows.append(cells)
    totals = [_("Total"), *(ledger.totals[m.slug] for m in ledger.metrics)]
    rows.append(totals + [None] * (len(header) - len(totals)))
    return rows


def to_xlsx(ledger: Ledger, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    for row in ledger_table(ledger):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(ledger: Ledger) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ledger_table(ledger):
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8-sig")

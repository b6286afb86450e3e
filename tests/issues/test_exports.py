"""Ledger exports open in Excel: .xlsx reads back with the same numbers, CSV has a BOM and Chinese."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from issues.exports import ledger_table, to_csv, to_xlsx
from issues.ledgers import LedgerFilters, ledger
from tests.factories import pushed_issue


@pytest.fixture
def table(carol, city_commission, our_agency, other_agency):
    for lead in (our_agency, our_agency, other_agency):
        pushed_issue(carol, city_commission, lead)
    return ledger(carol, city_commission, LedgerFilters(), "issues", "agency")


def test_xlsx_reads_back_the_same_numbers(table):
    sheet = load_workbook(io.BytesIO(to_xlsx(table, "办件台账"))).active
    read = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert read == ledger_table(table)
    assert read[1][0] == "住房和城乡建设局" and read[1][1] == 2
    assert read[-1][1] == 3


def test_csv_starts_with_a_bom_and_round_trips_chinese(table):
    data = to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    expected = [["" if cell is None else str(cell) for cell in row] for row in ledger_table(table)]
    assert rows == expected
    assert rows[1][0] == "住房和城乡建设局"


def test_export_views(client, carol, table):
    client.force_login(carol)
    response = client.get(reverse("issues:ledger"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    response = client.get(reverse("issues:ledger"), {"format": "xlsx"})
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value


def test_a_department_exports_only_its_own_row(client, bob, table):
    client.force_login(bob)
    content = client.get(reverse("issues:ledger"), {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert [row[:2] for row in rows[1:]] == [["财政局", "1"], [rows[-1][0], "1"]]

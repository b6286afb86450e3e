"""Text from other systems never runs as a formula in the files people open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.spreadsheet_cells import inert, inert_row
from search.exports import CsvWriter, XlsxWriter


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-撤诉", "@SUM(A1)", "\t=x", "\r=x"])
def test_text_that_could_start_a_formula_is_quoted(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["城南路灯", "", "1+1=2", Decimal("-5.00"), -5, None, 3.5])
def test_everything_else_is_left_alone(value):
    assert inert(value) == value


def test_a_row_is_made_inert_cell_by_cell():
    assert inert_row(["=A1", 12, "路灯"]) == ["'=A1", 12, "路灯"]


def test_exported_files_hold_the_formula_as_text():
    row = ["=HYPERLINK(\"http://example.org\")", Decimal("-12.50"), "路灯"]
    stream = io.BytesIO()
    writer = CsvWriter(stream)
    writer.write(["标题", "金额", "内容"])
    writer.write(row)
    writer.close()
    read = list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert read[1] == ["'=HYPERLINK(\"http://example.org\")", "-12.50", "路灯"]

    stream = io.BytesIO()
    writer = XlsxWriter(stream)
    writer.write(["标题", "金额", "内容"])
    writer.write(row)
    writer.close()
    sheet = load_workbook(io.BytesIO(stream.getvalue())).worksheets[0]
    title, amount, _text = sheet[2]
    assert (title.value, title.data_type) == ("'=HYPERLINK(\"http://example.org\")", "s")
    assert amount.value == -12.5

"""The one spreadsheet writer: a heading that says what the file is, then the table; text from
other systems never runs as a formula in the files people open in a spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from common import spreadsheets
from common.spreadsheets import Heading, inert, inert_row
from tests.spreadsheets import read_csv, read_xlsx

HEADING = Heading(
    title="办件台账",
    exported_by="卡萝（市纪委监委）",
    filters=[("承办单位", "市住建局"), ("推送日期自", "2026-01-01"), ("空的", "")],
    exported_at=timezone.make_aware(dt.datetime(2026, 12, 5, 14, 22, 7)),
)


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-撤诉", "@SUM(A1)", "\t=x", "\r=x"])
def test_text_that_could_start_a_formula_is_quoted(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["城南路灯", "", "1+1=2", Decimal("-5.00"), -5, None, 3.5])
def test_everything_else_is_left_alone(value):
    assert inert(value) == value


def test_a_row_is_made_inert_cell_by_cell():
    assert inert_row(["=A1", 12, "路灯"]) == ["'=A1", 12, "路灯"]


@pytest.mark.parametrize("fmt", spreadsheets.FORMATS)
def test_the_file_opens_with_title_filters_time_and_exporter(fmt):
    with translation.override("zh-hans"):
        data = spreadsheets.to_bytes(fmt, HEADING, ["单位", "件数"], [["市住建局", 2], ["市财政局", None]])
    read = read_csv(data) if fmt == "csv" else read_xlsx(data)
    assert read.title == "办件台账"
    assert read.about == {
        "筛选条件": "承办单位：市住建局；推送日期自：2026-01-01",  # an empty filter is not one
        "导出时间": "2026-12-05 14:22:07",
        "导出人": "卡萝（市纪委监委）",
    }
    assert read.header == ["单位", "件数"]
    if fmt == "csv":
        assert read.rows == [["市住建局", "2"], ["市财政局", ""]]
    else:
        assert read.rows == [["市住建局", 2], ["市财政局", None]]


def test_no_filters_say_so_in_english():
    heading = Heading(title="Ledger", exported_by="Carol", exported_at=HEADING.exported_at)
    with translation.override("en"):
        read = read_csv(spreadsheets.to_bytes("csv", heading, ["a"], []))
    assert read.about["Filters"] == "none" and read.rows == []


@pytest.mark.parametrize("fmt", spreadsheets.FORMATS)
def test_exported_files_hold_formulas_as_text_even_in_the_heading(fmt):
    heading = Heading(title="=cmd|' /C calc'!A0", exported_by="@me", filters=[("关键词", "-2+3")])
    row = ["=HYPERLINK(\"http://example.org\")", Decimal("-12.50"), "路灯"]
    data = spreadsheets.to_bytes(fmt, heading, ["标题", "金额", "内容"], [row])
    read = read_csv(data) if fmt == "csv" else read_xlsx(data)
    assert read.title == "'=cmd|' /C calc'!A0"
    assert read.about["导出人"] == "'@me"
    assert read.about["筛选条件"] == "关键词：-2+3"  # not at the start of its cell: harmless
    assert read.rows[0][0] == "'=HYPERLINK(\"http://example.org\")"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
        assert all(cell.data_type != "f" for cell in cells.values())
        assert read.rows[0][1] == -12.5  # amounts stay numbers
    else:
        assert read.rows[0][1] == "-12.50"


def test_a_long_table_goes_on_to_another_sheet_under_the_same_header(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", 10)
    data = spreadsheets.to_bytes("xlsx", HEADING, ["n"], ([n] for n in range(12)))
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 2
    first = read_xlsx(data)
    second = [[cell.value for cell in row] for row in workbook.worksheets[1].iter_rows()]
    assert second[0] == ["n"]
    assert [row[0] for row in first.rows] + [row[0] for row in second[1:]] == list(range(12))


def test_characters_xml_forbids_are_dropped_from_xlsx():
    data = spreadsheets.to_bytes("xlsx", HEADING, ["text"], [["路\x00灯\x1f"]])
    assert read_xlsx(data).rows == [["路灯"]]


def test_the_streamed_csv_is_the_same_file():
    rows = [["市住建局", 2], ["=1", None]]
    streamed = b"".join(spreadsheets.csv_lines(HEADING, ["单位", "件数"], rows))
    assert streamed == spreadsheets.to_bytes("csv", HEADING, ["单位", "件数"], rows)


def test_lazily_translated_labels_are_written_in_the_active_language():
    from issues.deadlines.lights import Light

    for fmt in spreadsheets.FORMATS:
        with translation.override("zh-hans"):
            data = spreadsheets.to_bytes(fmt, HEADING, [Light.RED.label], [[Light.RED.label]])
            expected = str(Light.RED.label)
        table = read_csv(data) if fmt == "csv" else read_xlsx(data)
        assert expected != "Overdue" and table.header == [expected] and table.rows == [[expected]]

"""Ledger, drill-down and score exports open in Excel: the same numbers as the page, under a
heading that says what they are, which filters chose them, when and by whom they were exported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from issues.reading.exports import ledger_table
from issues.reading.ledgers import LedgerFilters, ledger
from tests.factories import pushed_issue
from tests.spreadsheets import read_csv, read_xlsx


@pytest.fixture
def table(carol, city_commission, our_agency, other_agency):
    for lead in (our_agency, our_agency, other_agency):
        pushed_issue(carol, city_commission, lead)
    return ledger(carol, city_commission, LedgerFilters(), "issues", "agency")


def _get(client, name, **query):
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_xlsx_reads_back_the_same_numbers_under_its_heading(client, carol, table):
    client.force_login(carol)
    read = read_xlsx(_get(client, "issues:ledger", format="xlsx"))
    header, rows = ledger_table(table)
    assert (read.header, read.rows) == (header, rows)
    assert read.rows[0][:2] == ["住房和城乡建设局", 2]
    assert read.rows[-1][1] == 3
    assert read.title == "办件台账 · 承办单位"
    assert read.about["筛选条件"] == "无"
    assert read.about["导出人"] == "卡萝（测试市纪委监委）"
    assert read.about["导出时间"][:2] == "20"


def test_csv_holds_the_filters_used(client, carol, table, our_agency):
    client.force_login(carol)
    data = _get(client, "issues:ledger", format="csv", agency=our_agency.pk, date_from="2020-01-01")
    read = read_csv(data)
    assert read.about["筛选条件"] == "承办单位：住房和城乡建设局；推送日期自：2020-01-01"
    assert [row[:2] for row in read.rows] == [["住房和城乡建设局", "2"], ["合计", "2"]]


def test_a_department_exports_only_its_own_row(client, bob, table):
    client.force_login(bob)
    read = read_csv(_get(client, "issues:ledger", format="csv"))
    assert [row[:2] for row in read.rows] == [["财政局", "1"], ["合计", "1"]]
    assert read.about["导出人"] == "鲍勃（财政局）"


def test_the_english_export_speaks_english(client, carol, table):
    client.force_login(carol)
    client.cookies["django_language"] = "en"
    read = read_csv(_get(client, "issues:ledger", format="csv"))
    assert read.title == "Issues ledger · Handling agency"
    assert read.about["Filters"] == "none"
    assert set(read.about) == {"Filters", "Exported at", "Exported by"}


def test_a_drill_down_says_why_its_count_differs_and_exports(
    client, carol, city_commission, our_agency, other_agency
):
    both = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency], title="两家承办")
    pushed_issue(carol, city_commission, our_agency)
    client.force_login(carol)
    url = reverse("issues:ledger_issues")
    page = client.get(url, {"kind": "issues", "dimension": "agency", "metric": "total"})
    html = page.content.decode()
    assert page.context["drill"].counted == 3 and page.context["count"] == 2  # 3 handler shares, 2 issues
    assert "台账计数：3 件次" in html and "列出办件：2 件" in html and "在每个承办单位下各计一次" in html

    by_class = client.get(url, {"kind": "issues", "dimension": "class", "metric": "total"})
    assert by_class.context["drill"].counted == by_class.context["count"] == 2

    read = read_xlsx(_get(client, "issues:ledger_issues", kind="issues", dimension="agency", metric="total",
                          key=str(other_agency.pk), format="xlsx"))
    assert read.title == f"台账明细：办件台账 · 承办单位 · {other_agency.name} · 办件"
    assert [row[1] for row in read.rows] == ["两家承办"]
    assert read.rows[0][-1] == f"{our_agency.name}、{other_agency.name}"
    assert both.number == read.rows[0][0]

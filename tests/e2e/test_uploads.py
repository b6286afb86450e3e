"""The upload page in a real browser, in Chinese and in English: the rule for rows that share an
external id is stated before the file is chosen, and a file with duplicates and a bad row is
counted so that loaded, updated, duplicate and rejected add up to its rows, each row set aside
listed and downloadable with its reason."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from portal.celery import app as celery_app
from search.ingest.files import ingest_file
from search.models import IngestRun, IngestState, Record, SourceSystem
from tests.e2e.test_issue_flow import sign_in
from tests.factories import AgencyFactory, RegionFactory, member
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.browser

MAPPING = {
    "external_id": "编号", "title": ["事项"], "occurred_at": "日期", "amount": "金额", "required": ["事项"],
}
COLUMNS = ["编号", "事项", "日期", "金额"]
# Line 1 is the header. ZB-3 was loaded before: updated. ZB-1 and ZB-2 come twice: the later
# rows win. ZB-9's date is no date: rejected. Six rows: 2 loaded, 1 updated, 2 duplicate, 1 rejected.
ROWS = [
    ["ZB-1", "城南路灯改造 第一版", "2024-03-01", "1000"],   # line 2, replaced by line 4
    ["ZB-2", "城北道路维修 第一版", "2024-03-02", "2000"],   # line 3, replaced by line 7
    ["ZB-1", "城南路灯改造 第二版", "2024-03-03", "1500"],   # line 4
    ["ZB-9", "坏日期", "2024-13-45", "1"],                   # line 5, rejected
    ["ZB-3", "园区绿化 新版", "2024-03-05", "3000"],         # line 6, updates the record loaded before
    ["ZB-2", "城北道路维修 第二版", "2024-03-06", "2500"],   # line 7
]

WORDS = {
    "zh-hans": {"rule": "以后出现的一行为准", "button": "上传并导入", "title": "tenders.csv 的拒收行"},
    "en": {"rule": "the later row wins", "button": "Upload and load",
           "title": "Rejected rows of tenders.csv"},
}


def csv_file(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([COLUMNS, *rows])
    return buffer.getvalue().encode()


@pytest.fixture
def tenders(transactional_db, settings, tmp_path, own_search_index, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The worker's task runs in the server's thread when the upload commits (Celery's own setting).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    office = AgencyFactory(code="tender-office", name="市公共资源交易中心",
                           name_en="Public Resources Exchange", region=city)
    member(office, username="alice", full_name="艾丽")
    system = SourceSystem.objects.create(code="tenders", name="招投标", owner=office, field_mapping=MAPPING)
    earlier = tmp_path / "earlier.csv"
    earlier.write_bytes(csv_file([["ZB-3", "园区绿化 旧版", "2024-01-05", "300"]]))
    ingest_file(system, earlier)
    return system


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_upload_counts_every_row_and_lists_those_set_aside(page, live_server, tenders, tmp_path, language):
    words = WORDS[language]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(page, "alice", "/records/uploads/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The rule comes first: above the form, before anything is chosen.
    rule = page.locator("#duplicate-rule")
    expect(rule).to_be_visible()
    expect(rule).to_contain_text(words["rule"])
    assert rule.bounding_box()["y"] < page.locator("#upload-form").bounding_box()["y"]

    page.select_option("#id_system", str(tenders.pk))
    page.set_input_files("#id_file", files=[{"name": "tenders.csv", "mimeType": "text/csv",
                                            "buffer": csv_file(ROWS)}])
    with page.expect_navigation():
        page.get_by_role("button", name=words["button"]).click()
    run = IngestRun.objects.get(file_name="tenders.csv")
    expect(page).to_have_url(re.compile(rf"/records/uploads/{run.pk}/$"))
    expect(page.locator("#upload-run")).to_have_attribute("data-job-state", IngestState.DONE)

    counts = {name: int(page.locator(f"#rows-{name}").inner_text())
              for name in ("done", "loaded", "updated", "duplicate", "rejected")}
    assert counts == {"done": 6, "loaded": 2, "updated": 1, "duplicate": 2, "rejected": 1}
    assert counts["loaded"] + counts["updated"] + counts["duplicate"] + counts["rejected"] == len(ROWS)
    assert dict(Record.objects.filter(system=tenders).values_list("external_id", "title")) == {
        "ZB-1": "城南路灯改造 第二版", "ZB-2": "城北道路维修 第二版", "ZB-3": "园区绿化 新版",
    }

    # Every row set aside, by its line in the file, with why.
    listed = page.locator("#rejected-rows tr.rejected-row")
    expect(listed).to_have_count(3)
    lines = [row.locator("td").first.inner_text() for row in listed.all()]
    assert lines == ["2", "3", "5"]
    reasons = [row.locator("td").nth(1) for row in listed.all()]
    expect(reasons[0]).to_contain_text(re.compile(r"\b4\b.*ZB-1|ZB-1.*\b4\b"))  # replaced by line 4
    expect(reasons[1]).to_contain_text(re.compile(r"\b7\b.*ZB-2|ZB-2.*\b7\b"))
    expect(reasons[2]).to_contain_text("2024-13-45")  # the value that is no date
    expect(listed.nth(0).locator("code")).to_have_text("ZB-1,城南路灯改造 第一版,2024-03-01,1000")

    # The same rows download with their reasons, under a heading that says what they are.
    with page.expect_download() as download_info:
        page.locator("#rejected-csv").click()
    with open(download_info.value.path(), "rb") as stream:
        table = read_csv(stream.read())
    assert table.title == words["title"]
    assert [row[0] for row in table.rows] == ["2", "3", "5"]
    shown = [reason.inner_text() for reason in reasons]
    assert [row[1] for row in table.rows] == shown and all(shown)
    assert table.rows[0][2] == "ZB-1,城南路灯改造 第一版,2024-03-01,1000"

    # The list of loads says the same.
    page.goto("/records/uploads/")
    cells = page.locator("#upload-runs tbody tr").first.locator("td.text-end").all_inner_texts()
    assert cells == ["2", "1", "2", "1"]

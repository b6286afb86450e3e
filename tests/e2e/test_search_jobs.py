"""Background work in a real browser: an export started from the search page shows its progress,
a real Celery worker writes it, the page turns to "done" by itself and the file downloads."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from portal.celery import app as celery_app
from search import index
from search.models import ExportJob, JobState, Record, Sensitivity, SourceSystem, SystemGrant
from tests.e2e.test_issue_flow import sign_in
from tests.factories import AgencyFactory, RegionFactory, member
from tests.search.work_scene import fresh_index  # noqa: F401 - a fixture
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.browser

ROWS = 1_500  # more than one progress step (1,000 rows) of the writer


@pytest.fixture
def investigator(transactional_db, fresh_index):  # noqa: F811
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    office = AgencyFactory(code="audit-office", name="市审计局", name_en="Audit Office", region=city)
    member(office, username="dora", full_name="朵拉")
    hotline = SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    SystemGrant.objects.create(system=hotline, agency=office)
    when = timezone.make_aware(dt.datetime(2024, 3, 5, 9, 30))
    Record.objects.bulk_create(
        Record(system=hotline, external_id=f"RX-{n:04d}", title=f"城南路灯不亮 第{n}号", occurred_at=when,
               phones=["13812345678"])
        for n in range(ROWS)
    )
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    return office


def test_an_export_shows_its_progress_and_downloads_when_done(page, investigator):
    sign_in(page, "dora", "/records/?" + urlencode({"q": "路灯"}))
    expect(page.locator("#search-total")).to_contain_text("1,500")

    with page.expect_navigation():
        page.locator("#export-csv").click()
    job = ExportJob.objects.get()
    expect(page).to_have_url(re.compile(rf"/records/exports/{job.pk}/$"))
    panel = page.locator("#export-job")
    expect(panel).to_have_attribute("data-job-state", "queued")  # no worker yet: it waits
    expect(panel.locator(".progress")).to_be_visible()
    expect(panel.locator(".progress")).to_have_attribute("aria-valuenow", "0")

    # A worker starts: the page follows the job through the status answer and swaps in the result.
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        expect(page.locator("#export-download")).to_be_visible(timeout=60_000)
    expect(page.locator("#export-job")).to_have_attribute("data-job-state", "done")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.rows_done == ROWS

    with page.expect_download() as download_info:
        page.locator("#export-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as stream:
        table = read_csv(stream.read())
    assert len(table.rows) == ROWS
    assert {row[9] for row in table.rows} == {"138****5678"}  # the hotline's phones stay masked
    assert table.title == "关联系统数据"

    page.goto("/records/exports/")
    expect(page.locator(f'#export-list [data-export="{job.pk}"]')).to_have_attribute("data-state", "done")

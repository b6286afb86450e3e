"""In a real browser: while the demo's records load beside the portal, the search page says how far
the loading has got, its bar follows it, and once all are in the page shows the full results."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from demo.records import seed_records
from search.ingest.registry import SYSTEMS
from search.models import SourceSystem, SystemGrant
from tests.e2e.test_issue_flow import sign_in
from tests.factories import AgencyFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("own_search_index")]

PER_SYSTEM = 3
TOTAL = PER_SYSTEM * len(SYSTEMS)
SEARCH = "/records/?" + urlencode({"q": "系统:hotline-12345"})


class Stop(Exception):
    pass


@pytest.fixture
def dora(transactional_db, settings):
    settings.DEMO = True
    settings.DEMO_RECORDS_PER_SYSTEM = PER_SYSTEM
    seed_records(per_system=0)  # the linked systems, as seed_demo --records-later leaves them
    office = AgencyFactory(code="audit-office", name="市审计局", name_en="Audit Office")
    SystemGrant.objects.create(system=SourceSystem.objects.get(code="hotline-12345"), agency=office)
    return member(office, username="dora", full_name="朵拉")


def stop_after(systems: int):
    def report(code: str, done: int) -> None:
        if code == SYSTEMS[systems].code:
            raise Stop
    return report


def test_the_search_page_follows_the_loading_in_chinese(page, dora):
    sign_in(page, "dora", SEARCH)
    panel = page.locator("#demo-records-loading")
    expect(panel).to_contain_text(f"演示城市的 {TOTAL} 条关联系统记录仍在后台载入")
    expect(panel.locator("[data-job-label]")).to_have_text(f"已载入 0 / {TOTAL} 条记录（0%）")
    expect(page.locator("#search-total")).to_contain_text("0")

    with pytest.raises(Stop):
        seed_records(report=stop_after(2))  # stopped, as by Ctrl-C, after two systems
    done, percent = 2 * PER_SYSTEM, 2 * PER_SYSTEM * 100 // TOTAL
    expect(panel.locator("[data-job-label]")).to_have_text(f"已载入 {done} / {TOTAL} 条记录（{percent}%）")
    expect(panel.locator(".progress")).to_have_attribute("aria-valuenow", str(percent))

    seed_records()  # the next start goes on: once all are in, the page shows the full results
    expect(page.locator("#demo-records-loading")).to_have_count(0)
    expect(page.locator("#search-hits li")).to_have_count(PER_SYSTEM)


def test_it_speaks_english(page, dora, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(page, "dora", SEARCH)
    panel = page.locator("#demo-records-loading")
    expect(panel).to_contain_text(f"The demo's {TOTAL} linked-system records are still loading")
    expect(panel.locator("[data-job-label]")).to_have_text(f"0 of {TOTAL} records loaded (0%)")

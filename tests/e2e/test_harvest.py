"""Harvest in a real browser: search, tick two hits, make a clue, push it to a department, and the
department finds the issue, with its evidence, on its board."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from issues.models import Issue, Source
from search import index
from search.investigate.permissions import seed_default_grants
from search.models import Clue, Record, Sensitivity, SourceSystem
from tests.e2e.test_issue_flow import sign_in
from tests.factories import AgencyFactory, RegionFactory, commission, member

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db, own_search_index):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    discipline_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    member(discipline_commission, username="carol", full_name="卡萝")
    member(bureau, username="alice", full_name="艾丽")
    hotline = SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    seed_default_grants()
    when = timezone.make_aware(dt.datetime(2024, 3, 5, 9, 30))
    records = [
        Record.objects.create(system=hotline, external_id=f"RX-{n}", title=title, occurred_at=when)
        for n, title in enumerate(["城南路灯长期不亮", "城南路灯改造工程质量差", "城北道路积水"], 1)
    ]
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    return records


def test_hits_become_a_clue_and_an_issue_on_the_departments_board(page, browser, live_server, cast):
    lamps = cast[:2]
    sign_in(page, "carol", "/records/?" + urlencode({"q": '"城南路灯"'}))
    expect(page.locator("#search-hits li.search-hit")).to_have_count(2)
    for record in lamps:
        page.check(f"#hit-{record.pk}")
    with page.expect_navigation():
        page.locator("#create-clue").click()
    expect(page.locator("#clue-form .evidence-record")).to_have_count(2)
    page.fill("#id_title", "城南路灯改造疑似质量问题")
    page.fill("#id_summary", "两条热线投诉指向同一改造工程。")
    with page.expect_navigation():
        page.locator("#clue-form button[type=submit]").click()
    clue = Clue.objects.get()
    expect(page).to_have_url(re.compile(rf"/records/clues/{clue.pk}/$"))
    expect(page.locator("#evidence .evidence-record")).to_have_count(2)

    page.select_option("#push-form #id_category", "construction")
    page.select_option("#push-form #id_lead", label="市住房和城乡建设局")
    with page.expect_navigation():
        page.locator("#push-form button[type=submit]").click()
    issue = Issue.objects.get()
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    assert issue.source == Source.DATA
    evidence = page.locator("#issue-evidence .evidence-record")
    expect(evidence).to_have_count(2)
    for record in lamps:
        expect(page.locator("#issue-evidence")).to_contain_text(record.external_id)
    expect(page.locator("#issue-header")).to_contain_text(issue.number)

    # alice, in a browser of her own, finds the issue on her department's board.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        department = context.new_page()
        department.set_default_timeout(15_000)
        sign_in(department, "alice", "/issues/")
        expect(department.locator("main")).to_contain_text(issue.number)
        with department.expect_navigation():
            department.locator(f'a[href="/issues/{issue.pk}/"]').first.click()
        expect(department.locator("#issue-evidence .evidence-record")).to_have_count(2)
    finally:
        context.close()

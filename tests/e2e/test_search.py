"""The investigator's search in a real browser: a phrase with its purpose, highlights, a facet,
a record with its identifiers masked; and the page on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search.harvest import actions
from tests.e2e.threads import in_own_thread  # the actions publish through async_to_sync
from tests.factories import TEST_PASSWORD, RegionFactory
from tests.search.page_data import ID_NUMBER, MASKED_ID, MASKED_PHONE, PHONE, build_world

pytestmark = pytest.mark.browser

PURPOSE = "核查路灯工程线索"


@pytest.fixture
def world(transactional_db, own_search_index):
    return in_own_thread(lambda: build_world(RegionFactory(code="test-city", name="测试市")))


def sign_in(page, username: str, at: str = "/records/"):
    page.goto(at)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/records/"))


def test_it_works(page, world):
    sign_in(page, "staff")
    expect(page.locator("#nav-records-search")).to_have_count(1)

    # The commission's searches include sensitive systems: the page asks for the purpose first.
    page.fill("#id_q", '"城南 路灯"')
    page.locator("#search-submit").click()
    expect(page.locator("#search-purpose-needed")).to_be_visible()
    expect(page.locator(".search-hit")).to_have_count(0)
    page.fill("#id_purpose", PURPOSE)
    page.locator("#search-submit").click()
    expect(page.locator("#search-total")).to_contain_text("1")
    expect(page.locator(".search-hit mark").first).to_have_text(re.compile("城南|路灯"))

    # A wider search, narrowed by a facet.
    page.fill("#id_q", "路灯")
    page.locator("#search-submit").click()
    expect(page.locator(".search-hit")).to_have_count(4)  # the restricted system is not theirs
    page.locator('.search-facet[data-facet="system"] a[data-code="tender"]').click()
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator(".search-chosen")).to_have_text(re.compile("公共资源交易"))
    page.locator(".search-chosen").click()
    expect(page.locator(".search-hit")).to_have_count(4)  # the restricted system is not theirs

    # The record: identifiers masked for staff, and the way back to the results.
    page.locator(".search-hit-title", has_text="城南路灯损坏").click()
    expect(page.locator("#record-title")).to_have_text("城南路灯损坏")
    expect(page.locator("#record-id-numbers")).to_have_text(MASKED_ID)
    expect(page.locator("#record-body")).to_contain_text(MASKED_ID)
    assert ID_NUMBER not in page.content()
    page.locator("#record-back").click()
    expect(page.locator(".search-hit")).to_have_count(4)  # the restricted system is not theirs


def test_a_syntax_error_is_shown_where_it_is(page, world):
    sign_in(page, "auditor")
    page.fill("#id_q", "(路灯 OR 井盖")
    page.locator("#search-submit").click()
    expect(page.locator("#search-syntax-error")).to_be_visible()
    expect(page.locator("#search-syntax-error .search-syntax-at")).to_have_text("(")


def test_on_a_phone(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, "leader", at=f"/records/?q=路灯&purpose={PURPOSE}")
        expect(page.locator(".search-hit")).to_have_count(5)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The facets fold away behind a button.
        facets = page.locator("#search-facets")
        expect(facets).not_to_be_visible()
        page.locator("#search-facets-toggle").click()
        expect(facets).to_be_visible()
        facets.locator('.search-facet[data-facet="system"] a').first.click()
        expect(page.locator(".search-chosen")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.locator(".search-hit-title").first.click()
        expect(page.locator("#record-title")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_a_search_for_hidden_digits_shows_none_of_them(page, world):
    """The staff, who may not see identifiers, search the phone number's hidden middle, then the ID
    number's birth date: nothing is found, so no search confirms a guess of hidden digits. The
    phone number typed whole finds its record, and the hit shows it masked, with nothing marked."""
    sign_in(page, "staff")
    hits = page.locator("#search-hits")
    for hidden in (PHONE[3:7], ID_NUMBER[6:14]):
        page.goto(f"/records/?q={hidden}&purpose={PURPOSE}")
        expect(page.locator("#search-no-hits")).to_be_visible()
        expect(page.locator(".search-hit")).to_have_count(0)
    page.goto(f"/records/?q={PHONE}&purpose={PURPOSE}")
    expect(hits.locator(".search-hit")).to_have_count(1)
    expect(hits).to_contain_text(MASKED_PHONE)
    expect(hits).to_contain_text(MASKED_ID)
    for part in (".search-hit-title", ".search-hit-text", ".search-hit-identifiers"):
        assert PHONE not in " ".join(hits.locator(part).all_inner_texts())
    expect(hits.locator("mark")).to_have_count(0)


def test_a_clue_shows_evidence_only_to_readers_of_its_system(page, world):
    """The leader's clue holds a record of the restricted system: on its page the staff see that
    there is one, and from which system, and nothing of it."""
    leader_membership = world.leader.memberships.get()
    clue = in_own_thread(lambda: actions.create_clue(
        acting_user=world.leader, agency=leader_membership.agency, title="路灯工程偷税线索", summary="",
        records=[world.records["X1"].pk, world.records["T1"].pk],
    ))
    sign_in(page, "staff", at=f"/records/clues/{clue.pk}/")
    evidence = page.locator("#evidence .evidence-record")
    expect(evidence).to_have_count(2)
    closed = page.locator("#evidence .evidence-closed")
    expect(closed).to_have_count(1)
    expect(closed).to_contain_text("税务征管")
    expect(closed).to_contain_text("无权查看")
    expect(closed.locator("a")).to_have_count(0)
    assert "照明公司路灯偷税线索" not in page.content() and "X1" not in page.locator("#evidence").inner_text()
    expect(page.locator("#evidence")).to_contain_text("城南道路照明工程中标公告")


def test_past_the_exact_count_the_page_says_more_than(page, world, settings):
    settings.SEARCH_EXACT_COUNT = 2  # "路灯" finds four records for the commission's staff
    sign_in(page, "staff")
    page.fill("#id_q", "路灯")
    page.fill("#id_purpose", PURPOSE)
    page.locator("#search-submit").click()
    expect(page.locator("#search-total")).to_contain_text("找到超过 2 条记录")
    expect(page.locator(".search-hit")).to_have_count(4)  # every hit is still listed
    if settings.SEARCH_BACKEND == "embedded":  # listed newest first, facets over the newest two
        expect(page.locator("#search-order-note")).to_contain_text("已按时间从新到旧列出")
        expect(page.locator("#search-facets-counted")).to_contain_text("最新的 2 条")
    else:
        expect(page.locator("#search-order-note")).to_have_count(0)
    page.locator('.search-facet[data-facet="system"] a[data-code="tender"]').click()
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator("#search-total")).not_to_contain_text("超过")
    expect(page.locator("#search-order-note")).to_have_count(0)

"""The investigator's search in a real browser: a phrase with its purpose, highlights, a facet,
a record with its identifiers masked; and the page on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.threads import in_own_thread  # the actions publish through async_to_sync
from tests.factories import TEST_PASSWORD, RegionFactory
from tests.search.page_data import ID_NUMBER, MASKED_ID, build_world

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
    expect(page.locator(".search-hit")).to_have_count(5)
    page.locator('.search-facet[data-facet="region"] a[data-code="north"]').click()
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator(".search-chosen")).to_have_text(re.compile("城北区"))
    page.locator(".search-chosen").click()
    expect(page.locator(".search-hit")).to_have_count(5)

    # The record: identifiers masked for staff, and the way back to the results.
    page.locator(".search-hit-title", has_text="城南路灯损坏").click()
    expect(page.locator("#record-title")).to_have_text("城南路灯损坏")
    expect(page.locator("#record-id-numbers")).to_have_text(MASKED_ID)
    expect(page.locator("#record-body")).to_contain_text(MASKED_ID)
    assert ID_NUMBER not in page.content()
    page.locator("#record-back").click()
    expect(page.locator(".search-hit")).to_have_count(5)


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

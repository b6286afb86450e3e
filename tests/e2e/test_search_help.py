"""The search page's help panel and its explanations in a real browser, in Chinese, at desktop
and phone width: the fields, the systems the reader may search with their codes, the limits, a
query that cannot be run explained where it went wrong, and a query read through names and
synonyms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search.index.query import MAX_QUERY_LENGTH
from search.models import SynonymGroup
from tests.e2e.test_search import sign_in
from tests.e2e.threads import in_own_thread
from tests.factories import RegionFactory
from tests.search.page_data import build_world

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def build_world_with_synonyms():
    # The migration seeds the synonyms; a browser test's database is emptied between tests.
    SynonymGroup.objects.get_or_create(words="低保、最低生活保障")
    return build_world(RegionFactory(code="test-city", name="测试市"))


@pytest.fixture
def world(transactional_db, own_search_index):
    return in_own_thread(build_world_with_synonyms)


@pytest.fixture(params=list(WIDTHS))
def screen(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=WIDTHS[request.param],
        is_mobile=request.param == "phone",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def search(page, query: str) -> None:
    page.fill("#id_q", query)
    page.locator("#search-submit").click()


def test_the_help_panel_lists_fields_systems_and_limits(screen, world):
    page = screen
    sign_in(page, "auditor")  # the audit office reads the hotline and the tenders, nothing else
    help_panel = page.locator("#search-syntax-help")
    expect(help_panel.locator("summary")).to_have_text("查询语法说明")
    expect(page.locator("#search-help-systems")).not_to_be_visible()
    help_panel.locator("summary").click()

    expect(page.locator("#search-help-exact")).to_contain_text('名称:"张伟"')
    expect(page.locator("#search-help-exact")).to_contain_text("名称恰好是“张伟”，不含张伟柏")
    expect(page.locator("#search-help-contains")).to_contain_text("包含“张伟”的名称")
    expect(page.locator("#search-help-fields")).to_contain_text("系统:")
    expect(help_panel).to_contain_text(f"一个查询最多 {MAX_QUERY_LENGTH} 个字符、100 个词")
    expect(page.locator("#search-help-synonyms")).to_contain_text("低保 = 最低生活保障")

    systems = page.locator("#search-help-systems tbody tr")
    expect(systems).to_have_count(2)  # only what the reader may search: no 医保结算, no 税务征管
    assert [row.get_attribute("data-code") for row in systems.all()] == ["hotline", "tender"]
    expect(systems.first).to_contain_text("12345热线")
    expect(page.locator("#search-help-systems")).not_to_contain_text("医保")
    assert fits(page)


def test_a_query_that_cannot_be_run_is_explained_where_it_went_wrong(screen, world):
    page = screen
    sign_in(page, "auditor")
    search(page, "路灯 系统:医保")  # a system closed to the auditor is as unknown as none
    error = page.locator("#search-syntax-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("您可查询的关联系统中没有名为“医保”的系统")
    expect(error.locator(".search-syntax-at")).to_have_text("系")
    expect(page.locator("#search-help-systems")).to_be_visible()  # the panel opens to show them
    expect(page.locator(".search-hit")).to_have_count(0)
    assert fits(page)

    search(page, "名称：")
    expect(error).to_contain_text("字段“名称”后没有查询内容")
    # Too long to send: the browser says so under the box and sends nothing (the address would
    # be cut); the text typed stays, to be shortened.
    asked = page.url
    search(page, "(" * 3_000)
    too_long = page.locator("#id_q-too-long")
    expect(too_long).to_have_text(f"查询内容过长：现有 3000 个字符，最多 {MAX_QUERY_LENGTH} 个。")
    expect(page.locator("#id_q")).to_have_attribute("aria-invalid", "true")
    assert page.url == asked
    assert fits(page)
    page.fill("#id_q", "(路灯)")  # shortened: the message goes
    expect(too_long).to_be_hidden()
    # An address typed or kept from before is checked by the portal, with the same limit.
    page.goto("/records/?q=" + "(" * (MAX_QUERY_LENGTH + 1))
    expect(error).to_contain_text(f"查询内容过长：最多 {MAX_QUERY_LENGTH} 个字符。")


def test_names_and_synonyms_are_read_and_the_page_says_how(screen, world):
    page = screen
    sign_in(page, "auditor")
    search(page, "系统:热线 路灯")
    expect(page.locator(".search-hit")).to_have_count(2)
    expect(page.locator('#search-understood .search-note[data-kind="system"]')).to_contain_text(
        re.compile(r"系统:热线\s*按 12345热线 查询")
    )
    search(page, "最低生活保障 OR 井盖")
    expect(page.locator('#search-understood .search-note[data-kind="synonyms"]')).to_contain_text(
        "已连同同义词一起查询：最低生活保障、低保"
    )
    expect(page.locator(".search-hit")).to_have_count(1)  # 井盖缺失; nobody here writes of 低保
    assert fits(page)

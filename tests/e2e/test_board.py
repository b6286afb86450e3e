"""The board in a real browser: sign in, switch tabs, filter, page forward; and on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from issues import workflow
from issues.reading.board import PAGE_SIZE
from tests.e2e.threads import in_own_thread
from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, commission, member, pushed_issue

pytestmark = pytest.mark.browser

WAITING = PAGE_SIZE + 3  # one page and a bit: there is a next page


@pytest.fixture
def board(transactional_db):
    return in_own_thread(make_board)


def make_board():
    """A commission that pushed a page and a bit of issues to a bureau, one of them signed for."""
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    jw = commission(city, code="commission", name="市纪委监委", name_en="City Discipline Commission")
    pusher = member(jw, username="pusher", full_name="赵推送")
    handler = member(bureau, role=Role.STAFF, username="handler", full_name="钱办理")
    today = timezone.localdate()
    for n in range(WAITING):
        deadline = today + dt.timedelta(days=1 if n % 4 == 0 else 12)
        pushed_issue(pusher, jw, bureau, title=f"小区路灯损坏第{n:02d}号", deadline=deadline)
    signed = pushed_issue(pusher, jw, bureau, title="已签收的积水问题")
    workflow.sign(acting_user=handler, agency=bureau, issue=signed, assignment=signed.assignments.get())
    return handler


def sign_in_to_board(page):
    page.goto("/issues/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/issues/$"))
    page.fill("#id_username", "handler")
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/issues/$"))


def row_numbers(page) -> list[str]:
    return page.locator("#board-rows tr[data-issue-id] .board-number").all_inner_texts()


def test_it_works(page, board):
    sign_in_to_board(page)

    # The board opens on the work to sign for: a full page, and the counts on the tabs.
    active = page.locator(".board-tabs a[aria-current=page]")
    expect(active).to_have_attribute("data-tab", "to-sign")
    expect(page.locator("#count-to-sign")).to_have_text(str(WAITING))
    expect(page.locator("#count-handling")).to_have_text("1")
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(PAGE_SIZE)

    # Switch tab.
    page.locator('.board-tabs a[data-tab="handling"]').click()
    expect(page).to_have_url(re.compile(r"tab=handling"))
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(1)
    expect(page.locator("#board-rows")).to_contain_text("已签收的积水问题")

    # Back to the work to sign for, and filter on the light: due soon.
    page.locator('.board-tabs a[data-tab="to-sign"]').click()
    expect(page.locator(".board-tabs a[aria-current=page]")).to_have_attribute("data-tab", "to-sign")
    page.select_option("#id_light", "yellow")
    page.locator("#board-filters button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"light=yellow"))
    assert "due_from" not in page.url  # empty filters stay out of the address
    due_soon = (WAITING + 3) // 4
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(due_soon)
    for light in page.locator("#board-rows tr[data-issue-id]").all():
        expect(light).to_have_attribute("data-light", "yellow")

    # Clear the filter and page forward: the rest of the tab, nothing twice.
    page.locator("#board-clear").click()
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(PAGE_SIZE)
    first = row_numbers(page)
    page.locator("#board-next-page").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(WAITING - PAGE_SIZE)
    second = row_numbers(page)
    assert not set(first) & set(second)
    expect(page.locator("#board-next-page")).to_have_count(0)
    page.locator("#board-first-page").click()
    expect(page.locator("#board-rows tr[data-issue-id]")).to_have_count(PAGE_SIZE)
    assert row_numbers(page) == first


def test_it_fits_a_phone(browser, live_server, board, tmp_path):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        sign_in_to_board(page)
        tabs = page.locator(".board-tabs")
        expect(tabs).to_be_visible()
        expect(page.locator("#board-rows tr[data-issue-id]").first).to_be_visible()
        # Nothing wider than the screen: the page does not scroll sideways...
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # ...the tabs do, inside their own strip, and the last one can be reached.
        assert tabs.evaluate("el => el.scrollWidth > el.clientWidth")
        last_tab = page.locator('.board-tabs a[data-tab="supervised"]')
        last_tab.scroll_into_view_if_needed()
        expect(last_tab).to_be_in_viewport()
        # Each row is a card that fits the screen, its light in words beside the colour.
        card = page.locator("#board-rows tr[data-issue-id]").first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= 390
        expect(page.locator("#board-rows tr[data-issue-id] .light-badge").first).not_to_be_empty()
        page.screenshot(path=tmp_path / "board-phone.png", full_page=True)
    finally:
        context.close()

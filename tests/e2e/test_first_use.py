"""What a new user notices first, in a real browser, in Chinese at desktop and phone width:
contrast, the act-as switch, error marks, empty pages, the issue page on a phone, error pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from issues import workflow as board
from issues.models import Source
from tests.e2e.sessions import DESKTOP, PHONE, signed_in
from tests.factories import AgencyFactory, RegionFactory, commission, member

pytestmark = pytest.mark.browser

CONTRAST_CHECK = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


@pytest.fixture
def cast(transactional_db):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    finance = AgencyFactory(code="finance", name="市财政局", name_en="Finance Bureau", region=city)
    city_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    carol = member(city_commission, username="carol", full_name="卡萝")
    alice = member(bureau, username="alice", full_name="艾丽")
    member(bureau, role=Role.LEADER, username="alan", full_name="艾伦")
    # dora works for two agencies and chooses in the header which one she acts for.
    dora = member(bureau, username="dora", full_name="多拉")
    from agencies import actions as agency_actions

    agency_actions.add_member(dora, finance, role=Role.STAFF)
    issue = board.push(
        acting_user=carol, agency=city_commission, title="工业园区入口缺少路灯和标线",
        description="园区主入口夜间无照明，道路标线缺失。\n" * 8, category="construction",
        source=Source.INSPECTION, priority="normal",
        deadline=timezone.localdate() + dt.timedelta(days=14), lead=bureau,
    )
    for number in range(6):  # a long record: the actions must not sit below it on a phone
        board.comment(acting_user=carol, agency=city_commission, issue=issue,
                      text=f"第{number + 1}次跟进：请尽快签收。")
    return {"issue": issue, "alice": alice, "carol": carol, "dora": dora, "bureau": bureau,
            "finance": finance}


def open_as(browser, live_server, username, viewport=DESKTOP):
    return signed_in(browser, live_server, username, viewport=viewport)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_text_meets_wcag_aa_contrast(browser, live_server, cast, viewport):
    issue = cast["issue"]
    context, page = open_as(browser, live_server, "alice", viewport)
    try:
        failures = {}
        for path in ["/", "/issues/", "/issues/?tab=closed", issue.get_absolute_url(), "/notifications/",
                     "/agencies/", "/issues/ledger/", "/issues/scores/", "/no-such-page/"]:
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
            found = page.evaluate(CONTRAST_CHECK)
            if found:
                failures[path] = found
        # The header's links, measured on their own: 3.17:1 before, white on the red now.
        link = page.locator("#portal-nav .nav-link").first
        if viewport is DESKTOP:
            ratio = link.evaluate("""el => {
                const c = getComputedStyle(el).color; return c; }""")
            assert ratio in ("rgba(255, 255, 255, 0.92)", "rgb(255, 255, 255)"), ratio
        assert failures == {}
    finally:
        context.close()
    # And signed out: the sign-in page.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert page.evaluate(CONTRAST_CHECK) == []
    finally:
        context.close()


def test_the_contrast_check_catches_low_contrast(browser, live_server, cast):
    context, page = open_as(browser, live_server, "alice")
    try:
        page.goto("/issues/")
        page.evaluate("""() => { const n = document.createElement('p'); n.id = 'grey';
            n.textContent = '浅灰色文字'; n.style.color = '#aaa';
            document.querySelector('main').append(n); }""")
        found = page.evaluate(CONTRAST_CHECK)
        assert len(found) == 1 and "浅灰色文字" in found[0]
        # The old navbar links: 55 % white on the portal's red.
        page.evaluate("""() => { const link = document.querySelector('#portal-nav .nav-link');
            link.style.transition = 'none'; link.style.color = 'rgba(255,255,255,.55)'; }""")
        found = page.evaluate(CONTRAST_CHECK)
        assert any(item.startswith("3.1") and "首页" in item for item in found), found
    finally:
        context.close()


def test_the_act_as_switch_asks_first(browser, live_server, cast):
    context, page = open_as(browser, live_server, "dora")
    try:
        page.goto("/issues/")
        switch = page.locator("#act-as")
        acting = switch.input_value()
        other = str(cast["finance"].pk if acting == str(cast["bureau"].pk) else cast["bureau"].pk)
        questions = []

        def say_no(dialog):
            questions.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", say_no)
        switch.select_option(other)
        assert len(questions) == 1 and "确定切换为以" in questions[0]
        assert ("市财政局" if other == str(cast["finance"].pk) else "市住房和城乡建设局") in questions[0]
        expect(switch).to_have_value(acting)  # nothing changed
        assert page.url.endswith("/issues/")

        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            switch.select_option(other)
        expect(page.locator("#act-as")).to_have_value(other)
        expect(page.locator("#board-agency")).to_contain_text(
            "市财政局" if other == str(cast["finance"].pk) else "市住房和城乡建设局")
    finally:
        context.close()


def test_an_error_mark_goes_once_the_field_is_changed(browser, live_server, cast):
    context, page = open_as(browser, live_server, "alice")
    try:
        page.goto("/issues/?due_from=2026-02-31")
        field = page.locator("#id_due_from")
        expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
        message = page.locator("#id_due_from-error")
        expect(message).to_be_visible()
        field.fill("2026-03-01")
        expect(field).not_to_have_class(re.compile(r"\bis-invalid\b"))
        expect(field).not_to_have_attribute("aria-invalid", "true")
        expect(message).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_empty_pages_say_what_to_do(browser, live_server, cast, viewport):
    context, page = open_as(browser, live_server, "carol", viewport)
    try:
        page.goto("/issues/?tab=to-verify")
        expect(page.locator("#board-empty-hint")).to_contain_text("反馈结果后")
        page.goto("/issues/?tab=closed")
        expect(page.locator("#board-empty-hint")).to_contain_text("对账销号")
        page.goto("/notifications/")
        expect(page.locator("#no-notifications-hint")).to_contain_text("送达方式")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()


def test_on_a_phone_the_actions_come_before_the_record(browser, live_server, cast):
    issue = cast["issue"]
    context, page = open_as(browser, live_server, "alice", PHONE)
    try:
        page.goto(issue.get_absolute_url())
        sign = page.locator('button[data-bs-target^="#form-sign-"]').first
        expect(sign).to_be_visible()
        timeline = page.locator("#timeline")
        assert sign.bounding_box()["y"] < timeline.bounding_box()["y"]
        expect(page.locator("#timeline li.issue-event")).not_to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_missing_page_in_chinese(browser, live_server, cast, viewport):
    context, page = open_as(browser, live_server, "alice", viewport)
    try:
        response = page.goto("/issues/987654321/")
        assert response.status == 404
        expect(page.locator("#error-page h1")).to_have_text("找不到这个页面")
        expect(page.locator(".portal-navbar")).to_be_visible()
        page.locator("#error-home").click()
        expect(page).to_have_url(re.compile(r"/$"))
        icon = page.evaluate("fetch('/favicon.ico').then(r => r.headers.get('content-type'))")
        assert icon == "image/x-icon"
    finally:
        context.close()


WIDTHS = (768, 992, 1280, 1400)  # a tablet, and where the header's rows run out


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_is_wider_than_the_screen_in_either_language(browser, live_server, cast, language):
    """The header (act-as switch with long agency names, the language button, the user's menu),
    the board and the scores, at the widths between a phone and a wide screen. English labels
    are about twice as wide as the Chinese ones."""
    long_names = {"bureau": "Jiangcheng Municipal Bureau of Housing and Urban-Rural Development",
                  "finance": "Jiangcheng Municipal Bureau of Finance and State Assets"}
    for key, name_en in long_names.items():
        agency = cast[key]
        agency.name_en = name_en
        agency.save(update_fields=["name_en"])
    pages = ["/issues/", cast["issue"].get_absolute_url(), "/issues/ledger/", "/issues/scores/",
             "/notifications/"]
    for username in ("dora", "carol"):
        for width in WIDTHS:
            context, page = signed_in(browser, live_server, username, language=language,
                                      viewport={"width": width, "height": 900})
            try:
                for path in pages:
                    page.goto(path)
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    assert wide <= width, (username, width, path, wide)
                    expect(page.locator(".portal-navbar")).to_be_visible()
            finally:
                context.close()

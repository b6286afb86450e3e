"""An issue's whole life in a real browser: pushed, signed for, reported, accepted, closed, filed as PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from issues.models import Issue, IssueState
from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, commission, member, stationed_group

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    AgencyFactory(code="finance", name="市财政局", name_en="Finance Bureau", region=city)
    discipline_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    stationed_group(
        discipline_commission, stationed_at=[bureau], code="group-housing", name="派驻第一纪检监察组"
    )
    member(discipline_commission, username="carol", full_name="卡萝")
    member(bureau, username="alice", full_name="艾丽")
    member(bureau, role=Role.LEADER, username="alan", full_name="艾伦")
    return bureau


def sign_in(page, username, path):
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    # Waits for the page's load event too: its scripts have run before the test acts on it.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def open_form(page, action, key):
    """Press the action's button and wait until the folded form under it has finished opening.

    Visible is not open: while the form is still unfolding it sits in a clipped box, and filling
    a field scrolls that box; as the box grows, the submit button slides down, and a press that
    starts on the button ends beside it, a click on the form that sends nothing.
    """
    page.locator(f'button[data-bs-target="#form-{action}-{key}"]').first.click()
    form = page.locator(f"#form-{action}-{key}")
    expect(form).to_be_visible()
    # Bootstrap's collapse adds "show" only once the opening transition has ended.
    expect(form).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    return form


def act(page, action, key, **fields):
    """Open the action's folded form under its button, fill it in, submit it, wait for the page."""
    form = open_form(page, action, key)
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#issue-header")).to_be_visible()


def timeline(page):
    return page.locator("#timeline li.issue-event").evaluate_all("rows => rows.map(r => r.dataset.action)")


def test_an_issue_from_push_to_filing(page, browser, live_server, cast):
    # carol pushes an issue from the new-issue form.
    sign_in(page, "carol", "/issues/new/")
    page.fill("#id_title", "工业园区入口缺少路灯和标线")
    page.fill("#id_description", "园区主入口夜间无照明，道路标线缺失。")
    page.select_option("#id_category", "construction")
    deadline = timezone.localdate() + dt.timedelta(days=10)
    page.fill("#id_deadline", deadline.isoformat())
    # The lead list has a type-to-filter box: typing hides the bodies that do not match.
    lead = page.locator("#id_lead")
    finance = lead.locator("option", has_text="市财政局")
    expect(finance).to_have_js_property("hidden", False)
    lead.locator("xpath=preceding-sibling::input[@type='search'][1]").fill("住房")
    expect(finance).to_have_js_property("hidden", True)
    expect(lead.locator("option", has_text="市住房和城乡建设局")).to_have_js_property("hidden", False)
    page.select_option("#id_lead", label="市住房和城乡建设局")
    with page.expect_navigation():
        page.locator("#new-issue-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/issues/\d+/$"))
    issue = Issue.objects.get()
    expect(page.locator("h1.issue-title")).to_have_text("工业园区入口缺少路灯和标线")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assignment = page.locator("#assignments article").first.get_attribute("data-assignment-id")
    issue_path = f"/issues/{issue.pk}/"

    # alice, in a browser of her own, signs for it and reports back.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        handler = context.new_page()
        handler.set_default_timeout(15_000)
        sign_in(handler, "alice", issue_path)
        expect(handler.locator(f'button[data-bs-target="#form-transfer-{assignment}"]')).to_have_count(0)
        act(handler, "sign", assignment)
        expect(handler.locator(f"#assignment-{assignment}")).to_have_class(re.compile(r"assignment-signed"))
        act(handler, "report", assignment, text="已安装路灯12盏，补划标线300米。")
        expect(handler.locator(f"#assignment-{assignment}")).to_contain_text("已安装路灯12盏")
    finally:
        context.close()

    # carol accepts the report and closes the issue.
    page.reload()
    act(page, "accept_report", assignment)
    act(page, "close", "issue", summary="现场核查，整改到位。")
    issue.refresh_from_db()
    assert issue.state == IssueState.CLOSED
    assert timeline(page) == ["push", "sign", "report", "accept_report", "close"]
    expect(page.locator("#timeline")).to_contain_text("艾丽")
    expect(page.locator("#timeline")).to_contain_text("现场核查，整改到位。")

    # The record for filing, saved as PDF.
    with page.expect_navigation():
        page.locator(f'a[href="/issues/{issue.pk}/record/"]').click()
    expect(page.locator("#record-verification")).to_be_visible()
    expect(page.locator("li.issue-event")).to_have_count(5)
    expect(page.locator(".issue-event-hash code").first).to_have_text(issue.events.get(seq=1).hash)
    document = page.pdf(format="A4", print_background=True)
    assert document.startswith(b"%PDF") and len(document) > 1000

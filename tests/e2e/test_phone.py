"""At phone width (390×844, touch), in Chinese and in English: every role finds its actions on an
issue's page before the record of what happened, and the board's list and the new-issue form,
with its proposed deadline, can be used by tapping."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from issues import workflow as board
from issues.models import Issue, IssueState, Source
from tests.e2e.sessions import PHONE, signed_in
from tests.factories import AgencyFactory, RegionFactory, commission, member, stationed_group

pytestmark = pytest.mark.browser

LANGUAGES = ["zh-hans", "en"]
LABELS = {  # the buttons, as each language names them
    "zh-hans": {"sign": "签收", "report": "办理反馈", "urge": "督办", "accept_report": "认可反馈"},
    "en": {"sign": "Sign for", "report": "Report back", "urge": "Urge", "accept_report": "Accept the report"},
}


@pytest.fixture
def cast(transactional_db):
    seeded = import_module("issues.migrations.0004_deadline_policies_extensions")
    seeded.seed_policies(django_apps, None)  # emptied by the transactional test before
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    city_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    group = stationed_group(city_commission, stationed_at=[bureau], code="group-housing",
                            name="派驻第一纪检监察组", name_en="First Stationed Group")
    carol = member(city_commission, username="carol", full_name="卡萝")
    alice = member(bureau, username="alice", full_name="艾丽")
    member(group, role=Role.LIAISON, username="lily", full_name="莉莉")
    issue = board.push(
        acting_user=carol, agency=city_commission, title="工业园区入口缺少路灯和标线",
        description="园区主入口夜间无照明，道路标线缺失。\n" * 8, category="construction",
        source=Source.INSPECTION, priority="normal",
        deadline=timezone.localdate() + dt.timedelta(days=14), lead=bureau,
    )
    for number in range(6):  # a long record: the actions must not sit below it
        board.comment(acting_user=carol, agency=city_commission, issue=issue, text=f"第{number + 1}次跟进。")
    return {"issue": issue, "assignment": issue.assignments.get(), "alice": alice, "carol": carol,
            "bureau": bureau, "commission": city_commission}


def on_phone(browser, live_server, username, language):
    return signed_in(browser, live_server, username, language=language, viewport=PHONE)


def action_button(page, action, key):
    return page.locator(f'button[data-bs-target="#form-{action}-{key}"]').first


def assert_before_the_record(page, button, label):
    """The button shows, says what it does, and comes before the timeline; the page is no wider
    than the phone."""
    expect(button).to_be_visible()
    expect(button).to_have_text(label)
    # Both measured in one step: the page may still be scrolling smoothly to an anchor.
    assert button.evaluate("""button => button.getBoundingClientRect().bottom
        <= document.getElementById('timeline').getBoundingClientRect().top""")
    expect(page.locator("#timeline li.issue-event")).not_to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_role_finds_its_actions_before_the_record(browser, live_server, cast, language):
    issue, assignment = cast["issue"], cast["assignment"]
    labels = LABELS[language]

    # The department: signs for it by tapping, then finds "report back" in the same place.
    context, page = on_phone(browser, live_server, "alice", language)
    try:
        page.goto(issue.get_absolute_url())
        sign = action_button(page, "sign", assignment.pk)
        assert_before_the_record(page, sign, labels["sign"])
        sign.tap()
        form = page.locator(f"#form-sign-{assignment.pk}")
        expect(form).to_be_visible()
        # Open, not opening: a tap on a button still sliding down lands on the form (open_form).
        expect(form).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        with page.expect_navigation():
            form.locator("button[type=submit]").tap()
        expect(page.locator(f"#assignment-{assignment.pk}")).to_have_class(re.compile(r"assignment-signed"))
        assert_before_the_record(page, action_button(page, "report", assignment.pk), labels["report"])
    finally:
        context.close()

    # The stationed liaison supervising the bureau: urge.
    context, page = on_phone(browser, live_server, "lily", language)
    try:
        page.goto(issue.get_absolute_url())
        assert_before_the_record(page, action_button(page, "urge", assignment.pk), labels["urge"])
    finally:
        context.close()

    # The initiator, once the bureau has reported: accept the report.
    board.report(acting_user=cast["alice"], agency=cast["bureau"], issue=issue, assignment=assignment,
                 text="已安装路灯12盏。")
    context, page = on_phone(browser, live_server, "carol", language)
    try:
        page.goto(issue.get_absolute_url())
        accept = action_button(page, "accept_report", assignment.pk)
        assert_before_the_record(page, accept, labels["accept_report"])
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_board_and_the_new_issue_form_work_by_tapping(browser, live_server, cast, language):
    context, page = on_phone(browser, live_server, "carol", language)
    try:
        page.goto("/issues/?tab=initiated")
        row = page.locator(f"#issue-{cast['issue'].pk}")
        link = row.locator("a.board-title-link")
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        new_issue = page.locator("#board-new-issue")
        expect(new_issue).to_be_visible()
        with page.expect_navigation():
            new_issue.tap()

        # The proposed deadline and what it means show under the field, within the screen's width.
        deadline = page.locator("#id_deadline")
        help_text = page.locator("#id_deadline ~ .form-text")
        deadline.scroll_into_view_if_needed()
        expect(deadline).to_be_visible()
        expect(help_text).to_be_visible()
        expect(help_text).to_contain_text("30 个工作日" if language == "zh-hans" else "30 working days")
        for element in (deadline, help_text):
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.select_option("#id_priority", "urgent")
        expect(help_text).to_contain_text("10 个工作日" if language == "zh-hans" else "10 working days")
        proposed = deadline.input_value()
        assert proposed > timezone.localdate().isoformat()

        page.locator("#id_title").tap()
        page.keyboard.type("老旧小区加装电梯进度滞后")
        page.fill("#id_description", "三个小区加装电梯停工两个月。")
        page.select_option("#id_lead", str(cast["bureau"].pk))
        submit = page.locator("#new-issue-form button[type=submit]")
        submit.scroll_into_view_if_needed()
        with page.expect_navigation():
            submit.tap()
        expect(page).to_have_url(re.compile(r"/issues/\d+/$"))
        pushed = Issue.objects.get(title="老旧小区加装电梯进度滞后")
        assert pushed.state == IssueState.PUSHED and pushed.deadline.isoformat() == proposed
        expect(page.locator("#issue-header .issue-facts")).to_contain_text(proposed)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()

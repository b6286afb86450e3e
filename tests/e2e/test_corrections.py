"""Corrections in a real browser, in Chinese: a comment amended and withdrawn, a report withdrawn
before it is read and refused once it is; and the agency picker finding 住建 and zjj."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.models import Level, Role
from issues import workflow
from issues.models import Comment
from tests.e2e.test_issue_flow import act, open_form, sign_in
from tests.factories import AgencyFactory, RegionFactory, commission, member, pushed_issue

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng", level=Level.CITY)
    housing = AgencyFactory(code="jz-housing", name="江城市住房和城乡建设局", short_name="住建局",
                            name_en="Housing Bureau", region=city, aliases="住建委")
    AgencyFactory(code="jz-finance", name="江城市财政局", short_name="财政局", name_en="Finance", region=city)
    AgencyFactory(code="jz-development", name="江城市发展和改革委员会", short_name="发改委",
                  name_en="Development and Reform Commission", region=city)
    jw = commission(city, code="commission", name="江城市纪委监委", name_en="City Commission")
    carol = member(jw, username="carol", full_name="卡萝")
    alice = member(housing, username="alice", full_name="艾丽")
    member(housing, role=Role.LEADER, username="alan", full_name="艾伦")
    issue = pushed_issue(carol, jw, housing)
    assignment = issue.assignments.get()
    workflow.sign(acting_user=alice, agency=housing, issue=issue, assignment=assignment)
    return issue, assignment, carol, jw, alice, housing


def test_a_comment_is_amended_then_withdrawn_on_the_record(page, scene):
    issue, assignment, carol, jw, alice, housing = scene
    remark = workflow.comment(acting_user=carol, agency=jw, issue=issue, text="请补充现场照片")
    sign_in(page, "carol", issue.get_absolute_url())
    act(page, "amend_comment", remark.pk, text="请补充整改前后的现场照片")
    expect(page.locator(".alert-success")).to_contain_text("评论已修改")
    shown = page.locator(f"#comment-{remark.pk}")
    expect(shown.locator(".comment-text")).to_have_text("请补充整改前后的现场照片")
    expect(shown.locator(".comment-mark")).to_contain_text("已修改")
    shown.locator("summary").click()
    expect(shown.locator(".comment-history")).to_contain_text("请补充现场照片")
    expect(page.locator('#timeline li[data-action="amend_comment"]')).to_contain_text("修改了评论")

    act(page, "withdraw_comment", remark.pk, reason="发错办件")
    expect(shown.locator(".comment-mark")).to_contain_text("已撤回")
    expect(shown).to_contain_text("作者已撤回此评论")
    expect(shown.locator("button")).to_have_count(0)  # nothing left to correct
    expect(page.locator('#timeline li[data-action="withdraw_comment"]')).to_contain_text("发错办件")
    assert Comment.objects.get(pk=remark.pk).withdrawn_at is not None


def test_a_report_is_withdrawn_before_it_is_read_and_not_after(page, browser, live_server, scene):
    issue, assignment, carol, jw, alice, housing = scene
    workflow.report(acting_user=alice, agency=housing, issue=issue, assignment=assignment, text="已安装路灯")
    sign_in(page, "alice", issue.get_absolute_url())
    act(page, "withdraw_report", assignment.pk, reason="漏附验收材料")
    expect(page.locator(".alert-success")).to_contain_text("反馈已撤回")
    expect(page.locator(f"#assignment-{assignment.pk} .assignment-state")).to_have_text("办理中")
    expect(page.locator(f"#assignment-{assignment.pk} .withdrawn-report")).to_contain_text("撤回的反馈")

    # Reported again; this time the commission opens the issue before the handler thinks again.
    act(page, "report", assignment.pk, text="已安装路灯并补划标线")
    initiator = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    sign_in(initiator, "carol", issue.get_absolute_url())
    initiator.context.close()
    # The handler's open page still offers the button; pressing it says why it cannot.
    act_refused = page.locator(f'button[data-bs-target="#form-withdraw_report-{assignment.pk}"]').first
    expect(act_refused).to_be_visible()
    form = open_form(page, "withdraw_report", assignment.pk)
    form.locator('[name="reason"]').fill("再补充")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#action-error")).to_contain_text("不能再撤回")
    page.goto(issue.get_absolute_url())
    expect(page.locator(f"#assignment-{assignment.pk} .report-read")).to_contain_text("已于")
    expect(page.locator(f'button[data-bs-target="#form-withdraw_report-{assignment.pk}"]')).to_have_count(0)


@pytest.mark.parametrize("typed", ["住建", "zjj", "市住建局", "住建委"])
def test_the_agency_picker_finds_the_housing_bureau(page, scene, typed):
    sign_in(page, "carol", "/issues/new/")
    lead = page.locator("#id_lead")
    box = lead.locator("xpath=preceding-sibling::input[@type='search'][1]")
    expect(box).to_have_attribute("placeholder", "输入名称、简称或拼音首字母（如 zjj）筛选")
    box.fill(typed)
    visible = lead.locator("option:not([hidden])").evaluate_all("options => options.map(o => o.text)")
    assert "江城市住房和城乡建设局" in visible
    assert "江城市财政局" not in visible and "江城市发展和改革委员会" not in visible
    lead.select_option(label="江城市住房和城乡建设局")


def test_the_agency_picker_finds_fgw_in_english_too(page, live_server, scene):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(page, "carol", "/issues/new/")
    lead = page.locator("#id_lead")
    lead.locator("xpath=preceding-sibling::input[@type='search'][1]").fill("fgw")
    visible = lead.locator("option:not([hidden])").evaluate_all("options => options.map(o => o.text)")
    assert "Development and Reform Commission" in visible and "Housing Bureau" not in visible

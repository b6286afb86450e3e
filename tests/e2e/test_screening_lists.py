"""Screening lists and exemptions in a real browser: an investigator uploads a list with a bad
row and sees it quarantined, builds a re-screen model on the list and backtests it; then exempts
a warning's subject, and the next run leaves it out. On a phone the main action of each page is
on the first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, Role
from search.detection import actions
from search.detection.models import Exemption, Scenario, Warning, WarningState
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from tests.e2e.sessions import signed_in
from tests.e2e.threads import in_own_thread
from tests.factories import RegionFactory, commission, member
from tests.search.detection.linked import PAID_AFTER_DEATH, Loader, person, switched_on

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 667}
PAID, UNPAID = person(1), person(2)
BAD_CHECKSUM = PAID[:-1] + ("1" if PAID[-1] != "1" else "2")


@pytest.fixture
def cast(transactional_db, tmp_path):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    seed_systems()
    seed_default_grants()
    watcher = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    member(watcher, username="alice", full_name="艾丽", role=Role.LEADER)
    scenario = Scenario.objects.create(code="welfare", name="惠民补贴")
    load = Loader(tmp_path)
    load("death-registrations", [load.death(PAID, "2024-03-10")])
    load("social-assistance", [load.assistance(PAID, "2024-04-10"), load.assistance(UNPAID, "2024-04-10")])
    return scenario


def test_a_list_is_uploaded_screened_and_a_subject_exempted(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "alice", language="zh-hans")
    try:
        page.goto("/records/models/")
        with page.expect_navigation():
            page.locator("#screening-lists").click()
        page.fill("#list-code", "debtors")
        page.fill("#list-name", "失信被执行人")
        with page.expect_navigation():
            page.locator("#new-list-form button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("失信被执行人")

        text = f"类型,值,姓名\n身份证号,{PAID},张三\n身份证号,{BAD_CHECKSUM},李四\n".encode("utf-8-sig")
        page.set_input_files("#upload-file", files=[
            {"name": "名单.csv", "mimeType": "text/csv", "buffer": text}])
        with page.expect_navigation():
            page.locator("#upload-button").click()
        expect(page.locator("#entries .entry-row")).to_have_count(1)
        expect(page.locator("#quarantine .quarantined-row")).to_have_count(1)
        expect(page.locator("#quarantine")).to_contain_text("校验位")
        expect(page.locator("#quarantine-download")).to_be_visible()

        with page.expect_navigation():
            page.locator("#list-models a").click()
        page.fill("#id_name", "失信人领取救助")
        page.fill("#id_key", "debtors-paid")
        page.select_option("#id_scenario", str(cast.pk))
        page.select_option("#id_severity", "high")
        expect(page.locator("#id_p-screening_list")).to_have_value("debtors")  # chosen by the link
        page.select_option("#id_p-systems_searched", ["social-assistance"])
        with page.expect_navigation():
            page.locator("#model-save").click()
        with page.expect_navigation():
            page.locator("#run-backtest").click()
        expect(page.locator("#backtest-count")).to_contain_text("1")

        # A warning of another model: its subject is exempted from its page.
        model = in_own_thread(lambda: switched_on(Agency.objects.get(code="commission"), "sequence",
                                                  PAID_AFTER_DEATH, key="paid-after-death", scenario=cast))
        in_own_thread(lambda: actions.run_model(model))
        warning = Warning.objects.get(model=model)
        page.goto(f"/records/warnings/{warning.pk}/")
        page.locator("#exempt summary").click()
        page.locator("#exempt-subject_0").check()
        page.fill("#exempt-reason", "家属代领，款项已退回")
        with page.expect_navigation():
            page.locator("#exempt-form button[type=submit]").click()
        expect(page.locator("#warning-state")).to_contain_text("已说明")
        assert Exemption.objects.get().value == PAID
        warning.refresh_from_db()
        assert warning.state == WarningState.EXPLAINED
        # The next run leaves the subject out.
        assert in_own_thread(lambda: actions.run_model(model)).exempted == 1

        page.goto("/records/models/exemptions/")
        expect(page.locator("#exemption-rows .exemption-in-force")).to_have_count(1)
        with page.expect_navigation():
            page.locator("#exemption-rows button[type=submit]").click()
        expect(page.locator("#exemption-rows .exemption-expired")).to_have_count(1)
    finally:
        context.close()


def test_on_a_phone_the_main_actions_are_on_the_first_screen(browser, live_server, cast):
    screening = actions.create_screening_list(acting_user=None, agency=Agency.objects.get(code="commission"),
                                              code="debtors", name="失信被执行人")
    context, page = signed_in(browser, live_server, "alice", language="zh-hans", viewport=PHONE_375)
    try:
        page.goto("/records/models/lists/")
        expect(page.locator("#list-new-button")).to_be_in_viewport()
        page.goto(f"/records/models/lists/{screening.pk}/")
        expect(page.locator("#upload-button")).to_be_in_viewport()
        page.set_input_files("#upload-file", files=[{"name": "x.xlsx", "mimeType": "application/octet-stream",
                                                     "buffer": b"PK\x03\x04 broken"}])
        with page.expect_navigation():
            page.locator("#upload-button").click()
        expect(page.locator("#upload-form")).to_contain_text("不是可读取的工作簿")  # a message, no error page
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
        page.goto("/records/models/exemptions/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
    finally:
        context.close()

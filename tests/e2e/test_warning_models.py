"""Warning models in a real browser: an investigator builds a model in the form (no code), backtests
it, switches it on, runs it and sees its warnings counted; on a phone the main action of each
page is on the first screen."""

from __future__ import annotations

import re

import pytest
from celery import current_app as celery_app
from playwright.sync_api import expect

from agencies.models import Agency, Role
from search.detection import actions
from search.detection.models import Scenario, Warning, WarningModel
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from tests.e2e.sessions import signed_in
from tests.factories import RegionFactory, commission, member
from tests.search.detection.linked import Loader, person
from tests.search.detection.test_runs import PAID_AFTER_DEATH

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 667}  # the narrowest phone the portal is held to


@pytest.fixture
def cast(transactional_db, tmp_path, monkeypatch):
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    seed_systems()
    seed_default_grants()
    watcher = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    member(watcher, username="alice", full_name="艾丽", role=Role.LEADER)
    Scenario.objects.create(code="welfare", name="惠民补贴")
    load = Loader(tmp_path)
    people = [person(number) for number in (1, 2, 3)]
    load("death-registrations", [load.death(someone, "2024-03-10") for someone in people])
    # Two of the three paid after their death; the third the day before it.
    load("social-assistance", [load.assistance(people[0], "2024-04-10"),
                               load.assistance(people[1], "2024-05-10"),
                               load.assistance(people[2], "2024-03-09")])
    # "Run now" goes to Celery; here the task runs in the server's thread, as soon as it is queued.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_a_model_is_built_backtested_switched_on_and_run(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "alice", language="zh-hans")
    try:
        page.goto("/records/models/")
        expect(page.locator("#work-nav")).to_contain_text("预警模型")
        with page.expect_navigation():
            page.locator("#model-new").click()
        expect(page.locator("#template-choices")).to_contain_text("时序比对")
        with page.expect_navigation():
            page.locator("[data-template=sequence]").click()
        page.fill("#id_name", "死亡后仍发放救助")
        page.fill("#id_key", "paid-after-death")
        page.select_option("#id_severity", "high")
        page.select_option("#id_p-kind", "id_number")
        page.select_option("#id_p-system_a", "social-assistance")
        page.fill("#id_p-roles_a", "payee")
        page.select_option("#id_p-system_b", "death-registrations")
        page.fill("#id_p-roles_b", "deceased")
        page.fill("#id_p-min_days", "1")
        with page.expect_navigation():
            page.locator("#model-save").click()
        model = WarningModel.objects.get(key="paid-after-death")
        expect(page).to_have_url(re.compile(rf"/records/models/{model.pk}/versions/1/$"))

        with page.expect_navigation():
            page.locator("#run-backtest").click()
        expect(page.locator("#backtest-count")).to_contain_text("2")
        expect(page.locator("#backtest-sample .sampled")).to_have_count(2)
        assert not Warning.objects.exists()  # a backtest writes none

        with page.expect_navigation():
            page.locator("#switch-on").click()
        expect(page.locator("#model-state")).to_contain_text("第 1 版")
        with page.expect_navigation():
            page.locator("#run-now").click()
        expect(page.locator("#model-run")).to_contain_text("发现 2 条预警，新增 2 条")
        expect(page.locator("#warning-count")).to_contain_text("共 2 条预警")
        expect(page.locator("#runs .run-row")).to_have_count(1)
        assert Warning.objects.filter(model=model).count() == 2
    finally:
        context.close()


def test_on_a_phone_the_main_action_is_on_the_first_screen(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "alice", language="zh-hans", viewport=PHONE_375)
    try:
        page.goto("/records/models/")
        expect(page.locator("#model-new")).to_be_in_viewport()
        page.goto("/records/models/new/?template=relation_path")
        # The longest form: its button stays in view.
        expect(page.locator("#model-save")).to_be_in_viewport()
        page.fill("#id_name", "关系链")
        page.fill("#id_key", "relatives")
        page.fill("#id_p-hops", "[" * 5_000)
        with page.expect_navigation():
            page.locator("#model-save").click()
        expect(page.locator("#model-form")).to_contain_text("JSON")  # a message on the field, no error page
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]

        version = actions.create_model(
            acting_user=None, key="paid", name="死亡后仍发放救助", scenario=Scenario.objects.get(),
            agency=Agency.objects.get(code="commission"), template="sequence", parameters=PAID_AFTER_DEATH,
            severity="high",
        )
        page.goto(f"/records/models/{version.model_id}/versions/1/")
        expect(page.locator("#run-backtest")).to_be_in_viewport()
        with page.expect_navigation():
            page.locator("#run-backtest").click()
        expect(page.locator("#switch-on")).to_be_in_viewport()  # above the sample
        with page.expect_navigation():
            page.locator("#switch-on").click()
        expect(page.locator("#run-now")).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
    finally:
        context.close()

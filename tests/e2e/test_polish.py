"""What a new user notices, beyond tests/e2e/test_first_use.py, in a real browser and in both
languages: amounts with a comma every three digits wherever a page shows one, the act-as switch
asking first in English and on a phone, and a form's error marks going once the field is fixed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies import actions as agency_actions
from agencies.models import Role
from search import index
from search.investigate import actions, permissions, tasks
from search.investigate.permissions import seed_default_grants
from search.models import BatchKind, Clue, ClueEvidence, Record, Sensitivity, SourceSystem
from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, commission, member
from tests.search.work_scene import fresh_index  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

LANGUAGES = ["zh-hans", "en"]
PHONE = {"width": 390, "height": 844}
AMOUNT = Decimal("1234567.80")
SHOWN = "1,234,567.80"


@pytest.fixture
def cast(transactional_db, own_search_index, fresh_index):  # noqa: F811
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    finance = AgencyFactory(code="finance", name="市财政局", name_en="Finance Bureau", region=city)
    city_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    carol = member(city_commission, username="carol", full_name="卡萝")
    dora = member(bureau, username="dora", full_name="多拉")  # in two agencies: the switch is hers
    agency_actions.add_member(dora, finance, role=Role.STAFF)
    hotline = SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    seed_default_grants()  # the commission reads the hotline
    record = Record.objects.create(
        system=hotline, external_id="RX-0001", title="城南路灯改造工程款支付异常", amount=AMOUNT,
        occurred_at=timezone.make_aware(dt.datetime(2024, 3, 5, 9, 30)),
    )
    index.index(Record.objects.filter(pk=record.pk).select_related("system", "region"))
    index.refresh()
    clue = Clue.objects.create(title="城南路灯工程款线索", created_by=carol, agency=city_commission)
    ClueEvidence.objects.create(clue=clue, record=record)
    return {"record": record, "clue": clue, "bureau": bureau, "finance": finance}


def signed_in(browser, live_server, username, language, viewport=None, path="/"):
    phone = viewport is PHONE
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport,
                                  is_mobile=phone, has_touch=phone)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/?" + urlencode({"next": path}))
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


@pytest.mark.parametrize("language", LANGUAGES)
def test_amounts_show_their_thousands(browser, live_server, cast, language):
    record, clue = cast["record"], cast["clue"]
    context, page = signed_in(browser, live_server, "carol", language)
    try:
        page.goto("/records/?" + urlencode({"q": "路灯", "purpose": "核查路灯工程款"}))
        expect(page.locator(".search-hit")).to_have_count(1)
        expect(page.locator(".search-hit .search-hit-amount")).to_have_text(f"¥{SHOWN}")

        page.goto(f"/records/{record.pk}/")
        expect(page.locator("main")).to_contain_text(f"¥{SHOWN}")

        page.goto(f"/records/clues/{clue.pk}/")
        yuan = "元" if language == "zh-hans" else "yuan"
        expect(page.locator("main")).to_contain_text(f"{SHOWN} {yuan}")
        assert "1234567" not in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_show_their_thousands(browser, live_server, cast, language):
    """The search's total and facet counts, and a batch matrix's cells and totals."""
    hotline = cast["record"].system
    when = timezone.make_aware(dt.datetime(2024, 4, 1, 8, 0))
    Record.objects.bulk_create(
        Record(system=hotline, external_id=f"RX-{n:05d}", title=f"井盖缺失 第{n}号", occurred_at=when)
        for n in range(1, 1_235)
    )
    index.index(Record.objects.filter(system=hotline).select_related("system", "region"))
    index.refresh()
    carol = cast["clue"].created_by
    reader = permissions.Reader.of(carol.memberships.get())
    batch = actions.start_batch_search(reader=reader, name="名单", kind=BatchKind.KEYWORDS,
                                       terms=["井盖", "路灯"], purpose="核查井盖投诉")
    tasks.run_batch_search.apply(args=[batch.pk])

    context, page = signed_in(browser, live_server, "carol", language)
    try:
        page.goto("/records/?" + urlencode({"q": "井盖", "purpose": "核查井盖投诉"}))
        expect(page.locator("#search-total")).to_contain_text("1,234")
        facet = page.locator('.search-facet[data-facet="system"]')
        expect(facet).to_contain_text("1,234")

        page.goto(f"/records/batch/{batch.pk}/")
        row = page.locator('#batch-matrix tr[data-term="井盖"]')
        expect(row.locator("td").first).to_have_text("1,234")
        expect(row.locator("td").last).to_have_text("1,234")
        expect(page.locator('#batch-matrix tr[data-term="路灯"] td').last).to_have_text("1")
    finally:
        context.close()


def test_the_act_as_switch_asks_first_in_english(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "dora", "en", path="/issues/")
    try:
        switch = page.locator("#act-as")
        acting = switch.input_value()
        other = cast["finance"] if acting == str(cast["bureau"].pk) else cast["bureau"]
        questions = []

        def say_no(dialog):
            questions.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", say_no)
        switch.select_option(str(other.pk))
        assert len(questions) == 1
        assert questions[0].startswith(f"Act for {other.name_en} · ")
        assert "The board, the ledgers and what you may do on each issue change" in questions[0]
        expect(switch).to_have_value(acting)

        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            switch.select_option(str(other.pk))
        expect(page.locator("#act-as")).to_have_value(str(other.pk))
        expect(page.locator("#board-agency")).to_contain_text(other.name_en)
    finally:
        context.close()


def test_the_act_as_switch_asks_first_on_a_phone(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "dora", "zh-hans", PHONE, path="/issues/")
    try:
        switch = page.locator("#act-as")
        expect(switch).to_be_hidden()  # folded into the menu
        page.locator(".navbar-toggler").tap()
        expect(switch).to_be_visible()
        acting = switch.input_value()
        other = cast["finance"] if acting == str(cast["bureau"].pk) else cast["bureau"]
        questions = []

        def say_no(dialog):
            questions.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", say_no)
        switch.select_option(str(other.pk))
        assert len(questions) == 1 and questions[0].startswith(f"确定切换为以“{other.name} · ")
        expect(switch).to_have_value(acting)
        box = switch.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_error_mark_goes_once_the_field_is_fixed(browser, live_server, cast, language):
    """The new-issue form sent with a title of spaces and no description: both marked; typing a
    title clears the title's mark and message, and only those."""
    context, page = signed_in(browser, live_server, "carol", language, path="/issues/new/")
    try:
        page.fill("#id_title", "   ")
        with page.expect_navigation():
            page.locator("#new-issue-form button[type=submit]").click()
        title, description = page.locator("#id_title"), page.locator("#id_description")
        invalid = re.compile(r"\bis-invalid\b")
        expect(title).to_have_class(invalid)
        expect(description).to_have_class(invalid)
        title_message = page.locator("#id_title ~ .invalid-feedback")
        description_message = page.locator("#id_description ~ .invalid-feedback")
        required = "这个字段是必填项。" if language == "zh-hans" else "This field is required."
        expect(title_message).to_have_text(required)
        expect(description_message).to_have_text(required)

        title.fill("老旧小区加装电梯进度滞后")
        expect(title).not_to_have_class(invalid)
        expect(title).not_to_have_attribute("aria-invalid", "true")
        expect(title_message).to_be_hidden()
        expect(description).to_have_class(invalid)  # not fixed yet: still marked
        expect(description_message).to_be_visible()

        description.fill("三个小区加装电梯停工两个月。")
        expect(description).not_to_have_class(invalid)
        expect(description_message).to_be_hidden()
    finally:
        context.close()

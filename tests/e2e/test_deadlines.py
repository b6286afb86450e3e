"""Deadlines in a real browser, in Chinese and in English: the date inputs show their dates, the
proposed deadline follows the category and priority, and says the working days it means."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from agencies import calendar
from agencies.models import Agency, Role
from issues import workflow as board
from issues.models import Issue, Source
from search.investigate.permissions import seed_default_grants
from search.models import Clue, ClueEvidence, Record, Sensitivity, SourceSystem
from tests.e2e.sessions import signed_in
from tests.e2e.test_issue_flow import open_form, sign_in
from tests.factories import AgencyFactory, RegionFactory, commission, member, stationed_group

pytestmark = pytest.mark.browser

LANGUAGES = ["zh-hans", "en"]

# What the issue page says around a date, in each language (the dates themselves are ISO in both).
WORDS = {
    "zh-hans": {
        "deadline": "办理时限",
        "asked": "申请延期至 {date}（等待发起单位答复）",
        "granted": "同意延期至 {date}",
        "urged": "派驻第一纪检监察组督办，期限 {date}",
        "requested": "已申请延期，等待发起单位答复。",
        "moved": "已同意延期，承办单位的办理时限已调整。",
        "assigned": "已分办协办单位。",
        "reopened": "该件已重新启动办理。",
    },
    "en": {
        "deadline": "Deadline",
        "asked": "Asked for more time, until {date} (Waiting for the initiator)",
        "granted": "Granted until {date}",
        "urged": "Urged by First Stationed Group, due {date}",
        "requested": "Extension requested; the initiator will answer.",
        "moved": "Extension granted; the handler's deadline has moved.",
        "assigned": "Co-handlers assigned.",
        "reopened": "The issue is open again.",
    },
}


@pytest.fixture
def cast(transactional_db):
    # A transactional test empties every table after it, the policies a migration seeded too.
    seeded = import_module("issues.migrations.0004_deadline_policies_extensions")
    seeded.seed_policies(django_apps, None)
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    housing = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    discipline_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    carol = member(discipline_commission, username="carol", full_name="卡萝")
    member(housing, username="alice", full_name="艾丽")
    member(housing, role=Role.LEADER, username="alan", full_name="艾伦")  # assigns co-handlers
    member(discipline_commission, role=Role.LEADER, username="chen", full_name="陈")  # reopens
    AgencyFactory(code="finance", name="市财政局", name_en="Finance Bureau", region=city)
    group = stationed_group(discipline_commission, stationed_at=[housing], code="group-housing",
                            name="派驻第一纪检监察组", name_en="First Stationed Group")
    # The group supervises the housing bureau: its liaison may urge it.
    member(group, role=Role.LIAISON, username="lily", full_name="莉莉")
    SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    seed_default_grants()  # the commission reads the hotline's records: it may harvest clues
    return Clue.objects.create(title="城南路灯改造质量问题", created_by=carol, agency=discipline_commission)


def in_language(page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def said(language, days, unit="working"):
    """What the help under the field says of ``days`` from today, in ``language``."""
    deadline = calendar.deadline_from(timezone.localdate(), days, unit)
    with translation.override(language):
        day = formats.date_format(deadline, "DATE_FORMAT")
    if language == "en":
        return deadline, f"{days} working days, until {day}"
    return deadline, f"{days} 个工作日，截至 {day}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_proposed_deadline_follows_category_and_priority(page, live_server, cast, language):
    in_language(page, live_server, language)
    sign_in(page, "carol", "/issues/new/")
    deadline = page.locator("#id_deadline")
    help_text = page.locator("#id_deadline ~ .form-text")

    # Construction, normal: 30 working days; the browser shows the date (an ISO value it took).
    first, text = said(language, 30)
    expect(deadline).to_have_value(first.isoformat())
    expect(help_text).to_contain_text(text)

    page.select_option("#id_priority", "urgent")  # construction has no urgent rule: 10 working days
    urgent, text = said(language, 10)
    expect(deadline).to_have_value(urgent.isoformat())
    expect(help_text).to_contain_text(text)

    page.select_option("#id_category", "welfare")
    page.select_option("#id_priority", "critical")
    critical, text = said(language, 5)
    expect(deadline).to_have_value(critical.isoformat())
    expect(help_text).to_contain_text(text)

    # A date the user chose stays; the help still says what the policy would give.
    own = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    deadline.fill(own)
    page.select_option("#id_priority", "normal")
    expect(deadline).to_have_value(own)
    expect(help_text).to_contain_text(said(language, 15)[1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clue_push_form_proposes_a_deadline(page, live_server, cast, language):
    in_language(page, live_server, language)
    sign_in(page, "carol", f"/records/clues/{cast.pk}/")
    deadline = page.locator("#push-form #id_deadline")
    first, text = said(language, 30)
    expect(deadline).to_have_value(first.isoformat())
    expect(page.locator("#push-form #id_deadline ~ .form-text")).to_contain_text(text)
    page.select_option("#push-form #id_priority", "critical")
    critical, text = said(language, 5)
    expect(deadline).to_have_value(critical.isoformat())
    expect(page.locator("#push-form #id_deadline ~ .form-text")).to_contain_text(text)

    # Pushed as proposed: the issue's page shows the date it was given, as the templates write it.
    record = Record.objects.create(
        system=SourceSystem.objects.get(code="hotline"), external_id="RX-1", title="路灯不亮",
        occurred_at=timezone.now(),
    )
    ClueEvidence.objects.create(clue=cast, record=record)  # a clue without evidence is not pushed
    page.select_option("#push-form #id_lead", str(Agency.objects.get(code="housing").pk))
    with page.expect_navigation():
        page.locator("#push-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/issues/\d+/$"))
    issue = Issue.objects.get(clue=cast)
    assert issue.deadline == critical
    facts = page.locator("#issue-header .issue-facts")
    expect(facts).to_contain_text(WORDS[language]["deadline"])
    expect(facts).to_contain_text(critical.isoformat())
    expect(page.locator("#assignments article").first).to_contain_text(critical.isoformat())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chosen_filter_date_stays_in_its_input(page, live_server, cast, language):
    in_language(page, live_server, language)
    sign_in(page, "carol", "/issues/")
    page.locator("#id_due_from").fill("2026-12-05")
    page.locator("#board-filters button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"due_from=2026-12-05"))
    expect(page.locator("#id_due_from")).to_have_value("2026-12-05")

    page.goto("/issues/ledger/?date_from=2026-01-31")
    expect(page.locator("#id_date_from")).to_have_value("2026-01-31")


def browser_as(browser, live_server, username, language):
    """A browser of the user's own, signed in, asking for pages in ``language``."""
    return signed_in(browser, live_server, username, language=language)


def fill_and_submit(page, action, key, choose=None, **fields):
    form = open_form(page, action, key)
    for name, value in (choose or {}).items():
        form.locator(f'[name="{name}"]').select_option(value)
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_extension_and_urge_dates_go_in_and_read_back(browser, live_server, cast, language):
    """The other date inputs of an issue's page: asking for more time, granting it at another
    date, urging with a due date. Each takes the ISO value a date input holds, and the page
    then says the date in the reader's words around it."""
    words = WORDS[language]
    carol = cast.created_by
    housing = Agency.objects.get(code="housing")
    today = timezone.localdate()
    issue = board.push(
        acting_user=carol, agency=cast.agency, title="城南路灯改造质量问题", description="路灯不亮。",
        category="construction", source=Source.INSPECTION, priority="normal",
        deadline=today + dt.timedelta(days=10), lead=housing,
    )
    assignment = issue.assignments.get()
    alice = housing.memberships.get(user__username="alice").user
    board.sign(acting_user=alice, agency=housing, issue=issue, assignment=assignment)
    asked = today + dt.timedelta(days=40)
    granted = today + dt.timedelta(days=30)
    due = today + dt.timedelta(days=7)

    context, handler = browser_as(browser, live_server, "alice", language)
    try:
        handler.goto(issue.get_absolute_url())
        expect(handler.locator("html")).to_have_attribute("lang", language)
        fill_and_submit(handler, "request_extension", assignment.pk, reason="需要补充材料。",
                        deadline=asked.isoformat())
        expect(handler.locator("main .alert-success")).to_have_text(words["requested"])
        extension = handler.locator(f"#assignment-{assignment.pk} .extension")
        expect(extension).to_contain_text(words["asked"].format(date=asked.isoformat()))
    finally:
        context.close()

    context, initiator = browser_as(browser, live_server, "carol", language)
    try:
        initiator.goto(issue.get_absolute_url())
        fill_and_submit(initiator, "grant_extension", assignment.pk, deadline=granted.isoformat())
        expect(initiator.locator("main .alert-success")).to_have_text(words["moved"])
        card = initiator.locator(f"#assignment-{assignment.pk}")
        expect(card.locator(".extension")).to_contain_text(words["granted"].format(date=granted.isoformat()))
        expect(card).to_contain_text(f'{words["deadline"]} {granted.isoformat()}')
    finally:
        context.close()

    context, liaison = browser_as(browser, live_server, "lily", language)
    try:
        liaison.goto(issue.get_absolute_url())
        fill_and_submit(liaison, "urge", assignment.pk, text="请按期办结。", due_date=due.isoformat())
        urged = liaison.locator(f"#assignment-{assignment.pk} .urge")
        expect(urged).to_contain_text(words["urged"].format(date=due.isoformat()))
    finally:
        context.close()
    assignment.refresh_from_db()
    assert assignment.deadline == granted
    assert assignment.urges.get().due_date == due


def pushed_and_signed(cast, title):
    carol, housing = cast.created_by, Agency.objects.get(code="housing")
    issue = board.push(
        acting_user=carol, agency=cast.agency, title=title, description="路灯不亮。", category="construction",
        source=Source.INSPECTION, priority="normal", deadline=timezone.localdate() + dt.timedelta(days=10),
        lead=housing,
    )
    assignment = issue.assignments.get()
    alice = housing.memberships.get(user__username="alice").user
    board.sign(acting_user=alice, agency=housing, issue=issue, assignment=assignment)
    return issue, assignment


@pytest.mark.parametrize("language", LANGUAGES)
def test_co_handler_and_reopening_dates_go_in_and_read_back(browser, live_server, cast, language):
    """The lead gives a co-handler its own deadline; the initiator reopens a closed issue with a
    new one. Both from date inputs holding ISO values."""
    words = WORDS[language]
    today = timezone.localdate()
    # A co-handler's deadline is no later than the lead's (10 days here).
    theirs, again = today + dt.timedelta(days=7), today + dt.timedelta(days=25)
    finance = Agency.objects.get(code="finance")
    shared, _ = pushed_and_signed(cast, "城南路灯改造资金使用")
    closed, assignment = pushed_and_signed(cast, "城北路灯改造质量问题")
    housing, carol = assignment.agency, cast.created_by
    alice = housing.memberships.get(user__username="alice").user
    board.report(acting_user=alice, agency=housing, issue=closed, assignment=assignment, text="已修复。")
    board.accept_report(acting_user=carol, agency=cast.agency, issue=closed, assignment=assignment)
    board.close(acting_user=carol, agency=cast.agency, issue=closed, summary="核查属实。")

    context, lead = browser_as(browser, live_server, "alan", language)
    try:
        lead.goto(shared.get_absolute_url())
        fill_and_submit(lead, "assign", "issue", choose={"co_handlers": [str(finance.pk)]},
                        deadline=theirs.isoformat())
        expect(lead.locator("main .alert-success")).to_have_text(words["assigned"])
        co_handler = shared.assignments.get(agency=finance)
        expect(lead.locator(f"#assignment-{co_handler.pk}")).to_contain_text(
            f'{words["deadline"]} {theirs.isoformat()}')
    finally:
        context.close()

    context, initiator = browser_as(browser, live_server, "chen", language)
    try:
        initiator.goto(closed.get_absolute_url())
        fill_and_submit(initiator, "reopen", "issue", reason="群众再次反映。", deadline=again.isoformat())
        expect(initiator.locator("main .alert-success")).to_have_text(words["reopened"])
        expect(initiator.locator(f"#assignment-{assignment.pk}")).to_contain_text(
            f'{words["deadline"]} {again.isoformat()}')
    finally:
        context.close()
    assignment.refresh_from_db()
    assert shared.assignments.get(agency=finance).deadline == theirs and assignment.deadline == again


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_date_range_takes_iso_dates(page, live_server, cast, language):
    in_language(page, live_server, language)
    sign_in(page, "carol", "/records/")
    page.locator("#id_q").fill("路灯")
    page.locator("#search-ranges > summary").click()  # the ranges are folded until used
    page.locator("#id_date_from").fill("2024-01-31")
    page.locator("#id_date_to").fill("2024-12-31")
    with page.expect_navigation():
        page.locator("#search-submit").click()
    expect(page).to_have_url(re.compile(r"date_from=2024-01-31.*date_to=2024-12-31"))
    expect(page.locator("#id_date_from")).to_have_value("2024-01-31")
    expect(page.locator("#id_date_to")).to_have_value("2024-12-31")
    expect(page.locator("#search-ranges")).to_have_attribute("open", "")  # unfolded: dates chosen

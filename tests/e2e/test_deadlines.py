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
from search.governance import seed_default_grants
from search.models import Clue, Sensitivity, SourceSystem
from tests.e2e.test_issue_flow import sign_in
from tests.factories import AgencyFactory, RegionFactory, commission, member

pytestmark = pytest.mark.browser

LANGUAGES = ["zh-hans", "en"]


@pytest.fixture
def cast(transactional_db):
    # A transactional test empties every table after it, the policies a migration seeded too.
    seeded = import_module("issues.migrations.0004_deadline_policies_extensions")
    seeded.seed_policies(django_apps, None)
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    discipline_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    carol = member(discipline_commission, username="carol", full_name="卡萝")
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


def test_the_clue_push_form_proposes_a_deadline_in_chinese(page, live_server, cast):
    sign_in(page, "carol", f"/records/clues/{cast.pk}/")
    deadline = page.locator("#push-form #id_deadline")
    first, text = said("zh-hans", 30)
    expect(deadline).to_have_value(first.isoformat())
    expect(page.locator("#push-form #id_deadline ~ .form-text")).to_contain_text(text)
    page.select_option("#push-form #id_priority", "critical")
    expect(deadline).to_have_value(said("zh-hans", 5)[0].isoformat())


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

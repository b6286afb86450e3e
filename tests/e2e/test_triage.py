"""The triage in a real browser, served by daphne as in production (its live updates need the
WebSocket): the commission's leader opens the warnings, filters them, confirms one into a clue and
pushes it to the board, marks another a false positive, and sees a new warning arrive on the open
list without reloading it. At phone width the warning's main action shows without scrolling."""

from __future__ import annotations

import re
from pathlib import Path
from tempfile import mkdtemp

import pytest
from django.utils import translation
from playwright.sync_api import expect

from agencies.models import Role
from issues.models import Issue
from search.detection import actions
from search.detection.models import Scenario, Warning, WarningState
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from tests.e2e.test_live import Browser, not_reloaded
from tests.e2e.threads import in_own_thread
from tests.factories import AgencyFactory, RegionFactory, commission, member
from tests.live_servers import database_url_fixture, two_daphnes_fixture  # noqa: F401 - fixtures
from tests.search.detection.linked import PAID_AFTER_DEATH, Loader, person, switched_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A message sent from this process reaches the daphne's pages through Redis at once; on the
# embedded in-memory layer the page's next ping (every 25 s) fetches it from the database.
ARRIVES_WITHIN = 40_000
PHONE = {"width": 375, "height": 667}


class TriageCast:
    """A commission whose paid-after-death model has raised two warnings, its leader, and the
    civil affairs bureau a confirmed warning's clue is pushed to."""

    def __init__(self):
        seed_systems()
        seed_default_grants()
        city = RegionFactory(code="triage-city", name="江城市", name_en="Jiangcheng")
        self.bureau = AgencyFactory(code="civil-affairs", name="市民政局", region=city)
        self.commission = commission(city, code="commission", name="市纪委监委")
        self.leader = member(self.commission, role=Role.LEADER, username="cora", full_name="柯拉")
        self.load = Loader(Path(mkdtemp()))
        scenario = Scenario.objects.create(code="welfare", name="民生资金")
        self.model = switched_on(self.commission, "sequence", PAID_AFTER_DEATH, key="paid-after-death",
                                 scenario=scenario)
        self.raise_for([1, 2])

    def raise_for(self, people: list[int]) -> None:
        """Death registrations and welfare paid after them, and a run of the model over them."""
        numbers = [person(n) for n in people]
        self.load("death-registrations", [self.load.death(number, "2024-03-10") for number in numbers])
        self.load("social-assistance", [self.load.assistance(number, "2024-04-10") for number in numbers])
        actions.run_model(self.model)


def words(text) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(str(text))


@pytest.fixture
def cast(transactional_db):
    return in_own_thread(TriageCast)


@pytest.fixture
def leader(browser, cast, two_daphnes):
    opened = Browser(browser, two_daphnes[0], cast.leader)
    yield opened
    opened.close()


def rows(page):
    return page.locator("#triage-list .triage-row")


def test_a_leader_triages_warnings_into_a_clue_and_onto_the_board(cast, leader):
    listing = leader.open("/records/warnings/")
    expect(rows(listing)).to_have_count(2)
    first, second = Warning.objects.order_by("pk")

    # Filtered to the warnings assigned to her: none yet.
    listing.locator("details summary", has_text=words("Filters")).click()
    listing.select_option("#id_assignee", "mine")
    with listing.expect_navigation():
        listing.locator("#triage-filters button[type=submit]").click()
    expect(listing.locator("#no-warnings")).to_be_visible()
    listing.select_option("#id_assignee", "")
    listing.select_option("#id_severity", "high")
    with listing.expect_navigation():
        listing.locator("#triage-filters button[type=submit]").click()
    expect(rows(listing)).to_have_count(2)

    # The first warning, at phone width: its confirmation is in view without scrolling.
    listing.set_viewport_size(PHONE)
    expect(listing.locator(f'a[href="/records/warnings/{first.pk}/"]')).to_be_in_viewport()
    with listing.expect_navigation():
        listing.locator(f'a[href="/records/warnings/{first.pk}/"]').click()
    warning_page = listing
    expect(warning_page.locator("#confirm summary")).to_be_in_viewport()
    warning_page.locator("#confirm summary").click()
    warning_page.fill("#confirm-reason", "死亡后仍按月领取救助金")
    with warning_page.expect_navigation():
        warning_page.locator("#confirm-form button[value=confirm_push]").click()
    first.refresh_from_db()
    assert (first.state, first.clue.summary) == (WarningState.CONFIRMED, "死亡后仍按月领取救助金")
    expect(warning_page).to_have_url(re.compile(rf"/records/clues/{first.clue.pk}/#push-form$"))
    expect(warning_page.locator("#evidence .evidence-record")).to_have_count(2)

    # The clue's own push puts it on the board.
    warning_page.set_viewport_size({"width": 1280, "height": 900})
    warning_page.select_option("#push-form #id_category", "construction")
    warning_page.select_option("#push-form #id_lead", label="市民政局")
    with warning_page.expect_navigation():
        warning_page.locator("#push-form button[type=submit]").click()
    issue = Issue.objects.get()
    expect(warning_page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    warning_page.goto(f"/records/warnings/{first.pk}/")
    expect(warning_page.locator("#warning-clue")).to_contain_text(issue.number)

    # The second is a false positive.
    warning_page.goto(f"/records/warnings/{second.pk}/")
    warning_page.locator("#dispose summary").click()
    warning_page.check("#dispose-form input[value=false_positive]")
    warning_page.fill("#dispose-reason", "同名不同人，已核实")
    with warning_page.expect_navigation():
        warning_page.locator("#dispose-form button[type=submit]").click()
    expect(warning_page.locator("#warning-state")).to_have_text(words("False positive"))
    expect(warning_page.locator("#warning-history")).to_contain_text("同名不同人，已核实")
    second.refresh_from_db()
    assert second.state == WarningState.FALSE_POSITIVE

    # A new warning arrives on the open list, without a reload.
    listing = leader.open("/records/warnings/")
    expect(rows(listing)).to_have_count(2)
    in_own_thread(lambda: cast.raise_for([3]))
    newest = Warning.objects.order_by("-pk").first()
    expect(listing.locator(f'#triage-list a[href="/records/warnings/{newest.pk}/"]')).to_be_visible(
        timeout=ARRIVES_WITHIN)
    expect(rows(listing)).to_have_count(3)
    expect(listing.locator("#count-new")).to_have_text("1")
    assert not_reloaded(listing)

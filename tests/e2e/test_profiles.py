"""Profiles in a real browser at phone width: from a hit to the company's profile, its records,
its relations and the warning that names it, and on to the legal representative's profile."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from search import index
from search.detection import actions as detection
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from search.models import Record
from tests.e2e.sessions import signed_in
from tests.factories import RegionFactory, commission, member
from tests.search.detection.linked import Loader, company, person, switched_on
from tests.search.test_profiles import RELATIVE_WINS, UNIT

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 375, "height": 812}
OFFICIAL, SPOUSE, COMPANY = person(1), person(2), company(1)


@pytest.fixture
def cast(transactional_db, own_search_index, tmp_path):
    seed_systems()
    seed_default_grants()
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    city_commission = commission(city, code="commission", name="市纪委监委", name_en="City Commission")
    member(city_commission, username="lena", full_name="莉娜", role=Role.LEADER)
    load = Loader(tmp_path)
    load("public-officials", [load.official(OFFICIAL, UNIT, "2020-01-01", spouse=SPOUSE)])
    load("market-entities", [load.registration(COMPANY, SPOUSE, "2019-05-01")])
    load("public-resource-trading", [
        load.bid("GC-2024-1", COMPANY, "2024-03-01", rep=SPOUSE, won=True, tenderer=UNIT),
        load.bid("GC-2024-2", COMPANY, "2024-04-01", rep=SPOUSE, tenderer="江州市水务局"),
    ])
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    detection.run_model(switched_on(city_commission, "relation_path", RELATIVE_WINS, key="relative-wins"))


def test_from_a_hit_to_a_companys_profile_and_on_to_a_person(browser, live_server, cast):
    context, page = signed_in(browser, live_server, "lena", viewport=NARROW_PHONE)
    try:
        page.goto("/records/?" + urlencode({"q": "GC-2024-1", "system": "public-resource-trading"}))
        hit = page.locator("#search-hits li.search-hit").first
        link = hit.locator('.profile-links a[data-kind="credit_code"]')
        expect(link).to_have_text(COMPANY)
        with page.expect_navigation():
            link.click()
        expect(page).to_have_url(re.compile(r"/records/profiles/company/[^/]+/$"))
        assert COMPANY not in page.url
        expect(page.locator("#profile-subject")).to_have_text(COMPANY)
        expect(page.locator("#profile .small").first).to_contain_text("企业画像")
        expect(page.locator(".profile-record")).to_have_count(3)
        expect(page.locator(".profile-system")).to_have_count(2)
        relations = page.locator("#profile-relations")
        expect(relations).to_contain_text("法定代表人")
        expect(relations).to_contain_text(UNIT)
        warning = page.locator("#profile-warnings .profile-warning")
        expect(warning).to_have_count(1)
        expect(warning).to_contain_text("relative-wins")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW_PHONE["width"]

        # The records of one system only.
        with page.expect_navigation():
            page.locator('.profile-system[data-system="market-entities"]').click()
        expect(page.locator(".profile-record")).to_have_count(1)

        # On to the legal representative's profile, through the relation.
        with page.expect_navigation():
            relations.locator('[data-role="legal_representative"] a.profile-link').first.click()
        expect(page).to_have_url(re.compile(r"/records/profiles/person/[^/]+/$"))
        expect(page.locator("#profile-subject")).to_have_text(SPOUSE)
        expect(page.locator("#profile-purpose-form")).to_be_visible()  # the officials' system waits
        page.fill("#profile-purpose-form input[name=purpose]", "核查亲属经商线索")
        with page.expect_navigation():
            page.locator("#profile-purpose-form button[type=submit]").click()
        expect(page.locator("#profile-relations")).to_contain_text(OFFICIAL)
        expect(page.locator("#profile-relations")).to_contain_text("配偶")
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW_PHONE["width"]
    finally:
        context.close()

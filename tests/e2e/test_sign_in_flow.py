"""A whole visit in a real browser: sign in, Chinese home page, English, directory, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from agencies.models import AgencyKind, Role, SupervisionClass
from demo.pages import seed_pages
from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, commission, member

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    """The demo pages and a user who leads a stationed group, like the demo city's liaisons."""
    seed_pages()
    city = RegionFactory(code="e2e-city", name="江城市", name_en="Jiangcheng")
    bureau = AgencyFactory(code="housing", name="市住房和城乡建设局", name_en="Housing Bureau", region=city)
    discipline_commission = commission(city, code="commission", name="市纪委监委",
                                       name_en="City Discipline Commission")
    group = AgencyFactory(
        code="group-housing", name="派驻市住房和城乡建设局纪检监察组",
        name_en="Group stationed at the Housing Bureau", region=city,
        kind=AgencyKind.STATIONED_GROUP, supervision_class=SupervisionClass.PARTY,
        dispatched_by=discipline_commission, stationed_at=[bureau],
    )
    return member(group, role=Role.LIAISON, username="liaison", full_name="王联络")


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_it_works(page, demo):
    sign_in(page, "liaison")

    # The Chinese home page: the acting agency and the latest circulars.
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    summary = page.locator("#agency-summary")
    expect(summary).to_contain_text("派驻市住房和城乡建设局纪检监察组")
    expect(summary.get_by_role("link", name="市住房和城乡建设局", exact=True)).to_be_visible()  # stationed at
    expect(page.locator("#latest-circulars")).to_contain_text("关于2026年第三季度督办件办理情况的通报")

    # Switch to English: the interface and the agency's name follow, and it sticks.
    page.locator("#language-form button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#agency-summary")).to_contain_text("Group stationed at the Housing Bureau")
    expect(page.locator("#latest-circulars")).to_contain_text("Latest circulars")
    page.goto("/circulars/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The directory, from the header.
    page.get_by_role("link", name="Directory", exact=True).click()
    expect(page).to_have_url(re.compile(r"/agencies/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Housing Bureau")

    # Sign out from the user menu, and the portal is closed again.
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/circulars/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/circulars/$"))


def test_it_fits_a_phone(browser, live_server, demo, tmp_path):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
        device_scale_factor=2, is_mobile=True, has_touch=True,
    )
    page = context.new_page()
    try:
        sign_in(page, "liaison")
        expect(page.locator("#agency-summary")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The header collapses into a menu button that opens the navigation.
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        page.screenshot(path=tmp_path / "home-phone.png", full_page=True)
        toggler.click()
        expect(page.locator('#portal-nav a[href="/circulars/"]')).to_be_visible()
        expect(page.locator("#portal-nav")).to_have_class(re.compile(r"\bshow\b"))  # done opening
        # The brand and the menu button share the top line.
        brand, button = page.locator(".navbar-brand").bounding_box(), toggler.bounding_box()
        assert abs(brand["y"] - button["y"]) < brand["height"]
        page.screenshot(path=tmp_path / "home-phone-menu.png")
        page.goto("/circulars/medical-insurance-fund-cases/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=tmp_path / "circular-phone.png", full_page=True)
    finally:
        context.close()

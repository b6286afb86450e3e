"""The agency pickers find agencies by short and common names and by pinyin initials."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Agency
from agencies.names import matches, search_keys
from demo import city as demo_city

HOUSING, DEVELOPMENT, HEALTH, URBAN = "jz-housing", "jz-development", "jz-health", "jz-urban-management"


@pytest.fixture
def city(db):
    """The demo city's agencies and people."""
    demo_city.seed()
    return {agency.code: agency for agency in Agency.objects.filter(is_active=True)}


def found(agencies, typed) -> list[str]:
    return [code for code, agency in agencies.items() if matches(agency, typed)]


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("住建", HOUSING), ("市住建局", HOUSING), ("住建委", HOUSING), ("zjj", HOUSING), ("ZJJ", HOUSING),
        ("zhujian", HOUSING), ("城管", URBAN), ("市城管局", URBAN), ("cgj", URBAN),
        ("发改委", DEVELOPMENT), ("fgw", DEVELOPMENT), ("卫健委", HEALTH), ("wjw", HEALTH),
        ("江州 住房", HOUSING), ("Housing", HOUSING),
    ],
)
def test_the_demo_agencies_are_found_by_what_people_type(city, typed, wanted):
    assert wanted in found(city, typed)


def test_short_terms_find_the_right_few(city):
    assert set(found(city, "发改委")) == {DEVELOPMENT}
    assert set(found(city, "卫健委")) == {HEALTH}
    # 住建 finds the city's bureau and the districts' (东湖区住建局 …), no other department.
    housing = found(city, "住建")
    assert HOUSING in housing and all("housing" in code for code in housing)
    assert set(found(city, "市住建局")) == {HOUSING}
    assert "jz-finance" not in found(city, "zjj")


def test_aliases_are_editable_and_split_on_any_separator(city):
    finance = city["jz-finance"]
    finance.aliases = "财政，钱袋子、 预算局;国库"
    assert all(matches(finance, typed) for typed in ("钱袋子", "预算局", "国库", "qdz"))
    assert not matches(finance, "财政，钱袋子")  # the separator itself is no part of a name


def test_keys_are_lower_case_and_separated(city):
    keys = search_keys(city[HOUSING])
    assert keys == keys.lower() and "|zjj|" in f"|{keys}|" and "|市住建局|" in f"|{keys}|"


def test_the_new_issue_form_carries_the_keys_on_its_options(client, city):
    from agencies.models import User

    client.force_login(User.objects.get(username="jw_staff"))
    html = client.get(reverse("issues:new")).content.decode()
    housing = city[HOUSING]
    assert f'value="{housing.pk}" data-search="' in html
    start = html.index(f'value="{housing.pk}" data-search="')
    assert "zjj" in html[start:start + 400] and "市住建局" in html[start:start + 400]

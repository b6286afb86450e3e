"""/agencies/: the searchable, filterable, paginated list of agencies."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from agencies.models import AgencyKind, Level, SupervisionClass
from tests.factories import AgencyFactory, RegionFactory, UserFactory, commission, member, stationed_group

URL = reverse("agencies:directory")


@pytest.fixture
def network(city, our_agency, other_agency):
    """Our city with a commission, an audit body, a stationed group and a district below it."""
    district = RegionFactory(code="test-district", name="测试区", name_en="Test District",
                             level=Level.DISTRICT, parent=city)
    city_jw = commission(city, code="city-jw", name="市纪委监委", short_name="纪委")
    audit = AgencyFactory(code="city-audit", name="市审计局", name_en="Audit Bureau", region=city,
                          kind=AgencyKind.SUPERVISORY, supervision_class=SupervisionClass.AUDIT)
    group = stationed_group(city_jw, code="city-group-1", name="派驻第一纪检监察组",
                            stationed_at=[our_agency])
    district_housing = AgencyFactory(code="district-housing", name="测试区住建局", short_name="区住建局",
                                     region=district, parent=our_agency)
    AgencyFactory(code="closed-bureau", name="已撤销局", region=city, is_active=False)
    return {"district": district, "commission": city_jw, "audit": audit, "group": group,
            "district_housing": district_housing}


def codes(response) -> list[str]:
    return [agency.code for agency in response.context["page"].object_list]


def test_it_works(client, alice, network):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == [
        "city-jw", "city-audit", "city-group-1", "other-bureau", "our-bureau", "district-housing",
    ]
    assert "住房和城乡建设局" in response.text
    assert 'class="badge class-badge class-audit"' in response.text
    assert "closed-bureau" not in codes(response)


def test_it_requires_sign_in(client, network):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_checks_access(client, charlie, network):
    client.force_login(charlie)
    assert client.get(URL).status_code == 404


def test_it_lets_staff_in(client, db):
    client.force_login(UserFactory(username="operator", is_staff=True))
    assert client.get(URL).status_code == 200


def test_it_does_not_count_inactive_agencies_as_membership(client, city):
    closed = AgencyFactory(code="closed", region=city, is_active=False)
    client.force_login(member(closed, username="former"))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("住", ["our-bureau", "district-housing"]),  # name
        ("纪委", ["city-jw"]),  # name and short name
        ("区住建局", ["district-housing"]),  # short name
        ("audit bureau", ["city-audit"]),  # English name, case-insensitive, every word
        ("OTHER-bureau", ["other-bureau"]),  # code
        ("测试区 住建", ["district-housing"]),  # every word must match
        ("无此单位", []),
    ],
)
def test_it_searches(client, alice, network, query, expected):
    client.force_login(alice)
    response = client.get(URL, {"q": query})
    assert codes(response) == expected
    if not expected:
        with translation.override(settings.LANGUAGE_CODE):
            assert gettext("No agency matches this search.") in response.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"supervision_class": "audit"}, ["city-audit"]),
        ({"supervision_class": "party"}, ["city-jw", "city-group-1"]),
        ({"kind": "stationed_group"}, ["city-group-1"]),
        ({"kind": "department", "level": "3"}, ["district-housing"]),
        ({"level": "2", "kind": "department"}, ["other-bureau", "our-bureau"]),
        ({"region": "test-district"}, ["district-housing"]),
        ({"parent": "our-bureau"}, ["district-housing"]),
        ({"q": "住", "level": "2"}, ["our-bureau"]),
    ],
)
def test_it_filters(client, alice, network, params, expected):
    client.force_login(alice)
    assert codes(client.get(URL, params)) == expected


def test_it_filters_a_region_with_the_regions_below(client, alice, network):
    client.force_login(alice)
    assert "district-housing" in codes(client.get(URL, {"region": "test-city"}))


def test_it_ignores_unknown_filter_values(client, alice, network):
    client.force_login(alice)
    response = client.get(URL, {"kind": "bogus", "region": "nowhere", "level": "x"})
    assert response.status_code == 200
    assert len(codes(response)) == 6


def test_it_paginates_and_keeps_the_filters(client, alice, city):
    for number in range(34):
        AgencyFactory(code=f"bureau-{number:02}", region=city)
    client.force_login(alice)

    first = client.get(URL, {"kind": "department", "q": "局"})
    assert len(codes(first)) == 30
    assert first.context["page"].paginator.count == 35
    assert "?kind=department&amp;q=%E5%B1%80&amp;page=2" in first.text

    second = client.get(URL, {"kind": "department", "q": "局", "page": "2"})
    assert len(codes(second)) == 5
    assert "?kind=department&amp;q=%E5%B1%80&amp;page=1" in second.text

    beyond = client.get(URL, {"kind": "department", "page": "99"})
    assert beyond.context["page"].number == 2


def test_it_keeps_its_query_count_flat(client, alice, city, django_assert_max_num_queries):
    for number in range(40):
        AgencyFactory(code=f"bureau-{number:02}", region=city)
    client.force_login(alice)
    with django_assert_max_num_queries(15):
        client.get(URL)

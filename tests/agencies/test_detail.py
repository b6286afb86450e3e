"""/agencies/<code>/: one agency, its place, its stationed groups and its people."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agencies import actions
from agencies.models import AgencyKind, Level, Role
from tests.factories import AgencyFactory, RegionFactory, UserFactory, commission, member, stationed_group


def url(code: str) -> str:
    return reverse("agencies:detail", args=[code])


@pytest.fixture
def network(city, our_agency, other_agency):
    district = RegionFactory(code="test-district", name="测试区", level=Level.DISTRICT, parent=city)
    city_jw = commission(city, code="city-jw", name="市纪委监委")
    group = stationed_group(city_jw, code="city-group-1", name="派驻第一纪检监察组",
                            stationed_at=[our_agency, other_agency])
    child = AgencyFactory(code="district-housing", name="测试区住建局", region=district, parent=our_agency)
    AgencyFactory(code="closed-child", name="已撤销的下级局", region=district, parent=our_agency,
                  is_active=False)
    return {"commission": city_jw, "group": group, "child": child}


def test_it_works(client, alice, our_agency, network):
    leader = member(our_agency, username="leader", full_name="张局长", role=Role.LEADER)
    actions.add_member(leader, our_agency, role=Role.LEADER, title="局长")
    client.force_login(alice)
    response = client.get(url("our-bureau"))
    assert response.status_code == 200
    page = response.context
    assert page["agency"] == our_agency
    assert [m.user.username for m in page["members"]] == ["leader", "alice"]  # leaders first
    assert "局长" in response.text and "艾丽" in response.text
    assert page["children"] == [network["child"]]
    assert reverse("agencies:detail", args=["district-housing"]) in response.text
    assert "已撤销的下级局" not in response.text
    assert page["stationed_groups"] == [network["group"]]
    assert reverse("agencies:detail", args=["city-group-1"]) in response.text
    with translation.override(settings.LANGUAGE_CODE):  # whatever the catalogue says
        assert str(AgencyKind.DEPARTMENT.label) in response.text
        assert str(Level.CITY.label) in response.text
    assert "测试市" in response.text


def test_it_shows_a_stationed_group(client, alice, network, our_agency, other_agency):
    client.force_login(alice)
    response = client.get(url("city-group-1"))
    assert response.context["stationed_at"] == [other_agency, our_agency]
    assert 'id="agency-dispatched-by"' in response.text
    assert reverse("agencies:detail", args=["city-jw"]) in response.text
    assert 'class="badge class-badge class-party"' in response.text


def test_it_shows_a_commissions_groups(client, alice, network):
    client.force_login(alice)
    response = client.get(url("city-jw"))
    assert response.context["dispatched_groups"] == [network["group"]]
    assert response.context["dispatched_groups"][0].active_stations
    assert "派驻第一纪检监察组" in response.text


def test_it_links_the_parent(client, alice, network):
    client.force_login(alice)
    response = client.get(url("district-housing"))
    assert f'<a href="{url("our-bureau")}">住房和城乡建设局</a>' in response.text


def test_it_requires_sign_in(client, our_agency):
    response = client.get(url("our-bureau"))
    assert response.status_code == 302


def test_it_checks_access(client, charlie, our_agency):
    client.force_login(charlie)
    assert client.get(url("our-bureau")).status_code == 404


def test_it_lets_another_agency_in(client, bob, our_agency):
    client.force_login(bob)
    assert client.get(url("our-bureau")).status_code == 200


def test_it_lets_staff_in(client, our_agency):
    client.force_login(UserFactory(username="operator", is_staff=True))
    assert client.get(url("our-bureau")).status_code == 200


def test_it_answers_404_for_an_unknown_code(client, alice):
    client.force_login(alice)
    assert client.get(url("no-such-agency")).status_code == 404


def test_it_answers_404_for_an_inactive_agency(client, alice, network):
    client.force_login(alice)
    assert client.get(url("closed-child")).status_code == 404


def test_it_keeps_its_query_count_flat(client, alice, our_agency, network, django_assert_max_num_queries):
    for number in range(20):
        member(our_agency, username=f"member{number}")
    client.force_login(alice)
    with django_assert_max_num_queries(15):
        client.get(url("our-bureau"))

"""actions.save_agency: validation, the agency's permission group, and where groups are stationed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from agencies import actions
from agencies.models import Agency, AgencyKind, Level
from tests.factories import AgencyFactory, RegionFactory, commission, stationed_group


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English messages; Chinese is checked by the catalogue tests."""
    with translation.override("en"):
        yield



@pytest.fixture
def city_commission(city):
    return commission(city, code="city-jw", name="市纪委监委")


def test_it_works(city):
    agency = actions.save_agency(Agency(code="new-bureau", name="新局", kind=AgencyKind.DEPARTMENT,
                                        region=city, level=city.level))
    assert agency.pk
    assert agency.group.name == "agency:new-bureau"


def test_it_renames_the_group_with_the_code(our_agency):
    group_pk = our_agency.group_id
    our_agency.code = "renamed-bureau"
    actions.save_agency(our_agency)
    assert Group.objects.get(pk=group_pk).name == "agency:renamed-bureau"
    assert not Group.objects.filter(name="agency:our-bureau").exists()


def test_it_validates_before_saving(city, our_agency, other_agency):
    other_agency.parent = our_agency  # same level: refused
    with pytest.raises(ValidationError):
        actions.save_agency(other_agency)
    other_agency.refresh_from_db()
    assert other_agency.parent is None


def test_it_stations_a_group(city_commission, our_agency, other_agency):
    group = stationed_group(city_commission, stationed_at=[our_agency, other_agency])
    assert set(group.stationed_at.all()) == {our_agency, other_agency}
    assert list(our_agency.stationed_groups.all()) == [group]


def test_it_keeps_stations_when_not_given(city_commission, our_agency):
    group = stationed_group(city_commission, stationed_at=[our_agency])
    group.name = "新名字"
    actions.save_agency(group)
    assert list(group.stationed_at.all()) == [our_agency]


def test_it_replaces_stations_when_given(city_commission, our_agency, other_agency):
    group = stationed_group(city_commission, stationed_at=[our_agency])
    actions.save_agency(group, stationed_at=[other_agency])
    assert list(group.stationed_at.all()) == [other_agency]


def test_it_stations_only_groups(our_agency, other_agency):
    with pytest.raises(ValidationError) as caught:
        actions.save_agency(our_agency, stationed_at=[other_agency])
    assert "stationed_at" in caught.value.message_dict
    assert not our_agency.stationed_at.exists()


def test_it_stations_only_at_departments_and_project_owners(city_commission, city):
    with pytest.raises(ValidationError) as caught:
        stationed_group(city_commission, stationed_at=[city_commission])
    assert "departments and project owners" in caught.value.message_dict["stationed_at"][0]


def test_it_stations_only_in_its_own_region(city_commission, db):
    elsewhere = AgencyFactory(region=RegionFactory(code="elsewhere", level=Level.CITY))
    with pytest.raises(ValidationError) as caught:
        stationed_group(city_commission, stationed_at=[elsewhere])
    assert "own region" in caught.value.message_dict["stationed_at"][0]


def test_it_keeps_one_group_per_department(city_commission, our_agency):
    first = stationed_group(city_commission, stationed_at=[our_agency], name="派驻第一组")
    with pytest.raises(ValidationError) as caught:
        stationed_group(city_commission, stationed_at=[our_agency], name="派驻第二组")
    assert first.name in caught.value.message_dict["stationed_at"][0]
    assert list(our_agency.stationed_groups.all()) == [first]


def test_it_refuses_to_turn_a_stationed_group_into_a_department(city_commission, our_agency):
    group = stationed_group(city_commission, stationed_at=[our_agency])
    group.kind, group.supervision_class, group.dispatched_by = AgencyKind.DEPARTMENT, "", None
    with pytest.raises(ValidationError):
        actions.save_agency(group)
    assert Agency.objects.get(pk=group.pk).kind == AgencyKind.STATIONED_GROUP

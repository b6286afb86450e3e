"""The rules of the hierarchy: levels, cycles, regions, and the database's own checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from agencies.models import Agency, AgencyKind, Level, Region, SupervisionClass
from tests.factories import AgencyFactory, RegionFactory, commission


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English messages; Chinese is checked by the catalogue tests."""
    with translation.override("en"):
        yield



@pytest.fixture
def province(db):
    return RegionFactory(code="province", name="省", level=Level.PROVINCE)


@pytest.fixture
def district(city, province):
    city.parent = province
    city.save()
    return RegionFactory(code="district", name="区", level=Level.DISTRICT, parent=city)


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_it_accepts_a_child_below_its_parent(our_agency, district):
    child = AgencyFactory.build(region=district, level=Level.DISTRICT, parent=our_agency)
    child.group = our_agency.group  # any group: full_clean checks the field is set
    child.full_clean(validate_unique=False)


def test_it_rejects_a_child_at_its_parents_level(our_agency, other_agency):
    other_agency.parent = our_agency
    assert "parent" in errors_of(other_agency)


def test_it_rejects_a_parent_below_the_child(our_agency, district):
    below = AgencyFactory(region=district)
    our_agency.parent = below
    assert "parent" in errors_of(our_agency)


def test_it_rejects_its_own_parent(our_agency):
    our_agency.parent = our_agency
    assert errors_of(our_agency)["parent"] == ["An entry cannot be its own parent."]


def test_it_rejects_a_two_step_cycle(our_agency, district):
    low = AgencyFactory(region=district, parent=our_agency)
    # Stored without validation: the city bureau now hangs below the district bureau...
    Agency.objects.filter(pk=our_agency.pk).update(parent=low)
    # ...so making the city bureau the district bureau's parent would close a loop of two.
    low.parent = Agency.objects.get(pk=our_agency.pk)
    assert errors_of(low)["parent"] == ["This parent would make a cycle in the hierarchy."]


def test_it_rejects_a_parent_whose_own_hierarchy_has_a_cycle(db, province):
    first = RegionFactory(code="first", level=Level.CITY)
    second = RegionFactory(code="second", level=Level.CITY)
    Region.objects.filter(pk=first.pk).update(parent=second)
    Region.objects.filter(pk=second.pk).update(parent=first)
    node = Region(code="node", name="节点", level=Level.DISTRICT, parent=Region.objects.get(pk=first.pk))
    assert "parent" in errors_of(node)


def test_it_applies_the_rules_to_regions(city, district):
    city.parent = district
    assert "parent" in errors_of(city)
    district.parent = district
    assert "parent" in errors_of(district)


def test_it_rejects_a_region_cycle_of_two(city, district):
    Region.objects.filter(pk=city.pk).update(parent=district)  # stored without validation
    district.parent = Region.objects.get(pk=city.pk)
    assert errors_of(district)["parent"] == ["This parent would make a cycle in the hierarchy."]


def test_it_requires_the_regions_level(our_agency, district):
    our_agency.level = Level.DISTRICT
    assert errors_of(our_agency)["level"] == ["An agency sits at its region's level."]


def test_it_survives_a_missing_level(our_agency):
    # A form with an empty level still runs clean(): no TypeError, just the field's own error.
    our_agency.level = None
    assert "level" in errors_of(our_agency)


def test_it_only_dispatches_stationed_groups(our_agency, city):
    our_agency.dispatched_by = commission(city)
    assert "dispatched_by" in errors_of(our_agency)


def test_it_requires_a_commission_to_dispatch(our_agency, other_agency, city):
    group = AgencyFactory.build(
        region=city, kind=AgencyKind.STATIONED_GROUP, supervision_class=SupervisionClass.PARTY,
        dispatched_by=other_agency, group=our_agency.group,
    )
    assert "dispatched_by" in errors_of(group)


def test_it_validates_class_and_kind_together(our_agency):
    our_agency.supervision_class = SupervisionClass.AUDIT
    assert errors_of(our_agency)["__all__"]


@pytest.mark.parametrize(
    ("kind", "supervision_class", "constraint"),
    [
        (AgencyKind.DEPARTMENT, SupervisionClass.AUDIT, "agency_class_matches_kind"),
        (AgencyKind.PROJECT_OWNER, SupervisionClass.PARTY, "agency_class_matches_kind"),
        (AgencyKind.SUPERVISORY, "", "agency_class_matches_kind"),
        (AgencyKind.STATIONED_GROUP, "", "agency_class_matches_kind"),
        (AgencyKind.STATIONED_GROUP, SupervisionClass.AUDIT, "stationed_group_is_party"),
    ],
)
def test_it_checks_class_and_kind_in_the_database(our_agency, kind, supervision_class, constraint):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Agency.objects.filter(pk=our_agency.pk).update(kind=kind, supervision_class=supervision_class)
    assert constraint in str(caught.value)

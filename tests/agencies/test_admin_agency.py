"""The agency admin: pages render, saves go through the actions, rule violations are form errors."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agencies.models import Agency, AgencyKind, Level, Membership, Role, SupervisionClass
from tests.factories import RegionFactory, UserFactory, commission, stationed_group

ADD = reverse("admin:agencies_agency_add")


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def change_url(agency) -> str:
    return reverse("admin:agencies_agency_change", args=[agency.pk])


def agency_data(region, members=(), existing=(), **fields) -> dict:
    """The POST of the agency form with its memberships inline."""
    data = {
        "code": "new-bureau", "name": "新局", "short_name": "", "name_en": "", "kind": "department",
        "supervision_class": "", "region": region.pk, "level": "", "parent": "", "dispatched_by": "",
        "phone": "", "address": "", "description": "", "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(existing) + len(members)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    rows = list(existing) + list(members)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def form_errors(response) -> dict:
    form = response.context["adminform"].form
    return {**form.errors, "__all__": form.non_field_errors()}


@pytest.mark.parametrize(
    "name", ["admin:agencies_agency_changelist", "admin:agencies_agency_add"]
)
def test_it_works(admin_client, our_agency, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200


def test_it_filters_and_searches_the_changelist(admin_client, our_agency, other_agency):
    url = reverse("admin:agencies_agency_changelist")
    response = admin_client.get(url, {"q": "住房", "kind": "department"})
    assert list(response.context["cl"].result_list) == [our_agency]


def test_it_renders_the_change_page(admin_client, alice, our_agency):
    response = admin_client.get(change_url(our_agency))
    assert response.status_code == 200
    assert "艾丽" in response.text


def test_it_checks_access(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 302


def test_it_creates_the_group_and_memberships(admin_client, city, charlie):
    response = admin_client.post(
        ADD, agency_data(city, members=[{"user": charlie.pk, "role": Role.LEADER, "title": "局长"}])
    )
    assert response.status_code == 302, form_errors(response)
    agency = Agency.objects.get(code="new-bureau")
    assert agency.group.name == "agency:new-bureau"
    assert agency.level == Level.CITY  # taken from the region when left empty
    membership = Membership.objects.get(agency=agency)
    assert (membership.user, membership.role, membership.title) == (charlie, Role.LEADER, "局长")
    assert list(charlie.groups.all()) == [agency.group]


def test_it_stations_a_group(admin_client, city, our_agency, other_agency):
    jw = commission(city, code="city-jw")
    response = admin_client.post(ADD, agency_data(
        city, code="city-group-1", name="派驻第一组", kind=AgencyKind.STATIONED_GROUP,
        supervision_class=SupervisionClass.PARTY, dispatched_by=jw.pk,
        stationed_at=[our_agency.pk, other_agency.pk],
    ))
    assert response.status_code == 302, form_errors(response)
    group = Agency.objects.get(code="city-group-1")
    assert set(group.stationed_at.all()) == {our_agency, other_agency}
    assert Group.objects.filter(name="agency:city-group-1").exists()


def test_it_shows_hierarchy_errors_on_the_form(admin_client, city, our_agency):
    response = admin_client.post(ADD, agency_data(city, parent=our_agency.pk))  # same level
    assert response.status_code == 200
    assert "parent" in form_errors(response)
    assert not Agency.objects.filter(code="new-bureau").exists()


def test_it_shows_level_errors_on_the_form(admin_client, city):
    response = admin_client.post(ADD, agency_data(city, level=str(Level.DISTRICT)))
    assert response.status_code == 200
    assert "level" in form_errors(response)


def test_it_shows_class_and_kind_errors_on_the_form(admin_client, city):
    response = admin_client.post(ADD, agency_data(city, supervision_class=SupervisionClass.AUDIT))
    assert response.status_code == 200
    assert form_errors(response)["__all__"]
    assert not Agency.objects.filter(code="new-bureau").exists()


def test_it_shows_stationing_errors_on_the_form(admin_client, city, our_agency):
    jw = commission(city, code="city-jw")
    stationed_group(jw, code="city-group-1", stationed_at=[our_agency])
    response = admin_client.post(ADD, agency_data(
        city, code="city-group-2", name="派驻第二组", kind=AgencyKind.STATIONED_GROUP,
        supervision_class=SupervisionClass.PARTY, dispatched_by=jw.pk, stationed_at=[our_agency.pk],
    ))
    assert response.status_code == 200
    assert "stationed_at" in form_errors(response)
    assert not Agency.objects.filter(code="city-group-2").exists()


def test_it_refuses_to_station_a_department(admin_client, city, other_agency):
    response = admin_client.post(ADD, agency_data(city, stationed_at=[other_agency.pk]))
    assert response.status_code == 200
    assert "stationed_at" in form_errors(response)


def test_it_removes_and_adds_members_through_the_inline(admin_client, alice, bob, our_agency, other_agency):
    alice_row = Membership.objects.get(user=alice, agency=our_agency)
    data = agency_data(
        our_agency.region, code=our_agency.code, name=our_agency.name, level=str(our_agency.level),
        existing=[{"id": alice_row.pk, "agency": our_agency.pk, "user": alice.pk, "role": "staff",
                   "title": "", "DELETE": "on"}],
        members=[{"user": bob.pk, "role": Role.LIAISON, "title": "对接人"}],
    )
    response = admin_client.post(change_url(our_agency), data)
    assert response.status_code == 302, form_errors(response)
    assert not alice.groups.exists()
    assert set(bob.groups.all()) == {our_agency.group, other_agency.group}
    assert Membership.objects.get(user=bob, agency=our_agency).role == Role.LIAISON


def test_it_renames_the_group_with_the_code(admin_client, our_agency):
    data = agency_data(our_agency.region, code="renamed", name=our_agency.name)
    response = admin_client.post(change_url(our_agency), data)
    assert response.status_code == 302, form_errors(response)
    our_agency.group.refresh_from_db()
    assert our_agency.group.name == "agency:renamed"


def test_it_deletes_an_agency_with_its_group(admin_client, our_agency):
    group_pk = our_agency.group_id
    url = reverse("admin:agencies_agency_delete", args=[our_agency.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=our_agency.pk).exists()
    assert not Group.objects.filter(pk=group_pk).exists()


def test_it_refuses_to_delete_an_agency_with_members(admin_client, alice, our_agency):
    url = reverse("admin:agencies_agency_delete", args=[our_agency.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the "cannot delete, protected" page
    assert Agency.objects.filter(pk=our_agency.pk).exists()


def test_it_offers_only_commissions_as_dispatchers(admin_client, city, our_agency):
    jw = commission(city, code="city-jw", name="市纪委监委")
    elsewhere = RegionFactory(code="elsewhere", level=Level.CITY)
    other_jw = commission(elsewhere, code="other-jw", name="他市纪委监委")
    response = admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "agencies", "model_name": "agency", "field_name": "dispatched_by", "term": "",
    })
    ids = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert ids == {jw.pk, other_jw.pk}

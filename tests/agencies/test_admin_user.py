"""The user admin: Django's, with full name and phone, and memberships inline."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agencies.models import Membership, Role, User
from tests.factories import UserFactory


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def user_data(user, *, groups=(), memberships=(), existing=()) -> dict:
    data = {
        "username": user.username, "full_name": user.full_name, "phone": "13800000000", "email": "",
        "is_active": "on", "groups": [group.pk for group in groups],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": str(len(existing) + len(memberships)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(list(existing) + list(memberships)):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
    return data


@pytest.mark.parametrize("name", ["admin:agencies_user_changelist", "admin:agencies_user_add"])
def test_it_works(admin_client, alice, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert 'name="full_name"' in response.text or "艾丽" in response.text


def test_it_renders_the_change_page(admin_client, alice):
    response = admin_client.get(reverse("admin:agencies_user_change", args=[alice.pk]))
    assert response.status_code == 200
    assert 'name="full_name"' in response.text and 'name="phone"' in response.text


def test_it_adds_a_user(admin_client, db):
    response = admin_client.post(reverse("admin:agencies_user_add"), {
        "username": "newcomer", "full_name": "新同事", "phone": "", "usable_password": "true",
        "password1": "a-long-enough-pass-2026", "password2": "a-long-enough-pass-2026",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    assert User.objects.get(username="newcomer").full_name == "新同事"


def test_it_adds_a_membership_inline(admin_client, charlie, our_agency):
    data = user_data(charlie, memberships=[{"agency": our_agency.pk, "role": Role.LEADER, "title": "局长"}])
    response = admin_client.post(reverse("admin:agencies_user_change", args=[charlie.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    charlie.refresh_from_db()
    assert charlie.phone == "13800000000"
    assert Membership.objects.get(user=charlie).role == Role.LEADER
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_puts_agency_groups_back_in_step(admin_client, alice, our_agency, other_agency):
    editors = Group.objects.create(name="editors")
    membership = Membership.objects.get(user=alice)
    existing = [
        {"id": membership.pk, "user": alice.pk, "agency": our_agency.pk, "role": "staff", "title": ""}
    ]
    # Untick the agency's group and tick another agency's: the memberships decide.
    data = user_data(alice, groups=[other_agency.group, editors], existing=existing)
    response = admin_client.post(reverse("admin:agencies_user_change", args=[alice.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(alice.groups.all()) == {our_agency.group, editors}

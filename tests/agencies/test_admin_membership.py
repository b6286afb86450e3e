"""The membership admin: every add, change and delete keeps agency groups in step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Membership, Role
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name", ["admin:agencies_membership_changelist", "admin:agencies_membership_add"]
)
def test_it_works(admin_client, alice, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_it_adds_a_member(admin_client, charlie, our_agency):
    response = admin_client.post(reverse("admin:agencies_membership_add"), {
        "user": charlie.pk, "agency": our_agency.pk, "role": Role.STAFF, "title": "科员",
    })
    assert response.status_code == 302
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_refuses_a_duplicate(admin_client, alice, our_agency):
    response = admin_client.post(reverse("admin:agencies_membership_add"), {
        "user": alice.pk, "agency": our_agency.pk, "role": Role.LEADER, "title": "",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Membership.objects.filter(user=alice).count() == 1


def test_it_moves_a_membership(admin_client, alice, our_agency, other_agency):
    membership = Membership.objects.get(user=alice)
    response = admin_client.post(reverse("admin:agencies_membership_change", args=[membership.pk]), {
        "user": alice.pk, "agency": other_agency.pk, "role": Role.STAFF, "title": "",
    })
    assert response.status_code == 302
    assert list(alice.groups.all()) == [other_agency.group]


def test_it_hands_a_membership_to_another_user(admin_client, alice, charlie, our_agency):
    membership = Membership.objects.get(user=alice)
    response = admin_client.post(reverse("admin:agencies_membership_change", args=[membership.pk]), {
        "user": charlie.pk, "agency": our_agency.pk, "role": Role.STAFF, "title": "",
    })
    assert response.status_code == 302
    assert not alice.groups.exists()
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_deletes_a_membership(admin_client, alice):
    membership = Membership.objects.get(user=alice)
    response = admin_client.post(
        reverse("admin:agencies_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not alice.groups.exists()


def test_it_deletes_memberships_in_bulk(admin_client, alice, bob):
    response = admin_client.post(reverse("admin:agencies_membership_changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": list(Membership.objects.values_list("pk", flat=True)),
    })
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert not alice.groups.exists() and not bob.groups.exists()

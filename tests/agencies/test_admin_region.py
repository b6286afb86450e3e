"""The region admin: pages render, hierarchy errors are form errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Level, Region
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", ["admin:agencies_region_changelist", "admin:agencies_region_add"])
def test_it_works(admin_client, city, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_it_adds_a_region(admin_client, city):
    response = admin_client.post(reverse("admin:agencies_region_add"), {
        "code": "new-district", "name": "新区", "name_en": "", "level": Level.DISTRICT, "parent": city.pk,
    })
    assert response.status_code == 302
    assert Region.objects.get(code="new-district").parent == city


def test_it_shows_hierarchy_errors_on_the_form(admin_client, city):
    response = admin_client.post(reverse("admin:agencies_region_add"), {
        "code": "bad", "name": "坏", "name_en": "", "level": Level.PROVINCE, "parent": city.pk,
    })
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors

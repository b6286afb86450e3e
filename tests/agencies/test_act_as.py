"""/agencies/act-as/: choose the agency to act for, among one's own."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agencies import actions
from agencies.acting import SESSION_KEY
from tests.factories import AgencyFactory

URL = reverse("agencies:act_as")


@pytest.fixture
def alice_in_two(alice, other_agency):
    actions.add_member(alice, other_agency)
    return alice


def test_it_works(client, alice_in_two, other_agency):
    client.force_login(alice_in_two)
    response = client.post(URL, {"agency": other_agency.pk, "next": "/agencies/"})
    assert response.status_code == 302
    assert response.url == "/agencies/"
    assert client.session[SESSION_KEY] == other_agency.pk
    # The header now shows the chosen agency as selected.
    page = client.get(reverse("agencies:directory"))
    assert page.context["acting_agency"] == other_agency


def test_it_checks_access(client, alice, other_agency):
    client.force_login(alice)
    response = client.post(URL, {"agency": other_agency.pk, "next": "/agencies/"})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_it_refuses_an_inactive_agency(client, alice, city):
    closed = AgencyFactory(code="closed", region=city, is_active=False)
    actions.add_member(alice, closed)
    client.force_login(alice)
    client.post(URL, {"agency": closed.pk})
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_it_refuses_bad_input(client, alice, value):
    client.force_login(alice)
    response = client.post(URL, {"agency": value})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_it_does_not_redirect_elsewhere(client, alice_in_two, other_agency):
    client.force_login(alice_in_two)
    response = client.post(URL, {"agency": other_agency.pk, "next": "https://evil.example/"})
    assert response.url == "/"


def test_it_requires_post(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 405


def test_it_requires_sign_in(client, our_agency):
    response = client.post(URL, {"agency": our_agency.pk})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))

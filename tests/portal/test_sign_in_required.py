"""The whole portal is for signed-in staff: anonymous requests go to the sign-in page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from wagtail.models import PageViewRestriction

LOGIN = "/accounts/login/"


def page_paths(pages):
    return {
        "home": pages.home.url,
        "circular index": pages.circular_index.url,
        "circular": pages.circular.url,
        "policy index": pages.policy_index.url,
        "policy": pages.policy.url,
        "page search": "/search/pages/?q=%E5%8C%BB%E4%BF%9D",
    }


@pytest.mark.parametrize(
    "name", ["home", "circular index", "circular", "policy index", "policy", "page search"]
)
def test_it_redirects_anonymous_users_to_sign_in(client, pages, name):
    path = page_paths(pages)[name]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(path, safe='/')}"


def test_it_needs_no_stored_view_restriction(pages):
    # The rule lives in code (portal/wagtail_hooks.py), not in pages an editor could change.
    assert not PageViewRestriction.objects.exists()


def test_it_covers_a_page_an_editor_just_created(client, pages):
    from datetime import date

    from portal.models import CircularPage

    page = CircularPage(title="新通报", slug="new-circular", date=date(2026, 11, 1), body="<p>正文</p>")
    pages.circular_index.add_child(instance=page)
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_redirects_anonymous_users_from_the_wagtail_admin(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/cms/"


@pytest.mark.parametrize("name", ["home", "circular index", "circular", "policy index", "policy",
                                  "page search"])
def test_it_serves_signed_in_users(client, pages, alice, name):
    client.force_login(alice)
    assert client.get(page_paths(pages)[name]).status_code == 200


def test_it_serves_a_user_without_membership(client, pages, charlie):
    client.force_login(charlie)
    assert client.get(pages.home.url).status_code == 200

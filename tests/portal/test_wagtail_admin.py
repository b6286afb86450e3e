"""The Wagtail admin at /cms/: the portal's sign-in, and editors can publish a circular."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from portal.models import CircularPage


def test_it_uses_the_portal_sign_in(client, editor, password):
    response = client.get("/cms/")
    assert response["Location"] == "/accounts/login/?next=/cms/"
    response = client.post("/accounts/login/", {"username": "editor", "password": password,
                                                "next": "/cms/"})
    assert response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_it_works(client, pages, editor):
    client.force_login(editor)
    index = pages.circular_index
    add_url = f"/cms/pages/add/portal/circularpage/{index.pk}/"
    form_page = client.get(add_url)
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="page-edit-form")
    data.update({
        "title": "关于第四季度办件质量的通报",
        "slug": "2026-q4-quality",
        "date": "2026-12-20",
        "document_number": "江纪通〔2026〕15号",
        "issuer": "市纪委监委",
        "summary": "第四季度办件质量总体平稳。",
        "body": rich_text("<p>各单位：第四季度办件质量总体平稳。</p>"),
        "action-publish": "action-publish",
    })
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    circular = CircularPage.objects.get(slug="2026-q4-quality")
    assert circular.live
    assert circular.get_parent().pk == index.pk
    assert circular.document_number == "江纪通〔2026〕15号"
    assert "第四季度办件质量总体平稳" in circular.body
    # And it is on the portal at once: in the index, on the home page, in page search.
    assert circular.title in client.get(index.url).content.decode()
    assert circular.title in client.get("/").content.decode()
    assert circular.title in client.get("/search/pages/", {"q": "办件质量"}).content.decode()


def test_it_refuses_circulars_elsewhere(client, pages, editor):
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/portal/circularpage/{pages.policy_index.pk}/")
    assert response.status_code != 200
    assert 'id="page-edit-form"' not in response.content.decode()


def test_it_checks_access(client, pages, alice):
    client.force_login(alice)
    response = client.get("/cms/pages/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert b"You do not have permission to access the admin" in response.content


def test_an_editor_with_admin_access_only_can_open_it(client, pages, alice):
    alice.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(alice)
    assert client.get("/cms/").status_code == 200


def test_the_help_menu_has_no_online_guide(client, editor):
    client.force_login(editor)
    text = client.get("/cms/").content.decode()
    assert "guide.wagtail.org" not in text
    assert "releases.wagtail.io" not in text

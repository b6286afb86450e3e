"""The error pages: in Chinese (and English when chosen), in the portal's layout, never Django's.

Django shows its own error pages only with DEBUG on; these tests run with DEBUG off, as the
portal does in production. The 500 page must render when what failed is the database itself:
it uses no context processor, no query and no static file.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

pytestmark = pytest.mark.urls("tests.portal.error_urls")


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


def client_without_exceptions() -> Client:
    return Client(raise_request_exception=False)


def test_404_is_chinese_in_the_portal_layout(client, alice):
    client.force_login(alice)
    response = client.get("/issues/999999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and "您无权查看" in html
    assert 'class="navbar navbar-expand-lg navbar-dark portal-navbar"' in html  # the portal's header
    assert alice.get_full_name() in html  # signed in, the header shows who
    assert 'id="error-home"' in html and "/issues/" in html  # ways on: home and the board
    assert "Not Found" not in html and "The requested resource" not in html


def test_404_for_a_page_wagtail_does_not_have(client, alice):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()


def test_404_in_english(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/issues/999999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and '<html lang="en">' in html


def test_404_signed_out_offers_to_sign_in(client, db):
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and "/accounts/login/" in html


def test_403(client, alice):
    client.force_login(alice)
    response = client.get("/test-errors/403/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权操作" in html and "portal-navbar" in html and "403 Forbidden" not in html


def test_an_expired_form_is_explained(db, alice, password):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期" in html and "刷新页面" in html
    assert "CSRF" not in html


def test_500_needs_no_database():
    # No ``db`` fixture: any query would fail the test (pytest-django blocks the database).
    response = client_without_exceptions().get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出错了" in html and "平台暂时无法处理这个请求" in html
    assert '<html lang="zh-hans">' in html
    assert "/static/" not in html  # its styles are inline: a missing static file cannot break it
    assert 'href="/favicon.ico"' in html


def test_500_when_the_database_is_down(db, alice, monkeypatch):
    client = client_without_exceptions()
    client.force_login(alice)

    def unreachable(*args, **kwargs):
        raise RuntimeError("the database is down")

    # Every query fails, as it would with the database server gone (undone before the test's
    # own transaction is rolled back).
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unreachable)
        response = client.get("/test-errors/500/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_500_in_english():
    client = client_without_exceptions()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/test-errors/500/").content.decode()
    assert "Something went wrong" in html and '<html lang="en">' in html


def test_400():
    response = client_without_exceptions().get("/test-errors/400/")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age=86400" in response["Cache-Control"]
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "/static/portal/favicon." in page

"""The header's language switch: a form posting to Django's set_language (/i18n/setlang/)."""

from __future__ import annotations

from django.conf import settings

SETLANG = "/i18n/setlang/"


def test_the_header_offers_the_other_language(client, pages, alice):
    client.force_login(alice)
    text = client.get("/").content.decode()
    assert f'action="{SETLANG}"' in text
    assert 'name="language" value="en"' in text
    assert 'name="language" value="zh-hans"' not in text  # the current one is not offered
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="language" value="zh-hans"' in english


def test_each_language_is_offered_by_its_own_name(client, pages, alice):
    client.force_login(alice)
    chinese = client.get("/").content.decode()
    assert 'value="en" lang="en">English</button>' in chinese  # not 英语
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="zh-hans" lang="zh-hans">简体中文</button>' in english


def test_it_works(client, pages, alice):
    client.force_login(alice)
    response = client.post(SETLANG, {"language": "en", "next": "/circulars/"})
    assert response.status_code == 302
    assert response["Location"] == "/circulars/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/circulars/").content.decode()


def test_it_persists_across_requests_and_sign_in(client, pages, alice, password):
    client.post(SETLANG, {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
    client.post("/accounts/login/", {"username": "alice", "password": password})
    for path in ("/", pages.circular.url, "/search/pages/"):
        assert '<html lang="en">' in client.get(path).content.decode()
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"


def test_it_switches_back_to_chinese(client, pages, alice):
    client.force_login(alice)
    client.post(SETLANG, {"language": "en", "next": "/"})
    client.post(SETLANG, {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_it_ignores_an_unknown_language(client, pages, alice):
    client.force_login(alice)
    client.post(SETLANG, {"language": "fr", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_it_refuses_an_external_next(client):
    response = client.post(SETLANG, {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"

"""Signing in and out: /accounts/login/ and /accounts/logout/, rate-limited by django-axes."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/"}, **extra)


def test_it_shows_the_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_it_works(client, alice, password):
    response = sign_in(client, "alice", password)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_it_follows_next(client, alice, password):
    response = client.post(LOGIN, {"username": "alice", "password": password, "next": "/circulars/"})
    assert response["Location"] == "/circulars/"


def test_it_refuses_an_external_next(client, alice, password):
    response = client.post(LOGIN, {"username": "alice", "password": password,
                                   "next": "https://evil.example/"})
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


def test_it_rejects_a_wrong_password_in_english(client, alice):
    response = sign_in(client, "alice", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert b'id="login-error"' in response.content
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_rejects_a_wrong_password_in_chinese(client, alice):
    response = sign_in(client, "alice", "wrong-password", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    # Django's own catalogue translates this message.
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_it_keeps_the_user_name_after_a_failure(client, alice):
    response = sign_in(client, "alice", "wrong-password")
    assert b'value="alice"' in response.content


def test_it_sends_a_signed_in_user_home(client, alice):
    client.force_login(alice)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_does_not_loop_when_a_page_refuses_a_signed_in_user(client, alice):
    # Wagtail's admin sends signed-in non-editors to the sign-in page with ?next=/cms/.
    client.force_login(alice)
    response = client.get("/cms/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/cms/"
    assert b'id="signed-in-as"' in response.content
    assert b'href="/cms/"' in response.content  # a way onwards, not a redirect


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_renders_the_form_in_the_users_language(client, language):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}">' in response.content.decode()


# --- rate limit ---------------------------------------------------------------------------------

def test_it_locks_out_after_five_failures(client, alice, password):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, "alice", "wrong-password")
        assert response.status_code == 200
        assert b'id="login-error"' in response.content
    # The fifth failure reaches the limit: axes answers with the lockout page at once.
    response = sign_in(client, "alice", "wrong-password")
    assert response.status_code == 429
    assert b'id="locked-out"' in response.content
    # The sixth attempt is refused even with the right password.
    response = sign_in(client, "alice", password)
    assert response.status_code == 429
    assert b'id="locked-out"' in response.content
    assert SESSION_KEY not in client.session


def test_it_locks_out_one_user_name_only(client, alice, bob, password):
    for _ in range(5):
        sign_in(client, "alice", "wrong-password")
    response = sign_in(client, "bob", password)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(bob.pk)


def test_it_locks_out_one_address_only(client, alice, password):
    for _ in range(5):
        sign_in(client, "alice", "wrong-password", REMOTE_ADDR="10.0.0.1")
    response = sign_in(client, "alice", password, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_a_success_resets_the_count(client, alice, password):
    for _ in range(4):
        sign_in(client, "alice", "wrong-password")
    assert sign_in(client, "alice", password).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()
    client.logout()
    # Four more failures do not lock: the count started again from zero.
    for _ in range(4):
        assert sign_in(client, "alice", "wrong-password").status_code == 200
    assert sign_in(client, "alice", password).status_code == 302


def test_the_lockout_page_says_how_long_in_english(client, alice):
    for _ in range(5):
        response = sign_in(client, "alice", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="en">' in text
    assert "Too many failed sign-in attempts" in text
    assert "paused for 15 minutes" in text
    assert "PT15M" not in text  # axes' ISO 8601 text is not for people


def test_the_lockout_page_is_in_chinese(client, alice):
    for _ in range(5):
        response = sign_in(client, "alice", "wrong-password", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="zh-hans">' in text
    assert "登录失败次数过多" in text  # "Too many failed sign-in attempts"


# --- sign-out ------------------------------------------------------------------------------------

def test_logout_works(client, alice):
    client.force_login(alice)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session


def test_logout_refuses_get(client, alice):
    client.force_login(alice)
    response = client.get(LOGOUT)
    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_logout_needs_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(LOGOUT)
    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(alice.pk)


@pytest.mark.django_db(transaction=True)
async def test_it_locks_out_over_asgi(password):
    # daphne runs the async middleware chain, where django-axes takes another code path
    # (AxesMiddleware.__acall__); the lockout page must come out the same.
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    from tests.factories import UserFactory

    await sync_to_async(UserFactory)(username="dave")
    client = AsyncClient()
    english = {"accept-language": "en"}  # per request: AsyncClient(headers=…) mangles the names
    for _ in range(4):
        response = await client.post(LOGIN, {"username": "dave", "password": "wrong-password"},
                                     headers=english)
        assert response.status_code == 200
    response = await client.post(LOGIN, {"username": "dave", "password": "wrong-password"},
                                 headers=english)
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "Too many failed sign-in attempts" in text
    assert "paused for 15 minutes" in text
    response = await client.post(LOGIN, {"username": "dave", "password": password}, headers=english)
    assert response.status_code == 429

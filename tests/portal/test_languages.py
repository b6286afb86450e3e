"""Every main page renders in Chinese (the default) and in English.

The Chinese texts below are what the Chinese catalogue (locale/zh_Hans) must give for these
English msgids; see EXPECTED.
"""

from __future__ import annotations

import pytest
from django.conf import settings

# page → (English msgid shown on it, the Chinese translation the catalogue must give it)
EXPECTED = {
    "login": ("Sign in", "登录"),
    "home": ("Latest circulars", "最新通报"),
    "circular index": ("Issued by", "发布单位"),
    "circular": ("Document number", "文号"),
    "policy index": ("Effective date", "施行日期"),
    "policy": ("Back to all policies", "返回制度列表"),
    "page search": ("Search circulars and policies", "搜索通报和制度"),
    "directory": ("Directory", "单位名录"),
}


def path_of(name, pages):
    return {
        "login": "/accounts/login/",
        "home": pages.home.url,
        "circular index": pages.circular_index.url,
        "circular": pages.circular.url,
        "policy index": pages.policy_index.url,
        "policy": pages.policy.url,
        "page search": "/search/pages/?q=%E5%8C%BB%E4%BF%9D",
        "directory": "/agencies/",
    }[name]


def get(client, path, language, how):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(path)
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("how", ["header", "cookie"])
@pytest.mark.parametrize("name", list(EXPECTED))
def test_it_renders_in_english(client, pages, dora, name, how):
    if name != "login":
        client.force_login(dora)
    response = get(client, path_of(name, pages), "en", how)
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in text
    assert EXPECTED[name][0] in text
    assert EXPECTED[name][1] not in text


@pytest.mark.parametrize("how", ["header", "cookie"])
@pytest.mark.parametrize("name", list(EXPECTED))
def test_it_renders_in_chinese(client, pages, dora, name, how):
    if name != "login":
        client.force_login(dora)
    response = get(client, path_of(name, pages), "zh-hans", how)
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in text
    assert EXPECTED[name][1] in text


@pytest.mark.parametrize("name", ["login", "home"])
def test_chinese_is_the_default(client, pages, dora, name):
    if name != "login":
        client.force_login(dora)
    response = client.get(path_of(name, pages))
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_cookie_wins_over_the_browser(client, pages, dora):
    client.force_login(dora)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert '<html lang="en">' in response.content.decode()

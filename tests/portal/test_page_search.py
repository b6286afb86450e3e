"""/search/pages/: Wagtail search over circulars and policies."""

from __future__ import annotations

import pytest

from common.cjk import cjk_spaced
from portal.search import page_query

SEARCH = "/search/pages/"


@pytest.fixture
def signed_in(client, pages, alice):
    client.force_login(alice)
    return client


def results(response) -> str:
    text = response.content.decode()
    start = text.find('id="search-results"')
    return text[start:text.index("</main>")] if start >= 0 else ""


def test_it_works(signed_in, pages):
    response = signed_in.get(SEARCH, {"q": "医保"})
    assert response.status_code == 200
    assert pages.circular.title in results(response)
    assert f'href="{pages.circular.url}"' in results(response)


@pytest.mark.parametrize(
    "query",
    ["医保基金", "关于医保基金专项整治中典型问题的通报", "串换药品", "江纪通〔2026〕11号", "医保 药店"],
)
def test_it_finds_chinese_words_inside_sentences(signed_in, pages, query):
    found = results(signed_in.get(SEARCH, {"q": query}))
    assert pages.circular.title in found
    assert "关于农村公路建设项目审计发现问题整改情况的通报" not in found


def test_it_finds_policies(signed_in, pages):
    found = results(signed_in.get(SEARCH, {"q": "工作日"}))
    assert pages.policy.title in found


def test_it_finds_numbers_next_to_chinese(signed_in, pages):
    assert "12345热线" in results(signed_in.get(SEARCH, {"q": "12345"}))


def test_it_leaves_out_unpublished_pages(signed_in, pages):
    pages.circular.unpublish()
    assert pages.circular.title not in results(signed_in.get(SEARCH, {"q": "医保"}))


def test_it_searches_only_circulars_and_policies(signed_in, pages):
    # The index pages are titled 通报 and 制度; only documents come back.
    found = results(signed_in.get(SEARCH, {"q": "制度"}))
    assert f'href="{pages.policy_index.url}"' not in found


def test_it_escapes_html_in_the_query(signed_in, pages):
    query = '<script>alert("x")</script>'
    response = signed_in.get(SEARCH, {"q": query})
    text = response.content.decode()
    assert response.status_code == 200
    assert query not in text
    assert "&lt;script&gt;" in text


def test_it_survives_search_syntax(signed_in, pages):
    for query in ['"', '医保"', "AND OR NOT", "*", "医保 NOT", "(", "'; DROP TABLE", "%", "a" * 500]:
        assert signed_in.get(SEARCH, {"q": query}).status_code == 200


def test_it_says_when_nothing_matches(signed_in, pages):
    response = signed_in.get(SEARCH, {"q": "不存在的词语"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="no-results"' in response.content.decode()


def test_it_shows_the_form_without_a_query(signed_in, pages):
    response = signed_in.get(SEARCH)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_it_checks_access(client, pages):
    response = client.get(SEARCH, {"q": "医保"})
    assert response.status_code == 302


def test_cjk_spaced():
    assert cjk_spaced("关于12345热线的通报") == "关 于 12345 热 线 的 通 报"
    assert cjk_spaced("Audit 审计") == "Audit 审 计"


def test_page_query():
    assert page_query("") is None
    assert page_query('<>"') is None
    assert repr(page_query("医保")) == repr(page_query("医保"))
    assert "医 保" in repr(page_query("医保"))

"""No input breaks the search (issue 14, point 3): every query, filter, range, page link, record
link, export, saved search and batch list is answered with results or an explanation in the
reader's language; never a server error, never "the search service did not answer".

The pages run on each backend (the ``engine`` fixture: embedded always, Elasticsearch in the
services run), and hypothesis generates the query strings.
"""

from __future__ import annotations

import base64
import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index.query import MAX_QUERY_LENGTH
from search.investigate.batch import TermListError, read_terms
from search.investigate.forms import ECHO_AROUND, Cursor
from search.models import BatchKind, BatchSearch, ExportJob, SavedSearch
from tests.search.page_data import _world  # noqa: F401 - the ``world`` fixture

URL = reverse("search:search")
PURPOSE = "核查路灯工程线索"
NO_ANSWER = "检索服务无响应"  # "the search service did not answer", which no input may bring


def page(client, user, **params):
    client.force_login(user)
    params.setdefault("purpose", PURPOSE)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert NO_ANSWER not in html
    return response, html


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("名称:", "字段“名称”后没有查询内容"),
        ("年份：", "字段“年份”后没有查询内容"),
        ("路灯 电话:", "字段“电话”后没有查询内容"),
        ("颜色:红", "“颜色”不是可查询的字段"),
        ("系统:不存在的系统", "没有名为“不存在的系统”的系统"),
        ("地区:火星", "没有名为“火星”的地区"),
        ("年份:99999999999999999999", "不是年份"),
        ("(路灯 OR 井盖", "括号"),
        ("路灯))))", "右括号"),
        ("(" * 10_000, f"最多 {MAX_QUERY_LENGTH} 个字符"),
        ("(" * 900 + "路灯", "嵌套过深"),
        ("-" * 990 + "路灯", "嵌套过深"),
        ("路灯 " + "AND " * 240 + "井盖", "两侧都需要查询词"),
        ("OR " * 330, "两侧都需要查询词"),
        (" ".join(["路灯"] * 101), "最多 100 个"),
        ("路" * 200_000, f"最多 {MAX_QUERY_LENGTH} 个字符"),
    ],
)
def test_a_query_that_cannot_be_run_is_explained_in_chinese(engine, client, world, query, says):
    response, html = page(client, world.leader, q=query)
    assert 'id="search-syntax-error"' in html
    assert says in response.context["form"].syntax_error.message
    assert response.context["page"] is None
    echo = response.context["syntax"]  # the place of the error, a little of the query around it
    assert len(echo["before"]) + len(echo["after"]) <= 2 * ECHO_AROUND + 2


def test_the_length_limit_is_stated_on_the_page(client, world):
    _response, html = page(client, world.leader)
    assert f"一个查询最多 {MAX_QUERY_LENGTH} 个字符" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "1899-12-31"}, "date_from"),
        ({"date_from": "2024-02-30"}, "date_from"),
        ({"amount_min": "1e400"}, "amount_min"),
        ({"amount_max": "99999999999999999999"}, "amount_max"),
        ({"amount_min": "NaN"}, "amount_min"),
        ({"amount_max": "Infinity"}, "amount_max"),
        ({"amount_min": "-1"}, "amount_min"),
        ({"amount_min": "0.001"}, "amount_min"),
    ],
)
def test_a_range_no_record_can_hold_is_explained_and_the_rest_still_applies(engine, client, world, params,
                                                                            field):
    response, html = page(client, world.leader, q="路灯", **params)
    assert field in response.context["form"].errors
    assert f'id="id_{field}-error"' in html
    assert response.context["page"].total == 5  # the search ran without the bad range


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"amount_min": "-0"}, 3),  # minus zero is zero
        ({"date_from": "1900-01-01", "date_to": "2099-12-31"}, 5),
        ({"year": ["²⁰²⁴", "２０２４", "x" * 5_000, "-1"]}, 5),  # none is a year as the facet writes it
        ({"year": ["0000", "9999"]}, 0),  # years as the facet writes them, of which no record is
        ({"region": ["x" * 10_000, "\x00", "south"]}, 4),  # damaged values are left out
        ({"system": ["hotline", "\x00" * 3, "不存在"]}, 2),
        ({"size": "99999999999999999999999"}, 5),
        ({"sort": "\x00"}, 5),
    ],
)
def test_odd_filters_still_answer(engine, client, world, params, total):
    response, _html = page(client, world.leader, q="路灯", **params)
    assert response.context["page"].total == total


def _token(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "\x00",
        "=" * 5_000,
        _token({"a": [99999999999999999999999999, "2024-01-01", 10**30], "p": "1", "n": 2}),
        _token({"a": [1, "not a date", 5], "p": "99999999999999999999999", "n": 2}),
        _token({"a": ["x"], "p": None, "n": 2}),
        _token({"a": [None, None, None], "p": "nonsense", "n": 99999999999999999999}),
        _token({"a": [1.5e308, "9999-12-31T23:59:59+14:00", -1], "p": None, "n": 2}),
        Cursor(after=["5000", 1], pit="0", page=3).token(),
    ],
)
@pytest.mark.parametrize("sort", ["relevance", "date", "amount"])
def test_a_tampered_page_link_is_explained(engine, client, world, token, sort):
    response, html = page(client, world.leader, q="路灯", after=token, sort=sort)
    explained = 'id="search-bad-page"' in html or 'id="search-unavailable"' in html
    assert explained or response.context["page"] is not None


def test_a_null_character_in_the_query_is_explained(client, world):
    response, html = page(client, world.leader, q="路\x00灯")
    assert 'id="search-query-error"' in html
    assert response.context["page"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/records/99999999999999999999999/",
        "/records/9223372036854775808/",
        "/records/999999999999999999/",  # 18 digits: reaches the database, which finds nothing
        "/records/exports/99999999999999999999999/",
        "/records/exports/99999999999999999999999/download/",
        "/records/batch/99999999999999999999999/",
        "/records/batch/99999999999999999999999/matrix.csv",
        "/records/saved/99999999999999999999999/",
        "/records/clues/99999999999999999999999/",
        "/records/uploads/99999999999999999999999/",
        "/records/uploads/99999999999999999999999/status/",
    ],
)
def test_an_id_beyond_any_row_is_a_page_that_does_not_exist(client, world, path):
    """Django (5.0 and later) answers a lookup of an integer no column can hold with no rows."""
    client.force_login(world.leader)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("action", ["pause", "resume", "delete", "rename"])
def test_acting_on_a_saved_search_beyond_any_row_is_a_404(client, world, action):
    client.force_login(world.leader)
    assert client.post(f"/records/saved/99999999999999999999999/{action}/", {"name": "x"}).status_code == 404


# --- what hypothesis generates --------------------------------------------------------------

SYNTAX = ["路灯", "井盖", "名称", "系统", "地区", "年份", "标题", ":", "：", '"', "“", "”", "(", ")",
          "（", "）", "-", "!", "！", " ", "AND", "or", "Not", "&&", "||", "hotline", "东湖", "2024", "低保",
          "\x00", "\u200b"]
queries = st.one_of(
    st.lists(st.sampled_from(SYNTAX), max_size=60).map("".join),
    st.text(max_size=300),
    st.sampled_from(["(" * 3_000, "-" * 2_500 + "x", "路灯 OR " * 400, "名称:", "年份："]),
)
dates = st.one_of(
    st.dates().map(lambda day: day.isoformat()), st.text(max_size=20),
    st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29"]),
)
amounts = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str), st.floats().map(str),
    st.integers().map(str), st.text(max_size=20),
    st.sampled_from(["1e400", "-0", "NaN", "99999999999999999999", "-1E-400"]),
)
tokens = st.one_of(
    st.text(max_size=50),
    st.builds(
        lambda after, pit, number: _token({"a": after, "p": pit, "n": number}),
        st.lists(st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=30), st.none()),
                 min_size=1, max_size=4),
        st.one_of(st.none(), st.text(max_size=10), st.integers().map(str)),
        st.integers(min_value=2),
    ),
)
searches = st.fixed_dictionaries(
    {"q": queries},
    optional={
        "date_from": dates, "date_to": dates, "amount_min": amounts, "amount_max": amounts,
        "sort": st.one_of(st.sampled_from(["relevance", "date", "amount"]), st.text(max_size=10)),
        "year": st.lists(st.one_of(st.integers().map(str), st.text(max_size=6)), max_size=3),
        "system": st.lists(
            st.one_of(st.sampled_from(["hotline", "tender", "medical", "tax"]), st.text(max_size=8)),
            max_size=3,
        ),
        "region": st.lists(st.one_of(st.sampled_from(["south", "north"]), st.text(max_size=8)), max_size=3),
        "after": tokens,
        "size": st.one_of(st.integers().map(str), st.text(max_size=5)),
        "purpose": st.one_of(st.just(PURPOSE), st.text(max_size=30)),
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(params=searches)
def test_any_search_is_answered(engine, client, world, params):
    client.force_login(world.leader)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert NO_ANSWER not in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pk=st.one_of(st.integers(min_value=0), st.text(alphabet="0123456789", min_size=1, max_size=40)))
def test_any_record_link_is_answered(client, world, pk):
    client.force_login(world.leader)
    assert client.get(f"/records/{pk}/").status_code in (200, 404)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=3_000), kind=st.sampled_from(BatchKind.values))
def test_any_batch_list_is_read_or_explained(text, kind):
    try:
        terms = read_terms(text, kind)
    except TermListError as error:
        assert str(error)
    else:
        assert terms and all(term == term.strip() for term in terms)
        assert not any(unicodedata.category(char) in ("Cc", "Cf") for term in terms for char in term)


# --- exports, saved searches and batch lists started from hostile input -----------------------


@pytest.mark.parametrize("query", ["名称:", "(" * 5_000, "系统:不存在的系统", "年份:abc", "路\x00灯"])
def test_an_export_or_saved_search_of_a_bad_query_is_refused_with_the_reason(client, world, query):
    client.force_login(world.leader)
    search = f"{reverse('search:export_new')}?q={query}&purpose={PURPOSE}"
    response = client.post(search, {"format": "csv"}, follow=True)
    assert response.status_code == 200
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    saved = client.post(f"{reverse('search:saved_new')}?q={query}&purpose={PURPOSE}", {"name": "保存的查询"},
                        follow=True)
    assert saved.status_code == 200
    assert [message.level_tag for message in saved.context["messages"]] == ["error"]
    assert not ExportJob.objects.exists() and not SavedSearch.objects.exists()


def test_a_saved_search_by_a_systems_name_is_kept_as_typed(client, world):
    client.force_login(world.leader)
    response = client.post(f"{reverse('search:saved_new')}?q=系统:热线 路灯&purpose={PURPOSE}",
                           {"name": "热线路灯"})
    assert response.status_code == 302
    assert SavedSearch.objects.get().query == "系统:热线 路灯"  # read again, by name, at each run


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x" * 200_000, "过长"),  # beyond the csv module's field limit, or over 100 characters
        ("(((\n)))\n“”\n", "清单中没有查询项"),
        ("长" * 101, "最多 100 个字符"),
    ],
)
def test_a_batch_list_that_cannot_be_read_is_explained(client, world, text, says):
    client.force_login(world.leader)
    response = client.post(reverse("search:batch_new"),
                           {"kind": BatchKind.NAMES, "text": text, "purpose": PURPOSE})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not BatchSearch.objects.exists()


def test_a_batch_list_with_invisible_characters_keeps_the_visible_terms(client, world):
    client.force_login(world.leader)
    text = "\ufeff张\u200b伟\n李娜\x00\n"  # a BOM, a zero-width space, a NUL: none can be searched for
    upload = SimpleUploadedFile("名单.txt", text.encode(), content_type="text/plain")
    response = client.post(reverse("search:batch_new"),
                           {"kind": BatchKind.NAMES, "file": upload, "purpose": PURPOSE})
    assert response.status_code == 302
    assert BatchSearch.objects.get().terms == ["张伟", "李娜"]


def test_in_english_the_explanations_and_the_help_are_english(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.auditor)
    response = client.get(URL, {"q": "路灯 系统:医保"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No linked system open to you is called “医保”" in html
    assert f"A query has at most {MAX_QUERY_LENGTH} characters and 100 words" in html
    assert "exactly the name 张伟, not 张伟柏" in html
    read = client.get(URL, {"q": "系统:热线 低保"}).content.decode()
    assert "was read as 12345 Hotline" in read  # the system's English name
    assert "was searched with the words that mean the same: 低保、最低生活保障" in read

"""The investigator's search page and record page: query language, facets, ranges, sorting,
complete paging and the record, on the configured search backend (embedded by default)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from search.investigate.forms import Cursor
from search.models import AccessLog
from tests.search.page_data import ID_NUMBER, _world  # noqa: F401 - fixtures

URL = reverse("search:search")
PURPOSE = "核查路灯工程线索"


def external_ids(response) -> list[str]:
    return [hit.record.external_id for hit in response.context["hits"]]


def get(client, user, **params):
    """The search page; with a stated purpose, as the commission's searches include sensitive systems."""
    client.force_login(user)
    params.setdefault("purpose", PURPOSE)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_it_finds_and_highlights_a_phrase(client, world):
    response = get(client, world.staff, q='"城南 路灯"')
    assert external_ids(response) == ["H1"]
    html = response.content.decode()
    assert "<mark>" in html
    assert "1 record found" in html or "找到" in html
    assert response.context["page"].total == 1


def test_boolean_operators_and_fields(client, world):
    either = get(client, world.staff, q="路灯 OR 井盖", system=["hotline"])
    assert sorted(external_ids(either)) == ["H1", "H2", "H3"]
    without = get(client, world.staff, q="路灯 -城南", system=["hotline", "tender"])
    assert sorted(external_ids(without)) == ["H3"]
    assert external_ids(get(client, world.staff, q="标题:井盖")) == ["H2"]
    assert external_ids(get(client, world.staff, q="名称:明亮照明有限公司")) == ["T1"]


@pytest.mark.parametrize(
    "query, position",
    [
        ('"城南 路灯', 0), ("(路灯 OR 井盖", 0), ("路灯 AND", 6), ("颜色:红", 0), ("路灯)", 2),
        ("名称: 张伟", 0),
    ],
)
def test_a_syntax_error_is_explained_where_it_is(client, world, query, position):
    response = get(client, world.staff, q=query)
    error = response.context["form"].syntax_error
    assert error is not None and error.position == position
    html = response.content.decode()
    assert 'id="search-syntax-error"' in html
    assert f'data-position="{position}"' in html
    assert 'class="search-syntax-at"' in html
    assert response.context["page"] is None
    assert not AccessLog.objects.exists()


def test_facets_show_names_with_counts_and_filter(client, world):
    response = get(client, world.leader, q="路灯")
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    systems = {value["label"]: value["count"] for value in facets["system"]["values"]}
    assert systems == {"12345热线": "2", "公共资源交易": "1", "医保结算": "1", "税务征管": "1"}
    regions = {value["label"] for value in facets["region"]["values"]}
    assert regions == {"城南区", "城北区"}
    assert {value["label"] for value in facets["agency"]["values"]} >= {"市热线办"}
    south = next(value for value in facets["region"]["values"] if value["code"] == "south")
    narrowed = client.get(f"{URL}?{south['query']}")
    assert sorted(external_ids(narrowed)) == ["H1", "H3", "M1", "T1"]
    assert [item["label"] for item in narrowed.context["chosen"]] == ["城南区"]
    # The same link again takes the filter away.
    again = next(value for facet in narrowed.context["facets"] if facet["name"] == "region"
                 for value in facet["values"] if value["code"] == "south")
    assert again["chosen"]
    assert narrowed.context["page"].total == 4
    assert client.get(f"{URL}?{again['query']}").context["page"].total == 5


def test_years_dates_and_amounts(client, world):
    in_2024 = get(client, world.leader, q="路灯", year=["2024"])
    assert sorted(external_ids(in_2024)) == ["H1", "M1", "T1", "X1"]
    response = get(client, world.leader, q="路灯", date_from="2024-03-01", date_to="2024-04-01")
    assert sorted(external_ids(response)) == ["H1", "X1"]
    response = get(client, world.leader, q="路灯", amount_min="5000", amount_max="100000")
    assert sorted(external_ids(response)) == ["M1", "X1"]


def test_bad_ranges_are_explained_and_left_out(client, world):
    response = get(
        client, world.leader, q="路灯", date_from="2024-13-45", amount_min="lots", date_to="2020-01-01"
    )
    form = response.context["form"]
    assert "date_from" in form.errors and "amount_min" in form.errors
    assert response.context["page"].total == 0  # the valid date_to still applies
    response = get(client, world.leader, q="路灯", amount_min="900", amount_max="100")
    assert "amount_max" in response.context["form"].errors


def test_sorting_by_date_and_amount(client, world):
    by_date = external_ids(get(client, world.leader, q="路灯", sort="date"))
    assert by_date == ["T1", "X1", "H1", "M1", "H3"]
    by_amount = external_ids(get(client, world.leader, q="路灯", sort="amount"))
    assert by_amount[:3] == ["T1", "X1", "M1"]
    assert set(by_amount[3:]) == {"H1", "H3"}  # no amount: last
    assert external_ids(get(client, world.leader, q="路灯", sort="nonsense"))  # falls back, no error


def test_paging_reaches_every_hit_once(client, world):
    client.force_login(world.leader)
    seen, numbers = [], []
    response = client.get(URL, {"q": "路灯 OR 井盖 OR 绿化", "size": "2", "sort": "date", "purpose": PURPOSE})
    while True:
        assert response.status_code == 200
        seen += external_ids(response)
        numbers.append(response.context["page_number"])
        next_query = response.context["next_query"]
        if not next_query:
            break
        assert "size=2" in next_query
        response = client.get(f"{URL}?{next_query}")
    assert sorted(seen) == ["H1", "H2", "H3", "M1", "T1", "T2", "X1"]
    assert numbers == [1, 2, 3, 4]
    assert response.context["first_query"]
    assert "page 4" in response.content.decode() or "第 4 页" in response.content.decode()
    # Only the first page of the search is written to the search log.
    assert AccessLog.objects.filter(action="search").count() == 1


def test_a_tampered_page_token_is_explained(client, world):
    for token in ("not-a-token", Cursor(after=["x"], pit=None, page=2).token()[:-3], "eyJhIjpbXX0"):
        response = get(client, world.leader, q="路灯", after=token)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="search-bad-page"' in html or 'id="search-unavailable"' in html


def test_a_token_the_backend_cannot_use_is_explained(client, world):
    token = Cursor(after=["not a sort value", "y"], pit="nonsense", page=2).token()
    response = get(client, world.leader, q="路灯", after=token)
    html = response.content.decode()
    assert 'id="search-bad-page"' in html or 'id="search-unavailable"' in html


def test_record_text_is_escaped(client, world):
    response = get(client, world.leader, q="路灯", system=["hotline"])
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>标签</b>" not in html
    record = client.get(reverse("search:record", args=[world.records["H3"].pk]))
    assert "<script>alert(1)</script>" not in record.content.decode()


def test_the_record_page_shows_the_record_and_is_logged(client, world):
    client.force_login(world.leader)
    record = world.records["H1"]
    response = client.get(reverse("search:record", args=[record.pk]), {"back": f"{URL}?q=路灯"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "城南路灯损坏" in html and ID_NUMBER in html
    assert f'href="{URL}?q=路灯"' in html
    entry = AccessLog.objects.get(action="view")
    assert entry.record == record and entry.systems == ["hotline"] and entry.user == world.leader


def test_the_record_page_refuses_a_link_back_elsewhere(client, world):
    client.force_login(world.leader)
    record = reverse("search:record", args=[world.records["H1"].pk])
    for elsewhere in ("https://evil.example/records/", "//evil.example/records/", "/issues/"):
        response = client.get(record, {"back": elsewhere})
        assert response.context["back"] == ""
    assert client.get(record, {"back": f"{URL}?q=x"}).context["back"] == f"{URL}?q=x"


def test_it_needs_sign_in(client, world):
    response = client.get(URL, {"q": "路灯"})
    assert response.status_code == 302
    assert re.search(r"/accounts/login/", response["Location"])


def test_past_the_exact_count_the_page_says_more_than_and_how_it_is_listed(client, world, settings):
    settings.SEARCH_EXACT_COUNT = 3  # "路灯" finds five records for the commission's leader
    response = get(client, world.leader, q="路灯")
    html = response.content.decode()
    assert "找到超过 3 条记录" in html
    assert AccessLog.objects.get(action="search").hits is None  # not known, so not written down
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    system_counts = [int(value["count"]) for value in facets["system"]["values"]]
    if settings.SEARCH_BACKEND == "embedded":  # no per-hit score past the bound: newest first
        assert external_ids(response) == ["T1", "X1", "H1", "M1", "H3"]
        assert "已按时间从新到旧列出，未按相关度排序" in html
        assert "以下计数仅统计最新的 3 条查询结果" in html
        assert sum(system_counts) == 3
    else:  # Elasticsearch ranks and aggregates every hit itself
        assert 'id="search-order-note"' not in html and 'id="search-facets-counted"' not in html
        assert sum(system_counts) == 5
    exact = get(client, world.leader, q="路灯", system=["hotline"]).content.decode()  # two records
    assert "找到超过" not in exact and 'id="search-order-note"' not in exact
    assert 'id="search-facets-counted"' not in exact


def test_past_the_exact_count_the_page_says_so_in_english(client, world, settings):
    settings.SEARCH_EXACT_COUNT = 3
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get(client, world.leader, q="路灯").content.decode()
    assert "More than 3 records found" in html
    if settings.SEARCH_BACKEND == "embedded":
        assert "Listed newest first, not by relevance" in html
        assert "Counted among the 3 newest records found." in html

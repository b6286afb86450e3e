"""The embedded backend's own machinery, beside the contract it shares with Elasticsearch
(tests/search/index/test_contract.py): the full-text table on SQLite, words the FTS5 query syntax or
LIKE would misread, its documented relevance, and search_reindex."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import index
from search.index import _embedded
from search.index.query import Term, parse
from search.models import Record, SourceSystem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embedded_backend(settings):
    settings.SEARCH_BACKEND = "embedded"


@pytest.fixture
def records(db):
    system = SourceSystem.objects.create(code="hotline", name="热线")
    when = timezone.make_aware(dt.datetime(2025, 3, 1, 9))
    texts = {
        "A": ("路灯不亮", "城南大道"),
        "B": ("噪音扰民", "夜间施工，路灯旁边"),
        "C": ("达标率100%", "file_name 含下划线"),
        "D": ("Street LIGHT broken", ""),
    }
    Record.objects.bulk_create(
        Record(system=system, external_id=external_id, title=title, body=body, occurred_at=when)
        for external_id, (title, body) in texts.items()
    )
    return list(Record.objects.select_related("system", "region").order_by("external_id"))


def found(tree) -> list[str]:
    return sorted(hit.external_id for hit in index.scan(tree))


def fts_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_record_fts")
        return cursor.fetchone()[0]


def test_the_full_text_table_exists_only_on_sqlite():
    tables = connection.introspection.table_names()
    assert ("search_record_fts" in tables) == (connection.vendor == "sqlite")


def test_indexing_again_replaces_the_row(records):
    index.index(records)
    index.index(records[:1])
    if connection.vendor == "sqlite":
        assert fts_rows() == len(records)
    assert found(parse("路灯")) == ["A", "B"]


def test_wildcards_and_query_syntax_in_words_are_plain_characters(records):
    index.index(records)
    assert found(parse("_")) == ["C"]  # not LIKE's "any character"
    assert found(parse("%")) == ["C"]
    assert found(Term('路"灯')) == []  # a quotation mark inside an FTS5 phrase
    assert found(Term("NEAR(路灯")) == []
    assert found(Term("路灯 OR 噪音")) == []  # one phrase, not an FTS5 OR
    assert found(parse("light")) == ["D"]  # ignoring case, as Elasticsearch's analyser does
    assert found(parse("li")) == ["D"]  # and in the scan for short words


def test_relevance_puts_the_title_first(records):
    index.index(records)
    page = index.search(parse("路灯"), sort="relevance")
    assert [hit.external_id for hit in page.hits] == ["A", "B"]
    assert [hit.score for hit in page.hits] == [1.0, 0.0]


def test_the_point_in_time_is_the_newest_record_id(records):
    index.index(records)
    page = index.search(parse("路灯"), size=1)
    assert page.pit == str(max(record.pk for record in records))
    _embedded.close(page.pit)  # nothing to release; must not fail


def test_search_reindex_rebuilds_the_table(records):
    index.index(records[:1])
    out, err = StringIO(), StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    assert f"{len(records)} / {len(records)}" in err.getvalue()
    assert found(parse("噪音")) == ["B"]
    if connection.vendor == "sqlite":
        assert "search_record_fts" in out.getvalue()
        assert fts_rows() == len(records)


def test_removed_records_leave_the_table(records):
    index.index(records)
    index.remove([records[0].pk])
    if connection.vendor == "sqlite":
        assert fts_rows() == len(records) - 1
        assert found(parse("路灯不亮")) == []  # the record row is still there, its text is not


# --- past the bound: the newest hits, sorted from the hits in hand or found down the date index ---


@pytest.fixture
def thirty(db, settings):
    """30 hits of 批量 against a bound of 10, with ties in date; the newest (local time) is on New
    Year's Day before dawn, still the old year in UTC."""
    settings.SEARCH_EXACT_COUNT = 10
    system = SourceSystem.objects.create(code="hotline", name="热线")
    zone = timezone.get_current_timezone()
    moments = [dt.datetime(2024, 6, 1 + number % 7, 10, tzinfo=zone) for number in range(29)]
    moments.append(dt.datetime(2025, 1, 1, 2, tzinfo=zone))
    Record.objects.bulk_create(
        Record(system=system, external_id=f"N{number:02}", title=f"批量{number}", occurred_at=when)
        for number, when in enumerate(moments)
    )
    Record.objects.create(system=system, external_id="OTHER", title="别的", occurred_at=moments[-1])
    index.index(Record.objects.select_related("system", "region"))
    return list(Record.objects.filter(title__startswith="批量").order_by("-occurred_at", "-pk"))


def full_text_reads(queries) -> int:
    """Statements that asked a full-text table (FTS5's MATCH) for the matches."""
    return sum(" MATCH " in query["sql"] for query in queries)


# 30 hits: read ahead 1 or 2 bounds (10, 20), the date index is walked; 3 or more, all are in hand.
@pytest.mark.parametrize("read_ahead", [1, 2, 3, 50])
@pytest.mark.parametrize("sort", ["relevance", "date", "amount"])
def test_past_the_bound_the_newest_are_the_same_however_found(thirty, monkeypatch, read_ahead, sort):
    monkeypatch.setattr(_embedded, "READ_AHEAD", read_ahead)
    with CaptureQueriesContext(connection) as queries:
        page = index.search(parse("批量"), sort=sort, size=7)
    assert (page.total, page.total_exact, page.facets_counted) == (10, False, 10)
    if sort != "amount":  # amounts are all empty: listed by id, as keyset paging wants
        assert page.sort == "date"
        assert [hit.external_id for hit in page.hits] == [record.external_id for record in thirty[:7]]
    assert dict(page.facets["year"]) == {"2025": 1, "2024": 9}  # the newest ten, in local years
    assert dict(page.facets["system"]) == {"hotline": 10}
    if connection.vendor == "sqlite" and sort != "amount":
        # All in hand, the matches are listed once; otherwise once more by the walk.
        assert full_text_reads(queries) == (1 if read_ahead >= 3 else 2)
    later = index.search(parse("批量"), sort=sort, size=7, after=page.next_after, pit=page.pit)
    if sort != "amount":
        assert [hit.external_id for hit in later.hits] == [record.external_id for record in thirty[7:14]]


def test_within_the_bound_the_page_is_sorted_among_the_hits_in_hand(thirty, settings):
    settings.SEARCH_EXACT_COUNT = 31  # 批量's thirty and OTHER: every hit counted exactly
    with CaptureQueriesContext(connection) as queries:
        page = index.search(parse("批量 OR 别的"), sort="date", size=7)
    assert (page.total, page.total_exact, page.facets_counted) == (31, True, None)
    assert [hit.external_id for hit in page.hits][:1] == ["OTHER"]  # as new as N29, a higher id
    assert [hit.external_id for hit in page.hits][1:] == [record.external_id for record in thirty[:6]]
    if connection.vendor == "sqlite":
        assert full_text_reads(queries) == 1

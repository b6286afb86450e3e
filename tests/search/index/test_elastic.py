"""The Elasticsearch index on the real server: Chinese phrases as substrings, exact codes,
boolean queries from the query language, and a reindex that moves the alias without downtime."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from search.index import _elastic
from search.index.connection import elasticsearch_client
from search.index.query import parse
from search.models import Record, SourceSystem

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def own_prefix(own_search_index):
    return own_search_index


@pytest.fixture
def records(db):
    hotline = SourceSystem.objects.create(
        code="hotline-12345", name="12345 政务服务便民热线", owner_code="jz-hotline"
    )
    tender = SourceSystem.objects.create(code="tender", name="公共资源交易", owner_code="jz-resources")
    when = timezone.make_aware(dt.datetime(2025, 3, 14, 9, 30))
    rows = [
        Record(
            system=hotline,
            external_id="H1",
            title="城南路灯损坏",
            body="市民反映城南大道路灯连续三晚不亮。",
            occurred_at=when,
            phones=["13812345678"],
        ),
        Record(
            system=hotline,
            external_id="H2",
            title="井盖缺失",
            body="城北小区井盖缺失，存在安全隐患。",
            occurred_at=when - dt.timedelta(days=400),
        ),
        Record(
            system=tender,
            external_id="T1",
            title="城南道路照明工程中标公告",
            body="中标人：江州明亮照明有限公司",
            occurred_at=when,
            amount=Decimal("1280000.00"),
            names=["张伟", "江州明亮照明有限公司"],
            credit_codes=["91330100MA27XXXX0X"],
        ),
    ]
    Record.objects.bulk_create(rows)
    return list(Record.objects.select_related("system", "region").order_by("external_id"))


def ids(query: str) -> list[str]:
    response = _elastic.RecordDocument.search(index=_elastic.alias()).query(_elastic.translate(parse(query)))
    return sorted(hit.external_id for hit in response.execute())


def test_phrases_and_codes(records):
    _elastic.index_records(records, refresh=True)
    assert ids("路灯") == ["H1"]
    assert ids("城南") == ["H1", "T1"]  # a word inside a longer run of ideographs
    assert ids('"南大道"') == ["H1"]
    assert ids("南路") == ["H1"]  # substring: 城南路灯
    assert ids("城南 -路灯") == ["T1"]
    assert ids("路灯 OR 井盖") == ["H1", "H2"]
    assert ids("代码:91330100MA27XXXX0X") == ["T1"]
    assert ids("代码:91330100MA27XXXX0") == []  # codes match whole
    assert ids("名称:张伟") == ["T1"]
    assert ids("电话:13812345678") == ["H1"]
    assert ids("系统:tender") == ["T1"]
    assert ids("年份:2024") == ["H2"]


def test_a_reindex_moves_the_alias_and_drops_the_old_version(records):
    first = _elastic.ensure_index()
    _elastic.index_records(records[:1], refresh=True)
    assert ids("路灯 OR 井盖 OR 城南") == ["H1"]
    seen = []
    second = _elastic.reindex(records, progress=seen.append)
    assert second != first
    assert _elastic.live_versions() == [second]
    assert not elasticsearch_client().indices.exists(index=first)
    assert seen == [3]
    assert ids("路灯 OR 井盖 OR 城南") == ["H1", "H2", "T1"]


def test_the_mapping_is_chinese_with_phrases_and_keywords(records):
    name = _elastic.ensure_index()
    mapping = elasticsearch_client().indices.get_mapping(index=name)[name]["mappings"]["properties"]
    assert mapping["title"] == {"type": "text", "analyzer": "standard", "index_phrases": True}
    assert mapping["credit_codes"] == {"type": "keyword"}
    assert mapping["names"]["fields"]["exact"] == {"type": "keyword"}


def test_filters_facets_and_complete_paging(records):
    _elastic.index_records(records, refresh=True)
    page = _elastic.search(parse("城南 OR 井盖"), sort="date", size=2)
    assert page.total == 3
    assert dict(page.facets["system"]) == {"hotline-12345": 2, "tender": 1}
    assert dict(page.facets["year"]) == {"2024": 1, "2025": 2}
    assert dict(page.facets["agency"]) == {"jz-hotline": 2, "jz-resources": 1}
    first = [hit.external_id for hit in page.hits]
    rest = _elastic.search(parse("城南 OR 井盖"), sort="date", size=2, after=page.next_after, pit=page.pit)
    assert rest.next_after is None
    assert sorted(first + [hit.external_id for hit in rest.hits]) == ["H1", "H2", "T1"]
    _elastic.close(rest.pit)

    big = _elastic.search(parse("城南"), _elastic.Filters(amount_min=Decimal("1000000")))
    assert [hit.external_id for hit in big.hits] == ["T1"]
    old = _elastic.search(parse("城南 OR 井盖"), _elastic.Filters(occurred_to=dt.date(2024, 12, 31)))
    assert [hit.external_id for hit in old.hits] == ["H2"]
    only = _elastic.search(parse("城南 OR 井盖"), _elastic.Filters(systems=("tender",), years=(2025,)))
    assert [hit.external_id for hit in only.hits] == ["T1"]


def test_the_reindex_command_moves_the_alias(records):
    from io import StringIO

    from django.core.management import call_command

    before = _elastic.ensure_index()
    out, err = StringIO(), StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    after = _elastic.live_versions()
    assert after != [before] and len(after) == 1
    assert after[0] in out.getvalue()
    assert "3 / 3" in err.getvalue()
    assert ids("路灯 OR 井盖 OR 城南") == ["H1", "H2", "T1"]


def open_points_in_time() -> int:
    """Search contexts held open on our own index: a point in time holds one on its one shard."""
    name = _elastic.live_versions()[0]
    stats = elasticsearch_client().indices.stats(index=name, metric="search")
    return stats["indices"][name]["total"]["search"]["open_contexts"]


def test_a_scan_closes_its_point_in_time_even_when_stopped_early(records):
    _elastic.index_records(records, refresh=True)
    assert open_points_in_time() == 0
    everything = _elastic.scan(parse("路灯 OR 井盖 OR 城南"), batch=1)
    next(everything)
    assert open_points_in_time() == 1
    everything.close()  # the reader stops (an export cancelled, a worker failing)
    assert open_points_in_time() == 0
    assert len(list(_elastic.scan(parse("路灯 OR 井盖 OR 城南"), batch=2))) == 3
    assert open_points_in_time() == 0


def test_there_is_no_ten_thousand_ceiling(db):
    system = SourceSystem.objects.create(code="tiny", name="tiny")
    when = timezone.make_aware(dt.datetime(2025, 1, 1))
    Record.objects.bulk_create(
        Record(system=system, external_id=str(number), title=f"记录{number}", occurred_at=when)
        for number in range(10_050)
    )
    _elastic.index_records(Record.objects.select_related("system", "region").iterator(chunk_size=2_000),
                          refresh=True)
    assert sum(1 for _hit in _elastic.scan(parse("记录"), batch=2_000)) == 10_050
    seen, after, pit = set(), None, None
    while True:
        page = _elastic.search(parse("记录"), sort="date", size=5_000, after=after, pit=pit, facets=False)
        # Counted to the bound and said to be "more than" it; paging still reaches every hit.
        assert (page.total, page.total_exact) == (10_000, False)
        seen.update(hit.record_id for hit in page.hits)
        if page.next_after is None:
            break
        after, pit = page.next_after, page.pit
    _elastic.close(page.pit)
    assert len(seen) == 10_050
    assert _elastic.count_by_system([parse("记录"), parse("系统:tiny"), parse("无")]) == [
        {"tiny": 10_050}, {"tiny": 10_050}, {},
    ]


def test_a_failed_reindex_drops_its_half_built_version(records, settings):
    first = _elastic.ensure_index()
    _elastic.index_records(records, refresh=True)

    def breaking():
        yield from records
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        _elastic.reindex(breaking())
    assert _elastic.live_versions() == [first]
    versions = elasticsearch_client().indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-records-*")
    assert list(versions) == [first]
    assert ids("路灯 OR 井盖 OR 城南") == ["H1", "H2", "T1"]


def test_a_new_installation_with_nothing_indexed_answers_empty(db):
    """Before the first record arrives there is no index: searches, scans and batch counts
    answer with nothing found instead of failing."""
    from search import index
    from search.index.query import parse

    index.refresh()
    page = index.search(parse("路灯"))
    index.close(page.pit)
    assert (page.total, page.hits) == (0, [])
    assert list(index.scan(parse("路灯"))) == []
    assert index.count_by_system([parse("路灯"), parse("井盖")]) == [{}, {}]

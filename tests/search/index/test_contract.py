"""The search contract (DESIGN §7): one suite, run on both backends through search.index.

The embedded parameter always runs (SQLite FTS5 by default, PostgreSQL scans in the services
run); the Elasticsearch parameter carries the ``elasticsearch`` marker and runs where
ELASTICSEARCH_URL is set. Every expectation below is what the small corpus holds, written out or
counted by brute force in Python, so both backends are held to the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies.models import Region
from search import index
from search.index import highlight
from search.index.query import MAX_NESTING, MAX_TERMS, parse
from search.index.types import Filters
from search.investigate.interpret import MAX_EXPANDED_TERMS, read
from search.masking import shown_record
from search.models import Record, SourceSystem, SynonymGroup
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def local(*parts) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*parts))


# external id → (system, title, body, occurred, region, amount, names, credit codes, ID numbers, phones)
CORPUS = {
    "H1": ("hotline", "城南路灯损坏", "市民反映城南大道路灯连续三晚不亮。",
           local(2025, 3, 14, 9, 30), "cn", None, [], [], [], ["13812345678"]),
    "H2": ("hotline", "井盖缺失", "城北小区井盖缺失，存在安全隐患。",
           local(2024, 2, 8, 23, 59), "cb", None, [], [], [], []),
    "H3": ("hotline", "<script>井盖</script>报修", "有人写了 <b>标记</b> & 符号",
           local(2023, 6, 1, 8), None, None, [], [], [], []),
    "T1": ("tender", "城南道路照明工程中标公告", "中标人：江州明亮照明有限公司",
           local(2025, 3, 14, 9, 30), "cn", Decimal("1280000.00"),
           ["张伟", "江州明亮照明有限公司"], ["91330100MA27XXXX0X"], [], []),
    "T2": ("tender", "城北学校维修工程", "中标人：江州建工集团", local(2023, 7, 1, 10), "cb",
           Decimal("560000.50"), ["张伟民", "江州建工集团"], ["91330100MA28YYYY1Y"], [], []),
    # 03:00 on New Year's Day in the portal's zone is still 2024 in UTC: the year is the portal's.
    "T3": ("tender", "路灯采购", "采购路灯二百盏", local(2025, 1, 1, 3), None,
           Decimal("1280000.00"), ["李娜"], [], [], []),
    "W1": ("welfare", "低保发放", "发放对象：王芳 身份证 330102198001011234",
           local(2025, 12, 31, 23, 30), "cb", Decimal("800.00"), ["王芳"], [], ["330102198001011234"], []),
    "W2": ("welfare", "临时救助", "救助对象李娜，住城南路。", local(2022, 5, 5, 12), "cn",
           Decimal("1500.00"), ["李娜"], [], [], ["057188886666"]),
}
OWNERS = {"hotline": "jz-hotline", "tender": "jz-resources", "welfare": "jz-civil"}
INGESTED = {"H1": local(2026, 2, 1), "T1": local(2026, 2, 1)}  # the rest: 2026-01-01


@pytest.fixture
def systems(db):
    return {code: SourceSystem.objects.create(code=code, name=code, owner_code=owner)
            for code, owner in OWNERS.items()}


@pytest.fixture
def regions(db):
    return {code: RegionFactory(code=code, name=f"{code}区") for code in ("cn", "cb")}


def loaded(queryset=None) -> list[Record]:
    return list((queryset or Record.objects.all()).select_related("system", "region").order_by("pk"))


@pytest.fixture
def corpus(engine, systems, regions):
    rows = []
    for external_id, (system, title, body, when, region, amount, names, codes, ids, phones) in CORPUS.items():
        rows.append(Record(
            system=systems[system], external_id=external_id, title=title, body=body, occurred_at=when,
            region=regions.get(region), amount=amount, names=names, credit_codes=codes, id_numbers=ids,
            phones=phones,
        ))
    Record.objects.bulk_create(rows)
    Record.objects.update(ingested_at=local(2026, 1, 1))
    for external_id, when in INGESTED.items():
        Record.objects.filter(external_id=external_id).update(ingested_at=when)
    index.index(loaded())
    index.refresh()
    return {record.external_id: record for record in loaded()}


def every_hit(query: str, filters: Filters | None = None, *, sort="relevance", size=100) -> list[str]:
    """External ids of every hit, through all pages; no hit may come twice."""
    seen, after, pit = [], None, None
    while True:
        page = index.search(parse(query), filters, sort=sort, size=size, after=after, pit=pit)
        seen += [hit.external_id for hit in page.hits]
        if page.next_after is None:
            break
        after, pit = page.next_after, page.pit
    index.close(page.pit)
    assert len(seen) == len(set(seen)), seen
    return seen


def ids(query: str, filters: Filters | None = None) -> list[str]:
    return sorted(every_hit(query, filters))


EVERYTHING = "系统:hotline OR 系统:tender OR 系统:welfare"


WORDS = {
    "路灯": ["H1", "T3"],
    "城南": ["H1", "T1", "W2"],  # inside a longer run of ideographs
    "南路": ["H1", "W2"],  # two characters: 城南路灯, 城南路
    "伟": ["T1", "T2"],  # one character, in the names
    '"南大道"': ["H1"],
    '"城南 路灯"': ["H1"],  # a space between ideographs does not count
    "城南 工程": ["T1"],
    "城南 AND 路灯": ["H1"],
    "路灯 OR 井盖": ["H1", "H2", "H3", "T3"],
    "城南 -路灯": ["T1", "W2"],
    "(路灯 OR 井盖) NOT 城北": ["H1", "H3", "T3"],
    "NOT 城南 AND 系统:hotline": ["H2", "H3"],
    "明亮照明": ["T1"],  # in the text and the names
    "不存在的词": [],
}


def test_words_phrases_and_boolean_queries(corpus):
    assert {query: ids(query) for query in WORDS} == WORDS


FIELD_QUERIES = {
    "标题:城南": ["H1", "T1"],
    "内容:城南": ["H1", "W2"],
    "名称:张伟": ["T1", "T2"],  # a name is also found inside a longer one
    '名称:"张伟"': ["T1"],  # quoted, a name is exactly that name: not 张伟民
    '名称:"张伟民"': ["T2"],
    '名称:"伟"': [],
    '名称:"江州明亮照明有限公司"': ["T1"],
    "名称:江州建工集团": ["T2"],
    "代码:91330100MA27XXXX0X": ["T1"],
    "代码:91330100MA27XXXX0": [],  # codes match whole: not by a prefix
    "代码:1330100MA27XXXX0X": [],  # nor by a suffix
    "身份证:330102198001011234": ["W1"],
    "身份证:33010219800101123": [],
    "电话:13812345678": ["H1"],
    "电话:1381234567": [],
    "系统:tender": ["T1", "T2", "T3"],
    "地区:cn": ["H1", "T1", "W2"],
    "地区:c": [],
    "年份:2025": ["H1", "T1", "T3", "W1"],  # T3: New Year's Day in the portal's zone
    "年份:2024": ["H2"],
    "年份:abc": [],
    "NOT 地区:cn 系统:tender": ["T2", "T3"],  # a record without region is not in region cn
}


def test_field_queries(corpus):
    assert {query: ids(query) for query in FIELD_QUERIES} == FIELD_QUERIES


def read_ids(query: str) -> list[str]:
    """Hits of the query as the pages read it (search.investigate.interpret), every system readable."""
    tree = read(query, systems=SourceSystem.objects.all()).tree
    return sorted(hit.external_id for hit in index.scan(tree))


INTERPRETED = {
    "最低生活保障": ["W1"],  # the seeded group 低保、最低生活保障: W1's title says 低保
    '"最低生活保障"': [],  # quoted: as written
    "低保 OR 井盖": ["H2", "H3", "W1"],
    "系统:救助": ["W1", "W2"],  # a part of the system's name
    "系统:低保": ["W1", "W2"],  # its short name
    "系统:Tender": ["T1", "T2", "T3"],  # its code, in any case
    "地区:城南区": ["H1", "T1", "W2"],  # a region's name
    "年份:2025年": ["H1", "T1", "T3", "W1"],
}


def test_names_and_synonyms_mean_the_same_on_both_backends(corpus):
    SourceSystem.objects.filter(code="welfare").update(name="低保与社会救助发放", short_name="低保")
    Region.objects.filter(code="cn").update(name="城南区")
    assert {query: read_ids(query) for query in INTERPRETED} == INTERPRETED


def test_the_largest_query_the_language_allows_runs(corpus):
    """As many words as a query may hold, each expanded by synonyms as far as the bound allows,
    inside the deepest nesting: both backends answer it (Elasticsearch counts clauses and
    nesting, SQLite the depth of an expression)."""
    SynonymGroup.objects.create(words="、".join(["路灯", "路灯杆", "灯杆", "照明灯"]))
    short = " OR ".join(["路灯"] * (MAX_EXPANDED_TERMS // 4))
    assert read_ids(short) == ["H1", "T3"]
    words = " ".join(f"-词{index}" for index in range(MAX_TERMS - MAX_NESTING))
    nested = "(" * (MAX_NESTING - 1) + f"-城北 {words} 城" + ")" * (MAX_NESTING - 1)
    assert read_ids(nested) == ["H1", "T1", "W2"]  # 城, not 城北


FILTERED = [
    (Filters(occurred_from=dt.date(2025, 1, 1)), ["H1", "T1", "T3", "W1"]),
    (Filters(occurred_to=dt.date(2024, 2, 8)), ["H2", "H3", "T2", "W2"]),  # the last day counts whole
    (Filters(occurred_from=dt.date(2024, 2, 8), occurred_to=dt.date(2025, 1, 1)), ["H2", "T3"]),
    (Filters(amount_min=Decimal("1280000")), ["T1", "T3"]),  # inclusive
    (Filters(amount_max=Decimal("800")), ["W1"]),
    (Filters(amount_min=Decimal("800"), amount_max=Decimal("1500")), ["W1", "W2"]),
    (Filters(systems=("tender", "welfare"), regions=("cn",)), ["T1", "W2"]),
    (Filters(agencies=("jz-hotline",)), ["H1", "H2", "H3"]),
    (Filters(years=(2023, 2022)), ["H3", "T2", "W2"]),
    (Filters(within_systems=("hotline", "welfare")), ["H1", "H2", "H3", "W1", "W2"]),
    (Filters(within_systems=()), []),
    (Filters(ingested_since=local(2026, 1, 15)), ["H1", "T1"]),
    (Filters(within_systems=("tender",), ingested_since=local(2026, 1, 15)), ["T1"]),
]


def test_filters(corpus):
    assert [(filters, ids(EVERYTHING, filters)) for filters, _expected in FILTERED] == FILTERED


def brute_facets(external_ids) -> dict[str, dict[str, int]]:
    rows = [CORPUS[external_id] for external_id in external_ids]
    return {
        "system": dict(Counter(row[0] for row in rows)),
        "region": dict(Counter(row[4] for row in rows if row[4])),
        "agency": dict(Counter(OWNERS[row[0]] for row in rows)),
        "year": dict(Counter(str(timezone.localtime(row[3]).year) for row in rows)),
    }


@pytest.mark.parametrize(("query", "filters"), [
    (EVERYTHING, None),
    ("城南 OR 井盖 OR 李娜", None),
    (EVERYTHING, Filters(within_systems=("tender", "welfare"))),  # counted within readable systems
])
def test_facets_count_what_brute_force_counts(corpus, query, filters):
    expected_ids = ids(query, filters)
    page = index.search(parse(query), filters, size=3)
    index.close(page.pit)
    assert page.total == len(expected_ids)
    assert {name: dict(buckets) for name, buckets in page.facets.items()} == brute_facets(expected_ids)
    counts = [count for _key, count in page.facets["system"]]
    assert counts == sorted(counts, reverse=True)


def test_sort_orders(corpus):
    by_date = every_hit(EVERYTHING, sort="date", size=3)
    dates = [CORPUS[external_id][3] for external_id in by_date]
    assert sorted(by_date) == sorted(CORPUS) and dates == sorted(dates, reverse=True)

    by_amount = every_hit(EVERYTHING, sort="amount", size=3)
    amounts = [CORPUS[external_id][5] for external_id in by_amount]
    known = [amount for amount in amounts if amount is not None]
    assert amounts == known + [None] * (len(amounts) - len(known))  # without an amount: last
    assert known == sorted(known, reverse=True) and len(by_amount) == len(CORPUS)

    by_relevance = every_hit("路灯 OR 城南", size=1)
    assert sorted(by_relevance) == ["H1", "T1", "T3", "W2"]
    assert by_relevance[0] == "H1"  # the only title holding both words


def marks_of(query: str, filters: Filters | None = None) -> dict[str, highlight.Marked]:
    """The hits of ``query`` and their marks, as the search page makes them (search.index.highlight)."""
    tree = parse(query)
    page = index.search(tree, filters, sort="date")
    index.close(page.pit)
    records = Record.objects.select_related("system").in_bulk([hit.record_id for hit in page.hits])
    words = highlight.words_to_mark(tree)
    return {
        hit.external_id: highlight.marked(shown_record(records[hit.record_id], identifiers=True), words)
        for hit in page.hits
    }


def test_highlights_mark_the_words_and_escape_the_record(corpus):
    marked = marks_of("路灯")
    assert marked["H1"].title == "城南<mark>路灯</mark>损坏"
    assert "大道<mark>路灯</mark>连续" in marked["H1"].fragments[0]

    marked = marks_of("井盖 OR 标记", Filters(systems=("hotline",)))
    title, body = marked["H3"].title, marked["H3"].fragments[0]
    assert "<mark>井盖</mark>" in title and "<script>" not in title and "&lt;script&gt;" in title
    assert "<mark>标记</mark>" in body and "<b>" not in body and "&amp;" in body

    marked = marks_of("名称:张伟")
    assert marked["T1"].names == {0: "<mark>张伟</mark>"}
    assert marked["T1"].title is None  # a names: query marks names only


def test_count_by_system_is_the_brute_force_count(corpus):
    queries = ["路灯", "城南", "名称:李娜", "不存在的词", EVERYTHING]
    counts = index.count_by_system([parse(query) for query in queries])
    brute = [Counter(CORPUS[external_id][0] for external_id in ids(query)) for query in queries]
    assert counts == [dict(count) for count in brute]
    within = index.count_by_system([parse("城南")], Filters(within_systems=("tender",)))
    assert within == [{"tender": 1}]


def test_remove_takes_records_out(corpus):
    gone = corpus["H1"]
    Record.objects.filter(pk=gone.pk).delete()
    index.remove([gone.pk])
    index.refresh()
    assert ids("路灯") == ["T3"]
    assert sorted(hit.external_id for hit in index.scan(parse("城南"))) == ["T1", "W2"]


def test_indexing_again_replaces(corpus):
    changed = corpus["T3"]
    Record.objects.filter(pk=changed.pk).update(title="井盖采购", body="采购井盖二百个")
    index.index(loaded(Record.objects.filter(pk=changed.pk)))
    index.refresh()
    assert ids("路灯") == ["H1"]
    assert ids("井盖") == ["H2", "H3", "T3"]


def test_reindex_rebuilds_and_keeps_the_answers(corpus):
    before = {query: ids(query) for query in ("路灯", "南路", "代码:91330100MA27XXXX0X", EVERYTHING)}
    seen = []
    index.reindex(iter(loaded()), progress=seen.append)
    index.refresh()
    assert seen[-1] == len(CORPUS)
    assert {query: ids(query) for query in before} == before


# --- complete result sets: keyset paging and scans over a snapshot -------------------------------


@pytest.fixture
def many(engine, systems):
    """250 records with many ties in date and amount, the hardest case for keyset paging."""
    amounts = [None, Decimal("10.00"), Decimal("99.50"), Decimal("1000.00")]
    rows = [
        Record(
            system=systems[("hotline", "tender", "welfare")[number % 3]], external_id=f"M{number:03}",
            title=f"批量记录{number}", body="同一天同一金额", occurred_at=local(2024, 1, 1 + number % 5),
            amount=amounts[number % 4],
        )
        for number in range(250)
    ]
    Record.objects.bulk_create(rows)
    index.index(loaded())
    index.refresh()
    return sorted(record.external_id for record in rows)


@pytest.mark.parametrize("sort", ["relevance", "date", "amount"])
def test_paging_visits_every_hit_exactly_once(many, sort):
    assert sorted(every_hit("批量", sort=sort, size=7)) == many


def test_pages_keep_their_snapshot_while_records_arrive(many, systems):
    first = index.search(parse("批量"), sort="date", size=7)
    seen = [hit.external_id for hit in first.hits]
    late = Record.objects.create(system=systems["hotline"], external_id="LATE", title="批量迟到",
                                 occurred_at=local(2030, 1, 1))
    index.index(loaded(Record.objects.filter(pk=late.pk)))
    index.refresh()
    after, pit = first.next_after, first.pit
    while after is not None:
        page = index.search(parse("批量"), sort="date", size=7, after=after, pit=pit)
        seen += [hit.external_id for hit in page.hits]
        after, pit = page.next_after, page.pit
    index.close(pit)
    assert sorted(seen) == many
    assert "LATE" in every_hit("批量")  # a new search sees it


@pytest.mark.parametrize("sort", ["date", "amount", "relevance"])
def test_scan_returns_every_hit_once(many, sort):
    scanned = [hit.external_id for hit in index.scan(parse("批量"), sort=sort, batch=9)]
    assert sorted(scanned) == many
    half = [hit.external_id for hit in index.scan(parse("批量"), Filters(systems=("tender",)), batch=9)]
    assert sorted(half) == [external_id for external_id in many if int(external_id[1:]) % 3 == 1]


# --- past the exact count (settings.SEARCH_EXACT_COUNT): "more than", and every hit still there ---


@pytest.fixture
def bound(settings):
    settings.SEARCH_EXACT_COUNT = 100  # of the 250 records of ``many``
    return 100


def test_a_search_past_the_bound_says_more_than(many, bound):
    page = index.search(parse("批量"), size=7)
    index.close(page.pit)
    assert (page.total, page.total_exact) == (bound, False)
    tender = index.search(parse("批量"), Filters(systems=("tender",)), size=7)  # 83 records
    index.close(tender.pit)
    assert (tender.total, tender.total_exact) == (83, True)


def test_the_bound_itself_is_still_exact(many, settings):
    settings.SEARCH_EXACT_COUNT = 250
    page = index.search(parse("批量"), size=7)
    index.close(page.pit)
    assert (page.total, page.total_exact) == (250, True)
    settings.SEARCH_EXACT_COUNT = 249
    page = index.search(parse("批量"), size=7)
    index.close(page.pit)
    assert (page.total, page.total_exact) == (249, False)


@pytest.mark.parametrize("sort", ["relevance", "date", "amount"])
def test_paging_and_scans_past_the_bound_reach_every_hit(many, bound, sort):
    assert sorted(every_hit("批量", sort=sort, size=7)) == many
    scanned = [hit.external_id for hit in index.scan(parse("批量"), sort=sort, batch=9)]
    assert sorted(scanned) == many  # exports read every hit, however many the count stopped at


def newest(external_ids: list[str], count: int) -> list[str]:
    records = Record.objects.filter(external_id__in=external_ids).order_by("-occurred_at", "-pk")
    return [record.external_id for record in records[:count]]


def test_past_the_bound_the_order_and_facets_say_what_they_are(many, bound, engine):
    page = index.search(parse("批量"), size=20)
    index.close(page.pit)
    system_counts = dict(page.facets["system"])
    if engine == "elasticsearch":  # ranks and aggregates every hit itself, cheaply
        assert (page.sort, page.facets_counted) == ("relevance", None)
        assert sum(system_counts.values()) == 250
    else:  # no per-hit score past the bound: newest first, facets over the newest hundred
        assert (page.sort, page.facets_counted) == ("date", bound)
        assert [hit.external_id for hit in page.hits] == newest(many, 20)
        assert all(hit.score is None for hit in page.hits)
        counted = Record.objects.filter(external_id__in=newest(many, bound)).select_related("system")
        assert system_counts == dict(Counter(record.system.code for record in counted))
        assert dict(page.facets["year"]) == dict(Counter(
            str(timezone.localtime(record.occurred_at).year) for record in counted))
    exact = index.search(parse("批量"), Filters(systems=("tender",)), size=20)
    index.close(exact.pit)
    assert (exact.sort, exact.facets_counted) == ("relevance", None)

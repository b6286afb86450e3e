"""Words of one or two characters on the embedded backend (search/index/short_terms.py): answered from
the short-term table on SQLite, by a scan on PostgreSQL, and either way exactly the substring
search that longer words get. The table is kept in step with every write of the trigram table."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from search import index
from search.index import _embedded, short_terms
from search.index.query import And, Not, Or, Term, parse
from search.models import Record, SourceSystem

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
LETTERS = ["张", "伟", "王", "a", "A", "b", "1", ",", '"', "_", "%", "É", "é"]
TEXT = st.text(alphabet=st.sampled_from([*LETTERS, " ", "\n"]), max_size=8)
WORD = st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=2)
LONG_WORD = st.text(alphabet=st.sampled_from(LETTERS), min_size=3, max_size=4)


@pytest.fixture(autouse=True)
def embedded_backend(settings):
    settings.SEARCH_BACKEND = "embedded"


@pytest.fixture
def system(db):
    return SourceSystem.objects.create(code="hotline", name="热线")


def store(system, texts: dict[str, tuple[str, str, list[str]]]) -> list[Record]:
    """Write the records (replacing those with the same external id) and index them."""
    for external_id, (title, body, names) in texts.items():
        Record.objects.update_or_create(
            system=system, external_id=external_id,
            defaults={"title": title, "body": body, "names": names, "occurred_at": WHEN},
        )
    records = list(Record.objects.select_related("system", "region").order_by("pk"))
    index.index(records)
    return records


def found(tree) -> set[str]:
    return {hit.external_id for hit in index.scan(tree)}


def holds(texts, word: str, field: str | None = None) -> set[str]:
    """By brute force: the records whose field (or any text field) holds ``word``, ignoring case."""
    wanted = word.lower()
    matching = set()
    for external_id, (title, body, names) in texts.items():
        fields = {"title": title, "body": body, "names": "\n".join(names)}
        searched = [fields[field]] if field else fields.values()
        if any(wanted in text.lower() for text in searched):
            matching.add(external_id)
    return matching


def vocabulary() -> dict[str, int]:
    """Token → how many records hold it, as the short-term table says (fts5vocab)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chars_vocabulary "
            f"USING fts5vocab(main, {short_terms.TABLE}, row)"
        )
        cursor.execute("SELECT term, doc FROM temp.chars_vocabulary")
        return dict(cursor.fetchall())


def expected_vocabulary(records) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        tokens = set()
        for text in (record.title, record.body, "\n".join(record.names)):
            tokens.update(short_terms.tokens(text).split())
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    return counts


@contextmanager
def sql_run():
    with CaptureQueriesContext(connection) as queries:
        yield queries


@settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.dictionaries(
        st.sampled_from(["R1", "R2", "R3", "R4", "R5"]),
        st.tuples(TEXT, TEXT, st.lists(TEXT.filter(bool), max_size=2)),
        min_size=1,
    ),
    words=st.lists(WORD, min_size=1, max_size=4),
    long_word=LONG_WORD,
    field=st.sampled_from([None, "title", "body", "names"]),
)
def test_short_words_find_what_a_substring_search_finds(system, texts, words, long_word, field):
    """Each example replaces the records of the one before: the table must forget their text."""
    gone = Record.objects.exclude(external_id__in=list(texts))
    index.remove(list(gone.values_list("pk", flat=True)))
    gone.delete()
    store(system, texts)
    for word in words:
        assert found(Term(word, field=field)) == holds(texts, word, field), word
    each = [holds(texts, word, field) for word in words]
    terms = [Term(word, field=field) for word in words]
    assert found(Or((*terms, Term(long_word)))) == set().union(*each, holds(texts, long_word))
    assert found(And(tuple(terms))) == set.intersection(*each)
    if len(terms) > 1:
        assert found(And((terms[0], Not(Or(tuple(terms[1:])))))) == each[0] - set().union(*each[1:])


def test_replaced_and_removed_records_leave_no_tokens_behind(system):
    records = store(system, {"R1": ("张伟 路灯", "City LIGHT", ["王芳"]), "R2": ("噪音", "a,b", [])})
    if connection.vendor == "sqlite":
        assert vocabulary() == expected_vocabulary(records)
    records = store(system, {"R1": ("李娜", "", ["赵六"])})  # R1 replaced, R2 as it was
    assert found(Term("伟")) == set()
    assert found(Term("李")) == {"R1"}
    assert found(Term("a,")) == {"R2"}
    if connection.vendor == "sqlite":
        assert vocabulary() == expected_vocabulary(records)
    index.index(records + records[:1])  # the same record twice in one call
    if connection.vendor == "sqlite":
        assert vocabulary() == expected_vocabulary(records)
    index.remove([record.pk for record in records] + [records[0].pk])
    if connection.vendor == "sqlite":
        assert found(Term("李")) == found(Term("a,")) == set()
        assert vocabulary() == {}
    else:  # on PostgreSQL the records table is the index: a record is found while it is there
        assert found(Term("李")) == {"R1"}


def test_reindex_rebuilds_the_short_term_table(system):
    records = store(system, {"R1": ("张伟", "", []), "R2": ("王芳", "", [])})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            short_terms.forget(cursor, [records[0].pk])  # the table lost a record somehow
    assert found(Term("张")) == (set() if connection.vendor == "sqlite" else {"R1"})
    index.reindex(records)
    assert found(Term("张")) == {"R1"}
    assert found(Term("王芳")) == {"R2"}
    if connection.vendor == "sqlite":
        assert vocabulary() == expected_vocabulary(records)


def test_a_database_made_before_the_table_is_filled_from_the_trigram_table(system):
    """What migration 0006 does for the records already indexed."""
    records = store(system, {f"R{n}": (f"第{n}号 张伟", "正文", []) for n in range(5)})
    if connection.vendor != "sqlite":
        assert found(Term("伟")) == {record.external_id for record in records}
        return
    with connection.cursor() as cursor:
        short_terms.empty(cursor)
        assert found(Term("伟")) == set()
        assert short_terms.fill_from_trigram_table(cursor, chunk=2) == len(records)
    assert found(Term("伟")) == {record.external_id for record in records}
    assert vocabulary() == expected_vocabulary(records)


def test_fifty_ored_one_character_words_are_one_full_text_query(system):
    characters = (
        "张伟王芳李娜赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹"
        "严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭"
    )
    assert len(characters) == 50
    store(system, {"R1": ("无关", "", []), "R2": ("彭", "", []), "R3": ("", "", ["章三"])})
    tree = parse(" OR ".join(characters))
    with sql_run() as queries:
        page = index.search(tree, facets=True)
    assert {hit.external_id for hit in page.hits} == {"R2", "R3"}
    assert page.total == 2
    if connection.vendor == "sqlite":
        searches = [query["sql"] for query in queries.captured_queries if "MATCH" in query["sql"]]
        assert searches
        for sql in searches:
            assert sql.count(f"{short_terms.TABLE} MATCH") == 1, sql
            assert "search_record_fts" not in sql  # no scan of the trigram table's text


def test_words_of_different_lengths_share_an_and(system):
    store(system, {"R1": ("城南路灯不亮", "", []), "R2": ("城南噪音", "", []), "R3": ("路灯", "", [])})
    assert found(parse("城南 路灯")) == {"R1"}
    assert found(parse("南 灯不亮")) == {"R1"}
    assert found(parse("城 OR 不亮")) == {"R1", "R2"}
    assert found(parse('"城南 路" OR 噪')) == {"R1", "R2"}  # a word whose two forms are in two tables
    assert found(And((Term("城 南"), Term("路")))) == {"R1"}
    assert _embedded.variants("城 南") == ["城 南", "城南"]

"""The investigator's query language: what each query means, and a clear message for every
query that cannot be read (never a server error)."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import MAX_TERMS, And, Not, Or, QuerySyntaxError, Term, parse, terms


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("虚开发票", Term("虚开发票")),
        ('"城南  路灯"', Term("城南 路灯", phrase=True)),
        ("“城南 路灯”", Term("城南 路灯", phrase=True)),
        ("路灯 维修", And((Term("路灯"), Term("维修")))),
        ("路灯 AND 维修", And((Term("路灯"), Term("维修")))),
        ("路灯 && 维修", And((Term("路灯"), Term("维修")))),
        ("路灯 OR 井盖", Or((Term("路灯"), Term("井盖")))),
        ("路灯 || 井盖", Or((Term("路灯"), Term("井盖")))),
        ("NOT 撤诉", Not(Term("撤诉"))),
        ("-撤诉", Not(Term("撤诉"))),
        ("！撤诉", Not(Term("撤诉"))),
        (
            "(路灯 OR 井盖) -已办结",
            And((Or((Term("路灯"), Term("井盖"))), Not(Term("已办结")))),
        ),
        ("（路灯 OR 井盖）", Or((Term("路灯"), Term("井盖")))),
        ("a OR b c", Or((Term("a"), And((Term("b"), Term("c")))))),
        ("名称:张伟", Term("张伟", field="names")),
        ("name：张伟", Term("张伟", field="names")),
        ('标题:"城南 路灯"', Term("城南 路灯", field="title", phrase=True)),
        ("代码:91330100MA27XXXX0X 地区:东湖区", And((
            Term("91330100MA27XXXX0X", field="credit_codes"), Term("东湖区", field="region"),
        ))),
        ("-地区:东湖区", Not(Term("东湖区", field="region"))),
        ("路灯 !系统:hotline-12345", And((Term("路灯"), Not(Term("hotline-12345", field="system"))))),
        ("https://example.org/a", Term("https://example.org/a")),
        ("and or not", And((Term("and"), Term("or"), Term("not")))),  # lower case: ordinary words
        ("2024-01", Term("2024-01")),
    ],
)
def test_what_a_query_means(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize(
    ("query", "position", "says"),
    [
        ("", 0, "Type something"),
        ("   ", 0, "Type something"),
        ('"城南 路灯', 0, "quotation mark is not closed"),
        ('路灯 ""', 3, "hold nothing"),
        ("(路灯 OR 井盖", 0, "opened but not closed"),
        ("路灯)", 2, "closing parenthesis without"),
        ("路灯 OR", 5, "ends where a word was expected"),
        ("OR 路灯", 0, "needs a word or a phrase on each side"),
        ("路灯 AND AND 井盖", 7, "needs a word"),
        ("NOT", 3, "ends where a word was expected"),
        ("颜色:红", 0, "not a field you can search in"),
        ("名称: 张伟", 0, "nothing to search for"),
        ('名称:"张伟', 3, "quotation mark is not closed"),
        ("()", 1, "needs a word"),
    ],
)
def test_a_query_it_cannot_read_is_explained(query, position, says):
    with translation.override("en"), pytest.raises(QuerySyntaxError) as error:
        parse(query)
    assert says in error.value.message
    assert error.value.position == position


def test_the_explanation_is_in_the_users_language():
    with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
        parse("颜色:红")
    assert error.value.message.startswith("“颜色”不是可查询的字段")  # their own word, named back


def test_a_query_is_bounded():
    with pytest.raises(QuerySyntaxError):
        parse(" ".join(["词"] * (MAX_TERMS + 1)))
    with pytest.raises(QuerySyntaxError):
        parse("词" * 2_001)


def test_terms_lists_every_term_in_order():
    assert terms(parse('(路灯 OR 名称:张伟) -"已 办结"')) == [
        Term("路灯"), Term("张伟", field="names"), Term("已 办结", phrase=True),
    ]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('路灯名称:："“”()（）-!！ ANDORT|&x1')), max_size=40))
def test_any_text_parses_or_is_explained(text):
    """Whatever is typed, the answer is a tree or a QuerySyntaxError: never anything else."""
    try:
        tree = parse(text)
    except QuerySyntaxError as error:
        assert error.message
        assert 0 <= error.position <= len(text)
    else:
        assert terms(tree)


def test_positions_count_from_what_was_typed():
    with pytest.raises(QuerySyntaxError) as error:
        parse("  路灯)")
    assert error.value.position == 4

"""The investigator's query language: what each query means, and a clear message for every
query that cannot be read (never a server error)."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from search.index.query import (
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    And,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    parse,
    terms,
)


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
        # Operators and field names in any case; quoted, an operator is an ordinary word.
        ("路灯 and 维修", And((Term("路灯"), Term("维修")))),
        ("路灯 Or 井盖", Or((Term("路灯"), Term("井盖")))),
        ("not 撤诉", Not(Term("撤诉"))),
        ('"and" "OR"', And((Term("and", phrase=True), Term("OR", phrase=True)))),
        ("NAME:张伟", Term("张伟", field="names")),
        ("ｎａｍｅ：张伟", Term("张伟", field="names")),  # full-width letters and colon
        ("System:医保", Term("医保", field="system")),
        # Quoted, a name is exact (search.index._elastic / search.index._embedded); unquoted, a part of one.
        ('名称:"张伟"', Term("张伟", field="names", phrase=True)),
        (f"{'(' * MAX_NESTING}路灯{')' * MAX_NESTING}", Term("路灯")),
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
        # A field with nothing after it, at the end or before a space or a parenthesis.
        ("名称:", 0, "nothing to search for"),
        ("年份：", 0, "nothing to search for"),
        ("路灯 地区:", 3, "nothing to search for"),
        ("名称:)", 0, "nothing to search for"),
        ('名称:""', 3, "hold nothing"),
        ("and", 0, "needs a word or a phrase on each side"),
        ("路灯 or or 井盖", 6, "needs a word"),
        # Nesting deeper than MAX_NESTING, counted where it goes too deep.
        (f"{'(' * (MAX_NESTING + 1)}路灯{')' * (MAX_NESTING + 1)}", MAX_NESTING, "nested too deeply"),
        (f"{'-' * (MAX_NESTING + 1)}路灯", MAX_NESTING, "nested too deeply"),
        (f"{'NOT ' * (MAX_NESTING + 1)}路灯", 4 * MAX_NESTING, "nested too deeply"),
        (f"{'(-' * 6}路灯{')' * 6}", MAX_NESTING, "nested too deeply"),
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
    assert len(terms(parse(" OR ".join(["词"] * MAX_TERMS)))) == MAX_TERMS


@pytest.mark.parametrize(
    "query",
    [
        "词" * (MAX_QUERY_LENGTH + 1),
        "(" * 10_000,  # would exhaust the parser's recursion
        "-" * 100_000 + "x",
        "路灯 OR " * 5_000,
        "a" * 1_000_000,
    ],
)
def test_a_query_too_long_is_refused_before_it_is_read(query):
    with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
        parse(query)
    assert error.value.message == f"查询内容过长：最多 {MAX_QUERY_LENGTH} 个字符。"
    assert error.value.position == MAX_QUERY_LENGTH


def test_thousands_of_operators_within_the_length_are_explained():
    for query in ("OR " * 600, "路灯 " + "AND " * 400 + "井盖", "!" * 1_500 + "x", "(" * 1_999 + "x",
                  "()" * 999):
        with pytest.raises(QuerySyntaxError) as error:
            parse(query)
        assert 0 <= error.value.position <= len(query)


def test_terms_lists_every_term_in_order():
    assert terms(parse('(路灯 OR 名称:张伟) -"已 办结"')) == [
        Term("路灯"), Term("张伟", field="names"), Term("已 办结", phrase=True),
    ]


def _parses_or_is_explained(text):
    try:
        tree = parse(text)
    except QuerySyntaxError as error:
        assert error.message
        assert 0 <= error.position <= len(text)
    else:
        assert terms(tree)


SYNTAX = list('路灯名称年份:："“”()（）-!！ ANDORTandort|&x1')


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(SYNTAX), max_size=40))
def test_any_text_parses_or_is_explained(text):
    """Whatever is typed, the answer is a tree or a QuerySyntaxError: never anything else."""
    _parses_or_is_explained(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "（", "）", "-", "!", "NOT ", "AND ", "or ", "||", "&&", " ",
                                 "名称:", "年份：", '"', "路灯"]), max_size=600).map("".join))
def test_long_runs_of_syntax_parse_or_are_explained(text):
    _parses_or_is_explained(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2_500))
def test_any_unicode_parses_or_is_explained(text):
    _parses_or_is_explained(text)


def test_positions_count_from_what_was_typed():
    with pytest.raises(QuerySyntaxError) as error:
        parse("  路灯)")
    assert error.value.position == 4

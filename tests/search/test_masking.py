"""The masking function itself: the written forms it recognises, what it keeps, and a property
test over many generated texts (the pages and exports are tested in test_masking_pages.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.index import highlight
from search.masking import ShownRecord, mask_identifier, mask_text, shown_key, shown_record
from search.models import Record, SourceSystem
from tests.search.written_numbers import FILLER, assert_hidden, queries, texts, written_numbers


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("电话13812345678。", "电话138****5678。"),
        ("138-1234-5678", "138-****-5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("138.1234.5678", "138.****.5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("0086-13812345678", "0086-138****5678"),
        ("(+86)13812345678", "(+86)138****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
        ("身份证11010519900307123x号", "身份证110105********123x号"),
        ("11010519900307123Ｘ", "110105********123Ｘ"),
        ("110105 19900307 123X", "110105 ******** 123X"),
        # The older 15-digit ID number (replaced by 2013) is a long run like any other.
        ("110105900307123", "110********7123"),
        ("0571-8765 4321", "0571-**** 4321"),
        ("(010)12345678", "(010)****5678"),
        ("（010）1234-5678", "（010）****-5678"),
        ("010-1234567", "010-***4567"),
        ("+86 571 8765 4321", "+86 571 **** 4321"),
        ("0571-87654321 转 8001", "0571-****4321 转 8001"),  # an extension stays
        # Written without a space, an extension makes other readings too (18765432180 could be a
        # mobile): every reading is masked, so more digits go.
        ("0571-87654321-8001", "0571-******21-8001"),
        # Numbers side by side, read every way they could be.
        ("13077770000130 7777 0000", "130*********** **** 0000"),
        # A date written right before a number, with only a space between, could be the start of
        # a miswritten ID number run into it: it is masked with the number (safe before readable).
        ("2024-03-05 13812345678", "202*-**-** *******5678"),
        ("2024-03-05，13812345678", "2024-03-05，138****5678"),
        # Inside a longer run: all but the first three and last four digits go.
        ("账号12110105199003071234567", "账号121****************4567"),
        ("1381234567813812345678", "138***************5678"),
        # Not numbers: left as they are.
        ("2024.03.05", "2024.03.05"),
        ("金额1234.56元，编号 20240305", "金额1234.56元，编号 20240305"),
        ("91330100MA2AB1234X", "91330100MA2AB1234X"),  # a credit code
        ("", ""),
    ],
)
def test_it_recognises_the_written_forms(written, masked):
    assert mask_text(written) == masked


def test_identifier_fields_are_masked_even_when_they_do_not_read_as_numbers():
    assert mask_identifier("13812345678") == "138****5678"
    assert mask_identifier("87654321") == "****4321"  # a local number without its area code
    assert mask_identifier("12345") == "*****"
    assert mask_identifier("") == ""


def test_a_column_a_record_key_reads_as_an_id_or_phone_number_is_masked_as_one():
    mapping = {"phones": ["联系电话"], "keys": [
        {"column": "紧急联系人电话", "kind": "phone", "role": "contact"},
        {"column": "经办人证件号", "kind": "id_number", "role": "clerk"},
        {"column": "地址", "kind": "address", "role": "location"},
    ]}
    raw = {"联系电话": "87654321", "紧急联系人电话": "87654322", "经办人证件号": "1101051990",
           "地址": "人民路87654323号"}
    record = Record(system=SourceSystem(code="hotline", field_mapping=mapping), title="", body="", raw=raw)

    assert shown_record(record, identifiers=False).raw == [
        ("联系电话", "****4321"), ("紧急联系人电话", "****4322"), ("经办人证件号", "******1990"),
        ("地址", "人民路87654323号"),  # a local number without its area code reads as no number in text
    ]


def test_huge_runs_are_masked_whole():
    spaced = "1 " * 50_000  # one run of 50,000 groups: read as ID numbers, one after another
    masked = mask_text(spaced)
    assert len(masked) == len(spaced) and masked.startswith("1 1 1 * ") and masked.endswith(" 1 1 1 1 ")
    run = mask_text("8" * 200_000)
    assert run == "888" + "*" * (200_000 - 7) + "8888"


@given(numbers=st.lists(written_numbers(), min_size=1, max_size=5), data=st.data())
@settings(max_examples=500, deadline=None)
def test_no_written_number_keeps_a_hidden_digit(numbers, data):
    text = data.draw(texts(numbers))
    assert_hidden(mask_text(text), numbers, "mask_text")


@given(numbers=st.lists(written_numbers(), min_size=1, max_size=3), data=st.data())
@settings(max_examples=300, deadline=None)
def test_marks_and_excerpts_cut_from_the_masked_text_keep_no_hidden_digit(numbers, data):
    """Whatever the query and wherever a fragment's boundary falls."""
    body = data.draw(FILLER) * data.draw(st.integers(0, 15)) + data.draw(texts(numbers))
    shown = ShownRecord(
        title=mask_text(data.draw(texts(numbers))), body=mask_text(body), names=[mask_text(numbers[0].text)],
        id_numbers=[], phones=[], raw=[], identifiers=False,
    )
    query = data.draw(queries(numbers))
    from search.index.query import parse

    marked = highlight.marked(shown, highlight.words_to_mark(parse(query)))
    for piece in [marked.title or "", *marked.fragments, *marked.names.values()]:
        assert_hidden(piece, numbers, f"marks of {query!r}")


@pytest.mark.parametrize("kind, value", [
    ("credit_code", "91339905706450564Y"),  # reads like an ID number to mask_text
    ("organisation", "江州市西山区教育局"),
    ("project", "JZ-2024-0808"),
])
def test_a_key_naming_a_company_a_unit_or_a_project_is_shown_as_it_is(kind, value):
    assert shown_key(kind, value, identifiers=False) == value


def test_a_persons_keys_are_masked_unless_the_reader_sees_identifiers():
    number = "330102199001011237"
    assert shown_key("id_number", number, identifiers=False) == mask_identifier(number) != number
    assert shown_key("id_number", number, identifiers=True) == number
    assert "13812345678" not in shown_key("address", "西山区人民路 13812345678 号", identifiers=False)

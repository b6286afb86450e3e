"""The normalisers of record keys' values (search/ingest/keys.py): examples, then fuzzing."""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from search.ingest import keys
from search.ingest.identifiers import is_id_number, normalise
from search.models import KeyKind
from tests.search.ingest.test_ingest import credit_code, id_number, wrong_check

FULL_WIDTH = str.maketrans(
    {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)} | {" ": "\u3000"}
)


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


# --- ID numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("written", [
    "11010519491231002X", "11010519491231002x", " 110105 19491231 002X ", "110105\u300019491231002x",
    "１１０１０５１９４９１２３１００２ｘ", "１１０１０５１９４９１２３１００２Ｘ",
])
def test_an_id_number_is_read_however_it_is_written(written):
    assert keys.id_number(written) == "11010519491231002X"


@pytest.mark.parametrize("written", [
    "１１０１０５１９４９１２３１００２ｘ", "11010519491231002x", " 110105 19491231 002X ",
])
def test_a_rows_id_numbers_column_reads_full_width_and_lower_case_numbers_as_the_number(written):
    # The record's own ID numbers (search.ingest.mapping), not only its keys: a full-width
    # number typed in a Chinese input method is no reason to refuse the row.
    assert normalise(written) == "11010519491231002X" and is_id_number(normalise(written))


def test_a_first_generation_id_number_becomes_the_one_that_replaced_it():
    # 15 digits: no century, no check character. Born 1949-12-31 → 110105 19 491231 002 + X.
    assert keys.id_number("110105491231002") == "11010519491231002X"
    assert keys.id_number("１１０１０５ ４９１２３１ ００２") == "11010519491231002X"
    upgraded = keys.id_number("530102800229123")  # 29 February 1980
    assert upgraded == id_number("530102", "19800229", "123") and is_id_number(upgraded)


@pytest.mark.parametrize("written", [
    wrong_check(id_number()), id_number()[:17], id_number() + "1", id_number(birth="19810229"),
    "110105490229002",  # 15 digits, 29 February 1949: no such day
    "11010519491231002Y", "ID 11010519491231002X", "", "   ", "一二三",
])
def test_what_is_no_id_number_gives_none(written):
    assert keys.id_number(written) is None


# --- credit codes ----------------------------------------------------------------------------------
def test_a_credit_code_is_upper_cased_and_checked():
    code = credit_code()
    assert keys.credit_code(code.lower()) == code
    assert keys.credit_code(f" {code[:9]} {code[9:]} ") == code
    assert keys.credit_code(full_width(code.lower())) == code
    assert keys.credit_code(wrong_check(code)) is None
    assert keys.credit_code(code[:17]) is None
    assert keys.credit_code("91530100MA6K0000I0") is None  # I is not one of its characters


# --- phones ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "stored"), [
    ("13812345678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("0086-138-1234-5678", "13812345678"),
    ("(+86) 138-1234-5678", "13812345678"),
    ("１３８－１２３４－５６７８", "13812345678"),
    ("＋８６ １３８１２３４５６７８", "13812345678"),
    ("0571-8765 4321", "057187654321"),
    ("(0571)87654321", "057187654321"),
    ("（０５７１）８７６５４３２１", "057187654321"),
    ("010-12345678", "01012345678"),
    ("+86 10 1234 5678", "01012345678"),
    ("+86 (0571) 8765 4321", "057187654321"),
])
def test_a_phone_number_is_stored_as_its_digits(written, stored):
    assert keys.phone(written) == stored


@pytest.mark.parametrize("written", [
    "12345",  # a service number
    "87654321",  # a local number without its area code
    "138-1234-567",  # a digit short
    "138123456789",  # a digit too many
    "0571-87654321转8001",  # an extension
    "11010519491231002X",  # an ID number
    "电话：13812345678", "", "-",
])
def test_what_is_no_phone_number_gives_none(written):
    assert keys.phone(written) is None


# --- plates, addresses, projects, units ----------------------------------------------------------
@pytest.mark.parametrize(("written", "stored"), [
    ("江A12345", "江A12345"), ("江a12345", "江A12345"), ("江A·12345", "江A12345"), ("江A-12345", "江A12345"),
    (" 江A 123 45 ", "江A12345"), ("江Ａ１２３４５", "江A12345"), ("江ａ・１２３４５", "江A12345"),
    ("浙AD12345", "浙AD12345"),  # a new-energy plate: six after the letter
    ("苏E1234学", "苏E1234学"), ("粤Z1234港", "粤Z1234港"),
])
def test_a_plate_is_upper_case_half_width_and_unbroken(written, stored):
    assert keys.plate(written) == stored


@pytest.mark.parametrize("written", ["A12345", "江A123", "江A1234567", "江12345A", "江A1234", ""])
def test_what_is_no_plate_gives_none(written):
    assert keys.plate(written) is None


def test_an_address_keeps_its_words_in_half_width_with_single_spaces():
    assert keys.address("江州市东湖区  人民路１２号\n３栋") == "江州市东湖区 人民路12号 3栋"
    assert keys.address("\u3000东湖区人民路12号 ") == "东湖区人民路12号"
    assert keys.address("东湖区Ａ座") == keys.address("东湖区A座") == "东湖区A座"
    assert keys.address(" \n ") is None
    assert keys.address("路" * 201) is None and keys.address("路" * 200) == "路" * 200


def test_a_units_name_is_read_as_an_address_is():
    assert keys.NORMALISERS[KeyKind.ORGANISATION]("江州市（东湖区）财政局") == "江州市(东湖区)财政局"
    assert keys.NORMALISERS[KeyKind.ORGANISATION](" 江州市 财政局 ") == "江州市 财政局"


def test_a_project_code_is_upper_case_and_without_spaces():
    assert keys.project(" jzgz2023-0001 ") == "JZGZ2023-0001"
    assert keys.project("ｊｚｇｚ ２０２３ ０００１") == "JZGZ20230001"
    assert keys.project("2023-330102-47-01-000123") == "2023-330102-47-01-000123"
    assert keys.project("  ") is None


def test_every_kind_has_a_normaliser():
    assert set(keys.NORMALISERS) == set(KeyKind.values)


# --- fuzzing ---------------------------------------------------------------------------------------
NORMALISERS = sorted(keys.NORMALISERS.items())
# Values as exports write them: ASCII, full-width forms, ideographs, separators, odd spaces.
WRITTEN = st.text(st.sampled_from(
    "0123456789xXaAzZ江浙苏学港东湖区路号 -·.()+（）－＋　\t\n０１２８９ｘＸ¨ﬀ"
), max_size=30)


@pytest.mark.parametrize(("kind", "normalise"), NORMALISERS, ids=[kind for kind, _f in NORMALISERS])
@given(text=st.text() | WRITTEN)
@example(text="U¨")  # NFKC writes ¨ as a space and a diaeresis, which joins the U once the space goes
def test_a_normalised_value_normalises_to_itself(kind, normalise, text):
    value = normalise(text)  # never raises
    assert value is None or normalise(value) == value


@pytest.mark.parametrize(("kind", "normalise"), NORMALISERS, ids=[kind for kind, _f in NORMALISERS])
@given(text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)) | WRITTEN)
def test_full_width_and_half_width_forms_give_the_same_key(kind, normalise, text):
    assert normalise(full_width(text)) == normalise(text)


@given(
    area=st.sampled_from(["110105", "330102", "530102", "339902"]),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    sequence=st.integers(0, 999),
    spaced=st.booleans(), wide=st.booleans(), lower=st.booleans(),
)
def test_every_real_id_number_is_found_in_any_of_its_forms(area, birth, sequence, spaced, wide, lower):
    number = id_number(area, birth.strftime("%Y%m%d"), f"{sequence:03d}")
    written = f"{number[:6]} {number[6:14]} {number[14:]}" if spaced else number
    written = written.lower() if lower else written
    assert keys.id_number(full_width(written) if wide else written) == number

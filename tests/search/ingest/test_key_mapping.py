"""The ``keys`` of a field mapping: its checks and their messages, and the keys a row gives."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from search.ingest.mapping import Key, Mapping, MappingError, RowMapper, RowRejected
from search.models import SourceSystem
from tests.search.ingest.test_ingest import MAPPING, credit_code, id_number, row, wrong_check

KEYS = [
    {"column": "身份证号", "kind": "id_number", "role": "legal_representative"},
    {"column": "统一社会信用代码", "kind": "credit_code", "role": "bidder"},
    {"column": "统一社会信用代码", "kind": "credit_code", "role": "winning_bidder", "amount": "中标金额",
     "when": {"column": "是否中标", "equals": "是"}},
    {"column": "联系电话", "kind": "phone", "role": "bidder"},
]
GOOD = {"column": "身份证号", "kind": "id_number", "role": "payee"}


def mapper(keys=KEYS) -> RowMapper:
    system = SourceSystem(code="bidding", name="招投标系统", field_mapping={**MAPPING, "keys": keys})
    return RowMapper(system, Mapping.of(system), {})


def keys_of(row_, keys=KEYS) -> list[Key]:
    rows = mapper(keys)
    return rows.keys(row_, rows.map(row_))


def mapping_error(keys) -> str:
    with pytest.raises(MappingError) as error:
        mapper(keys)
    return str(error.value)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- what a row gives ------------------------------------------------------------------------------
def test_a_row_gives_its_keys_normalised_dated_and_with_the_records_amount():
    found = keys_of(row(是否中标="否", 统一社会信用代码=credit_code().lower()))

    day, amount = datetime.date(2024, 3, 5), Decimal("1234567.89")  # 受理时间 and 中标金额 of row()
    assert found == [
        Key("legal_representative", "id_number", id_number(), day, amount),
        Key("bidder", "credit_code", credit_code(), day, amount),
        Key("bidder", "phone", "087163100000", day, amount),  # "0871-63100000；13800000000"
        Key("bidder", "phone", "13800000000", day, amount),
    ]


@pytest.mark.parametrize(("won", "winner"), [("是", True), (" 是 ", True), ("否", False), ("", False),
                                              ("是的", False)])
def test_a_key_with_when_is_given_only_by_the_rows_that_hold_its_value(won, winner):
    found = keys_of(row(是否中标=won, 中标金额="88.5"))
    roles = [key.role for key in found if key.kind == "credit_code"]
    assert roles == (["bidder", "winning_bidder"] if winner else ["bidder"])


def test_a_key_may_take_its_date_and_amount_from_columns_of_its_own():
    keys = [{**GOOD, "date": "发放日期", "amount": "发放金额"}]

    assert keys_of(row(发放日期="2024年3月1日", 发放金额="¥1,200.50元"), keys) == [
        Key("payee", "id_number", id_number(), datetime.date(2024, 3, 1), Decimal("1200.50"))]
    # A date or amount that cannot be read leaves the key without one; the row is loaded.
    assert keys_of(row(发放日期="待补录", 发放金额="壹仟元"), keys) == [
        Key("payee", "id_number", id_number(), None, None)]
    assert keys_of(row(发放日期="", 发放金额=""), keys)[0][3:] == (None, None)


def test_the_keys_date_is_the_records_local_date():
    found = keys_of(row(受理时间="2024-03-05T23:30:00+00:00"))  # 07:30 on the 6th in Shanghai
    assert {key.date for key in found} == {datetime.date(2024, 3, 6)}


def test_a_value_that_does_not_normalise_gives_no_key_and_the_row_is_loaded():
    keys = [*KEYS, {"column": "配偶身份证号", "kind": "id_number", "role": "spouse"}]
    found = keys_of(row(联系电话="12345", 配偶身份证号=wrong_check(id_number("110105", "19700101"))), keys)

    assert [(key.role, key.kind) for key in found] == [
        ("legal_representative", "id_number"), ("bidder", "credit_code")]


def test_a_cell_may_list_several_values_and_each_key_is_given_once():
    other = id_number("110105", "19700101", "007")
    keys = [*KEYS, {"column": "配偶身份证号", "kind": "id_number", "role": "spouse"},
            {"column": "问题地址", "kind": "address", "role": "location"}]
    phones = "13800000000、138-0000-0000；+86 138 0000 0000"
    cells = {"联系电话": phones, "配偶身份证号": f"{other}，{other}", "问题地址": "东湖区人民路1号，2号楼"}
    found = keys_of(row(**cells), keys)

    assert [(key.role, key.value) for key in found if key.role != "legal_representative"
            and key.kind != "credit_code"] == [
        ("bidder", "13800000000"), ("spouse", other), ("location", "东湖区人民路1号,2号楼")]


def test_a_row_rejected_for_its_own_fields_is_rejected_as_before():
    with pytest.raises(RowRejected, match="not a valid ID number"):
        mapper().map(row(身份证号=wrong_check(id_number())))


def test_a_mapping_without_keys_gives_none():
    system = SourceSystem(code="bidding", name="招投标系统", field_mapping=MAPPING)
    rows = RowMapper(system, Mapping.of(system), {})
    assert rows.mapping.keys == ()
    assert rows.keys(row(), rows.map(row())) == []


def test_the_columns_of_the_keys_belong_to_the_mapping():
    columns = mapper().mapping.columns()
    assert {"是否中标", "中标金额", "联系电话", "身份证号"} <= set(columns)
    assert len(columns) == len(set(columns))


# --- the checks ------------------------------------------------------------------------------------
ROLE_MESSAGE = ("has the role “{role}”: a role is written in lower-case letters, digits and underscores, "
                "starting with a letter (payee, winning_bidder), in at most 40 characters.")


FIRST, SECOND = "Key 1 in the field mapping of 招投标系统", "Key 2 in the field mapping of 招投标系统"
NOT_A_COLUMN = ": {field} must be the name of a column."
WHEN = ': when must be an object with a column and the value it equals, such as {"column": "是否中标", '


@pytest.mark.parametrize(("keys", "message"), [
    ({"column": "身份证号"}, "The field mapping of 招投标系统 gives keys as something other than a list."),
    (["身份证号"], f"{FIRST} is not an object with a column, a kind and a role."),
    ([{**GOOD, "colour": "red", "size": 1}], f"{FIRST} has unknown fields: colour, size."),
    ([{"kind": "id_number", "role": "payee"}], FIRST + NOT_A_COLUMN.format(field="column")),
    ([{**GOOD, "column": " "}], FIRST + NOT_A_COLUMN.format(field="column")),
    ([{**GOOD, "date": 5}], FIRST + NOT_A_COLUMN.format(field="date")),
    ([{**GOOD, "amount": ["金额"]}], FIRST + NOT_A_COLUMN.format(field="amount")),
    ([GOOD, {**GOOD, "kind": "passport"}], f"{SECOND} has the kind “passport”; the kinds are id_number, "
                                           "credit_code, phone, plate, address, project, organisation."),
    ([{**GOOD, "kind": None}], f"{FIRST} has the kind “None”;"),
    ([{**GOOD, "when": "是"}], FIRST + WHEN + '"equals": "是"}.'),
    ([{**GOOD, "when": {"column": "是否中标"}}], FIRST + WHEN),
    ([{**GOOD, "when": {"column": "是否中标", "equals": 1}}], FIRST + WHEN),
    ([{**GOOD, "when": {"column": "", "equals": "是"}}], FIRST + WHEN),
])
def test_a_key_that_cannot_be_used_is_explained(keys, message):
    assert mapping_error(keys).startswith(message)


@pytest.mark.parametrize("role", ["Payee", "pay-ee", "1payee", "_payee", "领款人", "", None, "p" * 41])
def test_a_role_is_a_slug(role):
    assert mapping_error([{**GOOD, "role": role}]) == f"{FIRST} " + ROLE_MESSAGE.format(role=role)


@pytest.mark.parametrize("role", ["payee", "winning_bidder", "p2", "p" * 40])
def test_these_roles_are_slugs(role):
    assert mapper([{**GOOD, "role": role}]).mapping.keys[0].role == role


def test_the_checks_speak_the_users_language():
    with translation.override("zh-hans"):
        first = "招投标系统 的字段映射中第 1 个关联键"
        assert mapping_error([{**GOOD, "kind": "passport"}]) == (
            f"{first}的类型“passport”无法识别；可用的类型有：id_number, credit_code, phone, plate, address, "
            "project, organisation。")
        assert mapping_error([{**GOOD, "role": "Payee"}]).startswith(f"{first}的角色“Payee”不可用")
        assert mapping_error([{**GOOD, "shape": 1}]) == f"{first}含有未知的项：shape。"

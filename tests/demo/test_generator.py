"""The record generator: every system's columns, determinism, valid identifiers, planted patterns
found by the keys its docstring names, and spoiled rows at about the asked rate."""

from collections import Counter, defaultdict
from datetime import date
from itertools import islice

import pytest

from demo import generator
from demo.generator import MIN_COUNT, World, cases, planted_facts, rows
from search.ingest.identifiers import is_credit_code, is_id_number
from search.ingest.mapping import Mapping, RowMapper, RowRejected
from search.ingest.registry import BY_CODE, SYSTEMS
from search.models import SourceSystem

COUNT = 1_000
SEED = 2026
REGIONS = {name.lower(): number for number, name in enumerate(generator.DISTRICT_NAMES + ("江州市",))}


@pytest.fixture(scope="module")
def world():
    return World(SEED, COUNT)


@pytest.fixture(scope="module")
def exports(world):
    return {spec.code: list(rows(spec.code, SEED, COUNT, world=world)) for spec in SYSTEMS}


def mapper(code: str) -> RowMapper:
    spec = BY_CODE[code]
    system = SourceSystem(code=spec.code, name=spec.name, field_mapping=spec.field_mapping)
    return RowMapper(system, Mapping.of(system), REGIONS)


def values(spec, key):
    value = spec.field_mapping.get(key, [])
    return [value] if isinstance(value, str) else value


# --- shape ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_every_row_has_exactly_the_columns_of_the_export(exports, spec):
    found = exports[spec.code]
    assert len(found) == COUNT
    assert all(list(row) == list(spec.columns) or set(row) == set(spec.columns) for row in found)
    assert spec.mapped_columns() <= set(found[0])


@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_every_row_is_loaded_by_ingestion_without_complaint(exports, spec):
    rows_mapper = mapper(spec.code)
    external_ids = set()
    for row in exports[spec.code]:
        record = rows_mapper.map(row)  # raises RowRejected with the reasons otherwise
        assert generator.START.year - 20 <= record.occurred_at.year <= generator.END.year
        assert record.title
        external_ids.add(record.external_id)
    assert len(external_ids) == COUNT
    assert not rows_mapper.unknown_regions


@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_every_id_number_and_credit_code_has_its_check_character(exports, spec):
    for row in exports[spec.code]:
        for column in values(spec, "id_numbers"):
            assert row[column] == "" or is_id_number(row[column]), (column, row[column])
        for column in values(spec, "credit_codes"):
            assert row[column] == "" or is_credit_code(row[column]), (column, row[column])
        for column in values(spec, "phones"):
            assert row[column] == "" or (len(row[column]) == 11 and row[column].startswith("1"))


def test_the_check_characters_agree_with_the_standards_examples():
    assert generator.credit_code("91", "350100", "M000100Y") == "91350100M000100Y43"
    assert is_id_number("11010519491231002X")
    person = World(SEED, COUNT).person_at(0, generator.day_of(date(1949, 12, 31)), 2)
    assert person.id_number == "33990219491231002" + person.id_number[-1]
    assert is_id_number(person.id_number)
    assert person.sex == "女"


def test_a_person_or_a_company_is_the_same_in_every_system(exports):
    names_of_id, names_of_code = defaultdict(set), defaultdict(set)
    for spec in SYSTEMS:
        pairs = [
            ("法定代表人身份证号", "法定代表人"), ("身份证号", "姓名"), ("身份证号", "救助对象姓名"),
            ("参保人身份证号", "参保人姓名"), ("驾驶证号", "当事人"), ("身份证号", "补贴对象"),
            ("申请人身份证号", "申请人"), ("学生身份证号", "学生姓名"), ("配偶身份证号", "配偶姓名"),
            ("子女身份证号", "子女姓名"), ("统一社会信用代码", "企业名称"),
            ("投标人统一社会信用代码", "投标人"),
            ("收款人统一社会信用代码", "收款人全称"), ("施工单位统一社会信用代码", "施工单位"),
        ]
        for row in exports[spec.code]:
            for key, name in pairs:
                if row.get(key) and row.get(name):
                    target = names_of_code if "信用代码" in key else names_of_id
                    target[row[key]].add(row[name])
    assert names_of_id and names_of_code
    assert {key: names for key, names in names_of_id.items() if len(names) > 1} == {}
    assert {key: names for key, names in names_of_code.items() if len(names) > 1} == {}


def test_the_rows_look_like_the_city(exports):
    officials = exports["public-officials"]
    assert all(row["所属区县"] in generator.DISTRICT_NAMES + ("江州市",) for row in officials)
    companies = [row["企业名称"] for row in exports["market-entities"]]
    assert sum(name.endswith("有限公司") for name in companies) > COUNT // 2
    assert any(row["市场主体类型"] == "个体工商户" for row in exports["market-entities"])
    bids = exports["public-resource-trading"]
    assert Counter(row["是否中标"] for row in bids)["是"] >= COUNT // 9
    dates = [row["来电时间"][:10] for row in exports["hotline-12345"]]
    assert dates[0] >= generator.START.isoformat() and dates[-1] <= generator.END.isoformat()
    assert len({date[:4] for date in dates}) == 7  # 2020 … 2026


def test_identifiers_stay_unique_in_a_large_export():
    world = World(SEED, 60_000)
    codes = [row["统一社会信用代码"] for row in rows("market-entities", SEED, 60_000, world=world)]
    assert len(set(codes)) == len(codes)
    ids = [row["身份证号"] for row in rows("death-registrations", SEED, 60_000, world=world)]
    assert len(set(ids)) == len(ids)


# --- determinism and streaming -------------------------------------------------------------------
def test_the_same_seed_and_count_give_the_same_rows(exports, world):
    for code in ("hotline-12345", "public-resource-trading", "social-assistance", "student-aid"):
        assert list(rows(code, SEED, COUNT)) == exports[code]
        assert list(rows(code, SEED, COUNT, world=world)) == exports[code]  # a world serves again


def test_another_seed_gives_other_rows(exports):
    other = list(rows("medical-insurance", SEED + 1, COUNT))
    assert other != exports["medical-insurance"]
    pairs = zip(other, exports["medical-insurance"], strict=True)
    same = sum(a["参保人身份证号"] == b["参保人身份证号"] for a, b in pairs)
    assert same < COUNT // 10


def test_rows_stream_from_any_count_without_making_them_all():
    first = list(islice(rows("vat-invoices", SEED, 10_000_000), 500))
    assert len(first) == 500
    assert first[0]["开票日期"].startswith("2020-01-01")


# --- planted patterns ----------------------------------------------------------------------------
def test_the_number_of_cases_grows_with_the_count():
    assert cases(1_000) == 3
    assert cases(10_000_000) == 43
    facts = planted_facts(SEED, COUNT)
    assert [len(facts.shared_legal_reps), len(facts.paid_after_death), len(facts.relative_wins),
            len(facts.reopened_complaints)] == [3, 3, 3, 3]


def shared_legal_reps(exports) -> dict:
    """Pattern 1 as the docstring says to find it: (tender, legal representative) → bidders."""
    groups = defaultdict(set)
    for row in exports["public-resource-trading"]:
        groups[(row["项目编号"], row["法定代表人身份证号"])].add(row["投标人统一社会信用代码"])
    return {key: codes for key, codes in groups.items() if len(codes) > 1}


def test_one_legal_representative_behind_several_bidders_is_found(exports, world):
    found = shared_legal_reps(exports)
    facts = world.facts.shared_legal_reps
    assert {(rep, frozenset(codes)) for (_tender, rep), codes in found.items()} == {
        (fact.legal_rep_id, frozenset(fact.bidder_credit_codes)) for fact in facts
    }
    bids = {row["投标人统一社会信用代码"]: row for row in exports["public-resource-trading"]}
    registered = {row["统一社会信用代码"]: row for row in exports["market-entities"]}
    for fact in facts:
        assert bids[fact.winner_credit_code]["是否中标"] == "是"
        assert bids[fact.winner_credit_code]["项目名称"] == fact.project_name
        for code in fact.bidder_credit_codes:
            assert registered[code]["法定代表人身份证号"] == fact.legal_rep_id
            assert registered[code]["成立日期"] < fact.tender_date.isoformat()


def test_welfare_paid_after_a_death_is_found(exports, world):
    deaths = {row["身份证号"]: row["死亡日期"] for row in exports["death-registrations"]}
    after = defaultdict(Counter)
    for code, id_column, date_column in (
        ("social-assistance", "身份证号", "发放日期"), ("pension-payments", "身份证号", "发放日期"),
        ("medical-insurance", "参保人身份证号", "结算时间"),
    ):
        for row in exports[code]:
            died = deaths.get(row[id_column])
            if died and row[date_column][:10] > died:
                after[row[id_column]][code] += 1
    facts = world.facts.paid_after_death
    assert {number: dict(counts) for number, counts in after.items()} == {
        fact.id_number: fact.payments_after for fact in facts
    }
    assert all(fact.payments_after["social-assistance"] >= 4 for fact in facts)
    assert any("pension-payments" in fact.payments_after for fact in facts)
    assert any("medical-insurance" in fact.payments_after for fact in facts)


def test_an_officials_relatives_company_winning_in_the_officials_department_is_found(exports, world):
    relatives = {}
    for row in exports["public-officials"]:
        for relation, column in (("配偶", "配偶身份证号"), ("子女", "子女身份证号")):
            if row[column]:
                relatives[row[column]] = (row, relation)
    companies = {
        row["统一社会信用代码"]: relatives[row["法定代表人身份证号"]]
        for row in exports["market-entities"] if row["法定代表人身份证号"] in relatives
    }
    found = set()
    for bid in exports["public-resource-trading"]:
        official, relation = companies.get(bid["投标人统一社会信用代码"], (None, None))
        if official and bid["是否中标"] == "是" and bid["招标人"] == official["工作单位"]:
            found.add((official["身份证号"], relation, bid["投标人统一社会信用代码"], bid["项目名称"]))
    facts = world.facts.relative_wins
    assert found == {
        (fact.official_id, fact.relation, fact.company_credit_code, fact.project_name) for fact in facts
    }
    for fact in facts:
        code = fact.company_credit_code
        works = [row for row in exports["public-works"] if row["施工单位统一社会信用代码"] == code]
        assert [(row["建设单位"], row["项目名称"]) for row in works] == [(fact.unit, fact.project_name)]
        paid = [row for row in exports["treasury-payments"] if row["收款人统一社会信用代码"] == code]
        assert len(paid) >= 2 and {row["预算单位"] for row in paid} == {fact.unit}
        if fact.relation == "子女":
            assert fact.relative_name[0] == fact.official_name[0]


def test_a_complaint_reopened_again_and_again_is_found(exports, world):
    tickets = defaultdict(list)
    for row in exports["hotline-12345"]:
        tickets[(row["来电号码"], row["问题地址"])].append(row)
    found = {key: group for key, group in tickets.items() if len(group) >= 5}
    facts = world.facts.reopened_complaints
    assert {(phone, address, len(group)) for (phone, address), group in found.items()} == {
        (fact.phone, fact.address, fact.times) for fact in facts
    }
    for group in found.values():
        first = group[0]
        assert first["是否重复件"] == "否" and first["关联工单号"] == ""
        assert all(row["关联工单号"] == first["工单编号"] and row["是否重复件"] == "是" for row in group[1:])
        assert {row["满意度评价"] for row in group} == {"不满意"}
    near = {value for miss in world.facts.near_misses for kind, value in miss.subjects if kind == "phone"}
    below = {phone: len(group) for (phone, _address), group in tickets.items() if phone in near}
    assert below == dict.fromkeys(near, 4)  # the near miss: reopened, but below every threshold
    assert max(len(group) for key, group in tickets.items() if key not in found and key[0] not in near) <= 2
    ordinary = [row for key, group in tickets.items() if key not in found for row in group]
    assert any(row["是否重复件"] == "是" for row in ordinary)  # called again once


def test_every_planted_row_is_there_at_the_minimum_count():
    world = World(7, MIN_COUNT)
    exports = {spec.code: list(rows(spec.code, 7, MIN_COUNT, world=world)) for spec in SYSTEMS}
    for code, entries in world.planted.items():
        assert sum(entry.size for entry in entries) <= MIN_COUNT, code
    assert len(shared_legal_reps(exports)) == len(world.facts.shared_legal_reps)
    deaths = {row["身份证号"] for row in exports["death-registrations"]}
    assert {fact.id_number for fact in world.facts.paid_after_death} <= deaths


# --- spoiled rows --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["treasury-payments", "workplace-safety", "hotline-12345"])
def test_spoiled_rows_come_at_about_the_asked_rate_and_are_refused(code):
    count, rate = 6_000, 0.02
    world = World(SEED, count)
    clean = list(rows(code, SEED, count, world=world))
    spoiled = list(rows(code, SEED, count, bad_rate=rate, world=world))
    changed = [(a, b) for a, b in zip(clean, spoiled, strict=True) if a != b]
    assert 0.6 * rate * count <= len(changed) <= 1.4 * rate * count
    rows_mapper = mapper(code)
    kinds = Counter()
    for good, bad in changed:
        rows_mapper.map(good)
        with pytest.raises(RowRejected):
            rows_mapper.map(bad)
        kinds["missing" if len(bad) < len(good) else "value"] += 1
    assert kinds["missing"] and kinds["value"]
    assert not any(row == "" for row in spoiled)  # the rest is untouched: same rows, same order

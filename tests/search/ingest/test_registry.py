"""The registry of linked systems: 27 systems, seeded idempotently, owners linked when they exist."""

from io import StringIO

import pytest
from django.core.management import call_command

from search.ingest.mapping import Mapping
from search.ingest.registry import BY_CODE, REGION_COLUMN, SYSTEMS, seed_systems
from search.models import Sensitivity, SourceSystem
from tests.factories import AgencyFactory

OWNER_CODES = sorted({spec.owner_code for spec in SYSTEMS})


@pytest.fixture
def owners(city):
    return {code: AgencyFactory(code=code, name=f"{code} 局", region=city) for code in OWNER_CODES}


def test_there_are_27_systems_with_unique_codes():
    assert len(SYSTEMS) == 27
    assert len(BY_CODE) == 27


@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_each_mapping_reads_only_columns_of_the_export(spec):
    assert len(set(spec.columns)) == len(spec.columns)
    assert spec.mapped_columns() <= set(spec.columns)
    assert spec.field_mapping["region"] == REGION_COLUMN
    assert spec.name and spec.name_en and spec.description and spec.owner_code.startswith("jz-")
    mapping = Mapping.of(SourceSystem(code=spec.code, name=spec.name, field_mapping=spec.field_mapping))
    assert mapping.external_id in spec.columns
    assert set(mapping.required) <= set(spec.columns)


def test_the_systems_about_persons_are_sensitive_or_secret():
    for code in ("public-officials", "medical-insurance", "death-registrations", "social-assistance"):
        assert BY_CODE[code].sensitivity in (Sensitivity.SENSITIVE, Sensitivity.SECRET)
    assert BY_CODE["public-officials"].sensitivity == Sensitivity.SECRET
    assert BY_CODE["public-resource-trading"].sensitivity == Sensitivity.PUBLIC


def test_seeding_creates_every_system_with_its_owner(owners):
    assert seed_systems() == {"created": 27, "linked": 0, "unchanged": 0}
    hotline = SourceSystem.objects.get(code="hotline-12345")
    assert hotline.name == "12345政务服务便民热线"
    assert hotline.owner == owners["jz-12345"]
    assert hotline.field_mapping == BY_CODE["hotline-12345"].field_mapping
    assert SourceSystem.objects.filter(owner__isnull=True).count() == 0
    for system in SourceSystem.objects.select_related("owner"):
        assert system.owner.code == system.owner_code == BY_CODE[system.code].owner_code


def test_seeding_again_changes_nothing_and_keeps_an_administrators_edits(owners):
    seed_systems()
    edited = SourceSystem.objects.get(code="real-estate")
    edited.sensitivity = Sensitivity.SECRET
    edited.field_mapping = {**edited.field_mapping, "title": ["坐落", "权利人"]}
    edited.name = "不动产登记（新）"
    edited.save()
    assert seed_systems() == {"created": 0, "linked": 0, "unchanged": 27}
    assert SourceSystem.objects.count() == 27
    edited.refresh_from_db()
    assert (edited.sensitivity, edited.name) == (Sensitivity.SECRET, "不动产登记（新）")
    assert edited.field_mapping["title"] == ["坐落", "权利人"]


def test_owners_are_linked_once_their_agencies_exist(city):
    assert seed_systems()["created"] == 27
    assert SourceSystem.objects.filter(owner__isnull=False).count() == 0
    finance = AgencyFactory(code="jz-finance", name="江州市财政局", region=city)
    assert seed_systems() == {"created": 0, "linked": 2, "unchanged": 25}
    assert set(finance.source_systems.values_list("code", flat=True)) == {
        "government-procurement", "treasury-payments",
    }


def test_the_command_reports_what_it_did(owners):
    out = StringIO()
    call_command("seed_systems", stdout=out)
    assert "27" in out.getvalue()
    call_command("seed_systems", stdout=StringIO())
    assert SourceSystem.objects.count() == 27


def test_the_demo_city_has_an_owner_for_every_system(db):
    from demo.city import agency_specs

    codes = {spec.code for spec in agency_specs()}
    assert set(OWNER_CODES) <= codes


# --- record keys -----------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_each_system_declares_keys_from_columns_of_its_export(spec):
    mapping = Mapping.of(SourceSystem(code=spec.code, name=spec.name, field_mapping=spec.field_mapping))
    assert mapping.keys, "every system names someone or something models can join on"
    for key in mapping.keys:
        assert set(key.columns()) <= set(spec.columns), key
    assert len({(key.column, key.kind, key.role) for key in mapping.keys}) == len(mapping.keys)


def test_the_keys_name_the_people_and_companies_the_patterns_join_on():
    declared = {
        (code, key["column"], key["kind"], key["role"]) for code, spec in BY_CODE.items()
        for key in spec.field_mapping["keys"]
    }
    assert {
        ("death-registrations", "身份证号", "id_number", "deceased"),
        ("social-assistance", "身份证号", "id_number", "payee"),
        ("pension-payments", "身份证号", "id_number", "payee"),
        ("farm-subsidies", "身份证号", "id_number", "payee"),
        ("public-resource-trading", "投标人统一社会信用代码", "credit_code", "bidder"),
        ("public-resource-trading", "投标人统一社会信用代码", "credit_code", "winning_bidder"),
        ("public-resource-trading", "法定代表人身份证号", "id_number", "legal_representative"),
        ("public-officials", "身份证号", "id_number", "official"),
        ("public-officials", "工作单位", "organisation", "employer"),
        ("market-entities", "统一社会信用代码", "credit_code", "registrant"),
        ("market-entities", "法定代表人身份证号", "id_number", "legal_representative"),
        ("hotline-12345", "来电号码", "phone", "caller"),
        ("hotline-12345", "问题地址", "address", "location"),
        ("traffic-violations", "号牌号码", "plate", "vehicle"),
        ("public-works", "项目代码", "project", "works"),
    } <= declared
    winning = next(key for key in BY_CODE["public-resource-trading"].field_mapping["keys"]
                   if key["role"] == "winning_bidder")
    assert winning["when"] == {"column": "是否中标", "equals": "是"} and winning["amount"] == "中标金额（元）"


def test_seeding_gives_new_systems_their_keys(owners):
    seed_systems()
    for system in SourceSystem.objects.all():
        assert system.field_mapping["keys"] == BY_CODE[system.code].field_mapping["keys"]

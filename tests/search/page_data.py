"""A small world for the investigator's pages: four linked systems of each sensitivity, their
records indexed in whichever backend the settings chose, and readers of several roles.

A test module imports the fixture ``_world`` and asks for it by its name, ``world``; the index of
the test's own comes from tests/search/conftest.py (``own_search_index``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies.models import AgencyKind, Role, SupervisionClass
from search import index
from search.investigate import permissions
from search.models import Record, Sensitivity, SourceSystem
from tests.factories import AgencyFactory, RegionFactory, commission, member

ID_NUMBER = "11010519900307123X"
MASKED_ID = "110105********123X"
PHONE = "13812345678"
MASKED_PHONE = "138****5678"


@dataclass
class World:
    leader: object  # commission leader: every system, identifiers in full
    staff: object  # commission staff: every system but the restricted one, masked
    auditor: object  # audit office: public and internal systems only
    outsider: object  # a department that owns no system: nothing
    systems: dict
    records: dict


def when(year: int, month: int = 6, day: int = 1) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


@pytest.fixture(name="world")
def _world(own_search_index, city):
    return build_world(city)


def build_world(city) -> World:
    south = RegionFactory(code="south", name="城南区", name_en="South District")
    north = RegionFactory(code="north", name="城北区", name_en="North District")
    jw = commission(city, code="jw", name="市纪委监委", name_en="City Discipline Commission")
    audit = AgencyFactory(
        code="audit", name="市审计局", name_en="Audit Office", region=city,
        kind=AgencyKind.SUPERVISORY, supervision_class=SupervisionClass.AUDIT,
    )
    hotline_office = AgencyFactory(
        code="hotline-office", name="市热线办", name_en="Hotline Office", region=city
    )
    department = AgencyFactory(code="parks", name="市园林局", name_en="Parks Bureau", region=city)
    systems = {
        "hotline": SourceSystem.objects.create(
            code="hotline", name="12345热线", name_en="12345 Hotline", owner_code="hotline-office",
            sensitivity=Sensitivity.INTERNAL,
            field_mapping={"id_numbers": ["身份证号"], "phones": ["联系电话"]},
        ),
        "tender": SourceSystem.objects.create(
            code="tender", name="公共资源交易", name_en="Public Tenders", owner_code="resources",
            sensitivity=Sensitivity.PUBLIC,
        ),
        "medical": SourceSystem.objects.create(
            code="medical", name="医保结算", name_en="Medical Insurance", owner_code="medical-bureau",
            sensitivity=Sensitivity.SENSITIVE,
        ),
        "tax": SourceSystem.objects.create(
            code="tax", name="税务征管", name_en="Tax Administration", owner_code="tax-bureau",
            sensitivity=Sensitivity.SECRET,
        ),
    }
    systems["hotline"].owner = hotline_office
    systems["hotline"].save()
    permissions.seed_default_grants()
    rows = [
        ("hotline", "H1", "城南路灯损坏", f"市民反映城南大道路灯不亮，身份证{ID_NUMBER}，电话{PHONE}。",
         when(2024, 3), south, None, {"身份证号": ID_NUMBER, "联系电话": PHONE, "内容": "路灯不亮"}),
        ("hotline", "H2", "井盖缺失", "城北小区井盖缺失。", when(2023, 5), north, None, {}),
        ("hotline", "H3", "<script>alert(1)</script>路灯", "有人写了<b>标签</b>路灯。", when(2022, 1), south,
         None, {}),
        ("tender", "T1", "城南道路照明工程中标公告", "中标人：明亮照明有限公司，路灯改造。", when(2024, 8),
         south, Decimal("1280000.00"), {}),
        ("tender", "T2", "城北绿化工程", "城北公园绿化。", when(2023, 9), north, Decimal("350000.00"), {}),
        ("medical", "M1", "路灯维修工伤医保结算", "工伤结算，路灯维修工人。", when(2024, 2), south,
         Decimal("5200.00"), {}),
        ("tax", "X1", "照明公司路灯偷税线索", "照明公司少缴税款。", when(2024, 4), north,
         Decimal("99000.00"), {}),
    ]
    records = {}
    for code, external_id, title, body, occurred, region, amount, raw in rows:
        records[external_id] = Record.objects.create(
            system=systems[code], external_id=external_id, title=title, body=body, occurred_at=occurred,
            region=region, amount=amount, raw=raw,
            id_numbers=[ID_NUMBER] if external_id == "H1" else [],
            phones=[PHONE] if external_id == "H1" else [],
            names=["明亮照明有限公司"] if external_id == "T1" else [],
        )
    index.index(Record.objects.select_related("system", "region"))
    index.refresh()
    return World(
        leader=member(jw, role=Role.LEADER, username="leader", full_name="纪委领导"),
        staff=member(jw, role=Role.STAFF, username="staff", full_name="纪委干部"),
        auditor=member(audit, role=Role.STAFF, username="auditor", full_name="审计干部"),
        outsider=member(department, role=Role.STAFF, username="outsider", full_name="园林干部"),
        systems=systems,
        records=records,
    )

"""The demo city: 江州市 in 江东省, its supervisory bodies, departments, stationed groups and people.

``seed()`` builds it through ``agencies.actions`` and is idempotent: every row is keyed by its
code or user name, so running it again changes nothing and duplicates nothing. Passwords are set
when a user is created (or when asked to reset them), never silently on a re-run.

``manage.py seed_demo`` calls ``seed()`` and then ``demo.pages.seed_pages()``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction

from agencies import actions
from agencies.models import Agency, AgencyKind, Level, Membership, Region, Role, SupervisionClass, User

DEMO_PASSWORD = "jiandu2026"  # noqa: S105 - the published password of the demo city's logins

PROVINCE = "jiangdong"
CITY = "jiangzhou"
CITY_PREFIX = "jz"


# --- regions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    name_en: str
    level: int
    parent: str | None
    short: str = ""  # "区" or "县", for the short names of its agencies


REGIONS = [
    RegionSpec(PROVINCE, "江东省", "Jiangdong Province", Level.PROVINCE, None),
    RegionSpec(CITY, "江州市", "Jiangzhou City", Level.CITY, PROVINCE, "市"),
    RegionSpec("jz-donghu", "东湖区", "Donghu District", Level.DISTRICT, CITY, "区"),
    RegionSpec("jz-xishan", "西山区", "Xishan District", Level.DISTRICT, CITY, "区"),
    RegionSpec("jz-nanjiang", "南江区", "Nanjiang District", Level.DISTRICT, CITY, "区"),
    RegionSpec("jz-beicheng", "北城区", "Beicheng District", Level.DISTRICT, CITY, "区"),
    RegionSpec("jz-linjiang", "临江县", "Linjiang County", Level.DISTRICT, CITY, "县"),
]
DISTRICTS = [spec for spec in REGIONS if spec.level == Level.DISTRICT]
_EN_PLACE = {
    CITY: "Jiangzhou Municipal",
    "jz-donghu": "Donghu District",
    "jz-xishan": "Xishan District",
    "jz-nanjiang": "Nanjiang District",
    "jz-beicheng": "Beicheng District",
    "jz-linjiang": "Linjiang County",
}


# --- agencies ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    name_en: str
    kind: str
    region: str
    supervision_class: str = ""
    parent: str | None = None
    dispatched_by: str | None = None
    stationed_at: tuple[str, ...] = ()
    phone: str = ""
    address: str = ""
    description: str = ""


COMMISSION = f"{CITY_PREFIX}-jw"
PROVINCE_COMMISSION = "jd-jw"

# The "1+9" of the city: one supervisory body per supervision class.
SUPERVISORY_BODIES = [
    AgencySpec(
        PROVINCE_COMMISSION, "江东省纪委监委", "省纪委监委",
        "Jiangdong Provincial Commission for Discipline Inspection and Supervision",
        AgencyKind.SUPERVISORY, PROVINCE, SupervisionClass.PARTY,
        description="全省党内监督的领导机关。",
    ),
    AgencySpec(
        COMMISSION, "江州市纪委监委", "市纪委监委",
        "Jiangzhou Municipal Commission for Discipline Inspection and Supervision",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.PARTY, parent=PROVINCE_COMMISSION,
        phone="0000-12388", address="江州市政府路1号",
        description="全市党内监督的领导机关，统筹“1+9”各类监督贯通协调。",
    ),
    AgencySpec(
        "jz-rd", "江州市人大常委会", "市人大常委会",
        "Standing Committee of the Jiangzhou Municipal People's Congress",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.CONGRESS,
    ),
    AgencySpec(
        "jz-zx", "政协江州市委员会", "市政协", "Jiangzhou Municipal Committee of the CPPCC",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.DEMOCRATIC,
    ),
    AgencySpec(
        "jz-dcs", "江州市人民政府督查室", "市政府督查室",
        "Inspection Office of the Jiangzhou Municipal People's Government",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.ADMINISTRATIVE,
    ),
    AgencySpec(
        "jz-jcy", "江州市人民检察院", "市检察院", "Jiangzhou Municipal People's Procuratorate",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.JUDICIAL,
    ),
    AgencySpec(
        "jz-sjj", "江州市审计局", "市审计局", "Jiangzhou Municipal Audit Bureau",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.AUDIT,
    ),
    AgencySpec(
        "jz-kjjd", "江州市财政局会计监督检查科", "财会监督科",
        "Accounting Supervision Section of the Jiangzhou Municipal Finance Bureau",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.FINANCIAL,
    ),
    AgencySpec(
        "jz-tjj", "江州市统计局", "市统计局", "Jiangzhou Municipal Bureau of Statistics",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.STATISTICAL,
    ),
    AgencySpec(
        "jz-12345", "江州市12345政务服务便民热线", "12345热线",
        "Jiangzhou 12345 Government Service Hotline",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.PUBLIC, phone="12345",
    ),
    AgencySpec(
        "jz-rmt", "江州市融媒体中心", "市融媒体中心", "Jiangzhou Converged Media Center",
        AgencyKind.SUPERVISORY, CITY, SupervisionClass.MEDIA,
    ),
]


@dataclass(frozen=True)
class DepartmentSpec:
    """One line of departments: the city bureau and, when ``district_name`` is set, its district
    counterparts. ``{place}`` stands for the region's Chinese name, ``{place_en}`` its English."""

    key: str
    name: str
    short_name: str
    name_en: str
    district_name: str | None = None
    district_short_name: str | None = None
    district_name_en: str | None = None


DEPARTMENTS = [
    DepartmentSpec(
        "housing", "{place}住房和城乡建设局", "住建局",
        "{place_en} Housing and Urban-Rural Development Bureau", district_name="{place}住房和城乡建设局",
    ),
    DepartmentSpec(
        "development", "{place}发展和改革委员会", "发改委", "{place_en} Development and Reform Commission",
    ),
    DepartmentSpec(
        "finance", "{place}财政局", "财政局", "{place_en} Finance Bureau", district_name="{place}财政局",
    ),
    DepartmentSpec(
        "medical-insurance", "{place}医疗保障局", "医保局", "{place_en} Healthcare Security Administration",
    ),
    DepartmentSpec(
        "utilities", "{place}市政公用事业管理局", "市政公用局", "{place_en} Public Utilities Administration",
    ),
    DepartmentSpec("transport", "{place}交通运输局", "交通运输局", "{place_en} Transport Bureau"),
    DepartmentSpec(
        "traffic-police", "{place}公安局交通警察支队", "交警支队",
        "Traffic Police Detachment of the {place_en} Public Security Bureau",
    ),
    DepartmentSpec(
        "education", "{place}教育局", "教育局", "{place_en} Education Bureau", district_name="{place}教育局",
    ),
    DepartmentSpec(
        "health", "{place}卫生健康委员会", "卫健委", "{place_en} Health Commission",
        district_name="{place}卫生健康局", district_short_name="卫健局",
        district_name_en="{place_en} Health Bureau",
    ),
    DepartmentSpec(
        "civil-affairs", "{place}民政局", "民政局", "{place_en} Civil Affairs Bureau",
        district_name="{place}民政局",
    ),
    DepartmentSpec(
        "hrss", "{place}人力资源和社会保障局", "人社局",
        "{place_en} Human Resources and Social Security Bureau",
    ),
    DepartmentSpec(
        "natural-resources", "{place}自然资源和规划局", "自然资源和规划局",
        "{place_en} Natural Resources and Planning Bureau",
    ),
    DepartmentSpec(
        "environment", "{place}生态环境局", "生态环境局", "{place_en} Ecology and Environment Bureau",
    ),
    DepartmentSpec("water", "{place}水务局", "水务局", "{place_en} Water Affairs Bureau"),
    DepartmentSpec(
        "agriculture", "{place}农业农村局", "农业农村局", "{place_en} Agriculture and Rural Affairs Bureau",
        district_name="{place}农业农村局",
    ),
    DepartmentSpec("commerce", "{place}商务局", "商务局", "{place_en} Commerce Bureau"),
    DepartmentSpec(
        "market-regulation", "{place}市场监督管理局", "市场监管局",
        "{place_en} Administration for Market Regulation", district_name="{place}市场监督管理局",
    ),
    DepartmentSpec("emergency", "{place}应急管理局", "应急管理局", "{place_en} Emergency Management Bureau"),
    DepartmentSpec(
        "urban-management", "{place}城市管理局", "城管局", "{place_en} Urban Management Bureau",
        district_name="{place}城市管理局",
    ),
    DepartmentSpec(
        "culture-tourism", "{place}文化广电旅游局", "文旅局",
        "{place_en} Culture, Radio, Television and Tourism Bureau",
    ),
    DepartmentSpec(
        "tax", "国家税务总局{place}税务局", "税务局", "{place_en} Tax Service, State Taxation Administration",
    ),
    DepartmentSpec(
        "sasac", "{place}人民政府国有资产监督管理委员会", "国资委",
        "{place_en} State-owned Assets Supervision and Administration Commission",
    ),
    DepartmentSpec(
        "approval", "{place}行政审批局", "行政审批局", "{place_en} Administrative Approval Bureau",
    ),
    DepartmentSpec("justice", "{place}司法局", "司法局", "{place_en} Justice Bureau"),
]

PROJECT_OWNERS = [
    AgencySpec(
        "jz-ctjt", "江州城市建设投资集团有限公司", "城投集团",
        "Jiangzhou Urban Construction Investment Group Co., Ltd.", AgencyKind.PROJECT_OWNER, CITY,
    ),
    AgencySpec(
        "jz-jtjt", "江州交通投资集团有限公司", "交投集团",
        "Jiangzhou Transport Investment Group Co., Ltd.", AgencyKind.PROJECT_OWNER, CITY,
    ),
    AgencySpec(
        "jz-swjt", "江州水务集团有限公司", "水务集团", "Jiangzhou Water Group Co., Ltd.",
        AgencyKind.PROJECT_OWNER, CITY,
    ),
]

# Which city departments (by key) and project owners (by code) each city group watches:
# every city department by exactly one group.
CITY_GROUPS = [
    ("housing", "natural-resources", "utilities", "urban-management", "approval"),
    ("development", "finance", "tax", "commerce", "sasac", "jz-ctjt", "jz-jtjt", "jz-swjt"),
    ("medical-insurance", "health", "civil-affairs", "hrss"),
    ("transport", "traffic-police", "emergency", "justice"),
    ("education", "culture-tourism", "market-regulation"),
    ("environment", "water", "agriculture"),
]
DISTRICT_GROUPS = [
    ("housing", "urban-management", "market-regulation", "agriculture"),
    ("finance", "education", "health", "civil-affairs"),
]
_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
_ORDINALS_EN = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"]


# Names the city's people also use for its departments (editable in the admin as "other names");
# the pickers also match "市" + the short name and the pinyin initials (agencies.names).
DEPARTMENT_ALIASES = {
    "housing": "住建 住建委 建委 建设局",
    "development": "发展改革委 发改局",
    "medical-insurance": "医疗保障局",
    "traffic-police": "交警 交警队",
    "health": "卫健 卫生健康委 卫计委",
    "hrss": "人社 人力社保局",
    "natural-resources": "自然资源局 规划局 自规局",
    "market-regulation": "市监局 工商局",
    "urban-management": "城管 城管执法局 综合执法局",
    "sasac": "国资",
}


def department_code(region_code: str, key: str) -> str:
    prefix = CITY_PREFIX if region_code == CITY else region_code
    return f"{prefix}-{key}"


def commission_code(region_code: str) -> str:
    return COMMISSION if region_code == CITY else f"{region_code}-jw"


def group_code(region_code: str, number: int) -> str:
    prefix = CITY_PREFIX if region_code == CITY else region_code
    return f"{prefix}-group-{number}"


def _department(spec: DepartmentSpec, region: RegionSpec) -> AgencySpec:
    fill = {"place": region.name, "place_en": _EN_PLACE[region.code]}
    if region.code == CITY:
        return AgencySpec(
            department_code(CITY, spec.key), spec.name.format(**fill), spec.short_name,
            spec.name_en.format(**fill), AgencyKind.DEPARTMENT, CITY,
        )
    return AgencySpec(
        department_code(region.code, spec.key),
        (spec.district_name or spec.name).format(**fill),
        f"{region.short}{spec.district_short_name or spec.short_name}",
        (spec.district_name_en or spec.name_en).format(**fill),
        AgencyKind.DEPARTMENT, region.code, parent=department_code(CITY, spec.key),
    )


def _group(region: RegionSpec, number: int, watched: tuple[str, ...]) -> AgencySpec:
    commission_name = f"{region.name}纪委监委"
    return AgencySpec(
        group_code(region.code, number),
        f"{commission_name}派驻第{_ORDINALS[number - 1]}纪检监察组",
        f"派驻第{_ORDINALS[number - 1]}组",
        f"{_ORDINALS_EN[number - 1]} Discipline Inspection and Supervision Group stationed by the "
        f"{_EN_PLACE[region.code]} Commission",
        AgencyKind.STATIONED_GROUP, region.code, SupervisionClass.PARTY,
        dispatched_by=commission_code(region.code),
        stationed_at=tuple(
            item if item.startswith(f"{CITY_PREFIX}-") else department_code(region.code, item)
            for item in watched
        ),
    )


def agency_specs() -> list[AgencySpec]:
    """Every agency of the demo, parents before children, departments before their groups."""
    city = next(spec for spec in REGIONS if spec.code == CITY)
    specs = list(SUPERVISORY_BODIES)
    specs += [_department(spec, city) for spec in DEPARTMENTS]
    specs += PROJECT_OWNERS
    specs += [_group(city, number, watched) for number, watched in enumerate(CITY_GROUPS, start=1)]
    for district in DISTRICTS:
        specs.append(
            AgencySpec(
                commission_code(district.code), f"{district.name}纪委监委", f"{district.short}纪委监委",
                f"{_EN_PLACE[district.code]} Commission for Discipline Inspection and Supervision",
                AgencyKind.SUPERVISORY, district.code, SupervisionClass.PARTY, parent=COMMISSION,
            )
        )
        specs += [_department(spec, district) for spec in DEPARTMENTS if spec.district_name]
        specs += [
            _group(district, number, watched) for number, watched in enumerate(DISTRICT_GROUPS, start=1)
        ]
    return specs


# --- people ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MembershipSpec:
    username: str
    agency: str
    role: str
    title: str


SUPERUSER = ("admin", "系统管理员")

USERS = {
    "jw_admin": "周明华",
    "jw_leader": "陈建国",
    "jw_staff": "林晓雯",
    "jw_liaison": "王志强",
    "zjj_leader": "张伟",
    "zjj_staff": "李娜",
    "czj_staff": "刘洋",
    "ybj_staff": "赵敏",
    "jtj_staff": "周杰",
    "rd_staff": "吴刚",
    "sjj_leader": "钱进",
    "sjj_staff": "孙丽",
    "rx_staff": "郑芳",
    "rmt_staff": "冯雪",
    "dh_jw_staff": "黄磊",
    "dh_liaison": "何静",
    "dh_zjj_leader": "胡敏",
    "dh_zjj_staff": "马超",
    # Who the demo board's issues (demo.board) need at work: the bodies that push, the
    # departments that sign and report (leaders where work is split, approved or transferred),
    # and the liaisons of the stationed groups that urge them.
    "dcs_staff": "吕鹏",
    "jcy_staff": "曹颖",
    "zx_staff": "邓文博",
    "tjj_staff": "许佳",
    "rx_leader": "彭丽华",
    "ws_liaison": "蒋红梅",
    "jt_liaison": "沈浩",
    "fgw_leader": "韩立新",
    "fgw_staff": "杨帆",
    "jj_leader": "罗军",
    "jj_staff": "唐亮",
    "ybj_leader": "宋春燕",
    "jtj_leader": "董振华",
    "wjw_leader": "袁淑芬",
    "wjw_staff": "潘悦",
    "cgj_leader": "田国强",
    "cgj_staff": "梁晨",
    "scj_staff": "魏琳",
    "mzj_staff": "姚倩",
    "rsj_staff": "蔡永",
    "sthj_staff": "邱敏",
    "szj_staff": "程刚",
    "zrj_staff": "汪洁",
    "yjj_staff": "陆斌",
    "jyj_staff": "范文静",
    "ct_staff": "石磊",
    "dh_cgj_staff": "谢婷",
    "xs_zjj_staff": "邹凯",
    "nj_cgj_staff": "崔雨",
    "bc_wjj_staff": "龚晓燕",
    "lj_nyj_staff": "贾平",
    "lj_mzj_staff": "夏雨桐",
}

MEMBERSHIPS = [
    MembershipSpec("jw_admin", COMMISSION, Role.ADMINISTRATOR, "信息技术保障室主任"),
    MembershipSpec("jw_leader", COMMISSION, Role.LEADER, "党风政风监督室主任"),
    MembershipSpec("jw_staff", COMMISSION, Role.STAFF, "党风政风监督室干部"),
    MembershipSpec("jw_liaison", group_code(CITY, 1), Role.LIAISON, "派驻第一纪检监察组副组长"),
    MembershipSpec("jw_liaison", COMMISSION, Role.STAFF, "第一监督检查室干部"),
    MembershipSpec("zjj_leader", department_code(CITY, "housing"), Role.LEADER, "党组书记、局长"),
    MembershipSpec("zjj_staff", department_code(CITY, "housing"), Role.STAFF, "建筑市场监管科科员"),
    MembershipSpec("czj_staff", department_code(CITY, "finance"), Role.STAFF, "预算科科员"),
    MembershipSpec("czj_staff", "jz-kjjd", Role.STAFF, "财会监督专员"),
    MembershipSpec("ybj_staff", department_code(CITY, "medical-insurance"), Role.STAFF, "基金监管科科员"),
    MembershipSpec("jtj_staff", department_code(CITY, "transport"), Role.STAFF, "建设管理科科员"),
    MembershipSpec("rd_staff", "jz-rd", Role.STAFF, "监察和司法工作委员会干部"),
    MembershipSpec("sjj_leader", "jz-sjj", Role.LEADER, "局长"),
    MembershipSpec("sjj_staff", "jz-sjj", Role.STAFF, "财政审计科审计员"),
    MembershipSpec("rx_staff", "jz-12345", Role.STAFF, "工单督办科科员"),
    MembershipSpec("rmt_staff", "jz-rmt", Role.STAFF, "舆论监督部记者"),
    MembershipSpec("dh_jw_staff", commission_code("jz-donghu"), Role.STAFF, "第一监督检查室干部"),
    MembershipSpec("dh_liaison", group_code("jz-donghu", 1), Role.LIAISON, "派驻第一纪检监察组组长"),
    MembershipSpec("dh_zjj_leader", department_code("jz-donghu", "housing"), Role.LEADER, "局长"),
    MembershipSpec("dh_zjj_staff", department_code("jz-donghu", "housing"), Role.STAFF, "村镇建设科科员"),
    MembershipSpec("dcs_staff", "jz-dcs", Role.STAFF, "督查一科科员"),
    MembershipSpec("jcy_staff", "jz-jcy", Role.STAFF, "第八检察部检察官助理"),
    MembershipSpec("zx_staff", "jz-zx", Role.STAFF, "提案委员会办公室干部"),
    MembershipSpec("tjj_staff", "jz-tjj", Role.STAFF, "统计执法监督科科员"),
    MembershipSpec("rx_leader", "jz-12345", Role.LEADER, "热线管理办公室主任"),
    MembershipSpec("ws_liaison", group_code(CITY, 3), Role.LIAISON, "派驻第三纪检监察组副组长"),
    MembershipSpec("jt_liaison", group_code(CITY, 4), Role.LIAISON, "派驻第四纪检监察组副组长"),
    MembershipSpec("fgw_leader", department_code(CITY, "development"), Role.LEADER, "党组书记、主任"),
    MembershipSpec("fgw_staff", department_code(CITY, "development"), Role.STAFF, "固定资产投资科科员"),
    MembershipSpec("jj_leader", department_code(CITY, "traffic-police"), Role.LEADER, "支队长"),
    MembershipSpec("jj_staff", department_code(CITY, "traffic-police"), Role.STAFF, "交通设施科民警"),
    MembershipSpec("ybj_leader", department_code(CITY, "medical-insurance"), Role.LEADER, "党组书记、局长"),
    MembershipSpec("jtj_leader", department_code(CITY, "transport"), Role.LEADER, "局长"),
    MembershipSpec("wjw_leader", department_code(CITY, "health"), Role.LEADER, "党组书记、主任"),
    MembershipSpec("wjw_staff", department_code(CITY, "health"), Role.STAFF, "医政医管科科员"),
    MembershipSpec("cgj_leader", department_code(CITY, "urban-management"), Role.LEADER, "局长"),
    MembershipSpec("cgj_staff", department_code(CITY, "urban-management"), Role.STAFF, "市容环卫科科员"),
    MembershipSpec(
        "scj_staff", department_code(CITY, "market-regulation"), Role.STAFF, "食品安全抽检监测科科员"
    ),
    MembershipSpec("mzj_staff", department_code(CITY, "civil-affairs"), Role.STAFF, "社会救助科科员"),
    MembershipSpec("rsj_staff", department_code(CITY, "hrss"), Role.STAFF, "劳动保障监察支队科员"),
    MembershipSpec(
        "sthj_staff", department_code(CITY, "environment"), Role.STAFF, "生态环境保护综合行政执法支队科员"
    ),
    MembershipSpec("szj_staff", department_code(CITY, "utilities"), Role.STAFF, "燃气热力管理科科员"),
    MembershipSpec("zrj_staff", department_code(CITY, "natural-resources"), Role.STAFF, "耕地保护监督科科员"),
    MembershipSpec(
        "yjj_staff", department_code(CITY, "emergency"), Role.STAFF, "危险化学品安全监督管理科科员"
    ),
    MembershipSpec("jyj_staff", department_code(CITY, "education"), Role.STAFF, "学校安全管理科科员"),
    MembershipSpec("ct_staff", "jz-ctjt", Role.STAFF, "工程管理部项目经理"),
    MembershipSpec(
        "dh_cgj_staff", department_code("jz-donghu", "urban-management"), Role.STAFF, "市容秩序科科员"
    ),
    MembershipSpec(
        "xs_zjj_staff", department_code("jz-xishan", "housing"), Role.STAFF, "建设工程质量安全监督站监督员"
    ),
    MembershipSpec(
        "nj_cgj_staff", department_code("jz-nanjiang", "urban-management"), Role.STAFF, "环境卫生管理科科员"
    ),
    MembershipSpec("bc_wjj_staff", department_code("jz-beicheng", "health"), Role.STAFF, "医政医管股科员"),
    MembershipSpec(
        "lj_nyj_staff", department_code("jz-linjiang", "agriculture"), Role.STAFF, "农田建设管理股股员"
    ),
    MembershipSpec(
        "lj_mzj_staff", department_code("jz-linjiang", "civil-affairs"), Role.STAFF, "社会救助股股员"
    ),
]

# Departments whose staff's reports go out only after their leader approves them (the demo board
# shows both the waiting reports and the approvals).
REPORTS_NEED_APPROVAL = {
    department_code("jz-donghu", "housing"),
    department_code(CITY, "medical-insurance"),
}


class DemoLogin(NamedTuple):
    """One demo login and one of its memberships (a user in two agencies appears twice).

    ``agency`` is the agency's code ("" for the superuser, who belongs to none); ``role`` a
    ``Role`` value ("" for the superuser).
    """

    username: str
    full_name: str
    agency: str
    role: str

    @property
    def agency_name(self) -> str:
        return _AGENCY_NAMES.get(self.agency, "")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


_AGENCY_NAMES = {spec.code: spec.name for spec in agency_specs()}
_ALIASES = {department_code(CITY, key): aliases for key, aliases in DEPARTMENT_ALIASES.items()}

DEMO_LOGINS: list[DemoLogin] = [DemoLogin(SUPERUSER[0], SUPERUSER[1], "", "")] + [
    DemoLogin(spec.username, USERS[spec.username], spec.agency, spec.role) for spec in MEMBERSHIPS
]


# --- building it -------------------------------------------------------------------------------
def _save_region(spec: RegionSpec) -> Region:
    region = Region.objects.filter(code=spec.code).first() or Region(code=spec.code)
    region.name, region.name_en, region.level = spec.name, spec.name_en, spec.level
    region.parent = Region.objects.get(code=spec.parent) if spec.parent else None
    return actions.save_region(region)


def _save_agency(spec: AgencySpec, regions: dict[str, Region], agencies: dict[str, Agency]) -> Agency:
    agency = Agency.objects.filter(code=spec.code).first() or Agency(code=spec.code)
    region = regions[spec.region]
    agency.name, agency.short_name, agency.name_en = spec.name, spec.short_name, spec.name_en
    agency.kind, agency.supervision_class = spec.kind, spec.supervision_class
    agency.region, agency.level = region, region.level
    agency.parent = agencies[spec.parent] if spec.parent else None
    agency.dispatched_by = agencies[spec.dispatched_by] if spec.dispatched_by else None
    agency.phone, agency.address, agency.description = spec.phone, spec.address, spec.description
    agency.aliases = _ALIASES.get(spec.code, "")
    agency.report_needs_approval = spec.code in REPORTS_NEED_APPROVAL
    agency.is_active = True
    stationed_at = None
    if spec.kind == AgencyKind.STATIONED_GROUP:
        stationed_at = [agencies[code] for code in spec.stationed_at]
    return actions.save_agency(agency, stationed_at=stationed_at)


@functools.cache
def _demo_password_hash() -> str:
    """The demo password hashed once for every demo login: hashing it per user (PBKDF2, a million
    rounds) was a third of the seed's time. Every demo login has the same published password, so
    one salt for all of them hides nothing that was hidden."""
    return make_password(DEMO_PASSWORD)


def _save_user(username: str, full_name: str, *, reset_password: bool, **flags) -> User:
    user, created = User.objects.update_or_create(
        username=username, defaults={"full_name": full_name, "is_active": True, **flags}
    )
    if created or reset_password:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed(*, reset_passwords: bool = False) -> dict[str, int]:
    """Create or update the demo city; return how many of each thing it now has."""
    regions = {spec.code: _save_region(spec) for spec in REGIONS}
    agencies: dict[str, Agency] = {}
    for spec in agency_specs():
        agencies[spec.code] = _save_agency(spec, regions, agencies)

    _save_user(*SUPERUSER, reset_password=reset_passwords, is_staff=True, is_superuser=True)
    users = {
        username: _save_user(username, full_name, reset_password=reset_passwords)
        for username, full_name in USERS.items()
    }
    for spec in MEMBERSHIPS:
        actions.add_member(users[spec.username], agencies[spec.agency], role=spec.role, title=spec.title)

    demo_agencies = Agency.objects.filter(code__in=agencies)
    return {
        "regions": Region.objects.filter(code__in=regions).count(),
        "agencies": demo_agencies.count(),
        "supervisory bodies": demo_agencies.filter(kind=AgencyKind.SUPERVISORY).count(),
        "departments": demo_agencies.filter(kind=AgencyKind.DEPARTMENT).count(),
        "stationed groups": demo_agencies.filter(kind=AgencyKind.STATIONED_GROUP).count(),
        "project owners": demo_agencies.filter(kind=AgencyKind.PROJECT_OWNER).count(),
        "users": User.objects.filter(username__in=[SUPERUSER[0], *USERS]).count(),
        "memberships": Membership.objects.filter(user__username__in=USERS).count(),
    }

"""The rows of the systems about residents: the 12345 hotline, city management, medical and
social insurance, assistance, pensions, deaths, officials, property, traffic, farm subsidies,
affordable housing and student aid."""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Callable, Iterator

from . import words as W
from .basics import (
    COMPACT,
    END,
    ISO,
    REGION,
    SINCE_2010,
    START,
    _clock,
    _money,
    _month_day,
    _year,
    date_of,
    day_of,
)
from .people import (
    CHILDREN_FIRST,
    DECEASED,
    DISTRICT_DIVISIONS,
    DISTRICT_NAMES,
    FARMERS,
    OFFICIALS,
    PENSIONERS,
    PUPILS,
    RESIDENTS,
    SPOUSES_FIRST,
    WORKERS,
    Person,
    Subspace,
    _place,
)
from .world import Context


def hotline_row(ctx, day, caller, topic, district, place, handler, *, repeat_of="", satisfaction=None,
                 result=None) -> dict:
    r = ctx.r
    kind, category, title, content, _key = topic
    return {
        "工单编号": f"RX{COMPACT[day]}{ctx.number()}",
        "来电时间": f"{ISO[day]} {_clock(r)}",
        "来电人": caller.name,
        "来电号码": caller.phone,
        "诉求渠道": ctx.pick(W.HOTLINE_CHANNELS),
        "诉求类型": kind,
        "诉求分类": category,
        "诉求标题": title,
        "诉求内容": content.format(place=place),
        "问题地址": place,
        REGION: DISTRICT_NAMES[district],
        "承办单位": handler,
        "办结时间": f"{ISO[day + 1 + int(r() * 14)]} {_clock(r)}",
        "办理结果": result or ctx.pick(W.HOTLINE_RESULTS),
        "满意度评价": satisfaction or ctx.pick(W.SATISFACTION),
        "是否重复件": "是" if repeat_of else "否",
        "关联工单号": repeat_of,
    }


def _hotline(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    recent: deque = deque(maxlen=500)
    while True:
        day = ctx.day()
        if recent and r() < 0.03:  # called again about the same thing, once
            caller, topic, district, place, handler, first = recent.popleft()
            yield hotline_row(ctx, day, caller, topic, district, place, handler, repeat_of=first)
            continue
        caller = world.resident(r)
        topic = ctx.pick(W.HOTLINE_TOPICS)
        district = caller.district if r() < 0.7 else int(r() * len(DISTRICT_NAMES))
        place = _place(r, district)
        handler = world.department(topic[4], DISTRICT_NAMES[district])
        row = hotline_row(ctx, day, caller, topic, district, place, handler)
        recent.append((caller, topic, district, place, handler, row["工单编号"]))
        yield row


def _city_management(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    inspectors = [world.person(WORKERS, 9_000_000 + n) for n in range(60)]
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, streets, _places = W.DISTRICTS[district]
        major, minor, description, key = ctx.pick(W.CITY_CASES)
        address = f"{name}{ctx.pick(roads)}{int(r() * 400) + 1}号附近"
        inspector = inspectors[int(r() * len(inspectors))]
        hours = ctx.pick((2, 4, 24, 48, 72))
        closed = r() < 0.93 and day < day_of(END) - 3
        yield {
            "案件编号": f"CG{COMPACT[day]}{ctx.number()}",
            "上报时间": f"{ISO[day]} {_clock(r)}",
            "案件来源": ctx.pick(W.CITY_SOURCES),
            "问题大类": major,
            "问题小类": minor,
            "问题描述": description.format(address=address),
            "发生地址": address,
            REGION: name,
            "所属街道": ctx.pick(streets),
            "网格编号": f"{DISTRICT_DIVISIONS[district]}{int(r() * 40) + 1:03d}{int(r() * 30) + 1:02d}",
            "监督员": inspector.name,
            "监督员电话": inspector.phone,
            "责任单位": world.department(key, name),
            "处置时限（小时）": str(hours),
            "结案时间": f"{ISO[day + 1 + int(r() * 5)]} {_clock(r)}" if closed else "",
            "案件状态": "已结案" if closed else ctx.pick(("处置中", "待核查", "已派遣")),
        }


def _hospital_code(kind: str, index: int, district: int) -> str:
    return f"{kind}{DISTRICT_DIVISIONS[district]}{index + 1:05d}"


_VISIT_COSTS = {"普通门诊": (50, 600, 0.4), "门诊慢特病": (200, 2_000, 0.6)}  # yuan and the fund's share


def settlement_row(ctx: Context, day: int, person: Person, visit: str) -> dict:
    r = ctx.r
    if visit == "药店购药":
        index = int(r() * len(W.PHARMACIES))
        place, code = W.PHARMACIES[index], _hospital_code("P", index, person.district)
        total, fund_share = ctx.between(20, 500), 0.0
    else:
        index = int(r() * len(W.HOSPITALS))
        place, code = W.HOSPITALS[index][0], _hospital_code("H", index, person.district)
        low, high, fund_share = _VISIT_COSTS.get(visit, (3_000, 80_000, 0.72))
        total = ctx.between(low, high)
    fund = total * fund_share
    account = (total - fund) * (r() if visit != "住院" else 0.2)
    admitted = day - 2 - int(r() * 18) if visit == "住院" else None
    return {
        "结算单号": f"YB{COMPACT[day]}{ctx.number()}",
        "参保人姓名": person.name,
        "参保人身份证号": person.id_number,
        "险种类型": W.INSURANCE_KINDS[person.born % 2],
        "定点医药机构编码": code,
        "定点医药机构名称": place,
        "就诊类型": visit,
        "入院日期": ISO[admitted] if admitted else "",
        "出院日期": ISO[day] if admitted else "",
        "结算时间": f"{ISO[day]} {_clock(r)}",
        "主要诊断": "" if visit == "药店购药" else ctx.pick(W.DIAGNOSES),
        "医疗费总额（元）": _money(total),
        "统筹基金支付（元）": _money(fund),
        "个人账户支付（元）": _money(account),
        "个人现金支付（元）": _money(total - fund - account),
        REGION: DISTRICT_NAMES[person.district],
    }


def _medical_insurance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    while True:
        yield settlement_row(ctx, ctx.day(), world.resident(r), ctx.pick(W.VISIT_KINDS))


def _masked_account(r: Callable[[], float], prefix: str = "6217") -> str:
    return f"{prefix}{'*' * 11}{int(r() * 10_000):04d}"


def assistance_row(ctx: Context, day: int, person: Person, kind: str, household: int, amount: str) -> dict:
    r = ctx.r
    name, _division, _roads, towns, places = W.DISTRICTS[person.district]
    clerk = ctx.world.person(WORKERS, 9_100_000 + person.district * 10 + int(r() * 3))
    return {
        "发放流水号": f"MZ{COMPACT[day]}{ctx.number()}",
        "救助对象姓名": person.name,
        "身份证号": person.id_number,
        "救助类别": kind,
        "保障人口": str(household),
        "发放年月": ISO[day][:7],
        "发放金额（元）": amount,
        "发放日期": ISO[day],
        "发放方式": "社会化发放（银行代发）",
        "银行卡号": _masked_account(r),
        REGION: name,
        "乡镇（街道）": towns[int(person.id_number[14:17]) % len(towns)],
        "村（社区）": places[int(person.id_number[12:14]) % len(places)],
        "经办人": clerk.name,
        "联系电话": person.phone,
    }


def _social_assistance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    households = max(30, ctx.count // 12)
    while True:
        person = world.person(RESIDENTS, 5_000_000 + int(r() * households))
        kind, (low, high) = W.ASSISTANCE_KINDS[int(person.id_number[16]) % len(W.ASSISTANCE_KINDS)]
        household = 1 + int(person.id_number[13]) % 4
        amount = _money(low + (high - low) * (int(person.id_number[10:12]) / 12) + (household - 1) * 200)
        yield assistance_row(ctx, ctx.day(), person, kind, household, amount)


def death_row(ctx: Context, day: int, person: Person) -> dict:
    r = ctx.r
    place = ctx.pick(W.DEATH_PLACES)
    district = person.district
    if place == "医疗卫生机构":
        unit = ctx.pick(W.HOSPITALS)[0]
    else:
        unit = f"{W.DISTRICTS[district][3][int(r() * len(W.DISTRICTS[district][3]))]}社区卫生服务中心"
    declarant = ctx.world.resident(r)
    return {
        "登记编号": f"SW{COMPACT[day]}{ctx.number()}",
        "姓名": person.name,
        "性别": person.sex,
        "身份证号": person.id_number,
        "出生日期": ISO[person.born],
        "死亡日期": ISO[day],
        "死亡地点": place,
        "根本死因": ctx.pick(W.DEATH_CAUSES),
        "户籍地址": person.address,
        REGION: DISTRICT_NAMES[district],
        "登记单位": unit,
        "登记日期": ISO[day + 1 + int(r() * 6)],
        "申报人": declarant.name,
        "申报人与死者关系": ctx.pick(W.DECLARANT_RELATIONS),
        "申报人电话": declarant.phone,
    }


def _each_once(ctx: Context, space: Subspace, min_age: int, row) -> Iterator[dict]:
    """``row(ctx, day, person)`` for the people of ``space`` in turn, each once, if old enough."""
    n = 0
    while True:
        day = ctx.day()
        person = ctx.world.person(space, n)
        n += 1
        if person.born < day - min_age * 365:
            yield row(ctx, day, person)


def _deaths(ctx: Context) -> Iterator[dict]:
    return _each_once(ctx, DECEASED, 18, death_row)


def official_row(ctx, day, official, unit, post, relation="", relative=None) -> dict:
    r, world = ctx.r, ctx.world
    spouse = child = None
    if relation == "配偶":
        spouse = relative
    elif r() < 0.85:
        spouse = world.relative(official, SPOUSES_FIRST, official.born + int(r() * 2_400) - 1_200)
    if relation == "子女":
        child = relative
    elif r() < 0.7 and official.born + 25 * 365 < day_of(END) - 6 * 365:
        child = world.relative(official, CHILDREN_FIRST, official.born + 24 * 365 + int(r() * 3_000))
    title, grade = post
    return {
        "人员编号": f"GZ{_year(day)}{ctx.number()}",
        "姓名": official.name,
        "性别": official.sex,
        "身份证号": official.id_number,
        "出生日期": ISO[official.born],
        "政治面貌": ctx.pick(W.POLITICAL_STATUS),
        "工作单位": unit,
        "职务": title,
        "职级": grade,
        "人员类别": ctx.pick(W.OFFICIAL_KINDS),
        "任职时间": ISO[day],
        "联系电话": official.phone,
        "配偶姓名": spouse.name if spouse else "",
        "配偶身份证号": spouse.id_number if spouse else "",
        "子女姓名": child.name if child else "",
        "子女身份证号": child.id_number if child else "",
        REGION: world.unit_region[unit],
    }


def _officials(ctx: Context) -> Iterator[dict]:
    def row(ctx, day, official):
        return official_row(ctx, day, official, ctx.pick(ctx.world.units), ctx.pick(W.POSTS))

    return _each_once(ctx, OFFICIALS, 20, row)


def _real_estate(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("realestate", "trade", "services", "manufacturing")
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        use = ctx.pick(W.REAL_ESTATE_USES)
        owner_person = world.resident(r) if use == "住宅" or r() < 0.6 else None
        owner = owner_person or ctx.pick(companies)
        road = ctx.pick(roads)
        if use == "住宅":
            where = (f"{name}{road}{int(r() * 400) + 1}号{ctx.pick(W.COMMUNITIES)}{int(r() * 30) + 1}栋"
                     f"{int(r() * 4) + 1}单元{int(r() * 30) + 1}{int(r() * 4) + 1:02d}室")
            area, price = ctx.between(55, 160), ctx.between(7_000, 16_000)
        else:
            where = f"{name}{road}{int(r() * 400) + 1}号{use}{int(r() * 50) + 1}号"
            area, price = ctx.between(15, 600), ctx.between(4_000, 22_000)
        kind = ctx.pick(W.REAL_ESTATE_KINDS)
        yield {
            "业务号": f"BDC{COMPACT[day]}{ctx.number()}",
            "不动产权证号": f"江（{_year(day)}）江州市不动产权第{ctx.i + 1:07d}号",
            "登记类型": kind,
            "权利人": owner.name,
            "权利人身份证号": owner_person.id_number if owner_person else "",
            "权利人统一社会信用代码": "" if owner_person else owner.credit_code,
            "坐落": where,
            REGION: name,
            "用途": use,
            "建筑面积（平方米）": f"{area:.2f}",
            "成交价格（元）": _money(round(area * price, -2)) if kind == "转移登记" else "",
            "登记时间": f"{ISO[day]} {_clock(r)}",
            "共有情况": ctx.pick(W.SHARES) if owner_person else "单独所有",
        }


def _social_insurance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    employers = world.pool("construction", "trade", "services", "tech", "manufacturing", "realestate")
    workforce = max(50, ctx.count // 6)
    while True:
        day = ctx.day()
        k = int(r() * workforce)
        person = world.person(WORKERS, k)
        employer = employers[k % len(employers)]
        kind, unit_rate, own_rate = ctx.pick(W.SOCIAL_INSURANCE_KINDS)
        base = 3_800 + (k % 40) * 500
        unit_part, own_part = base * unit_rate, base * own_rate
        period = _month_day(day, -1, 1)
        yield {
            "缴费流水号": f"SB{COMPACT[day]}{ctx.number()}",
            "姓名": person.name,
            "身份证号": person.id_number,
            "参保单位": employer.name,
            "参保单位统一社会信用代码": employer.credit_code,
            "险种": kind,
            "费款所属期": COMPACT[period][:6],
            "缴费基数（元）": _money(base),
            "单位缴纳（元）": _money(unit_part),
            "个人缴纳（元）": _money(own_part),
            "缴费合计（元）": _money(unit_part + own_part),
            "到账日期": ISO[day],
            "参保状态": "正常参保" if r() < 0.96 else "暂停缴费",
            REGION: DISTRICT_NAMES[employer.district],
        }


def pension_row(ctx: Context, day: int, person: Person, kind: str, amount: str) -> dict:
    r = ctx.r
    return {
        "发放流水号": f"YL{COMPACT[day]}{ctx.number()}",
        "姓名": person.name,
        "身份证号": person.id_number,
        "养老保险类型": kind,
        "发放年月": ISO[day][:7],
        "发放金额（元）": amount,
        "发放日期": ISO[day],
        "代发银行": W.BANKS[int(person.id_number[15]) % len(W.BANKS)],
        "银行账号": _masked_account(r, "6228"),
        "人员状态": "正常",
        "联系电话": person.phone,
        REGION: DISTRICT_NAMES[person.district],
    }


def _pensions(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    pensioners = max(30, ctx.count // 12)
    while True:
        person = world.person(PENSIONERS, int(r() * pensioners))
        kind, (low, high) = W.PENSION_KINDS[int(person.id_number[16]) % len(W.PENSION_KINDS)]
        amount = _money(low + (high - low) * int(person.id_number[12:14]) / 31)
        yield pension_row(ctx, ctx.day(), person, kind, amount)


_PLATE_CHARS = "0123456789" + W.PLATE_LETTERS


def _traffic(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    drivers = max(100, ctx.count // 3)
    while True:
        day = ctx.day()
        k = int(r() * drivers)
        driver = world.person(WORKERS, k)
        plate = "江" + "ABCDEF"[k % 6]
        plate += "".join(_PLATE_CHARS[(k >> (3 * n)) % len(_PLATE_CHARS)] for n in range(5))
        offence, fine, points = ctx.pick(W.TRAFFIC_OFFENCES)
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        camera = r() < 0.75
        yield {
            "决定书编号": f"3399{COMPACT[day]}{ctx.number()}",
            "号牌号码": plate,
            "号牌种类": "小型汽车" if k % 11 else "大型汽车",
            "当事人": driver.name,
            "驾驶证号": driver.id_number,
            "联系电话": driver.phone,
            "违法时间": f"{ISO[day]} {_clock(r)}",
            "违法地点": f"{name}{ctx.pick(roads)}与{ctx.pick(roads)}交叉口",
            "违法行为": offence,
            "罚款金额（元）": _money(fine),
            "记分": str(points),
            "采集方式": "电子监控" if camera else "现场执法",
            "处理机关": f"江州市公安局交通警察支队{name}大队",
            REGION: name,
        }


def _farm_subsidies(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    farmers = max(50, ctx.count // 6)
    while True:
        day = ctx.day()
        k = int(r() * farmers)
        yield farm_subsidy_row(ctx, day, world.person(FARMERS, k), k)


def farm_subsidy_row(ctx: Context, day: int, farmer: Person, k: int) -> dict:
    """One payment to ``farmer``; ``k`` places the farm (county or district, town, village, area)."""
    world, r = ctx.world, ctx.r
    district = len(W.DISTRICTS) - 1 if k % 10 < 7 else (1, 2)[k % 2]
    name, _division, _roads, towns, places = W.DISTRICTS[district]
    item, (low, high), per_mu = ctx.pick(W.FARM_SUBSIDIES)
    if per_mu:
        area, rate = 1.5 + (k % 57) / 2, round(ctx.between(low, high), 2)
        amount = area * rate
    else:
        area = rate = None
        amount = round(ctx.between(low, high), -2)
    key = "housing" if "危房" in item else "agriculture"
    return {
        "发放流水号": f"HN{COMPACT[day]}{ctx.number()}",
        "补贴项目": item,
        "补贴对象": farmer.name,
        "身份证号": farmer.id_number,
        "乡镇": towns[k % len(towns)],
        "村": places[(k // 7) % len(places)],
        "补贴面积（亩）": f"{area:.2f}" if area else "",
        "补贴标准（元/亩）": f"{rate:.2f}" if rate else "",
        "补贴金额（元）": _money(amount),
        "发放日期": ISO[day],
        "代发银行": "江州农村商业银行",
        "一卡通账号": _masked_account(r, "6230"),
        "主管部门": world.department(key, name),
        REGION: name,
    }


def _affordable_housing(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    while True:
        day = ctx.day()
        person = world.resident(r)
        if person.born > day - 20 * 365:
            continue
        yield housing_row(ctx, day, person)


def housing_row(ctx: Context, day: int, person: Person) -> dict:
    """``person``'s application for affordable housing, decided on ``day``."""
    world, r = ctx.world, ctx.r
    employers = world.pool("services", "trade", "manufacturing", "shop")
    mode, (low, high) = ctx.pick(W.HOUSING_MODES)
    district = person.district
    name, _division, roads, _towns, _places = W.DISTRICTS[district]
    passed = r() < 0.86
    flat = (f"{name}{ctx.pick(roads)}{int(r() * 300) + 1}号{name[:2]}公租房小区{int(r() * 12) + 1}栋"
            f"{int(r() * 18) + 1}{int(r() * 6) + 1:02d}室")
    return {
        "申请编号": f"BZF{COMPACT[day]}{ctx.number()}",
        "申请人": person.name,
        "申请人身份证号": person.id_number,
        "家庭人口": str(1 + int(r() * 5)),
        "家庭年收入（元）": _money(round(ctx.between(18_000, 90_000), -2)),
        "工作单位": ctx.pick(employers).name if r() < 0.7 else "灵活就业",
        "保障方式": mode,
        "房源地址": flat if passed and mode != "租赁补贴" else "",
        REGION: name,
        "月租金（元）": _money(round(ctx.between(low, high))) if passed else "",
        "审核结果": "通过" if passed else "不通过",
        "配租日期": ISO[day],
        "联系电话": person.phone,
    }


def _student_aid(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    pupils = max(100, ctx.count // 4)
    while True:
        day = ctx.day()
        k = int(r() * pupils)
        pupil = world.person(PUPILS, k)
        age = (day - pupil.born) // 365
        if not 3 <= age <= 17:
            continue
        stage = 0 if age < 6 else 1 if age < 15 else 2 + k % 2
        level, pattern, projects = W.SCHOOL_KINDS[stage]
        project, (low, high) = projects[k % len(projects)]
        district = pupil.district
        guardian = world.relative(pupil, 0, pupil.born - 26 * 365 - (k % 3_000))  # a resident parent
        date = date_of(day)
        school_year = date.year if date.month >= 9 else date.year - 1
        first_term = date.month >= 9 or date.month < 3
        yield {
            "资助流水号": f"XZ{COMPACT[day]}{ctx.number()}",
            "学生姓名": pupil.name,
            "学生身份证号": pupil.id_number,
            "学校名称": pattern.format(district=DISTRICT_NAMES[district], ordinal=W.ORDINALS[k % 9]),
            "学段": level,
            "资助项目": project,
            "学年学期": f"{school_year}-{school_year + 1}学年第{'一' if first_term else '二'}学期",
            "资助金额（元）": _money(round(ctx.between(low, high), -1)),
            "发放日期": ISO[day],
            "监护人姓名": guardian.name,
            "监护人身份证号": guardian.id_number,
            "监护人电话": guardian.phone,
            REGION: DISTRICT_NAMES[district],
        }


# The export period of each system here and the builder of its ordinary rows.
GENERATORS: dict[str, tuple[datetime.date, datetime.date, Callable[[Context], Iterator[dict]]]] = {
    "hotline-12345": (START, END, _hotline),
    "city-management": (START, END, _city_management),
    "medical-insurance": (START, END, _medical_insurance),
    "social-assistance": (START, END, _social_assistance),
    "death-registrations": (START, END, _deaths),
    "public-officials": (SINCE_2010, END, _officials),
    "real-estate": (START, END, _real_estate),
    "social-insurance": (START, END, _social_insurance),
    "pension-payments": (START, END, _pensions),
    "traffic-violations": (START, END, _traffic),
    "farm-subsidies": (START, END, _farm_subsidies),
    "affordable-housing": (START, END, _affordable_housing),
    "student-aid": (START, END, _student_aid),
}

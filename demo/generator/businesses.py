"""The rows of the systems about companies and public money: tenders, procurement, the market
register, treasury payments, public works, land, invoices, penalties, licences, transport
subsidies, workplace safety, pollution, audits and state-asset leases."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator

from . import words as W
from .basics import COMPACT, END, ISO, REGION, SINCE_2010, START, _money, _year, day_of
from .people import _COMPANY_SPACE, DISTRICT_DIVISIONS, DISTRICT_NAMES, WORKERS, Company
from .world import Context, Population


def tender_plan(world: Population, r: Callable[[], float], unit: str = "") -> dict:
    """A public work: its name, kind, budget and who puts it out to tender (``unit`` if given)."""
    if unit:
        works = [work for work in W.WORKS if world.unit_key[unit] in work[3]]
        kind, pattern, (low, high), _keys = works[int(r() * len(works))]
    else:
        kind, pattern, (low, high), keys = W.WORKS[int(r() * len(W.WORKS))]
        key = keys[int(r() * len(keys))]
        if key in world.unit_region:  # a project owner
            unit = key
        else:
            region = W.CITY_NAME if r() < 0.4 else DISTRICT_NAMES[int(r() * len(DISTRICT_NAMES))]
            unit = world.department(key, region)
    district = world.region_of(unit, r)
    name, _division, roads, towns, places = W.DISTRICTS[district]
    project = pattern.format(
        district=name, road=roads[int(r() * len(roads))],
        community=W.COMMUNITIES[int(r() * len(W.COMMUNITIES))],
        phase=W.ORDINALS[int(r() * 3)], ordinal=W.ORDINALS[int(r() * 9)], town=towns[int(r() * len(towns))],
    )
    return {
        "name": project, "kind": kind, "unit": unit, "district": district,
        "budget": round((low + (high - low) * r()) * 10_000, -3),
        "agent": W.TENDER_AGENTS[int(r() * len(W.TENDER_AGENTS))],
        "method": "公开招标" if r() < 0.9 else "邀请招标",
    }


def tender_rows(ctx: Context, day: int, plan: dict, lineup) -> Iterator[dict]:
    """The bid rows of one tender: ``lineup`` is (company, quote, won) a bidder."""
    number = f"JZGZ{_year(day)}{ctx.number()}"
    opened = f"{ISO[day]} {ctx.pick(('09:00:00', '09:30:00', '10:00:00', '14:30:00'))}"
    for n, (company, quote, won) in enumerate(lineup, start=1):
        yield {
            "投标记录编号": f"{number}-{n:02d}",
            "项目编号": number,
            "项目名称": plan["name"],
            "项目类型": plan["kind"],
            "招标人": plan["unit"],
            "招标代理机构": plan["agent"],
            "招标方式": plan["method"],
            "开标时间": opened,
            "投标人": company.name,
            "投标人统一社会信用代码": company.credit_code,
            "法定代表人": company.legal_rep.name,
            "法定代表人身份证号": company.legal_rep.id_number,
            "联系电话": company.phone,
            "投标报价（元）": _money(quote),
            "是否中标": "是" if won else "否",
            "中标金额（元）": _money(quote) if won else "",
            REGION: DISTRICT_NAMES[plan["district"]],
        }


def _tenders(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    contractors = world.pool("construction")
    while True:
        day = ctx.day()
        plan = tender_plan(world, r)
        bidders = ctx.rng.sample(contractors, min(len(contractors), 3 + int(r() * 5)))
        quotes = [plan["budget"] * ctx.between(0.86, 0.995) for _ in bidders]
        best = quotes.index(min(quotes)) if r() < 0.8 else int(r() * len(quotes))
        lineup = [(bidder, quotes[n], n == best) for n, bidder in enumerate(bidders)]
        yield from tender_rows(ctx, day, plan, lineup)


def _procurement(ctx: Context) -> Iterator[dict]:
    world = ctx.world
    suppliers = world.pool("trade", "tech", "services")
    while True:
        day = ctx.day()
        buyer = ctx.pick(world.units)
        item, pattern, (low, high) = ctx.pick(W.PROCUREMENT_ITEMS)
        budget = round(ctx.between(low, high), -2)
        supplier = ctx.pick(suppliers)
        yield procurement_row(ctx, day, buyer, (item, pattern), supplier, budget, (0.82, 0.99))


def procurement_row(ctx: Context, day: int, buyer: str, item: tuple[str, str], supplier: Company,
                    budget: float, share: tuple[float, float]) -> dict:
    """One contract of ``buyer`` with ``supplier``: ``item`` is (品目, project name pattern), the
    price a share of the budget between the two of ``share``."""
    name, pattern = item
    return {
        "采购项目编号": f"JZCG{_year(day)}{ctx.number()}",
        "项目名称": pattern.format(buyer=buyer),
        "采购人": buyer,
        "采购方式": ctx.pick(W.PROCUREMENT_METHODS),
        "采购品目": name,
        "代理机构": ctx.pick(W.TENDER_AGENTS),
        "供应商名称": supplier.name,
        "供应商统一社会信用代码": supplier.credit_code,
        "预算金额（元）": _money(budget),
        "成交金额（元）": _money(budget * ctx.between(*share)),
        "公告日期": ISO[day - 3 - int(ctx.r() * 20)],
        "合同签订日期": ISO[day],
        REGION: ctx.world.unit_region[buyer],
    }


def registration_row(ctx: Context, company: Company, day: int, status: str) -> dict:
    district = DISTRICT_NAMES[company.district]
    authority = ("江州市" if company.credit_code[2:8] == W.CITY_DIVISION else district) + "市场监督管理局"
    return {
        "统一社会信用代码": company.credit_code,
        "企业名称": company.name,
        "市场主体类型": company.kind,
        "法定代表人": company.legal_rep.name,
        "法定代表人身份证号": company.legal_rep.id_number,
        "注册资本（元）": _money(company.capital) if company.capital else "",
        "成立日期": ISO[day],
        "登记机关": authority,
        "住所": company.address,
        REGION: district,
        "经营范围": company.scope,
        "登记状态": status,
        "联系电话": company.phone,
    }


def _market_entities(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    n = 0
    while True:
        status = "存续" if r() < 0.9 else ctx.pick(("注销", "吊销", "迁出"))
        yield registration_row(ctx, world.company(n), ctx.day(), status)
        n += 1


def payment_row(ctx: Context, day: int, unit: str, payee: Company, item, amount: float) -> dict:
    r = ctx.r
    function, economic, purpose = item
    return {
        "支付凭证号": f"GK{COMPACT[day]}{ctx.number()}",
        "预算单位": unit,
        "预算项目": f"{_year(day)}年{purpose}",
        "功能分类科目": function,
        "经济分类科目": economic,
        "资金性质": ctx.pick(W.FUND_KINDS),
        "支付方式": "国库集中支付（直接支付）" if r() < 0.7 else "国库集中支付（授权支付）",
        "收款人全称": payee.name,
        "收款人统一社会信用代码": payee.credit_code,
        "收款人开户银行": ctx.pick(W.BANKS),
        "收款人账号": f"{int(r() * 9e18) + 10**18:019d}",
        "支付金额（元）": _money(amount),
        "支付日期": ISO[day],
        "用途": purpose,
        REGION: ctx.world.unit_region[unit],
    }


def _treasury(ctx: Context) -> Iterator[dict]:
    world = ctx.world
    contractors = world.pool("construction")
    suppliers = world.pool("trade", "tech", "services")
    while True:
        item = ctx.pick(W.TREASURY_ITEMS)
        if item[1].startswith("31005"):
            payee, amount = ctx.pick(contractors), ctx.between(100_000, 5_000_000)
        elif item[1].startswith("310"):
            payee, amount = ctx.pick(suppliers), ctx.between(20_000, 1_000_000)
        else:
            payee, amount = ctx.pick(suppliers), ctx.between(800, 200_000)
        yield payment_row(ctx, ctx.day(), ctx.pick(world.units), payee, item, amount)


_TRADES = ("47", "48", "78")  # the industry part of a project code: building, civil works, utilities


def works_row(ctx: Context, day: int, plan: dict, builder: Company, amount: float) -> dict:
    r = ctx.r
    finish = day + 180 + int(r() * 720)
    division = DISTRICT_DIVISIONS[plan["district"]]
    state = "已竣工" if finish < day_of(END) else "在建"
    if r() < 0.04:
        state = "停工"
    return {
        "项目代码": f"{_year(day)}-{division}-{ctx.pick(_TRADES)}-01-{ctx.i + 1:06d}",
        "项目名称": plan["name"],
        "建设单位": plan["unit"],
        "施工单位": builder.name,
        "施工单位统一社会信用代码": builder.credit_code,
        "项目经理": ctx.world.person(WORKERS, 9_200_000 + int(r() * 3_000)).name,
        "监理单位": ctx.pick(W.SUPERVISORS),
        "合同金额（元）": _money(amount),
        "资金来源": ctx.pick(("财政资金", "财政资金", "地方政府专项债券", "中央预算内投资", "企业自筹")),
        "开工日期": ISO[day],
        "计划竣工日期": ISO[finish],
        "建设地点": f"{DISTRICT_NAMES[plan['district']]}{ctx.pick(W.DISTRICTS[plan['district']][2])}",
        REGION: DISTRICT_NAMES[plan["district"]],
        "项目状态": state,
    }


def _public_works(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    contractors = world.pool("construction")
    while True:
        plan = tender_plan(world, r)
        amount = plan["budget"] * ctx.between(0.86, 0.99)
        yield works_row(ctx, ctx.day(), plan, ctx.pick(contractors), amount)


_DISTRICT_LETTERS = ("DH", "XS", "NJ", "BC", "LJ")


def _land(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    developers = world.pool("realestate")
    others = world.pool("manufacturing", "trade")
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        use, years, (low, high) = ctx.pick(W.LAND_USES)
        buyer = ctx.pick(developers if use in ("住宅用地", "商服用地") else others)
        parcel = f"{_DISTRICT_LETTERS[district]}{_year(day)}-{int(r() * 60) + 1:02d}"
        area = round(ctx.between(2_000, 120_000), 2)
        price = round(area * ctx.between(low, high), -3)
        yield {
            "电子监管号": f"{DISTRICT_DIVISIONS[district]}{_year(day)}B{ctx.number()}",
            "项目名称": f"{name}{ctx.pick(roads)}以东、{ctx.pick(roads)}以北{parcel}号地块",
            "宗地编号": parcel,
            "土地坐落": f"{name}{ctx.pick(roads)}与{ctx.pick(roads)}交叉口",
            REGION: name,
            "土地用途": use,
            "出让面积（平方米）": f"{area:.2f}",
            "出让年限": str(years),
            "供地方式": ctx.pick(W.LAND_METHODS),
            "起始价（元）": _money(round(price * ctx.between(0.65, 1.0), -3)),
            "成交价款（元）": _money(price),
            "受让人": buyer.name,
            "受让人统一社会信用代码": buyer.credit_code,
            "合同签订日期": ISO[day],
            "约定开工时间": ISO[day + 180 + int(r() * 185)],
        }


def _invoices(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("construction", "trade", "services", "tech", "manufacturing")
    clerks = [world.person(WORKERS, 9_300_000 + n) for n in range(200)]
    while True:
        day = ctx.day()
        seller, buyer = ctx.pick(companies), ctx.pick(companies)
        item, rate = ctx.pick(W.INVOICE_ITEMS)
        amount = round(ctx.between(500, 1_500_000), 2)
        tax = round(amount * int(rate[:-1]) / 100, 2)
        yield {
            "发票号码": f"{_year(day)[2:]}339{ctx.i + 1:015d}",
            "开票日期": ISO[day],
            "发票类型": ctx.pick(W.INVOICE_KINDS),
            "销售方名称": seller.name,
            "销售方纳税人识别号": seller.credit_code,
            "购买方名称": buyer.name,
            "购买方纳税人识别号": buyer.credit_code,
            "项目名称": item,
            "金额（元）": _money(amount),
            "税率": rate,
            "税额（元）": _money(tax),
            "价税合计（元）": _money(amount + tax),
            "开票人": clerks[int(r() * len(clerks))].name,
            REGION: DISTRICT_NAMES[seller.district],
        }


_PENALTY_PREFIXES = {
    "market-regulation": "市监", "emergency": "应急", "environment": "环", "urban-management": "城管",
    "transport": "交",
}


def _penalties(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    parties = world.pool("construction", "trade", "services", "manufacturing", "shop")
    while True:
        day = ctx.day()
        party = ctx.pick(parties)
        penalty = ctx.pick(W.PENALTIES)
        region = DISTRICT_NAMES[party.district] if r() < 0.6 else W.CITY_NAME
        yield penalty_row(ctx, day, party, penalty, region)


def penalty_row(ctx: Context, day: int, party: Company, penalty: tuple, region: str) -> dict:
    """One decision of ``region``'s authority against ``party``; ``penalty`` is an entry of
    ``W.PENALTIES``."""
    kind, case, fact, basis, category, key, (low, high) = penalty
    authority = ctx.world.department(key, region)
    amount = round(ctx.between(low, high), -2)
    return {
        "行政处罚决定书文号": f"{region[0]}{_PENALTY_PREFIXES[key]}罚〔{_year(day)}〕{ctx.i + 1}号",
        "案件名称": case.format(party=party.name),
        "当事人名称": party.name,
        "统一社会信用代码": party.credit_code,
        "法定代表人": party.legal_rep.name,
        "违法行为类型": kind,
        "违法事实": fact,
        "处罚依据": basis,
        "处罚类别": category,
        "处罚内容": f"{category.split('；')[0]}，罚款人民币{amount:.0f}元",
        "罚没金额（元）": _money(amount),
        "处罚决定日期": ISO[day],
        "处罚机关": authority,
        REGION: ctx.world.unit_region[authority],
    }


def _licences(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    parties = world.pool("construction", "trade", "services", "manufacturing", "shop", "realestate")
    while True:
        day = ctx.day()
        party = ctx.pick(parties)
        matter, certificate, content, key, years = ctx.pick(W.LICENCES)
        authority = world.department(key, W.CITY_NAME)
        yield {
            "许可文书编号": f"JZXK{_year(day)}{ctx.number()}",
            "许可事项": matter,
            "许可证书名称": certificate,
            "行政相对人名称": party.name,
            "统一社会信用代码": party.credit_code,
            "法定代表人": party.legal_rep.name,
            "许可内容": content,
            "许可决定日期": ISO[day],
            "有效期自": ISO[day],
            "有效期至": ISO[min(day + years * 365, len(ISO) - 1)],
            "许可机关": authority,
            REGION: DISTRICT_NAMES[party.district] if r() < 0.5 else W.CITY_NAME,
        }


def _named_company(world: Population, name: str, category: str) -> Company:
    """A company known by name in the words (bus companies, …): the same code every time."""
    k = _COMPANY_SPACE // 2 + int.from_bytes(hashlib.sha256(name.encode()).digest()[:3], "big")
    return world.company(k)._replace(name=name, category=category)


def _transport_subsidies(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    operators = [_named_company(world, name, "services") for name in W.TRANSPORT_OPERATORS]
    while True:
        day = ctx.day()
        operator = ctx.pick(operators)
        item, mode = ctx.pick(W.TRANSPORT_SUBSIDIES)
        vehicles = 20 + int(r() * 780)
        yield {
            "拨付编号": f"JTBT{_year(day)}{ctx.number()}",
            "补贴类别": item,
            "运营企业": operator.name,
            "统一社会信用代码": operator.credit_code,
            "车辆数": str(vehicles),
            "线路或区域": f"{DISTRICT_NAMES[operator.district]}{mode}{int(r() * 60) + 1}路" if mode == "公交"
            else f"{DISTRICT_NAMES[operator.district]}{mode}",
            "申报年度": str(int(_year(day)) - 1),
            "核定金额（元）": _money(round(vehicles * ctx.between(3_000, 28_000), -2)),
            "拨付日期": ISO[day],
            "审核单位": ctx.pick(("江州市交通运输局", "江州市财政局")),
            REGION: DISTRICT_NAMES[operator.district],
        }


def _workplace_safety(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("construction", "manufacturing", "trade")
    inspectors = [world.person(WORKERS, 9_400_000 + n) for n in range(40)]
    while True:
        day = ctx.day()
        company = ctx.pick(companies)
        found = int(r() * r() * 9)
        major = found and r() < 0.08
        hazards = "；".join(ctx.rng.sample(W.SAFETY_HAZARDS, min(found, 3))) if found else "未发现事故隐患"
        first, second = ctx.pick(inspectors), ctx.pick(inspectors)
        yield {
            "检查记录编号": f"AJ{COMPACT[day]}{ctx.number()}",
            "被检查单位": company.name,
            "统一社会信用代码": company.credit_code,
            "行业领域": ctx.pick(W.SAFETY_SECTORS),
            "检查日期": ISO[day],
            "检查人员": f"{first.name}、{second.name}",
            "执法证号": f"JD339900{int(first.id_number[14:17]) * 7 % 1000:03d}{first.born % 1000:03d}",
            "检查方式": ctx.pick(("“双随机、一公开”抽查", "专项检查", "举报核查", "日常检查")),
            "发现隐患数": str(found),
            "重大隐患": "是" if major else "否",
            "隐患描述": hazards,
            "整改期限": ISO[day + (15 if major else 30)] if found else "",
            "整改情况": (ctx.pick(("已整改", "已整改", "整改中", "逾期未整改")) if found else "无需整改"),
            REGION: DISTRICT_NAMES[company.district],
        }


def _pollution(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    emitters = world.pool("manufacturing")
    while True:
        day = ctx.day()
        emitter = ctx.pick(emitters)
        pollutant, limit, point = ctx.pick(W.POLLUTANTS)
        value = limit * ctx.between(1.05, 4.0)
        yield {
            "记录编号": f"HJ{COMPACT[day]}{ctx.number()}",
            "排污单位": emitter.name,
            "统一社会信用代码": emitter.credit_code,
            "排污许可证编号": f"{emitter.credit_code}001P",
            "监测点位": point,
            "污染物": pollutant,
            "监测时间": f"{ISO[day]} {int(r() * 24):02d}:00:00",
            "小时均值（mg/m³或mg/L）": f"{value:.2f}",
            "排放限值": f"{limit:g}",
            "超标倍数": f"{value / limit - 1:.2f}",
            "处理状态": ctx.pick(("待核实", "已核实：设备故障", "已立案查处", "已责令改正")),
            REGION: DISTRICT_NAMES[emitter.district],
        }


def _audits(ctx: Context) -> Iterator[dict]:
    world = ctx.world
    while True:
        day = ctx.day()
        unit = ctx.pick(world.units + list(W.PROJECT_OWNERS))
        category, description = ctx.pick(W.AUDIT_PROBLEMS)
        project = ctx.pick(W.AUDIT_PROJECTS)
        yield {
            "问题编号": f"SJ{_year(day)}{ctx.number()}",
            "审计项目名称": f"{unit}{_year(day)}年度{project}" if "预算" in project else f"{unit}{project}",
            "被审计单位": unit,
            "问题类别": category,
            "问题描述": description.format(unit=unit),
            "涉及金额（元）": _money(round(ctx.between(20_000, 8_000_000), -2)),
            "审计报告文号": f"江审报〔{_year(day)}〕{ctx.i + 1}号",
            "出具日期": ISO[day],
            "整改状态": ctx.pick(W.AUDIT_STATES),
            "整改期限": ISO[day + 90],
            "移送情况": ctx.pick(W.AUDIT_REFERRALS),
            REGION: world.unit_region.get(unit, W.CITY_NAME),
        }


def _leases(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    tenants = world.pool("trade", "services", "shop")
    lessors = world.units + list(W.PROJECT_OWNERS) * 5
    while True:
        day = ctx.day()
        lessor = ctx.pick(lessors)
        asset, (low, high), (rent_low, rent_high) = ctx.pick(W.LEASE_ASSETS)
        district = world.region_of(lessor, r)
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        person = world.resident(r) if r() < 0.3 else None
        tenant = person or ctx.pick(tenants)
        area = ctx.between(low, high)
        begins = day + 1 + int(r() * 30)
        yield {
            "合同编号": f"ZL{_year(day)}{ctx.number()}",
            "出租单位": lessor,
            "资产名称": f"{ctx.pick(roads)}{asset}",
            "资产坐落": f"{name}{ctx.pick(roads)}{int(r() * 400) + 1}号",
            REGION: name,
            "承租方": tenant.name,
            "承租方统一社会信用代码": "" if person else tenant.credit_code,
            "承租方身份证号": person.id_number if person else "",
            "租赁面积（平方米）": f"{area:.2f}",
            "年租金（元）": _money(round(area * ctx.between(rent_low, rent_high), -2)),
            "出租方式": ctx.pick(W.LEASE_METHODS),
            "租期起": ISO[begins],
            "租期止": ISO[begins + 365 * (1 + int(r() * 5)) - 1],
            "签订日期": ISO[day],
        }


# The export period of each system here and the builder of its ordinary rows.
GENERATORS: dict[str, tuple[datetime.date, datetime.date, Callable[[Context], Iterator[dict]]]] = {
    "public-resource-trading": (START, END, _tenders),
    "government-procurement": (START, END, _procurement),
    "market-entities": (SINCE_2010, END, _market_entities),
    "treasury-payments": (START, END, _treasury),
    "public-works": (START, END, _public_works),
    "land-transfers": (START, END, _land),
    "vat-invoices": (START, END, _invoices),
    "administrative-penalties": (START, END, _penalties),
    "administrative-licences": (START, END, _licences),
    "transport-subsidies": (START, END, _transport_subsidies),
    "workplace-safety": (START, END, _workplace_safety),
    "pollution-monitoring": (START, END, _pollution),
    "audit-findings": (START, END, _audits),
    "state-asset-leases": (START, END, _leases),
}

"""The registry of the city's linked systems (DESIGN §7): 27 government systems as data.

Each ``SystemSpec`` says what a system is (code, Chinese and English name, description), who owns
it (``owner_code``: an agency of the demo city 江州市), how sensitive its data is, the columns of
its export in their order, and the field mapping that turns a row of that export into a
``Record`` (the format is in ``search.models``) and gives its record keys (``key``: the people,
companies, phones, plates, addresses, projects and units the rows name, which warning models
join on). ``demo.generator`` writes rows with exactly these columns.

``seed_systems()`` (``manage.py seed_systems``) creates the systems that are missing and links
each to its owner agency once that agency exists. A system that is already there is left as it
is: an administrator may have changed its sensitivity or mapping, and seeding again must not
undo that. (The systems seeded before their mappings declared keys got the keys declared here
from migration search 0012, unless they had keys of their own.)
"""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Agency

from ..models import KeyKind, Sensitivity, SourceSystem

REGION_COLUMN = "所属区县"
ID, CODE, PHONE, PLATE, ADDRESS, PROJECT, UNIT = (
    kind.value for kind in (KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE, KeyKind.PHONE, KeyKind.PLATE,
                            KeyKind.ADDRESS, KeyKind.PROJECT, KeyKind.ORGANISATION)
)


@dataclass(frozen=True)
class SystemSpec:
    code: str
    name: str
    name_en: str
    owner_code: str
    sensitivity: str
    description: str
    columns: tuple[str, ...]
    field_mapping: dict

    def mapped_columns(self) -> set[str]:
        """Every column the field mapping reads, its keys' included."""
        found: set[str] = set()
        for name, value in self.field_mapping.items():
            if name == "keys":
                for entry in value:
                    named = [entry.get("date"), entry.get("amount"), entry.get("when", {}).get("column")]
                    found.update([entry["column"], *filter(None, named)])
            else:
                found.update([value] if isinstance(value, str) else value)
        return found


def mapping(
    external_id: str, title: list[str], occurred_at: str, *, body: list[str] = (), amount: str = "",
    region: str = REGION_COLUMN, names: list[str] = (), credit_codes: list[str] = (),
    id_numbers: list[str] = (), phones: list[str] = (), required: list[str] = (), keys: list[dict] = (),
) -> dict:
    """A field mapping in the format of ``search.models``, leaving out the fields it does not use."""
    result: dict = {"external_id": external_id, "title": list(title), "occurred_at": occurred_at}
    optional = {
        "body": list(body), "amount": amount, "region": region, "names": list(names),
        "credit_codes": list(credit_codes), "id_numbers": list(id_numbers), "phones": list(phones),
        "required": list(required), "keys": list(keys),
    }
    result.update({field: value for field, value in optional.items() if value})
    return result


def key(column: str, kind: str, role: str, *, date: str = "", amount: str = "",
        when: tuple[str, str] | None = None) -> dict:
    """One record key of a field mapping (the format: ``search.ingest.mapping``)."""
    entry = {"column": column, "kind": kind, "role": role}
    entry.update({field: value for field, value in (("date", date), ("amount", amount)) if value})
    if when:
        entry["when"] = {"column": when[0], "equals": when[1]}
    return entry


SYSTEMS: list[SystemSpec] = [
    SystemSpec(
        "hotline-12345", "12345政务服务便民热线", "12345 Government Service Hotline", "jz-12345",
        Sensitivity.INTERNAL,
        "群众通过电话、网站、微信和移动端提出的投诉、举报、求助、咨询和建议工单，含派单、办理结果和满意度回访。",
        (
            "工单编号", "来电时间", "来电人", "来电号码", "诉求渠道", "诉求类型", "诉求分类", "诉求标题",
            "诉求内容", "问题地址", "所属区县", "承办单位", "办结时间", "办理结果", "满意度评价",
            "是否重复件", "关联工单号",
        ),
        mapping(
            "工单编号", ["诉求标题"], "来电时间", body=["诉求内容", "办理结果"],
            names=["来电人", "承办单位"], phones=["来电号码"],
            required=["诉求标题", "诉求内容", "来电时间"],
            keys=[
                key("来电号码", PHONE, "caller"), key("问题地址", ADDRESS, "location"),
            ],
        ),
    ),
    SystemSpec(
        "city-management", "数字城管", "Digital Urban Management", "jz-urban-management",
        Sensitivity.PUBLIC,
        "城市管理监督员巡查、视频智能发现和公众举报的部件、事件问题，按网格立案、派遣、处置、核查和结案。",
        (
            "案件编号", "上报时间", "案件来源", "问题大类", "问题小类", "问题描述", "发生地址", "所属区县",
            "所属街道", "网格编号", "监督员", "监督员电话", "责任单位", "处置时限（小时）", "结案时间",
            "案件状态",
        ),
        mapping(
            "案件编号", ["问题小类", "发生地址"], "上报时间", body=["问题描述", "案件状态"],
            names=["监督员", "责任单位"], phones=["监督员电话"], required=["问题小类", "上报时间"],
            keys=[
                key("监督员电话", PHONE, "inspector"), key("发生地址", ADDRESS, "location"),
            ],
        ),
    ),
    SystemSpec(
        "public-resource-trading", "公共资源交易（招投标）", "Public Resource Trading (Tenders and Bids)",
        "jz-development", Sensitivity.PUBLIC,
        "市公共资源交易中心工程建设项目招标投标记录，每行一家投标人的一次投标，含投标报价和中标结果。",
        (
            "投标记录编号", "项目编号", "项目名称", "项目类型", "招标人", "招标代理机构", "招标方式",
            "开标时间", "投标人", "投标人统一社会信用代码", "法定代表人", "法定代表人身份证号", "联系电话",
            "投标报价（元）", "是否中标", "中标金额（元）", "所属区县",
        ),
        mapping(
            "投标记录编号", ["项目名称", "投标人"], "开标时间",
            body=["项目编号", "项目类型", "招标人", "招标方式", "是否中标"], amount="投标报价（元）",
            names=["投标人", "法定代表人", "招标人", "招标代理机构"],
            credit_codes=["投标人统一社会信用代码"], id_numbers=["法定代表人身份证号"], phones=["联系电话"],
            required=["项目编号", "项目名称", "投标人", "开标时间", "投标报价（元）"],
            keys=[
                key("项目编号", PROJECT, "tender"), key("招标人", UNIT, "tenderer"),
                key("投标人统一社会信用代码", CODE, "bidder"),
                key("投标人统一社会信用代码", CODE, "winning_bidder", amount="中标金额（元）",
                    when=("是否中标", "是")),
                key("法定代表人身份证号", ID, "legal_representative"), key("联系电话", PHONE, "bidder"),
            ],
        ),
    ),
    SystemSpec(
        "government-procurement", "政府采购", "Government Procurement", "jz-finance", Sensitivity.PUBLIC,
        "各级预算单位政府采购项目的成交结果和合同信息，含采购方式、供应商和成交金额。",
        (
            "采购项目编号", "项目名称", "采购人", "采购方式", "采购品目", "代理机构", "供应商名称",
            "供应商统一社会信用代码", "预算金额（元）", "成交金额（元）", "公告日期", "合同签订日期",
            "所属区县",
        ),
        mapping(
            "采购项目编号", ["项目名称"], "合同签订日期", body=["采购人", "采购方式", "采购品目",
            "供应商名称"],
            amount="成交金额（元）", names=["采购人", "代理机构", "供应商名称"],
            credit_codes=["供应商统一社会信用代码"],
            required=["项目名称", "采购人", "供应商名称", "合同签订日期", "成交金额（元）"],
            keys=[
                key("采购项目编号", PROJECT, "procurement"), key("采购人", UNIT, "purchaser"),
                key("供应商统一社会信用代码", CODE, "supplier"),
            ],
        ),
    ),
    SystemSpec(
        "market-entities", "市场主体登记", "Market Entity Registration", "jz-market-regulation",
        Sensitivity.PUBLIC,
        "企业、个体工商户等市场主体的设立、变更和注销登记信息，含统一社会信用代码和法定代表人。",
        (
            "统一社会信用代码", "企业名称", "市场主体类型", "法定代表人", "法定代表人身份证号",
            "注册资本（元）",
            "成立日期", "登记机关", "住所", "所属区县", "经营范围", "登记状态", "联系电话",
        ),
        mapping(
            "统一社会信用代码", ["企业名称"], "成立日期", body=["市场主体类型", "经营范围", "住所",
            "登记状态"],
            amount="注册资本（元）", names=["企业名称", "法定代表人"], credit_codes=["统一社会信用代码"],
            id_numbers=["法定代表人身份证号"], phones=["联系电话"],
            required=["企业名称", "法定代表人", "成立日期"],
            keys=[
                key("统一社会信用代码", CODE, "registrant"),
                key("法定代表人身份证号", ID, "legal_representative"),
                key("联系电话", PHONE, "registrant"), key("住所", ADDRESS, "registrant"),
            ],
        ),
    ),
    SystemSpec(
        "medical-insurance", "医保结算", "Medical Insurance Settlement", "jz-medical-insurance",
        Sensitivity.SENSITIVE,
        "定点医疗机构和定点零售药店的医保费用结算明细，含参保人、就诊类型、诊断和基金支付金额。",
        (
            "结算单号", "参保人姓名", "参保人身份证号", "险种类型", "定点医药机构编码", "定点医药机构名称",
            "就诊类型", "入院日期", "出院日期", "结算时间", "主要诊断", "医疗费总额（元）",
            "统筹基金支付（元）",
            "个人账户支付（元）", "个人现金支付（元）", "所属区县",
        ),
        mapping(
            "结算单号", ["定点医药机构名称", "就诊类型"], "结算时间", body=["主要诊断", "险种类型"],
            amount="医疗费总额（元）", names=["参保人姓名", "定点医药机构名称"],
            id_numbers=["参保人身份证号"],
            required=["参保人身份证号", "结算时间", "医疗费总额（元）"],
            keys=[
                key("参保人身份证号", ID, "insured", amount="统筹基金支付（元）"),
            ],
        ),
    ),
    SystemSpec(
        "social-assistance", "低保与社会救助发放", "Minimum Living Allowance and Social Assistance Payments",
        "jz-civil-affairs", Sensitivity.SENSITIVE,
        "城乡最低生活保障、特困人员供养、临时救助和残疾人两项补贴的逐月社会化发放明细。",
        (
            "发放流水号", "救助对象姓名", "身份证号", "救助类别", "保障人口", "发放年月", "发放金额（元）",
            "发放日期", "发放方式", "银行卡号", "所属区县", "乡镇（街道）", "村（社区）", "经办人",
            "联系电话",
        ),
        mapping(
            "发放流水号", ["救助类别", "救助对象姓名"], "发放日期",
            body=["发放年月", "乡镇（街道）", "村（社区）", "发放方式"], amount="发放金额（元）",
            names=["救助对象姓名", "经办人"], id_numbers=["身份证号"], phones=["联系电话"],
            required=["救助对象姓名", "身份证号", "发放日期", "发放金额（元）"],
            keys=[
                key("身份证号", ID, "payee"), key("联系电话", PHONE, "payee"),
            ],
        ),
    ),
    SystemSpec(
        "death-registrations", "死亡登记", "Death Registration", "jz-health", Sensitivity.SENSITIVE,
        "居民死亡医学证明（推断）书信息，汇集医疗机构、社区卫生服务中心的死亡登记和户籍注销情况。",
        (
            "登记编号", "姓名", "性别", "身份证号", "出生日期", "死亡日期", "死亡地点", "根本死因",
            "户籍地址",
            "所属区县", "登记单位", "登记日期", "申报人", "申报人与死者关系", "申报人电话",
        ),
        mapping(
            "登记编号", ["姓名", "根本死因"], "死亡日期", body=["死亡地点", "户籍地址", "登记单位"],
            names=["姓名", "申报人"], id_numbers=["身份证号"], phones=["申报人电话"],
            required=["姓名", "身份证号", "死亡日期"],
            keys=[
                key("身份证号", ID, "deceased"), key("户籍地址", ADDRESS, "deceased"),
                key("申报人电话", PHONE, "declarant"),
            ],
        ),
    ),
    SystemSpec(
        "public-officials", "公职人员信息", "Public Officials", "jz-jw", Sensitivity.SECRET,
        "全市行使公权力的公职人员基本信息、任职情况和配偶、子女等家庭成员信息，供监督检查比对使用。",
        (
            "人员编号", "姓名", "性别", "身份证号", "出生日期", "政治面貌", "工作单位", "职务", "职级",
            "人员类别", "任职时间", "联系电话", "配偶姓名", "配偶身份证号", "子女姓名", "子女身份证号",
            "所属区县",
        ),
        mapping(
            "人员编号", ["姓名", "工作单位", "职务"], "任职时间", body=["职级", "人员类别", "政治面貌"],
            names=["姓名", "工作单位", "配偶姓名", "子女姓名"],
            id_numbers=["身份证号", "配偶身份证号", "子女身份证号"], phones=["联系电话"],
            required=["姓名", "身份证号", "工作单位", "任职时间"],
            keys=[
                key("身份证号", ID, "official"), key("工作单位", UNIT, "employer"),
                key("配偶身份证号", ID, "spouse"), key("子女身份证号", ID, "child"),
                key("联系电话", PHONE, "official"),
            ],
        ),
    ),
    SystemSpec(
        "real-estate", "不动产登记", "Real Estate Registration", "jz-natural-resources",
        Sensitivity.SENSITIVE,
        "土地、房屋等不动产的首次、转移、变更和抵押登记，含权利人、坐落、面积和成交价格。",
        (
            "业务号", "不动产权证号", "登记类型", "权利人", "权利人身份证号", "权利人统一社会信用代码",
            "坐落",
            "所属区县", "用途", "建筑面积（平方米）", "成交价格（元）", "登记时间", "共有情况",
        ),
        mapping(
            "业务号", ["坐落"], "登记时间", body=["登记类型", "用途", "共有情况", "不动产权证号"],
            amount="成交价格（元）", names=["权利人"], credit_codes=["权利人统一社会信用代码"],
            id_numbers=["权利人身份证号"], required=["权利人", "坐落", "登记时间"],
            keys=[
                key("权利人身份证号", ID, "owner"), key("权利人统一社会信用代码", CODE, "owner"),
                key("坐落", ADDRESS, "property"),
            ],
        ),
    ),
    SystemSpec(
        "treasury-payments", "财政支付", "Treasury Payments", "jz-finance", Sensitivity.INTERNAL,
        "国库集中支付明细：预算单位、预算项目、支出科目、收款人和支付金额。",
        (
            "支付凭证号", "预算单位", "预算项目", "功能分类科目", "经济分类科目", "资金性质", "支付方式",
            "收款人全称", "收款人统一社会信用代码", "收款人开户银行", "收款人账号", "支付金额（元）",
            "支付日期",
            "用途", "所属区县",
        ),
        mapping(
            "支付凭证号", ["预算单位", "用途"], "支付日期",
            body=["预算项目", "功能分类科目", "经济分类科目", "资金性质", "收款人全称"],
            amount="支付金额（元）", names=["预算单位", "收款人全称"],
            credit_codes=["收款人统一社会信用代码"],
            required=["预算单位", "收款人全称", "支付金额（元）", "支付日期"],
            keys=[
                key("预算单位", UNIT, "payer"), key("收款人统一社会信用代码", CODE, "payee"),
            ],
        ),
    ),
    SystemSpec(
        "public-works", "公共工程项目", "Public Works Projects", "jz-housing", Sensitivity.PUBLIC,
        "政府投资房屋建筑和市政基础设施工程项目的建设、施工、监理单位和合同、进度信息。",
        (
            "项目代码", "项目名称", "建设单位", "施工单位", "施工单位统一社会信用代码", "项目经理",
            "监理单位",
            "合同金额（元）", "资金来源", "开工日期", "计划竣工日期", "建设地点", "所属区县", "项目状态",
        ),
        mapping(
            "项目代码", ["项目名称"], "开工日期", body=["建设单位", "施工单位", "监理单位", "资金来源",
            "项目状态"],
            amount="合同金额（元）", names=["建设单位", "施工单位", "监理单位", "项目经理"],
            credit_codes=["施工单位统一社会信用代码"], required=["项目名称", "建设单位", "开工日期"],
            keys=[
                key("项目代码", PROJECT, "works"), key("建设单位", UNIT, "project_owner"),
                key("施工单位统一社会信用代码", CODE, "contractor"), key("建设地点", ADDRESS, "site"),
            ],
        ),
    ),
    SystemSpec(
        "land-transfers", "土地出让", "Land Use Right Transfers", "jz-natural-resources", Sensitivity.PUBLIC,
        "国有建设用地使用权出让结果和出让合同，含宗地坐落、用途、面积、供地方式、受让人和成交价款。",
        (
            "电子监管号", "项目名称", "宗地编号", "土地坐落", "所属区县", "土地用途", "出让面积（平方米）",
            "出让年限", "供地方式", "起始价（元）", "成交价款（元）", "受让人", "受让人统一社会信用代码",
            "合同签订日期", "约定开工时间",
        ),
        mapping(
            "电子监管号", ["项目名称"], "合同签订日期", body=["土地坐落", "土地用途", "供地方式", "宗地编号"],
            amount="成交价款（元）", names=["受让人"], credit_codes=["受让人统一社会信用代码"],
            required=["受让人", "合同签订日期", "成交价款（元）"],
            keys=[
                key("受让人统一社会信用代码", CODE, "transferee"), key("土地坐落", ADDRESS, "parcel"),
            ],
        ),
    ),
    SystemSpec(
        "vat-invoices", "增值税发票", "VAT Invoices", "jz-tax", Sensitivity.SENSITIVE,
        "本市纳税人开具的全面数字化电子发票（增值税专用发票和普通发票）票面信息。",
        (
            "发票号码", "开票日期", "发票类型", "销售方名称", "销售方纳税人识别号", "购买方名称",
            "购买方纳税人识别号", "项目名称", "金额（元）", "税率", "税额（元）", "价税合计（元）", "开票人",
            "所属区县",
        ),
        mapping(
            "发票号码", ["项目名称"], "开票日期", body=["销售方名称", "购买方名称", "发票类型", "税率"],
            amount="价税合计（元）", names=["销售方名称", "购买方名称"],
            credit_codes=["销售方纳税人识别号", "购买方纳税人识别号"],
            required=["销售方纳税人识别号", "开票日期", "价税合计（元）"],
            keys=[
                key("销售方纳税人识别号", CODE, "seller"), key("购买方纳税人识别号", CODE, "buyer"),
            ],
        ),
    ),
    SystemSpec(
        "social-insurance", "社会保险参保缴费", "Social Insurance Contributions", "jz-hrss",
        Sensitivity.SENSITIVE,
        "企业职工养老、失业、工伤保险的参保登记和逐月缴费到账记录。",
        (
            "缴费流水号", "姓名", "身份证号", "参保单位", "参保单位统一社会信用代码", "险种", "费款所属期",
            "缴费基数（元）", "单位缴纳（元）", "个人缴纳（元）", "缴费合计（元）", "到账日期", "参保状态",
            "所属区县",
        ),
        mapping(
            "缴费流水号", ["姓名", "险种"], "到账日期", body=["参保单位", "费款所属期", "参保状态"],
            amount="缴费合计（元）", names=["姓名", "参保单位"], credit_codes=["参保单位统一社会信用代码"],
            id_numbers=["身份证号"], required=["身份证号", "费款所属期", "到账日期"],
            keys=[
                key("身份证号", ID, "insured"), key("参保单位统一社会信用代码", CODE, "employer"),
            ],
        ),
    ),
    SystemSpec(
        "pension-payments", "养老金发放", "Pension Payments", "jz-hrss", Sensitivity.SENSITIVE,
        "企业职工、机关事业单位和城乡居民基本养老保险待遇的逐月发放明细。",
        (
            "发放流水号", "姓名", "身份证号", "养老保险类型", "发放年月", "发放金额（元）", "发放日期",
            "代发银行", "银行账号", "人员状态", "联系电话", "所属区县",
        ),
        mapping(
            "发放流水号", ["养老保险类型", "姓名"], "发放日期", body=["发放年月", "代发银行", "人员状态"],
            amount="发放金额（元）", names=["姓名"], id_numbers=["身份证号"], phones=["联系电话"],
            required=["姓名", "身份证号", "发放日期", "发放金额（元）"],
            keys=[
                key("身份证号", ID, "payee"), key("联系电话", PHONE, "payee"),
            ],
        ),
    ),
    SystemSpec(
        "administrative-penalties", "行政处罚", "Administrative Penalties", "jz-justice", Sensitivity.PUBLIC,
        "全市行政执法机关作出的行政处罚决定公示信息（由司法行政部门汇集）。",
        (
            "行政处罚决定书文号", "案件名称", "当事人名称", "统一社会信用代码", "法定代表人", "违法行为类型",
            "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚没金额（元）", "处罚决定日期", "处罚机关",
            "所属区县",
        ),
        mapping(
            "行政处罚决定书文号", ["案件名称"], "处罚决定日期", body=["违法事实", "处罚依据", "处罚内容"],
            amount="罚没金额（元）", names=["当事人名称", "法定代表人", "处罚机关"],
            credit_codes=["统一社会信用代码"], required=["当事人名称", "处罚决定日期", "处罚机关"],
            keys=[
                key("统一社会信用代码", CODE, "party"),
            ],
        ),
    ),
    SystemSpec(
        "administrative-licences", "行政许可", "Administrative Licences", "jz-approval", Sensitivity.PUBLIC,
        "行政审批局和各部门作出的行政许可决定公示信息，含许可事项、行政相对人和有效期。",
        (
            "许可文书编号", "许可事项", "许可证书名称", "行政相对人名称", "统一社会信用代码", "法定代表人",
            "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关", "所属区县",
        ),
        mapping(
            "许可文书编号", ["许可事项", "行政相对人名称"], "许可决定日期", body=["许可证书名称", "许可内容"],
            names=["行政相对人名称", "法定代表人", "许可机关"], credit_codes=["统一社会信用代码"],
            required=["许可事项", "行政相对人名称", "许可决定日期"],
            keys=[
                key("统一社会信用代码", CODE, "licensee"),
            ],
        ),
    ),
    SystemSpec(
        "traffic-violations", "交通违法处理", "Traffic Violations", "jz-traffic-police", Sensitivity.INTERNAL,
        "道路交通安全违法行为的电子监控记录和现场处罚决定，含号牌、当事人、罚款和记分。",
        (
            "决定书编号", "号牌号码", "号牌种类", "当事人", "驾驶证号", "联系电话", "违法时间", "违法地点",
            "违法行为", "罚款金额（元）", "记分", "采集方式", "处理机关", "所属区县",
        ),
        mapping(
            "决定书编号", ["违法行为", "号牌号码"], "违法时间", body=["违法地点", "采集方式", "处理机关"],
            amount="罚款金额（元）", names=["当事人"], id_numbers=["驾驶证号"], phones=["联系电话"],
            required=["号牌号码", "违法时间", "违法行为"],
            keys=[
                key("号牌号码", PLATE, "vehicle"), key("驾驶证号", ID, "driver"),
                key("联系电话", PHONE, "driver"), key("违法地点", ADDRESS, "location"),
            ],
        ),
    ),
    SystemSpec(
        "farm-subsidies", "惠民惠农补贴“一卡通”发放", "Farm and Livelihood Subsidies (One-Card Payments)",
        "jz-agriculture", Sensitivity.INTERNAL,
        "耕地地力保护补贴、种粮补贴、农机购置补贴等惠民惠农财政补贴通过“一卡通”的发放明细。",
        (
            "发放流水号", "补贴项目", "补贴对象", "身份证号", "乡镇", "村", "补贴面积（亩）",
            "补贴标准（元/亩）", "补贴金额（元）", "发放日期", "代发银行", "一卡通账号", "主管部门",
            "所属区县",
        ),
        mapping(
            "发放流水号", ["补贴项目", "补贴对象"], "发放日期", body=["乡镇", "村", "主管部门"],
            amount="补贴金额（元）", names=["补贴对象"], id_numbers=["身份证号"],
            required=["补贴对象", "身份证号", "发放日期", "补贴金额（元）"],
            keys=[
                key("身份证号", ID, "payee"),
            ],
        ),
    ),
    SystemSpec(
        "affordable-housing", "保障性住房分配", "Affordable Housing Allocation", "jz-housing",
        Sensitivity.SENSITIVE,
        "公租房、保障性租赁住房的申请审核、配租和租赁补贴发放信息。",
        (
            "申请编号", "申请人", "申请人身份证号", "家庭人口", "家庭年收入（元）", "工作单位", "保障方式",
            "房源地址", "所属区县", "月租金（元）", "审核结果", "配租日期", "联系电话",
        ),
        mapping(
            "申请编号", ["保障方式", "申请人"], "配租日期", body=["房源地址", "审核结果", "工作单位"],
            amount="月租金（元）", names=["申请人", "工作单位"], id_numbers=["申请人身份证号"],
            phones=["联系电话"], required=["申请人", "申请人身份证号", "配租日期"],
            keys=[
                key("申请人身份证号", ID, "applicant"), key("联系电话", PHONE, "applicant"),
                key("房源地址", ADDRESS, "allocated_housing"),
            ],
        ),
    ),
    SystemSpec(
        "transport-subsidies", "城市客运补贴", "Urban Passenger Transport Subsidies", "jz-transport",
        Sensitivity.INTERNAL,
        "城市公交、出租汽车和农村客运的成品油价格补助、运营补贴申报与拨付记录。",
        (
            "拨付编号", "补贴类别", "运营企业", "统一社会信用代码", "车辆数", "线路或区域", "申报年度",
            "核定金额（元）", "拨付日期", "审核单位", "所属区县",
        ),
        mapping(
            "拨付编号", ["补贴类别", "运营企业"], "拨付日期", body=["线路或区域", "申报年度", "审核单位"],
            amount="核定金额（元）", names=["运营企业"], credit_codes=["统一社会信用代码"],
            required=["运营企业", "拨付日期", "核定金额（元）"],
            keys=[
                key("统一社会信用代码", CODE, "payee"),
            ],
        ),
    ),
    SystemSpec(
        "workplace-safety", "安全生产监督检查", "Workplace Safety Inspections", "jz-emergency",
        Sensitivity.INTERNAL,
        "应急管理部门对生产经营单位的执法检查记录，含发现隐患、重大隐患和整改情况。",
        (
            "检查记录编号", "被检查单位", "统一社会信用代码", "行业领域", "检查日期", "检查人员", "执法证号",
            "检查方式", "发现隐患数", "重大隐患", "隐患描述", "整改期限", "整改情况", "所属区县",
        ),
        mapping(
            "检查记录编号", ["被检查单位", "行业领域"], "检查日期", body=["隐患描述", "整改情况", "检查方式"],
            names=["被检查单位", "检查人员"], credit_codes=["统一社会信用代码"],
            required=["被检查单位", "检查日期"],
            keys=[
                key("统一社会信用代码", CODE, "inspected"),
            ],
        ),
    ),
    SystemSpec(
        "pollution-monitoring", "污染源自动监控超标记录", "Pollution Source Monitoring Exceedances",
        "jz-environment", Sensitivity.INTERNAL,
        "重点排污单位在线监测数据超过排放限值的记录和处理情况。",
        (
            "记录编号", "排污单位", "统一社会信用代码", "排污许可证编号", "监测点位", "污染物", "监测时间",
            "小时均值（mg/m³或mg/L）", "排放限值", "超标倍数", "处理状态", "所属区县",
        ),
        mapping(
            "记录编号", ["排污单位", "污染物"], "监测时间", body=["监测点位", "超标倍数", "处理状态"],
            names=["排污单位"], credit_codes=["统一社会信用代码"], required=["排污单位", "污染物",
            "监测时间"],
            keys=[
                key("统一社会信用代码", CODE, "emitter"),
            ],
        ),
    ),
    SystemSpec(
        "audit-findings", "审计发现问题", "Audit Findings", "jz-sjj", Sensitivity.INTERNAL,
        "审计机关在预算执行、经济责任、政府投资项目等审计中发现的问题及整改、移送情况。",
        (
            "问题编号", "审计项目名称", "被审计单位", "问题类别", "问题描述", "涉及金额（元）",
            "审计报告文号",
            "出具日期", "整改状态", "整改期限", "移送情况", "所属区县",
        ),
        mapping(
            "问题编号", ["问题类别", "被审计单位"], "出具日期",
            body=["审计项目名称", "问题描述", "整改状态", "移送情况"], amount="涉及金额（元）",
            names=["被审计单位"], required=["被审计单位", "问题描述", "出具日期"],
            keys=[
                key("被审计单位", UNIT, "audited"),
            ],
        ),
    ),
    SystemSpec(
        "state-asset-leases", "国有资产出租出借", "State Asset Leases", "jz-sasac", Sensitivity.INTERNAL,
        "行政事业单位和市属国有企业房产、土地等国有资产出租出借合同。",
        (
            "合同编号", "出租单位", "资产名称", "资产坐落", "所属区县", "承租方", "承租方统一社会信用代码",
            "承租方身份证号", "租赁面积（平方米）", "年租金（元）", "出租方式", "租期起", "租期止",
            "签订日期",
        ),
        mapping(
            "合同编号", ["资产名称", "承租方"], "签订日期", body=["出租单位", "资产坐落", "出租方式"],
            amount="年租金（元）", names=["出租单位", "承租方"], credit_codes=["承租方统一社会信用代码"],
            id_numbers=["承租方身份证号"], required=["出租单位", "承租方", "签订日期", "年租金（元）"],
            keys=[
                key("出租单位", UNIT, "lessor"), key("承租方统一社会信用代码", CODE, "tenant"),
                key("承租方身份证号", ID, "tenant"), key("资产坐落", ADDRESS, "asset"),
            ],
        ),
    ),
    SystemSpec(
        "student-aid", "学生资助发放", "Student Financial Aid", "jz-education", Sensitivity.SENSITIVE,
        "学前教育、义务教育、普通高中和中职学生资助项目的发放明细，含学生和监护人信息。",
        (
            "资助流水号", "学生姓名", "学生身份证号", "学校名称", "学段", "资助项目", "学年学期",
            "资助金额（元）", "发放日期", "监护人姓名", "监护人身份证号", "监护人电话", "所属区县",
        ),
        mapping(
            "资助流水号", ["资助项目", "学生姓名"], "发放日期", body=["学校名称", "学段", "学年学期"],
            amount="资助金额（元）", names=["学生姓名", "学校名称", "监护人姓名"],
            id_numbers=["学生身份证号", "监护人身份证号"], phones=["监护人电话"],
            required=["学生姓名", "学生身份证号", "发放日期", "资助金额（元）"],
            keys=[
                key("学生身份证号", ID, "student"), key("监护人身份证号", ID, "guardian"),
                key("监护人电话", PHONE, "guardian"),
            ],
        ),
    ),
]

BY_CODE = {spec.code: spec for spec in SYSTEMS}

# What investigators call each system, where that is not its name: 系统:城管 finds 数字城管.
SHORT_NAMES = {
    "hotline-12345": "12345热线", "city-management": "城管", "public-resource-trading": "招投标",
    "government-procurement": "政采", "market-entities": "工商登记", "medical-insurance": "医保",
    "social-assistance": "低保", "public-officials": "公职人员", "real-estate": "不动产",
    "treasury-payments": "国库支付", "public-works": "公共工程", "land-transfers": "土地出让",
    "vat-invoices": "发票", "social-insurance": "社保", "pension-payments": "养老金",
    "administrative-penalties": "处罚", "administrative-licences": "许可", "traffic-violations": "交通违法",
    "farm-subsidies": "一卡通", "affordable-housing": "保障房", "transport-subsidies": "客运补贴",
    "workplace-safety": "安全生产", "pollution-monitoring": "污染源监控", "audit-findings": "审计",
    "state-asset-leases": "国资出租", "student-aid": "学生资助",
}


def seed_systems() -> dict[str, int]:
    """Create the systems that are missing and link owners whose agency exists; counts by outcome.

    An existing system keeps whatever an administrator made of it; only a missing owner link is
    filled in, from the system's own ``owner_code``.
    """
    owner_codes = {spec.owner_code for spec in SYSTEMS}
    agencies = dict(Agency.objects.filter(code__in=owner_codes).values_list("code", "pk"))
    counts = {"created": 0, "linked": 0, "unchanged": 0}
    for spec in SYSTEMS:
        system, created = SourceSystem.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "name_en": spec.name_en, "short_name": SHORT_NAMES.get(spec.code, ""),
                "owner_code": spec.owner_code,
                "owner_id": agencies.get(spec.owner_code), "description": spec.description,
                "sensitivity": spec.sensitivity, "field_mapping": spec.field_mapping,
            },
        )
        if created:
            counts["created"] += 1
        elif system.owner_id is None and agencies.get(system.owner_code):
            system.owner_id = agencies[system.owner_code]
            system.save(update_fields=["owner"])
            counts["linked"] += 1
        else:
            counts["unchanged"] += 1
    return counts

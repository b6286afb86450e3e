"""The seeded models on exports that are not the generator's: one small hand-made export a system,
its columns in another order and its values written as people write them (phone numbers with
+86, brackets and dashes, ID numbers with a lower-case x or in full-width digits, project numbers
in either case, dates as 2024/3/5 or 2024年3月5日, unit names with full-width spaces around them),
holding one instance of each planted pattern. Loaded through the registry's mappings, the models
find every one."""

from __future__ import annotations

import csv

from search.detection import actions
from search.detection.models import RunState, Warning, WarningModel
from search.detection.seeds import seed_models
from search.ingest.files import ingest_file
from search.ingest.registry import BY_CODE
from search.models import SourceSystem
from tests.search.ingest.test_ingest import credit_code, id_number

from .test_seeds import owners  # noqa: F401 - a fixture


def person_with_x(area: str, birth: str) -> str:
    """A valid ID number of ``area`` and ``birth`` whose check character is X."""
    return next(
        number
        for sequence in range(1, 1000)
        if (number := id_number(area, birth, f"{sequence:03d}")).endswith("X")
    )


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
OFFICIAL = id_number("530102", "19700101", "211")
SPOUSE = person_with_x("530103", "19720505")
REP = person_with_x("530111", "19800808")
DEAD = person_with_x("530112", "19400404")
COMPANIES = [credit_code(f"91530100MA7Q{n:04d}") for n in range(1, 5)]
UNIT = "江州市住房和城乡建设局"
CALLER = "13812345678"
PLACE = "东湖区 人民路１２号"


def write(path, code: str, rows: list[dict]) -> None:
    """A CSV export of ``code``: every column of the system, in the reverse of the registry's
    order, cells not given left empty."""
    columns = list(reversed(BY_CODE[code].columns))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def exports() -> dict[str, list[dict]]:
    bid = {"项目名称": "东湖区人民路改造工程", "开标时间": "2024年6月3日 09:30", "招标方式": "公开招标"}
    return {
        # one legal representative behind two bidders of one tender (his ID written two ways)
        "public-resource-trading": [
            {
                **bid,
                "投标记录编号": "T1-1",
                "项目编号": "jzgz-2024-001",
                "招标人": "江州市交通运输局",
                "投标人": "甲公司",
                "投标人统一社会信用代码": COMPANIES[0],
                "法定代表人身份证号": REP.lower(),
                "投标报价（元）": "1,200,000.00",
                "是否中标": "是",
                "中标金额（元）": "1200000",
            },
            {
                **bid,
                "投标记录编号": "T1-2",
                "项目编号": " JZGZ-2024-001 ",
                "招标人": "江州市交通运输局",
                "投标人": "乙公司",
                "投标人统一社会信用代码": COMPANIES[1].lower(),
                "法定代表人身份证号": REP.translate(FULL_WIDTH),
                "投标报价（元）": "1210000",
                "是否中标": "否",
            },
            {
                **bid,
                "投标记录编号": "T1-3",
                "项目编号": "Jzgz-2024-001",
                "招标人": "江州市交通运输局",
                "投标人": "丙公司",
                "投标人统一社会信用代码": COMPANIES[2],
                "法定代表人身份证号": OFFICIAL,
                "投标报价（元）": "1250000",
                "是否中标": "否",
            },
            # the official's spouse's company winning in the official's unit
            {
                **bid,
                "投标记录编号": "T2-1",
                "项目编号": "JZGZ-2024-002",
                "招标人": f"{UNIT}\u3000",
                "开标时间": "2024/7/8",
                "投标人": "丁公司",
                "投标人统一社会信用代码": COMPANIES[3],
                "法定代表人身份证号": SPOUSE.lower(),
                "投标报价（元）": "880000",
                "是否中标": "是",
                "中标金额（元）": "880000",
            },
        ],
        "market-entities": [
            {
                "统一社会信用代码": COMPANIES[3].translate(FULL_WIDTH),
                "企业名称": "丁公司",
                "法定代表人": "配偶",
                "法定代表人身份证号": SPOUSE.translate(FULL_WIDTH).replace("Ｘ", "ｘ"),
                "成立日期": "2019年1月2日",
            },
        ],
        "public-officials": [
            {
                "人员编号": "O1",
                "姓名": "官员",
                "身份证号": OFFICIAL,
                "工作单位": f" {UNIT} ",
                "任职时间": "2018/3/1",
                "配偶身份证号": SPOUSE.lower(),
            },
        ],
        "treasury-payments": [
            {
                "支付凭证号": "P1",
                "预算单位": UNIT,
                "收款人全称": "丁公司",
                "收款人统一社会信用代码": COMPANIES[3].lower(),
                "支付金额（元）": "264,000.00",
                "支付日期": "2024年9月1日",
            },
        ],
        # welfare, a pension and medical costs paid after the death
        "death-registrations": [
            {"登记编号": "D1", "姓名": "逝者", "身份证号": DEAD.lower(), "死亡日期": "2024年3月10日"},
        ],
        "social-assistance": [
            {
                "发放流水号": f"S{month}",
                "救助对象姓名": "逝者",
                "身份证号": number,
                "发放日期": f"2024/{month}/10",
                "发放金额（元）": "780",
            }
            for month, number in ((2, DEAD), (4, DEAD.lower()), (5, DEAD.translate(FULL_WIDTH)))
        ],
        "pension-payments": [
            {
                "发放流水号": "Y1",
                "姓名": "逝者",
                "身份证号": f" {DEAD.lower()} ",
                "发放日期": "2024-04-20 00:00",
                "发放金额（元）": "3,150.00",
            },
        ],
        "medical-insurance": [
            {
                "结算单号": "M1",
                "参保人身份证号": DEAD.lower(),
                "结算时间": "2024年4月15日 10:20",
                "医疗费总额（元）": "356.5",
                "统筹基金支付（元）": "200",
            },
        ],
        # one caller about one place, five times in four months, the number written five ways
        "hotline-12345": [
            {
                "工单编号": f"H{n}",
                "来电时间": day,
                "来电号码": phone,
                "问题地址": PLACE if n % 2 else "东湖区　人民路12号",
                "诉求标题": "噪音扰民",
                "诉求内容": "夜间施工噪音",
            }
            for n, (day, phone) in enumerate(
                [
                    ("2024/1/5 20:10", "+86 138-1234-5678"),
                    ("2024年1月20日", "(+86)13812345678"),
                    ("2024-02-14", "138 1234 5678"),
                    ("2024/3/1", "１３８１２３４５６７８"),
                    ("2024/4/2", "0086 13812345678"),
                ]
            )
        ],
    }


EXPECTED = {
    "tender-shared-legal-rep": ["id_number", REP],
    "relative-wins-in-officials-unit": ["credit_code", COMPANIES[3]],
    "relative-paid-by-officials-unit": ["credit_code", COMPANIES[3]],
    "assistance-after-death": ["id_number", DEAD],
    "pension-after-death": ["id_number", DEAD],
    "medical-settled-after-death": ["id_number", DEAD],
    "hotline-repeat-caller": ["phone", CALLER],
    "hotline-repeat-caller-commission": ["phone", CALLER],
}


def test_hand_made_exports_through_the_mappings_give_every_pattern_to_its_model(owners, tmp_path):  # noqa: F811
    for code, rows in exports().items():
        path = tmp_path / f"{code}.csv"
        write(path, code, rows)
        run = ingest_file(SourceSystem.objects.get(code=code), path, index=False).run
        assert list(run.rejected.values_list("reason", flat=True)) == [], code
        assert run.rows_loaded == len(rows), code
    assert seed_models().skipped == []
    for model in WarningModel.objects.filter(key__in=EXPECTED):
        assert actions.run_model(model).state == RunState.DONE
    found = {key: [] for key in EXPECTED}
    for key, subjects in Warning.objects.filter(model__key__in=EXPECTED).values_list(
        "model__key", "subjects"
    ):
        found[key] += subjects
    assert {key: subject in found[key] for key, subject in EXPECTED.items()} == dict.fromkeys(EXPECTED, True)
    official = Warning.objects.get(model__key="relative-wins-in-officials-unit")
    assert ["id_number", OFFICIAL] in official.subjects
    dead = Warning.objects.get(model__key="assistance-after-death")
    assert dead.evidence.count() == 3  # the death and the two payments after it, not the one before

"""Small linked records for the detection tests, loaded through ingestion as any export is (the
registry's systems and mappings, so their record keys are what ingestion writes), and warning
models made, backtested and switched on through the actions."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from search.detection import actions
from search.detection.models import Scenario, WarningModel
from search.ingest.files import ingest_file
from search.models import IngestRun, SourceSystem
from tests.search.ingest.test_ingest import credit_code, id_number

__all__ = ["PAID_AFTER_DEATH", "Loader", "company", "person", "switched_on"]

# The sequence template's classic: welfare paid to a person after their death was registered.
PAID_AFTER_DEATH = {
    "kind": "id_number", "system_a": "social-assistance", "roles_a": ["payee"],
    "system_b": "death-registrations", "roles_b": ["deceased"], "min_days": 1,
}


def person(number: int, birth: str = "19600101") -> str:
    """A valid resident ID number, one per ``number``."""
    return id_number("530102", birth, f"{number:03d}")


def company(number: int) -> str:
    """A valid unified social credit code, one per ``number``."""
    return credit_code(f"91530100MA{number:06d}")


class Loader:
    """Writes rows of one system to a JSONL file and ingests it (no search index: the models
    read record keys only)."""

    def __init__(self, folder: Path):
        self.folder, self.files, self.ids = folder, itertools.count(1), itertools.count(1)

    def __call__(self, code: str, rows: list[dict]) -> IngestRun:
        spec_id = SourceSystem.objects.get(code=code).field_mapping["external_id"]
        path = self.folder / f"{code}-{next(self.files)}.jsonl"
        lines = [{spec_id: f"{code}-{next(self.ids)}", **row} for row in rows]
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        path.write_text(text, encoding="utf-8")
        outcome = ingest_file(SourceSystem.objects.get(code=code), path, index=False)
        assert outcome.run.rows_rejected == 0, list(outcome.run.rejected.values_list("reason", flat=True))
        return outcome.run

    # One row of each system the tests use, with what ingestion requires of it.
    @staticmethod
    def death(id_no: str, date: str) -> dict:
        return {"姓名": "王某", "身份证号": id_no, "死亡日期": date}

    @staticmethod
    def assistance(id_no: str, date: str, amount: str = "800.00", region: str = "") -> dict:
        return {"救助对象姓名": "王某", "身份证号": id_no, "发放日期": date, "发放金额（元）": amount,
                "救助类别": "最低生活保障", "所属区县": region}

    @staticmethod
    def bid(project: str, bidder: str, date: str, *, rep: str = "", won: bool = False, tenderer: str = "",
            amount: str = "1000000") -> dict:
        return {"项目编号": project, "项目名称": f"{project}工程", "投标人": f"投标人{bidder[-4:]}",
                "投标人统一社会信用代码": bidder, "法定代表人身份证号": rep, "开标时间": date,
                "投标报价（元）": amount, "是否中标": "是" if won else "否",
                "中标金额（元）": amount if won else "", "招标人": tenderer}

    @staticmethod
    def registration(code: str, rep: str, date: str) -> dict:
        return {"统一社会信用代码": code, "企业名称": f"公司{code[-4:]}", "法定代表人": "李某",
                "法定代表人身份证号": rep, "成立日期": date}

    @staticmethod
    def official(id_no: str, unit: str, date: str, *, spouse: str = "", child: str = "") -> dict:
        return {"姓名": "赵某", "身份证号": id_no, "工作单位": unit, "任职时间": date,
                "配偶身份证号": spouse, "子女身份证号": child}

    @staticmethod
    def complaint(phone: str, address: str, date: str) -> dict:
        return {"诉求标题": "噪音扰民", "诉求内容": "夜间施工噪音", "来电时间": date, "来电号码": phone,
                "问题地址": address}

    @staticmethod
    def procurement(purchaser: str, supplier: str, amount: str, date: str) -> dict:
        return {"项目名称": "办公设备采购", "采购人": purchaser, "供应商名称": f"供应商{supplier[-4:]}",
                "供应商统一社会信用代码": supplier, "合同签订日期": date, "成交金额（元）": amount}

    @staticmethod
    def payment(payer: str, payee: str, amount: str, date: str) -> dict:
        return {"预算单位": payer, "收款人全称": f"收款人{payee[-4:]}", "收款人统一社会信用代码": payee,
                "支付金额（元）": amount, "支付日期": date}

    @staticmethod
    def housing(id_no: str, date: str) -> dict:
        return {"申请人": "钱某", "申请人身份证号": id_no, "配租日期": date}


def switched_on(agency, template: str, parameters: dict, *, key: str = "test-model",
                scenario: Scenario | None = None, severity: str = "high") -> WarningModel:
    """A model of ``agency`` made by an operator, backtested and switched on."""
    scenario = scenario or Scenario.objects.get_or_create(code="test", defaults={"name": "测试场景"})[0]
    version = actions.create_model(
        acting_user=None, key=key, name=key, scenario=scenario, agency=agency, template=template,
        parameters=parameters, severity=severity,
    )
    actions.backtest(acting_user=None, version=version)
    return actions.switch_on(acting_user=None, version=version)

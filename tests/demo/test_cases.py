"""The demo board's cases are read from data files (demo/data/cases/*.toml)."""

from __future__ import annotations

import pytest

from demo.cases import CASES, FOLDER, CaseFileError, load
from issues.models import Category, Priority, Source


def test_every_file_is_read_in_order():
    assert sorted(FOLDER.glob("*.toml"))
    assert load() == CASES
    assert (len(CASES), sum(len(case.variants) for case in CASES)) == (51, 201)
    assert CASES[0].title == "{project}施工许可审批停滞"
    assert CASES[0].variants[0].fill["money"] == "18.6"


def test_choices_and_pairs_are_read_as_the_models_and_the_board_want_them():
    case = next(case for case in CASES if case.transfer)
    assert isinstance(case.category, Category) and isinstance(case.source, Source)
    assert isinstance(case.priority, Priority)
    assert isinstance(case.transfer, tuple) and len(case.transfer) == 2
    assert isinstance(case.co, tuple) and isinstance(case.variants, tuple)


def test_long_texts_join_without_a_break():
    assert not any("\n" in case.description or "\n" in case.report for case in CASES)


CASE = """
[[case]]
title = "t"
description = "d"
report = "r"
category = "construction"
source = "hotline"
initiator = "jz-jw"
lead = "housing"
{extra}

[[case.variant]]
region = "{region}"
story = "closed"
ago = 3
due = 1
[case.variant.fill]
place = "p"
"""


def test_a_mistake_in_a_file_is_named(tmp_path):
    (tmp_path / "01-good.toml").write_text(CASE.format(extra="", region="jz-donghu"), encoding="utf-8")
    assert [case.variants[0].fill for case in load(tmp_path)] == [{"place": "p"}]
    bad = tmp_path / "02-bad.toml"
    bad.write_text(CASE.format(extra='leed = "x"', region="jz-donghu"), encoding="utf-8")
    with pytest.raises(CaseFileError, match="02-bad.toml.*has no leed"):
        load(tmp_path)
    bad.write_text(CASE.format(extra="", region="jz-nowhere"), encoding="utf-8")
    with pytest.raises(CaseFileError, match="no region 'jz-nowhere'"):
        load(tmp_path)

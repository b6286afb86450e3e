"""common.cjk: the Chinese-text helpers the agency picker and both searches share."""

from __future__ import annotations

from common.cjk import cjk_pieces, cjk_spaced, fold, has_han


def test_ideographs_stand_alone_and_other_runs_stay_whole():
    assert cjk_spaced("12345热线 reported 医保") == "12345 热 线 reported 医 保"
    assert cjk_pieces("12345热线") == ["12345", "热", "线"]
    assert cjk_spaced("") == ""


def test_only_text_with_chinese_characters_has_han():
    assert has_han("市住建局")
    assert not has_han("zjj")
    assert not has_han("カナ")  # kana is CJK text but has no pinyin


def test_full_width_forms_and_case_fold_to_what_is_typed_plainly():
    assert fold("ＳＹＳＴＥＭ：１２３") == "system:123"
    assert fold("Name") == fold("NAME")

"""Helpers for Chinese text (and the other scripts written without spaces between words).

One home for what the agency picker, the linked-record search and the editorial pages' search
each need: which characters are ideographs, a text split one token per ideograph, and text
folded so that what people type (full-width letters and digits, any case) compares equal to what
is stored.
"""

from __future__ import annotations

import re
import unicodedata

# CJK unified ideographs (with extension A and compatibility ideographs), kana and hangul
# syllables: scripts written without spaces between words.
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHARACTER = re.compile(f"([{CJK_CHARACTERS}])")
_CJK_PIECE = re.compile(f"[{CJK_CHARACTERS}]|[^{CJK_CHARACTERS}]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")  # the common ideographs: what pinyin can be given for


def has_han(text: str) -> bool:
    """Whether ``text`` holds a (common) Chinese character."""
    return bool(_HAN.search(text or ""))


def cjk_spaced(text: str) -> str:
    """``text`` with a space on each side of every CJK character: one index token per character."""
    return " ".join(_CJK_CHARACTER.sub(r" \1 ", text or "").split())


def cjk_pieces(word: str) -> list[str]:
    """``word`` cut into its CJK characters, one each, and the runs of other characters between
    them: "12345热线" → ["12345", "热", "线"]."""
    return _CJK_PIECE.findall(word)


def fold(text: str) -> str:
    """Text as the portal compares it: full-width forms read as half-width (NFKC), any case."""
    return unicodedata.normalize("NFKC", text).casefold()

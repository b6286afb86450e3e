"""Hypothesis strategies: ID and phone numbers as people write them, inside text, and queries
aimed at their hidden digits; and the check that a text shows none of those digits.

Every digit a number's mask must hide is drawn from 7, 8 and 9, every digit it may show from 0
to 6 (the leading digits that make a number what it is excepted: a mobile's 1 and 3-6, an area
code's 0). The filler text has no digits. So a run of three or more of 7, 8 and 9 in what a
reader is shown can only be hidden digits leaking, whatever else the page shows around them,
and ``assert_hidden`` needs no knowledge of how the masking works.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from hypothesis import strategies as st

SHOWN = "0123456"
HIDDEN = "789"
FULL_WIDTH = str.maketrans("0123456789xX", "０１２３４５６７８９ｘＸ")
SEPARATORS = [" ", "-", ".", "—", "－", "\u3000", " - ", "．", "·"]
FILLER_ALPHABET = "市民反映城南路灯不亮联系电话身份证号码投诉人工程款项补贴发放"
FILLER = st.text(alphabet=FILLER_ALPHABET, max_size=12)


@dataclass(frozen=True)
class Written:
    text: str  # as written in the record
    digits: str  # the number, digits only (an ID's check letter upper-case)
    hidden: str  # the digits its mask hides, in order


def _digits(alphabet: str, count: int):
    return st.text(alphabet=alphabet, min_size=count, max_size=count)


@st.composite
def mobiles(draw) -> tuple[list[str], str]:
    head = "1" + draw(st.sampled_from("3456")) + draw(_digits(SHOWN, 1))
    middle = draw(_digits(HIDDEN, 4))
    tail = draw(_digits(SHOWN, 4))
    return [head, middle, tail], middle


@st.composite
def id_numbers(draw) -> tuple[list[str], str]:
    region = draw(st.sampled_from("123456")) + draw(_digits(SHOWN, 5))
    birth = draw(_digits(HIDDEN, 8))
    tail = draw(_digits(SHOWN, 3)) + draw(st.sampled_from([*SHOWN, "X", "x"]))
    return [region, birth, tail], birth


@st.composite
def landlines(draw) -> tuple[list[str], str]:
    area = draw(st.sampled_from(["010", "021", "022", "023", "025", "027"])) if draw(st.booleans()) else (
        "0" + draw(st.sampled_from("3456")) + draw(_digits(SHOWN, 2))
    )
    local_hidden = draw(_digits(HIDDEN, draw(st.sampled_from([3, 4]))))
    local = local_hidden + draw(_digits(SHOWN, 4))
    return [area, local], local_hidden


@st.composite
def written_numbers(draw) -> Written:
    """One number, written in one of the ways people write it."""
    kind = draw(st.sampled_from(["mobile", "id", "landline"]))
    parts, hidden = draw({"mobile": mobiles(), "id": id_numbers(), "landline": landlines()}[kind])
    digits = "".join(parts).upper()
    separator = draw(st.sampled_from(["", *SEPARATORS]))
    if kind == "landline" and draw(st.booleans()):
        area, local = parts
        bracket = draw(st.sampled_from([("(", ")"), ("（", "）")]))
        text = f"{bracket[0]}{area}{bracket[1]}{separator.strip()}{_split(draw, local, separator)}"
    elif kind == "landline":
        text = separator.join([parts[0], _split(draw, parts[1], separator)])
    else:
        text = separator.join(parts)
    if kind != "id" and draw(st.booleans()):  # a country code
        code = draw(st.sampled_from(["+86 ", "+86-", "0086 ", "0086", "(+86)", "+86"]))
        text = code + (text[1:] if kind == "landline" and text.startswith("0") else text)
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return Written(text, digits, hidden)


def _split(draw, local: str, separator: str) -> str:
    """A local number written whole or in two groups (8765 4321)."""
    if separator and draw(st.booleans()):
        return local[:-4] + separator + local[-4:]
    return local


@st.composite
def texts(draw, numbers: list[Written]) -> str:
    """Filler and the numbers, some of them inside a longer run of digits (a number touching
    other digits: an account number, a code)."""
    pieces = [draw(FILLER)]
    for number in numbers:
        text = number.text
        if draw(st.integers(0, 4)) == 0:
            text = draw(_digits(SHOWN, draw(st.integers(1, 3)))) + text
        if draw(st.integers(0, 4)) == 0:
            text = text + draw(_digits(SHOWN, draw(st.integers(1, 3))))
        pieces += [text, draw(FILLER)]
    return "".join(pieces)


@st.composite
def queries(draw, numbers: list[Written]) -> str:
    """A query aimed at the numbers' hidden digits: the hidden digits, a term straddling shown
    and hidden ones, the whole number, or an ordinary word."""
    number = draw(st.sampled_from(numbers))
    cut = number.digits.index(number.hidden)
    choices = [
        number.hidden,
        number.hidden[: draw(st.integers(2, len(number.hidden)))],
        number.digits[max(0, cut - 3) : cut + 2],  # across the shown and the hidden
        number.digits[cut + len(number.hidden) - 2 : cut + len(number.hidden) + 3],
        number.digits,
        f'"{number.text.strip()}"' if '"' not in number.text else number.digits,
        "路灯",
    ]
    return draw(st.sampled_from(choices))


# --- the check ------------------------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]*>")
_NOT_DIGITS = re.compile(r"[\s\-.()（）+—－·．\u3000]")
_HALF = str.maketrans("０１２３４５６７８９", "0123456789")


def shown_digits(text: str) -> str:
    """What a reader reads of ``text`` (HTML or plain), with the separators between digits gone
    and full-width digits made ASCII: a hidden number shows here in any of its written forms."""
    return _NOT_DIGITS.sub("", html.unescape(_TAGS.sub("", text))).translate(_HALF)


def assert_hidden(text: str, numbers: list[Written], where: str) -> None:
    shown = shown_digits(text)
    for number in numbers:
        assert number.hidden not in shown, f"{where}: {number.text!r} shows its hidden {number.hidden}"
    # Stronger: no run of three hidden-only digits at all (shown digits are never 7, 8 or 9).
    leaked = re.search(f"[{HIDDEN}]{{3,}}", shown)
    assert leaked is None, f"{where}: hidden digits {leaked.group(0)!r} in {shown[:300]!r}"

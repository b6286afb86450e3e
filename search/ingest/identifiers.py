"""Checks of the two national identifiers found in the linked systems' rows.

- The unified social credit code (统一社会信用代码, GB 32100-2015) of every organisation:
  18 characters from 0-9 and A-Z without I, O, Z, S and V; the last is a check character.
- The resident ID number (公民身份号码, GB 11643-1999): 17 digits, the birth date at 7-14, and a
  check character, a digit or X.

Both are normalised first (spaces removed, letters upper-cased), as exports write them loosely.
"""

from __future__ import annotations

import datetime
import unicodedata

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: 31 characters
_CREDIT_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, …
_ID_NUMBER_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, 8, 4, …
_ID_NUMBER_CHECKS = "10X98765432"


def normalise(value: str) -> str:
    """The code as it is checked and kept: without spaces, in capitals, in half-width characters
    (an export typed in a Chinese input method writes ３３０１… and Ｘ, which are the same code)."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split()).upper()


def credit_code_check(first17: str) -> str:
    """The 18th character of the credit code that starts with ``first17``."""
    pairs = zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    total = sum(CREDIT_CODE_CHARSET.index(char) * weight for char, weight in pairs)
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def is_credit_code(code: str) -> bool:
    return (
        len(code) == 18
        and all(char in CREDIT_CODE_CHARSET for char in code)
        and credit_code_check(code[:17]) == code[17]
    )


def id_number_check(first17: str) -> str:
    """The 18th character of the ID number that starts with ``first17``."""
    pairs = zip(first17, _ID_NUMBER_WEIGHTS, strict=True)
    return _ID_NUMBER_CHECKS[sum(int(digit) * weight for digit, weight in pairs) % 11]


def is_id_number(number: str) -> bool:
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_number_check(number[:17]) == number[17]

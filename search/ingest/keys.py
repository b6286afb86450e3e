"""The values of record keys, normalised once, as ingestion writes them (DESIGN §12).

A warning model joins linked records of different systems on their keys: the same person ID,
credit code, phone, plate, address, project or unit, however each system wrote it. Each kind has
one function here that turns a cell's text into the one form every key of that kind is stored
in, or None when the text is not a value of that kind (a bad check character, a phone number of
the wrong length): such a value gives no key, and its row is loaded all the same.

- ``id_number``: full-width forms read as half-width, spaces removed, a trailing x upper-cased;
  18 characters with a real birth date and a matching check character (GB 11643). A 15-digit
  first-generation number (born 19xx) is upgraded to the 18 characters that replaced it: the
  century inserted, the check character computed.
- ``credit_code``: the same reading, 18 characters with a matching check character (GB 32100).
- ``phone``: a mobile (11 digits) or a landline with its area code, written with any spaces,
  dashes, dots or brackets and after +86 or 0086 (``search.masking.phone_number``, which also
  reads them in text to mask them); stored as digits: ``13812345678``, ``057187654321``. A
  number without an area code, a short service number and an extension give no key: they
  cannot be told apart from the same digits elsewhere.
- ``plate``: upper case, half-width, without spaces, middle dots or hyphens: ``江A12345``,
  ``浙AD12345``, ``苏E1234学``.
- ``address`` and ``organisation`` (a unit's name): full-width forms read as half-width
  (NFKC), runs of white space made one space.
- ``project``: a code, upper case, half-width, without white space.

Every value is at most ``VALUE_LENGTH`` characters; a longer one gives no key.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from search.ingest.identifiers import id_number_check, is_credit_code, is_id_number
from search.ingest.identifiers import normalise as compact
from search.masking import phone_number
from search.models import KeyKind, RecordKey

VALUE_LENGTH = RecordKey._meta.get_field("value").max_length
# A province's character and a letter, then five letters and digits (six on a new-energy plate),
# or four and a character saying what the vehicle is (学 a learner's, 挂 a trailer, 港 from
# Hong Kong…).
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z](?:[A-Z0-9]{5,6}|[A-Z0-9]{4}[\u4e00-\u9fff])")
_PLATE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u00b7\u2022\u30fb.]+")
_SETTLING_STEPS = 4


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def id_number(text: str) -> str | None:
    number = compact(_nfkc(text))
    if len(number) == 15 and number.isascii() and number.isdigit():
        number = _second_generation(number)
    return number if number and is_id_number(number) else None


def _second_generation(number: str) -> str | None:
    """The 18-character number that replaced a 15-digit one (born in the 1900s), if it has a real
    birth date."""
    first17 = f"{number[:6]}19{number[6:]}"
    try:
        datetime.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return None
    return first17 + id_number_check(first17)


def credit_code(text: str) -> str | None:
    code = compact(_nfkc(text))
    return code if is_credit_code(code) else None


def phone(text: str) -> str | None:
    return phone_number(_nfkc(text).strip())


def plate(text: str) -> str | None:
    value = _PLATE_SEPARATORS.sub("", _nfkc(text)).upper()
    return value if _PLATE.fullmatch(value) else None


def address(text: str) -> str | None:
    """Also a unit's name: both are written in words, and only their width and spacing vary."""
    value = _settled(lambda value: " ".join(_nfkc(value).split()), text)
    return value if 0 < len(value) <= VALUE_LENGTH else None


def project(text: str) -> str | None:
    value = _settled(lambda value: "".join(_nfkc(value).upper().split()), text)
    return value if 0 < len(value) <= VALUE_LENGTH else None


def _settled(step: Callable[[str], str], text: str) -> str:
    """``step`` repeated until the text stops changing. NFKC, case and white space each undo a
    little of another (NFKC writes ¨ as a space and a diaeresis, which joins the letter before
    it once the space is gone), so a value read once could read differently a second time."""
    for _ in range(_SETTLING_STEPS):
        changed = step(text)
        if changed == text:
            break
        text = changed
    return text


NORMALISERS: dict[str, Callable[[str], str | None]] = {
    KeyKind.ID_NUMBER: id_number,
    KeyKind.CREDIT_CODE: credit_code,
    KeyKind.PHONE: phone,
    KeyKind.PLATE: plate,
    KeyKind.ADDRESS: address,
    KeyKind.PROJECT: project,
    KeyKind.ORGANISATION: address,
}
# The kinds whose cell may list several values (、 , ; / between them), as the mapping's lists
# do; an address or a unit's name is one value, whatever punctuation it holds.
LISTED_KINDS = frozenset({
    KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE, KeyKind.PHONE, KeyKind.PLATE, KeyKind.PROJECT,
})


@lru_cache(maxsize=1 << 16)
def normalised(kind: str, text: str) -> str | None:
    """``NORMALISERS[kind](text)``, remembered: the same people, companies, phones and places come
    back row after row (a payee every month), and a checksum costs more than a lookup."""
    return NORMALISERS[kind](text)

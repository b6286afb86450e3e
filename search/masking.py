"""How ID and phone numbers are masked, and a linked record as its reader may see it (DESIGN §7).

``governance.readable`` decides *whether* a reader sees a system's identifiers; this module
decides *what* is hidden, in one function, ``shown_record``: every page, hit, highlight, excerpt,
export, clue and issue that shows a linked record's text takes it from there. Highlights and
excerpts are cut from the masked text (``search.highlight``), never the other way round, so no
query and no fragment boundary can bring a hidden digit back.

What is recognised in free text (titles, bodies, names, the row as received):

- **Runs of digits** written with separators between groups: spaces (also the ideographic and
  no-break space), hyphens and dashes, dots, brackets (half- and full-width) and ``+``; digits
  may be full-width (０-９). ``+86 138-1234-5678``, ``(010)12345678``, ``0571-8765 4321`` and
  ``１３８１２３４５６７８`` are each one run. Commas and slashes end a run (amounts and dates).
- **Numbers** in a run: a mobile (11 digits, ``1[3-9]…``: the 4th-7th digits are hidden), a
  resident ID number (18 characters, the last a digit or X in either case and width: the birth
  date, 7th-14th, is hidden; or the older 15 digits: 7th-12th hidden), a landline with its area
  code (``0`` and 2-3 digits, or after ``86`` without the ``0``; a local number of 7-8 digits of
  which all but the last four are hidden), each optionally after ``+86``/``0086``. A run that is
  exactly one of these is masked as it; otherwise each number found on the run's group
  boundaries (``2024.03.05 13812345678``) is masked.
- **Longer runs**: a run of 11 or more digits (or what is left of one once the numbers on its
  boundaries are masked) that is not exactly a number may hold one anywhere inside it, e.g. an
  ID in a 20-digit account number. All but its first three and last four digits are hidden:
  whatever the offset, that covers the hidden part of any mobile or ID inside it.
- Shorter runs (dates, amounts, codes under 10 digits) are left as they are: they cannot hold a
  whole number, and a local landline number without its area code is not told from a date.

A masked digit becomes ``*``; separators and the digits kept stay as written, so the number
still reads as what it was (``138-****-5678``). Values of the ID and phone fields are masked as
numbers even when they do not look like one (``mask_identifier``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "*"
_DIGITS = "0-9\uff10-\uff19"
# Between two groups of one number: spaces, hyphens and dashes, dots, brackets, a plus sign.
_SEPARATORS = (
    " \t\u00a0\u3000"  # spaces, no-break and ideographic
    "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"  # hyphens, dashes, minus signs
    ".\uff0e\u00b7\u30fb"  # dots
    "()\uff08\uff09\\[\\]\u3010\u3011"  # brackets
    "+\uff0b"
)
# A run: digit groups joined by up to three separator characters, and an ID's check letter X.
RUN = re.compile(f"[{_DIGITS}](?:[{_SEPARATORS}]{{0,3}}[{_DIGITS}])*[xX\uff58\uff38]?")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
LONG_RUN = 11  # digits: the shortest run that can hold a whole mobile or ID number
KEPT_HEAD, KEPT_TAIL = 3, 4  # what a long run keeps of its digits
_LONGEST_NUMBER = 18  # digits (or characters) of the longest number recognised
_COUNTRY = re.compile(r"(0086|86)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_ID_18 = re.compile(r"[1-9]\d{16}[\dX]")  # region codes never start with 0
_ID_15 = re.compile(r"[1-9]\d{14}")


def _hidden_in_number(digits: str) -> range | None:
    """Which positions of ``digits`` (ASCII digits, X upper-case) the number's mask hides, if
    ``digits`` is exactly one number the portal recognises; else None."""
    if _ID_18.fullmatch(digits):
        return range(6, 14)
    if "X" in digits:
        return None
    if _ID_15.fullmatch(digits):
        return range(6, 12)
    country = _COUNTRY.match(digits)
    for start in {0, country.end() if country else 0}:
        rest = digits[start:]
        if _MOBILE.fullmatch(rest):
            return range(start + 3, start + 7)
        landline = _landline(rest, with_trunk=start == 0)
        if landline is not None:
            return range(start + landline.start, start + landline.stop)
    return None


def _landline(digits: str, *, with_trunk: bool) -> range | None:
    """The hidden positions of a landline with its area code: ``0`` + 2 or 3 digits (Beijing,
    Tianjin, Shanghai, Chongqing and the 02x cities have 2), or without the ``0`` after 86."""
    area = digits
    if with_trunk:
        if not area.startswith("0") or len(area) < 2:
            return None
        area = area[1:]
    if not area or area[0] == "0":
        return None
    area_length = (2 if area[0] in "12" else 3) + (1 if with_trunk else 0)
    local = len(digits) - area_length
    if not 7 <= local <= 8:
        return None
    return range(area_length, len(digits) - 4)


def _groups(run: str) -> list[tuple[int, int]]:
    """Where the run's digit groups are: (start, end) in the run."""
    return [match.span() for match in re.finditer(f"[{_DIGITS}xX\uff58\uff38]+", run)]


def _hidden_in_run(run: str) -> set[int]:
    """The positions in ``run`` (a RUN match) of the characters its numbers hide."""
    normal = run.translate(_HALF_WIDTH).upper()
    groups = _groups(normal)
    hidden: set[int] = set()
    leftover: list[tuple[int, int]] = []  # consecutive groups in no number found

    def positions(first: int, last: int) -> list[int]:
        return [at for start, end in groups[first : last + 1] for at in range(start, end)]

    def close_leftover() -> None:
        places = [at for start, end in leftover for at in range(start, end)]
        if len(places) >= LONG_RUN:
            hidden.update(places[KEPT_HEAD : len(places) - KEPT_TAIL])
        leftover.clear()

    first = 0
    while first < len(groups):
        found = None
        last = first
        # Longest first: the whole run, else the most groups from here that make one number.
        candidates = []
        while last < len(groups):
            places = positions(first, last)
            if len(places) > _LONGEST_NUMBER + 4:  # +4: a country code
                break
            candidates.append((last, places))
            last += 1
        for last, places in reversed(candidates):
            number = "".join(normal[at] for at in places)
            if "X" in number[:-1]:
                continue
            masked = _hidden_in_number(number)
            if masked is not None:
                found = (last, [places[index] for index in masked])
                break
        if found is None:
            if "X" in normal[groups[first][0] : groups[first][1]]:
                # A check letter that ends no ID number is text, not a digit.
                start, end = groups[first]
                leftover.append((start, end - 1))
                close_leftover()
            else:
                leftover.append(groups[first])
            first += 1
            continue
        close_leftover()
        last, masked = found
        hidden.update(masked)
        first = last + 1
    close_leftover()
    return hidden


def mask_text(text: str) -> str:
    """The text with every ID and phone number in it masked (see the module's docstring)."""
    if not text:
        return text or ""

    def masked(match: re.Match) -> str:
        run = match.group(0)
        hidden = _hidden_in_run(run)
        if not hidden:
            return run
        return "".join(MASK if at in hidden else char for at, char in enumerate(run))

    return RUN.sub(masked, text)


def mask_identifier(value: str) -> str:
    """A value of an ID or phone number field, masked even when it does not read as a number
    (a short or malformed one): all but its first three and last four digits of a long one, all
    but the last four of a local number, every digit of a shorter one."""
    value = value or ""
    masked = mask_text(value)
    if masked != value:
        return masked
    places = [at for at, char in enumerate(value) if char.translate(_HALF_WIDTH).isdigit()]
    if len(places) >= LONG_RUN:
        hidden = set(places[KEPT_HEAD : len(places) - KEPT_TAIL])
    elif len(places) >= 7:
        hidden = set(places[: len(places) - KEPT_TAIL])
    else:
        hidden = set(places)
    return "".join(MASK if at in hidden else char for at, char in enumerate(value))


# --- a linked record as its reader sees it --------------------------------------------------------


@dataclass(frozen=True)
class ShownRecord:
    """The text of a linked record as one reader may see it: masked unless ``identifiers``."""

    title: str
    body: str
    names: list[str]
    id_numbers: list[str]
    phones: list[str]
    raw: list[tuple[str, str]]  # the row as received, column by column
    identifiers: bool


def _columns(value) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)


def shown_record(record, *, identifiers: bool) -> ShownRecord:
    """The one masking decision: what of ``record`` a reader sees, ``identifiers`` saying
    whether their access to its system shows ID and phone numbers (governance.readable)."""
    raw = [(column, "" if value is None else str(value)) for column, value in (record.raw or {}).items()]
    if identifiers:
        return ShownRecord(
            record.title, record.body, list(record.names or []), list(record.id_numbers or []),
            list(record.phones or []), raw, identifiers=True,
        )
    mapping = record.system.field_mapping or {}
    identifier_columns = _columns(mapping.get("id_numbers")) | _columns(mapping.get("phones"))
    return ShownRecord(
        title=mask_text(record.title),
        body=mask_text(record.body),
        names=[mask_text(name) for name in record.names or []],
        id_numbers=[mask_identifier(number) for number in record.id_numbers or []],
        phones=[mask_identifier(phone) for phone in record.phones or []],
        raw=[
            (column, mask_identifier(value) if column in identifier_columns else mask_text(value))
            for column, value in raw
        ],
        identifiers=False,
    )

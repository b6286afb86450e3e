"""How ID and phone numbers are masked, and a linked record as its reader may see it (DESIGN §7).

``permissions.readable`` decides *whether* a reader sees a system's identifiers; this module
decides *what* is hidden, in one function, ``shown_record``: every page, hit, highlight, excerpt,
export, clue and issue that shows a linked record's text takes it from there. Highlights and
excerpts are cut from the masked text (``search.index.highlight``), never the other way round, so no
query and no fragment boundary can bring a hidden digit back.

What is recognised in free text (titles, bodies, names, the row as received):

- **Runs of digits** written with separators between groups: spaces (also the ideographic and
  no-break space), hyphens and dashes, dots, brackets (half- and full-width) and ``+``; digits
  may be full-width (０-９). ``+86 138-1234-5678``, ``(010)12345678``, ``0571-8765 4321`` and
  ``１３８１２３４５６７８`` are each one run. Commas and slashes end a run (amounts and dates).
- **Numbers** in a run: a mobile (11 digits, ``1[3-9]…``: the 4th-7th digits are hidden), a
  resident ID number (18 characters, the last a digit or X in either case and width: the birth
  date, 7th-14th, is hidden, and the 4th-6th too when those 8 are no date of 1900-2099, as such
  a number may be a miswritten ID or a mobile run together with more digits), a landline with
  its area code (``0`` and 2-3 digits, or after ``86`` without the ``0``; a local number of 7-8
  digits of which all but the last four are hidden), each optionally after ``+86``/``0086``. A
  run that is exactly one of these is masked as it; otherwise every way its digits can be read
  as numbers is masked (``_hidden_in_run``), so numbers written side by side are all found. That
  hides more than needed now and then (a date followed by a mobile after a single space reads
  as the start of an ID number too): a doubtful reading is masked, never guessed away.
- **Longer runs**: a group of 11 or more digits written together that is not exactly a number
  may hold one anywhere inside it (an ID in a 20-digit account number, two numbers run
  together): all but its first three and last four digits are hidden, which at any offset
  covers the hidden part of any number inside it. The same holds for groups side by side that no
  reading covers, when together they are 11 digits or more. The older 15-digit ID number
  (replaced by 2013) is such a run: read as an ID it could not be told from a mobile and four
  more digits.
- Shorter runs (dates, amounts, codes under 10 digits) are left as they are: they cannot hold a
  whole number, and a local landline number without its area code is not told from a date.

What is decided here is what a reader *sees*, and so also what their searches may *find*: in a
system whose identifiers a reader does not see, the words of their query are matched against
the masked text (``search.index.masked_text``, and the masked fields of the Elasticsearch index), so
no part of a hidden number, typed as digits or as written, finds a record, alone or beside other
words; what a hidden digit cannot match, a NOT keeps. Still found, deliberately, because looking
up a known number is an investigator's work and each search is in the search log with its
stated purpose:

- a number typed **whole** in the query box (``whole_number``: as digits, or as written with
  spaces, hyphens, brackets, a country code or full-width digits), which finds the records in
  whose text that number is read (``numbers_in``, ``number_key``). Where a run of digits can be
  read more than one way each reading is such a number (a landline with eight local digits
  after a country code is also one of seven): found only when typed whole, as any number;
- a whole value of the ID, phone and code fields (``身份证:``, ``电话:``, ``代码:``), matched
  exactly as it always was, and an exact name (``名称:"张伟"``).

Readers who see identifiers search the text as stored.

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
# The lengths a number recognised by _hidden_in_number can have, with a country code or not.
_NUMBER_LENGTHS = (10, 11, 12, 13, 14, 15, 16, 18)
_COUNTRY = re.compile(r"(0086|86)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# An ID number: region codes never start with 0; a birth date of 1900-2099 at the 7th-14th.
_ID_18 = re.compile(r"[1-9]\d{16}[\dX]")
_BIRTH_DATE = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


def _hidden_in_number(digits: str) -> range | None:
    """Which positions of ``digits`` (ASCII digits, X upper-case) the number's mask hides, if
    ``digits`` is exactly one number the portal recognises; else None."""
    if _ID_18.fullmatch(digits):
        # Without a birth date it may be a miswritten ID, or a mobile and more digits: the
        # region's last three go too.
        return range(6, 14) if _BIRTH_DATE.fullmatch(digits, 6, 14) else range(3, 14)
    if "X" in digits:
        return None
    country = _COUNTRY.match(digits)
    for start in {0, country.end() if country else 0}:
        rest = digits[start:]
        if _MOBILE.fullmatch(rest):
            return range(start + 3, start + 7)
        landline = _landline(rest, with_trunk=start == 0)
        if landline is not None:
            return range(start + landline.start, start + landline.stop)
    return None


def _doubtful_id(digits: str) -> bool:
    """An ID number's shape without a birth date: perhaps numbers run together."""
    return len(digits) == 18 and not _BIRTH_DATE.fullmatch(digits, 6, 14)


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


def _hidden_in_run(run: str, numbers: set[str] | None = None) -> set[int]:
    """The positions in ``run`` (a RUN match) of the characters its numbers hide; every number
    read in it is added to ``numbers``, as ``number_key`` writes it.

    A run that is exactly one number (an ID number only with its birth date) is masked as it.
    Otherwise every reading of its digits as a number is masked, not one chosen segmentation, so
    numbers written side by side (``13077770000130 7777 0000``) are all found, whatever else the
    digits could be read as: a doubtful reading hides more than it must, never less. A group of
    11 or more digits that is not one number keeps only its first three and last four digits,
    and so do groups side by side that no reading covers, when together they are that long."""
    normal = run.translate(_HALF_WIDTH).upper()
    places = [at for at, char in enumerate(normal) if char.isdigit() or char == "X"]
    digits = "".join(normal[at] for at in places)
    whole = _hidden_in_number(digits)
    if whole is not None and not _doubtful_id(digits):
        if numbers is not None:
            numbers.add(number_key(digits))
        return {places[index] for index in whole}
    groups, first = [], 0  # (first, end) indices into ``digits``
    for index in range(1, len(places) + 1):
        if index == len(places) or places[index] != places[index - 1] + 1:
            groups.append((first, index))
            first = index
    hidden: set[int] = set()
    covered: set[int] = set()
    starts: list[int] = []
    for start, end in groups:
        is_number = end - start >= 10 and _hidden_in_number(digits[start:end]) is not None
        if end - start >= LONG_RUN and (not is_number or _doubtful_id(digits[start:end])):
            # A number wholly inside a long group is hidden by its own mask (below): only the
            # readings that leave it need looking for.
            hidden.update(range(start + KEPT_HEAD, end - KEPT_TAIL))
            covered.update(range(start, end))
            starts.extend(range(max(start, end - _LONGEST_NUMBER), end))
        else:
            starts.extend(range(start, end))
    for start in starts:
        for length in _NUMBER_LENGTHS:
            end = start + length
            if end > len(digits):
                break
            masked = _hidden_in_number(digits[start:end])
            if masked is not None:
                hidden.update(start + index for index in masked)
                covered.update(range(start, end))
                if numbers is not None:
                    numbers.add(number_key(digits[start:end]))
    leftover: list[int] = []
    for start, end in [*groups, (len(digits), len(digits))]:
        if start < end and not covered.intersection(range(start, end)):
            leftover.extend(range(start, end))
            continue
        if len(leftover) >= LONG_RUN:
            hidden.update(leftover[KEPT_HEAD : len(leftover) - KEPT_TAIL])
        leftover = []
    return {places[index] for index in hidden}


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


def number_key(digits: str) -> str:
    """A number read by ``_hidden_in_number`` as one key, however it was written: without a
    country code, a landline with its trunk ``0`` (``+86 10 1234 5678`` is ``01012345678``)."""
    country = _COUNTRY.match(digits)
    if country and _hidden_in_number(digits[country.end():]) is None and _landline(
        digits[country.end():], with_trunk=False
    ) is not None:
        return "0" + digits[country.end():]
    if country and _hidden_in_number(digits[country.end():]) is not None:
        return digits[country.end():]
    return digits


def numbers_in(text: str) -> set[str]:
    """Every number the mask hides digits of in ``text`` (``number_key``): what a search for a
    number typed whole finds in the text of a reader who does not see identifiers."""
    numbers: set[str] = set()
    for match in RUN.finditer(text or ""):
        _hidden_in_run(match.group(0), numbers)
    return numbers


_OPENING = "+\uff0b(\uff08[\u3010"  # what may come before a number's first digit: +86, (010)
_CLOSING = ")\uff09]\u3011"


def whole_number(word: str) -> str | None:
    """``number_key`` of ``word`` when it is written as exactly one number whose mask hides some
    of its digits (a mobile, an ID number, a landline with its area code, in any of the forms
    ``RUN`` reads); None for anything else, part of a number included."""
    word = (word or "").lstrip(_OPENING).rstrip(_CLOSING)
    if not RUN.fullmatch(word):
        return None
    digits = "".join(char for char in word.translate(_HALF_WIDTH).upper() if char.isdigit() or char == "X")
    country = _COUNTRY.match(digits)
    # "+86 (0571) 8765 4321": a country code before a landline written with its trunk 0.
    for number in (digits, digits[country.end():] if country else ""):
        if number and _hidden_in_number(number) is not None:
            return number_key(number)
    return None


def phone_number(word: str) -> str | None:
    """``whole_number`` of ``word`` when that is a phone number, a mobile or a landline with its
    area code (``+86 138-1234-5678`` is ``13812345678``, ``(0571)8765 4321`` is
    ``057187654321``); None for an ID number and anything else."""
    number = whole_number(word)
    return number if number and (number.startswith("0") or _MOBILE.fullmatch(number)) else None


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


# The kinds of record key (search.models.KeyKind) whose column holds ID or phone numbers.
IDENTIFIER_KEY_KINDS = ("id_number", "phone")
# The kinds that name a company, a unit or a project: public (a credit code is published on the
# national enterprise credit register, and linked records show it in their titles and ids), so
# shown as they are, instead of looking to mask_text like an ID number to be hidden.
PUBLIC_KEY_KINDS = ("credit_code", "organisation", "project")


def _columns(value) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)


def shown_record(record, *, identifiers: bool) -> ShownRecord:
    """The one masking decision: what of ``record`` a reader sees, ``identifiers`` saying
    whether their access to its system shows ID and phone numbers (permissions.readable)."""
    raw = [(column, "" if value is None else str(value)) for column, value in (record.raw or {}).items()]
    if identifiers:
        return ShownRecord(
            record.title, record.body, list(record.names or []), list(record.id_numbers or []),
            list(record.phones or []), raw, identifiers=True,
        )
    mapping = record.system.field_mapping or {}
    identifier_columns = _columns(mapping.get("id_numbers")) | _columns(mapping.get("phones")) | {
        key.get("column") for key in mapping.get("keys") or () if isinstance(key, dict)
        and key.get("kind") in IDENTIFIER_KEY_KINDS
    }
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


def shown_key(kind: str, value: str, *, identifiers: bool) -> str:
    """A record key (a warning's subject) as a reader sees it: an ID or phone number masked as
    such a field of a linked record is, any other kind as the text of one, unless ``identifiers``
    (the reader's access shows identifiers in every system the key was found in). A company's,
    unit's or project's key is public and shown as it is."""
    if identifiers or kind in PUBLIC_KEY_KINDS:
        return value
    return mask_identifier(value) if kind in IDENTIFIER_KEY_KINDS else mask_text(value)

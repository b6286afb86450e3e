"""People and companies: resident ID numbers, names, homes, and the market register's companies."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from search.ingest.identifiers import CREDIT_CODE_CHARSET, credit_code_check

from . import words as W
from .basics import _SCRAMBLE, COMPACT, _mix, day_of

# --- people --------------------------------------------------------------------------------------
DISTRICT_NAMES = tuple(district[0] for district in W.DISTRICTS)
DISTRICT_DIVISIONS = tuple(district[1] for district in W.DISTRICTS)
_ID_DIVISIONS = DISTRICT_DIVISIONS + W.OTHER_DIVISIONS
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECKS = "10X98765432"
_DIVISION_SUMS = [
    sum(int(c) * w for c, w in zip(code, _ID_WEIGHTS[:6], strict=True)) for code in _ID_DIVISIONS
]
_BIRTH_SUMS = [sum(int(c) * w for c, w in zip(text, _ID_WEIGHTS[6:14], strict=True)) for text in COMPACT]
_SEQUENCE_SUMS = [
    sum(int(c) * w for c, w in zip(f"{n:03d}", _ID_WEIGHTS[14:], strict=True)) for n in range(1000)
]
_SURNAMES = [name for name, share in W.SURNAMES for _ in range(share)]
_SEXES = ("女", "男")


class Person(NamedTuple):
    name: str
    sex: str  # 男 or 女
    id_number: str
    born: int  # calendar day
    phone: str
    district: int  # where the person lives: an index of DISTRICT_NAMES
    address: str


@dataclass(frozen=True)
class Subspace:
    """A range of ID numbers: sequence codes [first, last] and births between two dates.

    Subspaces that overlap give the same people (a person is the ID number), so the ranges
    that must never meet (the deceased, officials' families, legal representatives) are kept
    apart by their sequence codes.
    """

    first: int
    last: int
    born_from: int
    born_to: int

    @property
    def size(self) -> int:
        return len(_ID_DIVISIONS) * (self.born_to - self.born_from + 1) * (self.last - self.first + 1)


def _subspace(first, last, born_from, born_to) -> Subspace:
    born_first, born_last = datetime.date(born_from, 1, 1), datetime.date(born_to, 12, 31)
    return Subspace(first, last, day_of(born_first), day_of(born_last))


RESIDENTS = _subspace(0, 299, 1935, 2021)
WORKERS = _subspace(0, 299, 1962, 2003)
PENSIONERS = _subspace(0, 299, 1935, 1963)
FARMERS = _subspace(0, 299, 1945, 1990)
PUPILS = _subspace(0, 299, 2004, 2021)
LEGAL_REPRESENTATIVES = _subspace(300, 399, 1958, 1998)
OFFICIALS = _subspace(400, 519, 1960, 1990)
SPOUSES_FIRST, CHILDREN_FIRST = 520, 620  # officials' families, derived from the official's number
DECEASED = _subspace(800, 949, 1925, 1990)
PLANTED_FIRST, PLANTED_LAST = 950, 999
POPULATION = 1_200_000  # residents that the ordinary rows of every system draw from


def _person(division: int, born: int, sequence: int, salt: int) -> Person:
    """The person with this ID number; names, phone and address follow from the number."""
    check = _ID_CHECKS[(_DIVISION_SUMS[division] + _BIRTH_SUMS[born] + _SEQUENCE_SUMS[sequence]) % 11]
    first17 = f"{_ID_DIVISIONS[division]}{COMPACT[born]}{sequence:03d}"
    h = _mix(int(first17) ^ salt)
    male = sequence & 1
    given = W.MALE_CHARS if male else W.FEMALE_CHARS
    n = len(given)
    first = (h >> 10) % n
    name = _SURNAMES[h % len(_SURNAMES)] + given[first]
    if (h >> 20) & 7:
        second = (h >> 23) % n
        name += given[second if second != first else (second + 1) % n]
    phone = f"{W.PHONE_PREFIXES[(h >> 30) % len(W.PHONE_PREFIXES)]}{(h >> 36) % 100_000_000:08d}"
    h2 = _mix(h)
    district = division if division < len(DISTRICT_NAMES) else h2 % len(DISTRICT_NAMES)
    return Person(name, _SEXES[male], first17 + check, born, phone, district, _home(district, h2 >> 3))


def _home(district: int, h: int) -> str:
    name, _division, roads, towns, places = W.DISTRICTS[district]
    if district == len(W.DISTRICTS) - 1 and h & 1:  # the county: half of it lives in villages
        village = f"{towns[(h >> 1) % len(towns)]}{places[(h >> 5) % len(places)]}"
        return f"{name}{village}{(h >> 9) % 12 + 1}组{(h >> 13) % 80 + 1}号"
    community = W.COMMUNITIES[(h >> 14) % len(W.COMMUNITIES)]
    return (
        f"{name}{roads[(h >> 1) % len(roads)]}{(h >> 5) % 400 + 1}号{community}"
        f"{(h >> 20) % 30 + 1}栋{(h >> 25) % 4 + 1}单元{(h >> 28) % 20 + 1}{(h >> 33) % 4 + 1:02d}室"
    )


def _place(r: Callable[[], float], district: int) -> str:
    """An address in ``district`` where something happens (not where somebody lives)."""
    name, _division, roads, towns, places = W.DISTRICTS[district]
    if district == len(W.DISTRICTS) - 1 and r() < 0.5:
        return f"{name}{towns[int(r() * len(towns))]}{places[int(r() * len(places))]}"
    road = roads[int(r() * len(roads))]
    if r() < 0.5:
        return f"{name}{road}{int(r() * 400) + 1}号{W.COMMUNITIES[int(r() * len(W.COMMUNITIES))]}"
    return f"{name}{road}{int(r() * 400) + 1}号"


def surname(name: str) -> str:
    return name[:2] if name[:2] in W.COMPOUND_SURNAMES else name[:1]


def given_name(name: str) -> str:
    return name[len(surname(name)):]


def _id_parts(person: Person) -> tuple[int, int, int]:
    return _ID_DIVISIONS.index(person.id_number[:6]), person.born, int(person.id_number[14:17])


# --- organisations ------------------------------------------------------------------------------
class Company(NamedTuple):
    name: str
    credit_code: str
    kind: str  # 市场主体类型
    category: str  # construction, trade, … or "shop" for a sole proprietorship
    scope: str
    legal_rep: Person
    district: int
    address: str
    phone: str
    capital: int  # yuan; 0 for a sole proprietorship


_CHARSET_VALUES = {char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_COMPANY_SPACE = 100_000_000


def credit_code(kind: str, division: str, body: str) -> str:
    """A unified social credit code: registration authority and kind (``91`` a company, ``92`` a
    sole proprietorship, ``11`` a government body), division, an eight-character organisation
    code body with its GB 11714 check character, and the GB 32100 check character."""
    pairs = zip(body, _ORGANISATION_WEIGHTS, strict=True)
    total = sum(_CHARSET_VALUES[char] * weight for char, weight in pairs)
    check = 11 - total % 11
    first17 = f"{kind}{division}{body}{'X' if check == 10 else '0' if check == 11 else check}"
    return first17 + credit_code_check(first17)


def _company_hash(k: int, salt: int) -> tuple[int, int]:
    scrambled = (k * _SCRAMBLE + salt) % _COMPANY_SPACE
    return scrambled, _mix(scrambled ^ salt)


def _company_category(h: int) -> str:
    share = h % 100
    if share >= 80:
        return "shop"
    if share < 18:
        return "construction"
    if share < 22:
        return "realestate"
    return W.INDUSTRIES[7 + (h >> 7) % (len(W.INDUSTRIES) - 7)][0]  # trade, services, tech, …


def _company(
    k: int, salt: int, person_salt: int, legal_rep: Person | None = None, category: str = ""
) -> Company:
    scrambled, h = _company_hash(k, salt)
    category = category or _company_category(h)
    if legal_rep is None:
        legal_rep = _from_subspace(LEGAL_REPRESENTATIVES, k, person_salt)
    district = (h >> 12) % len(DISTRICT_NAMES)
    district_name = DISTRICT_NAMES[district]
    if (h >> 16) % 5 < 3:  # registered since 2015: an organisation code starting MA
        body, rest = "MA", scrambled
        for _ in range(6):
            body += CREDIT_CODE_CHARSET[rest % 31]
            rest //= 31
    else:
        body = f"{scrambled:08d}"
    division = W.CITY_DIVISION if (h >> 20) % 4 == 0 else DISTRICT_DIVISIONS[district]
    trade = W.TRADE_NAMES[(h >> 24) % len(W.TRADE_NAMES)]
    roads = W.DISTRICTS[district][2]
    address = f"{district_name}{roads[(h >> 32) % len(roads)]}{(h >> 36) % 500 + 1}号"
    if category == "shop":
        shop, scope = W.SHOPS[(h >> 40) % len(W.SHOPS)]
        name = f"{district_name}{surname(legal_rep.name)}记{shop}"
        code = credit_code("92", DISTRICT_DIVISIONS[district], body)
        return Company(name, code, W.SOLE_PROPRIETORSHIP, category, scope, legal_rep, district, address,
                       legal_rep.phone, 0)
    industries = [entry for entry in W.INDUSTRIES if entry[0] == category]
    _category, words, scope = industries[(h >> 40) % len(industries)]
    prefix = ("江州", "江州市", "江东", f"江州{district_name[:2]}")[(h >> 44) % 4]
    name = f"{prefix}{trade}{words}有限公司"
    kind = W.COMPANY_TYPES[(h >> 47) % len(W.COMPANY_TYPES)]
    phone = legal_rep.phone
    if (h >> 50) & 1:  # a number of its own
        phone = f"{W.PHONE_PREFIXES[(h >> 51) % len(W.PHONE_PREFIXES)]}{(h >> 8) % 100_000_000:08d}"
    capital = W.CAPITALS_YUAN[(h >> 57) % len(W.CAPITALS_YUAN)]
    if category in ("construction", "realestate"):
        capital *= 4
    code = credit_code("91", division, body)
    return Company(name, code, kind, category, scope, legal_rep, district, address, phone, capital)


def _from_subspace(space: Subspace, k: int, salt: int) -> Person:
    """The k-th person of ``space``: different k, different people, up to the space's size."""
    divisions = len(_ID_DIVISIONS)
    days = space.born_to - space.born_from + 1
    scrambled = (k * _SCRAMBLE + salt) % space.size
    rest = scrambled // divisions
    return _person(scrambled % divisions, space.born_from + rest % days, space.first + rest // days, salt)

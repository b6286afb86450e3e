"""Realistic, deterministic rows for every linked system of the registry, with planted patterns.

``rows(code, seed=…, count=…)`` yields ``count`` rows of one system's export: dicts keyed by the
columns of its ``SystemSpec`` (``search.registry``), exactly what its field mapping reads. The
same seed and count give the same rows, byte for byte; rows stream in constant memory, in
date order like a real export, at well over 50,000 a second. ``write_system()`` writes them as
CSV (UTF-8, a header row) or JSONL (one object a line); ``manage.py generate_records`` writes
every system.

The people, companies and places are those of the demo city 江州市 (``demo.city``): Chinese
names, companies ending in 有限公司 and sole proprietorships, 18-character unified social credit
codes and resident ID numbers with correct check characters, mobile numbers, addresses in its
five districts, dates from 2020 to late 2026 (companies and officials go back further), amounts
in yuan. External ids are unique in a file at any count; the people a row is about (the dead,
officials) and the companies of the register stay distinct up to about ten million rows a system
(``Subspace.size``), past that they recur. A person is known by ID number: the same number
always carries the same name, phone and address, in every system. The rows of all systems
generated with one seed and one count belong to one world: a bidder is a company of the market
register, a payment goes to a company that exists, and the planted patterns below run across
systems.

Planted patterns
----------------
``planted_facts(seed, count)`` returns what was planted (``PlantedFacts``); there are
``cases(count)`` cases of each pattern: 3, and one more for every quarter million rows a system
(at most 60). Every planted row is present when each system has at least ``MIN_COUNT`` rows.
Nothing in the ordinary rows imitates them: ordinary people, legal representatives, officials'
families and the deceased are drawn from separate ranges of ID numbers, so the keys below find
the planted cases and nothing else.

1. **One legal representative behind several bidders of one tender** (围标串标).
   public-resource-trading: group the rows of a tender by 项目编号 and 法定代表人身份证号; a
   group with two or more different 投标人统一社会信用代码 is a case (two or three companies, their
   quotes within a few per cent, one of them winning). market-entities has each of those
   companies, registered shortly before the tender, with the same 法定代表人身份证号.
2. **Welfare paid after a death registration** (冒领). death-registrations gives 身份证号 and
   死亡日期; social-assistance rows with that 身份证号 go on with 发放日期 after the death for
   months; every second case also draws a pension (pension-payments: 身份证号, 发放日期) after
   it, every third case has medical-insurance settlements (参保人身份证号, 结算时间) after it.
3. **An official's relative's company winning in the official's department** (利益输送).
   public-officials gives 工作单位 and 配偶身份证号 or 子女身份证号; market-entities has a company
   whose 法定代表人身份证号 is that relative's; public-resource-trading has that company
   (投标人统一社会信用代码) winning (是否中标 是) a tender whose 招标人 is the official's
   工作单位. public-works (施工单位统一社会信用代码, 建设单位) and treasury-payments
   (收款人统一社会信用代码, 预算单位) show the project and the money that followed.
4. **The same 12345 complaint reopened again and again** (重复投诉). hotline-12345: five to nine
   tickets with the same 来电号码 and 问题地址 over months, each later one marked 是否重复件 是 and
   pointing at the first by 关联工单号, every one rated 不满意. Ordinary tickets are repeated at
   most once.

Bad rows
--------
With ``bad_rate`` (0.01 is one row in a hundred) ordinary rows are spoiled for testing the
quarantine of ingestion: a required column left out, an unparseable date in the column the
mapping reads as ``occurred_at``, or an amount that is not one. Planted rows are never spoiled,
and the good rows do not change with the rate.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from demo import city
from search.identifiers import CREDIT_CODE_CHARSET, credit_code_check
from search.registry import BY_CODE, REGION_COLUMN

from . import words as W

REGION = REGION_COLUMN
MIN_COUNT = 200  # rows a system needs for every planted row to be in it
CASES_MIN, CASES_STEP, CASES_MAX = 3, 250_000, 60

START = datetime.date(2020, 1, 1)
END = datetime.date(2026, 10, 31)  # the last day of the exports

# --- calendar tables -----------------------------------------------------------------------------
_DAY0 = datetime.date(1920, 1, 1)
_DAYS = (datetime.date(2036, 1, 1) - _DAY0).days
ISO: list[str] = []
COMPACT: list[str] = []
for _n in range(_DAYS):
    _d = _DAY0 + datetime.timedelta(days=_n)
    ISO.append(_d.isoformat())
    COMPACT.append(_d.strftime("%Y%m%d"))


def day_of(date: datetime.date) -> int:
    """The index of ``date`` in the calendar tables."""
    return (date - _DAY0).days


def date_of(day: int) -> datetime.date:
    return _DAY0 + datetime.timedelta(days=day)


def _year(day: int) -> str:
    return COMPACT[day][:4]


_HOURS = (8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 15, 16, 16, 17, 17, 18, 19, 20, 21, 22)


def _clock(r: Callable[[], float]) -> str:
    return f"{_HOURS[int(r() * len(_HOURS))]:02d}:{int(r() * 60):02d}:{int(r() * 60):02d}"


def _money(value: float) -> str:
    return f"{value:.2f}"


# --- hashing -------------------------------------------------------------------------------------
_M64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finaliser: 64 well-mixed bits from any integer."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _salt(seed, label: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{label}".encode()).digest()[:8], "big")


_SCRAMBLE = 2_654_435_761  # a prime: multiplying by it permutes the residues of a smaller modulus

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


# --- the planted facts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SharedLegalRep:
    """Pattern 1: several bidders of one tender with one legal representative."""

    project_name: str
    tender_date: datetime.date
    legal_rep_name: str
    legal_rep_id: str
    bidder_credit_codes: tuple[str, ...]
    winner_credit_code: str


@dataclass(frozen=True)
class PaidAfterDeath:
    """Pattern 2: payments to a person after the death registration."""

    name: str
    id_number: str
    death_date: datetime.date
    payments_after: dict[str, int]  # system code → rows dated after the death


@dataclass(frozen=True)
class RelativeWin:
    """Pattern 3: the company of an official's spouse or child wins in the official's department."""

    official_name: str
    official_id: str
    unit: str
    relation: str  # 配偶 or 子女
    relative_name: str
    relative_id: str
    company_name: str
    company_credit_code: str
    project_name: str
    tender_date: datetime.date
    amount: str


@dataclass(frozen=True)
class ReopenedComplaint:
    """Pattern 4: one 12345 complaint opened again and again."""

    caller_name: str
    phone: str
    address: str
    title: str
    times: int
    first_date: datetime.date


@dataclass
class PlantedFacts:
    shared_legal_reps: list[SharedLegalRep] = field(default_factory=list)
    paid_after_death: list[PaidAfterDeath] = field(default_factory=list)
    relative_wins: list[RelativeWin] = field(default_factory=list)
    reopened_complaints: list[ReopenedComplaint] = field(default_factory=list)

    def as_json(self) -> dict:
        def plain(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, tuple):
                return list(value)
            return value

        return {
            name: [{key: plain(value) for key, value in vars(fact).items()} for fact in facts]
            for name, facts in vars(self).items()
        }


def cases(count: int) -> int:
    """How many cases of each pattern are planted in systems of ``count`` rows."""
    return min(CASES_MAX, CASES_MIN + count // CASES_STEP)


class Planted(NamedTuple):
    day: int
    size: int  # rows the builder yields
    build: Callable[[Context], Iterator[dict]]


# --- the world -----------------------------------------------------------------------------------
class World:
    """Everything the systems of one seed and count share: people, companies, units, plants."""

    def __init__(self, seed=1, count: int = 1_000):
        self.seed = seed
        self.count = count
        self.person_salt = _salt(seed, "people") % 100_000_000
        self.company_salt = _salt(seed, "companies") % _COMPANY_SPACE
        self.listed = max(1, count // 2)  # companies 0 … listed-1 are in every market register
        self._units()
        self._pools: dict[str, list[Company]] = {}
        self.planted: dict[str, list[Planted]] = {}
        self.facts = PlantedFacts()
        self._plant()

    # people and companies
    def person(self, space: Subspace, k: int) -> Person:
        return _from_subspace(space, k, self.person_salt)

    def person_at(self, division: int, born: int, sequence: int) -> Person:
        return _person(division, born, sequence, self.person_salt)

    def resident(self, r: Callable[[], float]) -> Person:
        return _from_subspace(RESIDENTS, int(r() * POPULATION), self.person_salt)

    def relative(self, person: Person, first: int, born: int) -> Person:
        """A spouse (``first`` SPOUSES_FIRST) or child (CHILDREN_FIRST) of ``person``, born on
        ``born``; the spouse of the other sex. The same person always has the same relatives."""
        division, _born, sequence = _id_parts(person)
        offset = sequence % 100
        if first == SPOUSES_FIRST:
            offset ^= 1
        relative = self.person_at(division, max(0, min(born, day_of(END) - 400)), first + offset)
        if first == CHILDREN_FIRST:  # children (in no other system) carry the parent's surname
            relative = relative._replace(name=surname(person.name) + given_name(relative.name))
        return relative

    def company(self, k: int) -> Company:
        return _company(k, self.company_salt, self.person_salt)

    def pool(self, *categories: str) -> list[Company]:
        """Listed companies of ``categories``, the ones the other systems deal with."""
        key = ",".join(categories)
        if key not in self._pools:
            found, k = [], 0
            while (k < min(self.listed, 60_000) or len(found) < 12) and len(found) < 6_000:
                _scrambled, h = _company_hash(k, self.company_salt)
                if _company_category(h) in categories:
                    found.append(self.company(k))
                k += 1
            self._pools[key] = found
        return self._pools[key]

    def _units(self) -> None:
        regions = {spec.code: spec.name for spec in city.REGIONS}
        self.departments: dict[tuple[str, str], str] = {}  # (region name, key) → department name
        self.unit_region: dict[str, str] = {}  # department or project owner → region name
        self.unit_key: dict[str, str] = {}  # department → its key; a project owner → its name
        keys = {spec.key for spec in city.DEPARTMENTS}
        for spec in city.agency_specs():
            if spec.kind != city.AgencyKind.DEPARTMENT:
                continue
            region = regions[spec.region]
            key = next(key for key in keys if spec.code == city.department_code(spec.region, key))
            self.departments[(region, key)] = spec.name
            self.unit_region[spec.name] = region
            self.unit_key[spec.name] = key
        self.units = sorted(self.unit_region)
        tendering = {key for work in W.WORKS for key in work[3]}
        self.tendering_units = sorted(name for name, key in self.unit_key.items() if key in tendering)
        for owner in W.PROJECT_OWNERS:
            self.unit_region[owner] = W.CITY_NAME
            self.unit_key[owner] = owner

    def department(self, key: str, region: str) -> str:
        """The department ``key`` of ``region``, or the city's when the region has none."""
        return self.departments.get((region, key)) or self.departments[(W.CITY_NAME, key)]

    def region_of(self, unit: str, r: Callable[[], float]) -> int:
        """A district index for something of ``unit``: its own district, or any for the city's."""
        region = self.unit_region.get(unit, W.CITY_NAME)
        if region in DISTRICT_NAMES:
            return DISTRICT_NAMES.index(region)
        return int(r() * len(DISTRICT_NAMES))

    # planted patterns
    def _plant(self) -> None:
        rng = random.Random(f"{self.seed}:planted")
        self._used_ids: set[str] = set()
        self._planted_companies = 0
        n = cases(self.count)
        for _ in range(n):
            self._plant_shared_legal_rep(rng)
        for number in range(n):
            self._plant_paid_after_death(rng, number)
        for _ in range(n):
            self._plant_relative_win(rng)
        for _ in range(n):
            self._plant_reopened_complaint(rng)
        for entries in self.planted.values():
            entries.sort(key=lambda entry: entry.day)

    def _add(self, code: str, day: int, size: int, build) -> None:
        self.planted.setdefault(code, []).append(Planted(day, size, build))

    def _planted_person(self, rng: random.Random, born_from: int, born_to: int, sex: str = "") -> Person:
        while True:
            division = rng.randrange(len(DISTRICT_NAMES))
            born = day_of(datetime.date(born_from, 1, 1)) + rng.randrange((born_to - born_from + 1) * 365)
            person = self.person_at(division, born, rng.randint(PLANTED_FIRST, PLANTED_LAST))
            if person.id_number not in self._used_ids and sex in ("", person.sex):
                self._used_ids.add(person.id_number)
                return person

    def _planted_company(self, rng: random.Random, legal_rep: Person, founded: int) -> Company:
        self._planted_companies += 1
        company = _company(_COMPANY_SPACE - self._planted_companies, self.company_salt, self.person_salt,
                           legal_rep=legal_rep, category="construction")
        status = "存续"
        self._add("market-entities", founded, 1,
                  lambda ctx: iter([_registration(ctx, company, founded, status)]))
        return company

    @staticmethod
    def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> int:
        return day_of(first) + rng.randrange((last - first).days + 1)

    def _plant_shared_legal_rep(self, rng: random.Random) -> None:
        day = self._day_between(rng, datetime.date(2021, 3, 1), datetime.date(2026, 6, 30))
        rep = self._planted_person(rng, 1965, 1990)
        colluders = [
            self._planted_company(rng, rep, day - rng.randint(30, 400)) for _ in range(rng.choice((2, 2, 3)))
        ]
        others = rng.sample(self.pool("construction"), min(2, len(self.pool("construction"))))
        plan = _tender_plan(self, rng.random)
        budget = plan["budget"]
        quotes = [budget * rng.uniform(0.955, 0.975) for _ in colluders]
        quotes[0] = min(quotes) - budget * 0.004
        quotes += [budget * rng.uniform(0.985, 0.998) for _ in others]
        bidders = colluders + others
        order = rng.sample(range(len(bidders)), len(bidders))
        lineup = [(bidders[n], quotes[n], n == 0) for n in order]
        self._add("public-resource-trading", day, len(lineup),
                  lambda ctx: _tender_rows(ctx, day, plan, lineup))
        self.facts.shared_legal_reps.append(SharedLegalRep(
            plan["name"], date_of(day), rep.name, rep.id_number,
            tuple(company.credit_code for company in colluders), colluders[0].credit_code,
        ))

    def _plant_paid_after_death(self, rng: random.Random, number: int) -> None:
        person = self._planted_person(rng, 1932, 1958)
        death = self._day_between(rng, datetime.date(2021, 1, 1), datetime.date(2025, 9, 30))
        self._add("death-registrations", death, 1, lambda ctx: iter([_death_row(ctx, death, person)]))
        after: dict[str, int] = {}
        kind, (low, high) = rng.choice(W.ASSISTANCE_KINDS[:3])
        monthly = _money(rng.randint(low, high))
        household = rng.randint(1, 2)
        payday = rng.randint(5, 15)
        before, later = rng.randint(3, 10), rng.randint(4, 12)
        for month in range(-before, later + 1):
            day = _month_day(death, month, payday)
            self._add("social-assistance", day, 1, lambda ctx, day=day: iter(
                [_assistance_row(ctx, day, person, kind, household, monthly)]
            ))
            after["social-assistance"] = after.get("social-assistance", 0) + (day > death)
        if number % 2 == 0:
            pension_kind = W.PENSION_KINDS[0][0]
            amount = _money(rng.randint(2_000, 4_200) + rng.random())
            for month in range(-3, later + 1):
                day = _month_day(death, month, 20)
                self._add("pension-payments", day, 1,
                          lambda ctx, day=day: iter([_pension_row(ctx, day, person, pension_kind, amount)]))
                after["pension-payments"] = after.get("pension-payments", 0) + (day > death)
        if number % 3 == 0:
            for _ in range(rng.randint(1, 3)):
                day = death + rng.randint(10, 30 * later)
                self._add("medical-insurance", day, 1,
                          lambda ctx, day=day: iter([_settlement_row(ctx, day, person, "药店购药")]))
                after["medical-insurance"] = after.get("medical-insurance", 0) + 1
        fact = PaidAfterDeath(person.name, person.id_number, date_of(death), after)
        self.facts.paid_after_death.append(fact)

    def _plant_relative_win(self, rng: random.Random) -> None:
        day = self._day_between(rng, datetime.date(2021, 6, 1), datetime.date(2025, 6, 30))
        unit = rng.choice(self.tendering_units)
        relation = rng.choice(("配偶", "子女"))
        if relation == "配偶":
            official = self._planted_person(rng, 1966, 1985)
            relative = self._planted_person(rng, 1966, 1985, sex="男" if official.sex == "女" else "女")
        else:
            official = self._planted_person(rng, 1962, 1972)
            relative = self._planted_person(rng, 1990, 1998)
            relative = relative._replace(name=surname(official.name) + given_name(relative.name))
        appointed = day - rng.randint(365, 6 * 365)
        post = rng.choice(W.POSTS[:4])
        self._add("public-officials", appointed, 1,
                  lambda ctx: iter([_official_row(ctx, appointed, official, unit, post, relation, relative)]))
        company = self._planted_company(rng, relative, day - rng.randint(60, 500))
        plan = _tender_plan(self, rng.random, unit)
        budget = plan["budget"]
        others = rng.sample(self.pool("construction"), min(rng.randint(2, 4), len(self.pool("construction"))))
        quote = budget * rng.uniform(0.93, 0.96)
        lineup = [(company, quote, True)]
        lineup += [(other, budget * rng.uniform(0.965, 0.995), False) for other in others]
        lineup = rng.sample(lineup, len(lineup))
        self._add("public-resource-trading", day, len(lineup),
                  lambda ctx: _tender_rows(ctx, day, plan, lineup))
        start = day + rng.randint(20, 60)
        self._add("public-works", start, 1,
                  lambda ctx: iter([_works_row(ctx, start, plan, company, quote)]))
        paid = 0.0
        for share in (0.3, 0.4, 0.2)[: rng.randint(2, 3)]:
            pay_day = start + rng.randint(10, 200) + int(paid * 400)
            paid += share
            self._add("treasury-payments", pay_day, 1,
                      lambda ctx, pay_day=pay_day, share=share: iter(
                          [_payment_row(ctx, pay_day, unit, company, W.TREASURY_ITEMS[0], quote * share)]
                      ))
        self.facts.relative_wins.append(RelativeWin(
            official.name, official.id_number, unit, relation, relative.name, relative.id_number,
            company.name, company.credit_code, plan["name"], date_of(day), _money(quote),
        ))

    def _plant_reopened_complaint(self, rng: random.Random) -> None:
        caller = self._planted_person(rng, 1950, 1990)
        topic = rng.choice([topic for topic in W.HOTLINE_TOPICS if topic[0] == "投诉"])
        district = caller.district
        place = caller.address
        handler = self.department(topic[4], DISTRICT_NAMES[district])
        day = self._day_between(rng, datetime.date(2021, 1, 1), datetime.date(2025, 6, 30))
        times = rng.randint(5, 9)
        first_day = day
        first: dict[str, str] = {}
        for number in range(times):
            def build(ctx, day=day, number=number):
                row = _hotline_row(ctx, day, caller, topic, district, place, handler,
                                   repeat_of=first["id"] if number else "", satisfaction="不满意",
                                   result=W.HOTLINE_RESULTS[0])
                if number == 0:
                    first["id"] = row["工单编号"]
                return iter([row])

            self._add("hotline-12345", day, 1, build)
            day += rng.randint(10, 45)
        self.facts.reopened_complaints.append(ReopenedComplaint(
            caller.name, caller.phone, place, topic[2], times, date_of(first_day)
        ))


def _month_day(day: int, months: int, payday: int) -> int:
    """The ``payday`` of the month ``months`` after the month of ``day``."""
    date = date_of(day)
    month = date.year * 12 + date.month - 1 + months
    return day_of(datetime.date(month // 12, month % 12 + 1, payday))


# --- generating ----------------------------------------------------------------------------------
class Context:
    """What the row builders of one system see: the world, the random stream, the row's position."""

    def __init__(self, world: World, code: str, count: int, start: datetime.date, end: datetime.date):
        self.world = world
        self.code = code
        self.count = count
        self.rng = random.Random(f"{world.seed}:{code}")
        self.r = self.rng.random
        self.i = 0
        self.start = day_of(start)
        self.span = (end - start).days + 1

    def day(self) -> int:
        """The day of the current ordinary row: the rows of a system run through its dates."""
        return self.start + int((self.i + self.r()) * self.span / self.count)

    def pick(self, items):
        return items[int(self.r() * len(items))]

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.r()

    def number(self) -> str:
        """The serial part of an identifier: the row's position, so unique in the file."""
        return f"{self.i + 1:08d}"


def rows(
    code: str, seed=1, count: int = 1_000, *, bad_rate: float = 0.0, world: World | None = None
) -> Iterator[dict]:
    """``count`` rows of the system ``code`` (see the module docstring)."""
    spec = BY_CODE[code]
    world = world or World(seed, count)
    start, end, ordinary = GENERATORS[code]
    ctx = Context(world, code, count, start, end)
    planted = world.planted.get(code, [])
    total = sum(entry.size for entry in planted)
    span = max(1, ctx.span)
    positions, before = [], 0
    for entry in planted:
        fraction = min(max((entry.day - ctx.start) / span, 0.0), 1.0)
        positions.append(int(fraction * max(0, count - total)) + before)
        before += entry.size
    spoil = random.Random(f"{world.seed}:{code}:bad").random if bad_rate > 0 else None
    stream = ordinary(ctx)
    waiting: Iterator[dict] = iter(())
    j = 0
    for i in range(count):
        ctx.i = i
        row = next(waiting, None)
        while row is None and j < len(planted) and positions[j] <= i:
            waiting = planted[j].build(ctx)
            j += 1
            row = next(waiting, None)
        if row is not None:
            yield row
            continue
        row = next(stream)
        if spoil is not None and spoil() < bad_rate:
            _spoil(row, spec.field_mapping, spoil)
        yield row


BAD_DATES = ("2023-02-30", "2024-13-05", "去年三月", "00/00/0000", "2022.07.15", "待补录")
BAD_AMOUNTS = ("约5万元", "1,2O0.00", "待定", "-350.00", "壹仟元整", "N/A")


def _spoil(row: dict, mapping: dict, r: Callable[[], float]) -> str:
    """Make ``row`` one that ingestion must refuse; the kind of harm done."""
    kinds = ["missing", "date"] + (["amount"] if mapping.get("amount") else [])
    kind = kinds[int(r() * len(kinds))]
    if kind == "missing":
        columns = [mapping["external_id"], mapping["occurred_at"], *mapping.get("required", [])]
        columns = list(dict.fromkeys(columns))
        row.pop(columns[int(r() * len(columns))], None)
    elif kind == "date":
        row[mapping["occurred_at"]] = BAD_DATES[int(r() * len(BAD_DATES))]
    else:
        row[mapping["amount"]] = BAD_AMOUNTS[int(r() * len(BAD_AMOUNTS))]
    return kind


def planted_facts(seed=1, count: int = 1_000) -> PlantedFacts:
    """What ``rows()`` plants for this seed and count (the same for every system)."""
    return World(seed, count).facts


FORMATS = ("jsonl", "csv")


def write_system(
    code: str, path: Path, *, fmt: str = "jsonl", seed=1, count: int = 1_000, bad_rate: float = 0.0,
    world: World | None = None, progress: Callable[[int], None] | None = None, every: int = 10_000,
) -> int:
    """Write ``count`` rows of ``code`` to ``path`` as CSV or JSONL; the rows written.

    ``progress`` is called with the rows written so far every ``every`` rows and at the end.
    """
    columns = BY_CODE[code].columns
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="raise")
            writer.writeheader()
            write = writer.writerow
        else:
            dumps = json.dumps

            def write(row):
                out.write(dumps(row, ensure_ascii=False) + "\n")

        for row in rows(code, seed, count, bad_rate=bad_rate, world=world):
            write(row)
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
    if progress is not None and written % every:
        progress(written)
    return written


# --- the systems ---------------------------------------------------------------------------------
def _hotline_row(ctx, day, caller, topic, district, place, handler, *, repeat_of="", satisfaction=None,
                 result=None) -> dict:
    r = ctx.r
    kind, category, title, content, _key = topic
    return {
        "工单编号": f"RX{COMPACT[day]}{ctx.number()}",
        "来电时间": f"{ISO[day]} {_clock(r)}",
        "来电人": caller.name,
        "来电号码": caller.phone,
        "诉求渠道": ctx.pick(W.HOTLINE_CHANNELS),
        "诉求类型": kind,
        "诉求分类": category,
        "诉求标题": title,
        "诉求内容": content.format(place=place),
        "问题地址": place,
        REGION: DISTRICT_NAMES[district],
        "承办单位": handler,
        "办结时间": f"{ISO[day + 1 + int(r() * 14)]} {_clock(r)}",
        "办理结果": result or ctx.pick(W.HOTLINE_RESULTS),
        "满意度评价": satisfaction or ctx.pick(W.SATISFACTION),
        "是否重复件": "是" if repeat_of else "否",
        "关联工单号": repeat_of,
    }


def _hotline(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    recent: deque = deque(maxlen=500)
    while True:
        day = ctx.day()
        if recent and r() < 0.03:  # called again about the same thing, once
            caller, topic, district, place, handler, first = recent.popleft()
            yield _hotline_row(ctx, day, caller, topic, district, place, handler, repeat_of=first)
            continue
        caller = world.resident(r)
        topic = ctx.pick(W.HOTLINE_TOPICS)
        district = caller.district if r() < 0.7 else int(r() * len(DISTRICT_NAMES))
        place = _place(r, district)
        handler = world.department(topic[4], DISTRICT_NAMES[district])
        row = _hotline_row(ctx, day, caller, topic, district, place, handler)
        recent.append((caller, topic, district, place, handler, row["工单编号"]))
        yield row


def _city_management(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    inspectors = [world.person(WORKERS, 9_000_000 + n) for n in range(60)]
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, streets, _places = W.DISTRICTS[district]
        major, minor, description, key = ctx.pick(W.CITY_CASES)
        address = f"{name}{ctx.pick(roads)}{int(r() * 400) + 1}号附近"
        inspector = inspectors[int(r() * len(inspectors))]
        hours = ctx.pick((2, 4, 24, 48, 72))
        closed = r() < 0.93 and day < day_of(END) - 3
        yield {
            "案件编号": f"CG{COMPACT[day]}{ctx.number()}",
            "上报时间": f"{ISO[day]} {_clock(r)}",
            "案件来源": ctx.pick(W.CITY_SOURCES),
            "问题大类": major,
            "问题小类": minor,
            "问题描述": description.format(address=address),
            "发生地址": address,
            REGION: name,
            "所属街道": ctx.pick(streets),
            "网格编号": f"{DISTRICT_DIVISIONS[district]}{int(r() * 40) + 1:03d}{int(r() * 30) + 1:02d}",
            "监督员": inspector.name,
            "监督员电话": inspector.phone,
            "责任单位": world.department(key, name),
            "处置时限（小时）": str(hours),
            "结案时间": f"{ISO[day + 1 + int(r() * 5)]} {_clock(r)}" if closed else "",
            "案件状态": "已结案" if closed else ctx.pick(("处置中", "待核查", "已派遣")),
        }


def _tender_plan(world: World, r: Callable[[], float], unit: str = "") -> dict:
    """A public work: its name, kind, budget and who puts it out to tender (``unit`` if given)."""
    if unit:
        works = [work for work in W.WORKS if world.unit_key[unit] in work[3]]
        kind, pattern, (low, high), _keys = works[int(r() * len(works))]
    else:
        kind, pattern, (low, high), keys = W.WORKS[int(r() * len(W.WORKS))]
        key = keys[int(r() * len(keys))]
        if key in world.unit_region:  # a project owner
            unit = key
        else:
            region = W.CITY_NAME if r() < 0.4 else DISTRICT_NAMES[int(r() * len(DISTRICT_NAMES))]
            unit = world.department(key, region)
    district = world.region_of(unit, r)
    name, _division, roads, towns, places = W.DISTRICTS[district]
    project = pattern.format(
        district=name, road=roads[int(r() * len(roads))],
        community=W.COMMUNITIES[int(r() * len(W.COMMUNITIES))],
        phase=W.ORDINALS[int(r() * 3)], ordinal=W.ORDINALS[int(r() * 9)], town=towns[int(r() * len(towns))],
    )
    return {
        "name": project, "kind": kind, "unit": unit, "district": district,
        "budget": round((low + (high - low) * r()) * 10_000, -3),
        "agent": W.TENDER_AGENTS[int(r() * len(W.TENDER_AGENTS))],
        "method": "公开招标" if r() < 0.9 else "邀请招标",
    }


def _tender_rows(ctx: Context, day: int, plan: dict, lineup) -> Iterator[dict]:
    """The bid rows of one tender: ``lineup`` is (company, quote, won) a bidder."""
    number = f"JZGZ{_year(day)}{ctx.number()}"
    opened = f"{ISO[day]} {ctx.pick(('09:00:00', '09:30:00', '10:00:00', '14:30:00'))}"
    for n, (company, quote, won) in enumerate(lineup, start=1):
        yield {
            "投标记录编号": f"{number}-{n:02d}",
            "项目编号": number,
            "项目名称": plan["name"],
            "项目类型": plan["kind"],
            "招标人": plan["unit"],
            "招标代理机构": plan["agent"],
            "招标方式": plan["method"],
            "开标时间": opened,
            "投标人": company.name,
            "投标人统一社会信用代码": company.credit_code,
            "法定代表人": company.legal_rep.name,
            "法定代表人身份证号": company.legal_rep.id_number,
            "联系电话": company.phone,
            "投标报价（元）": _money(quote),
            "是否中标": "是" if won else "否",
            "中标金额（元）": _money(quote) if won else "",
            REGION: DISTRICT_NAMES[plan["district"]],
        }


def _tenders(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    contractors = world.pool("construction")
    while True:
        day = ctx.day()
        plan = _tender_plan(world, r)
        bidders = ctx.rng.sample(contractors, min(len(contractors), 3 + int(r() * 5)))
        quotes = [plan["budget"] * ctx.between(0.86, 0.995) for _ in bidders]
        best = quotes.index(min(quotes)) if r() < 0.8 else int(r() * len(quotes))
        lineup = [(bidder, quotes[n], n == best) for n, bidder in enumerate(bidders)]
        yield from _tender_rows(ctx, day, plan, lineup)


def _procurement(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    suppliers = world.pool("trade", "tech", "services")
    while True:
        day = ctx.day()
        buyer = ctx.pick(world.units)
        item, pattern, (low, high) = ctx.pick(W.PROCUREMENT_ITEMS)
        budget = round(ctx.between(low, high), -2)
        supplier = ctx.pick(suppliers)
        yield {
            "采购项目编号": f"JZCG{_year(day)}{ctx.number()}",
            "项目名称": pattern.format(buyer=buyer),
            "采购人": buyer,
            "采购方式": ctx.pick(W.PROCUREMENT_METHODS),
            "采购品目": item,
            "代理机构": ctx.pick(W.TENDER_AGENTS),
            "供应商名称": supplier.name,
            "供应商统一社会信用代码": supplier.credit_code,
            "预算金额（元）": _money(budget),
            "成交金额（元）": _money(budget * ctx.between(0.82, 0.99)),
            "公告日期": ISO[day - 3 - int(r() * 20)],
            "合同签订日期": ISO[day],
            REGION: world.unit_region[buyer],
        }


def _registration(ctx: Context, company: Company, day: int, status: str) -> dict:
    district = DISTRICT_NAMES[company.district]
    authority = ("江州市" if company.credit_code[2:8] == W.CITY_DIVISION else district) + "市场监督管理局"
    return {
        "统一社会信用代码": company.credit_code,
        "企业名称": company.name,
        "市场主体类型": company.kind,
        "法定代表人": company.legal_rep.name,
        "法定代表人身份证号": company.legal_rep.id_number,
        "注册资本（元）": _money(company.capital) if company.capital else "",
        "成立日期": ISO[day],
        "登记机关": authority,
        "住所": company.address,
        REGION: district,
        "经营范围": company.scope,
        "登记状态": status,
        "联系电话": company.phone,
    }


def _market_entities(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    n = 0
    while True:
        status = "存续" if r() < 0.9 else ctx.pick(("注销", "吊销", "迁出"))
        yield _registration(ctx, world.company(n), ctx.day(), status)
        n += 1


def _hospital_code(kind: str, index: int, district: int) -> str:
    return f"{kind}{DISTRICT_DIVISIONS[district]}{index + 1:05d}"


_VISIT_COSTS = {"普通门诊": (50, 600, 0.4), "门诊慢特病": (200, 2_000, 0.6)}  # yuan and the fund's share


def _settlement_row(ctx: Context, day: int, person: Person, visit: str) -> dict:
    r = ctx.r
    if visit == "药店购药":
        index = int(r() * len(W.PHARMACIES))
        place, code = W.PHARMACIES[index], _hospital_code("P", index, person.district)
        total, fund_share = ctx.between(20, 500), 0.0
    else:
        index = int(r() * len(W.HOSPITALS))
        place, code = W.HOSPITALS[index][0], _hospital_code("H", index, person.district)
        low, high, fund_share = _VISIT_COSTS.get(visit, (3_000, 80_000, 0.72))
        total = ctx.between(low, high)
    fund = total * fund_share
    account = (total - fund) * (r() if visit != "住院" else 0.2)
    admitted = day - 2 - int(r() * 18) if visit == "住院" else None
    return {
        "结算单号": f"YB{COMPACT[day]}{ctx.number()}",
        "参保人姓名": person.name,
        "参保人身份证号": person.id_number,
        "险种类型": W.INSURANCE_KINDS[person.born % 2],
        "定点医药机构编码": code,
        "定点医药机构名称": place,
        "就诊类型": visit,
        "入院日期": ISO[admitted] if admitted else "",
        "出院日期": ISO[day] if admitted else "",
        "结算时间": f"{ISO[day]} {_clock(r)}",
        "主要诊断": "" if visit == "药店购药" else ctx.pick(W.DIAGNOSES),
        "医疗费总额（元）": _money(total),
        "统筹基金支付（元）": _money(fund),
        "个人账户支付（元）": _money(account),
        "个人现金支付（元）": _money(total - fund - account),
        REGION: DISTRICT_NAMES[person.district],
    }


def _medical_insurance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    while True:
        yield _settlement_row(ctx, ctx.day(), world.resident(r), ctx.pick(W.VISIT_KINDS))


def _masked_account(r: Callable[[], float], prefix: str = "6217") -> str:
    return f"{prefix}{'*' * 11}{int(r() * 10_000):04d}"


def _assistance_row(ctx: Context, day: int, person: Person, kind: str, household: int, amount: str) -> dict:
    r = ctx.r
    name, _division, _roads, towns, places = W.DISTRICTS[person.district]
    clerk = ctx.world.person(WORKERS, 9_100_000 + person.district * 10 + int(r() * 3))
    return {
        "发放流水号": f"MZ{COMPACT[day]}{ctx.number()}",
        "救助对象姓名": person.name,
        "身份证号": person.id_number,
        "救助类别": kind,
        "保障人口": str(household),
        "发放年月": ISO[day][:7],
        "发放金额（元）": amount,
        "发放日期": ISO[day],
        "发放方式": "社会化发放（银行代发）",
        "银行卡号": _masked_account(r),
        REGION: name,
        "乡镇（街道）": towns[int(person.id_number[14:17]) % len(towns)],
        "村（社区）": places[int(person.id_number[12:14]) % len(places)],
        "经办人": clerk.name,
        "联系电话": person.phone,
    }


def _social_assistance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    households = max(30, ctx.count // 12)
    while True:
        person = world.person(RESIDENTS, 5_000_000 + int(r() * households))
        kind, (low, high) = W.ASSISTANCE_KINDS[int(person.id_number[16]) % len(W.ASSISTANCE_KINDS)]
        household = 1 + int(person.id_number[13]) % 4
        amount = _money(low + (high - low) * (int(person.id_number[10:12]) / 12) + (household - 1) * 200)
        yield _assistance_row(ctx, ctx.day(), person, kind, household, amount)


def _death_row(ctx: Context, day: int, person: Person) -> dict:
    r = ctx.r
    place = ctx.pick(W.DEATH_PLACES)
    district = person.district
    if place == "医疗卫生机构":
        unit = ctx.pick(W.HOSPITALS)[0]
    else:
        unit = f"{W.DISTRICTS[district][3][int(r() * len(W.DISTRICTS[district][3]))]}社区卫生服务中心"
    declarant = ctx.world.resident(r)
    return {
        "登记编号": f"SW{COMPACT[day]}{ctx.number()}",
        "姓名": person.name,
        "性别": person.sex,
        "身份证号": person.id_number,
        "出生日期": ISO[person.born],
        "死亡日期": ISO[day],
        "死亡地点": place,
        "根本死因": ctx.pick(W.DEATH_CAUSES),
        "户籍地址": person.address,
        REGION: DISTRICT_NAMES[district],
        "登记单位": unit,
        "登记日期": ISO[day + 1 + int(r() * 6)],
        "申报人": declarant.name,
        "申报人与死者关系": ctx.pick(W.DECLARANT_RELATIONS),
        "申报人电话": declarant.phone,
    }


def _each_once(ctx: Context, space: Subspace, min_age: int, row) -> Iterator[dict]:
    """``row(ctx, day, person)`` for the people of ``space`` in turn, each once, if old enough."""
    n = 0
    while True:
        day = ctx.day()
        person = ctx.world.person(space, n)
        n += 1
        if person.born < day - min_age * 365:
            yield row(ctx, day, person)


def _deaths(ctx: Context) -> Iterator[dict]:
    return _each_once(ctx, DECEASED, 18, _death_row)


def _official_row(ctx, day, official, unit, post, relation="", relative=None) -> dict:
    r, world = ctx.r, ctx.world
    spouse = child = None
    if relation == "配偶":
        spouse = relative
    elif r() < 0.85:
        spouse = world.relative(official, SPOUSES_FIRST, official.born + int(r() * 2_400) - 1_200)
    if relation == "子女":
        child = relative
    elif r() < 0.7 and official.born + 25 * 365 < day_of(END) - 6 * 365:
        child = world.relative(official, CHILDREN_FIRST, official.born + 24 * 365 + int(r() * 3_000))
    title, grade = post
    return {
        "人员编号": f"GZ{_year(day)}{ctx.number()}",
        "姓名": official.name,
        "性别": official.sex,
        "身份证号": official.id_number,
        "出生日期": ISO[official.born],
        "政治面貌": ctx.pick(W.POLITICAL_STATUS),
        "工作单位": unit,
        "职务": title,
        "职级": grade,
        "人员类别": ctx.pick(W.OFFICIAL_KINDS),
        "任职时间": ISO[day],
        "联系电话": official.phone,
        "配偶姓名": spouse.name if spouse else "",
        "配偶身份证号": spouse.id_number if spouse else "",
        "子女姓名": child.name if child else "",
        "子女身份证号": child.id_number if child else "",
        REGION: world.unit_region[unit],
    }


def _officials(ctx: Context) -> Iterator[dict]:
    def row(ctx, day, official):
        return _official_row(ctx, day, official, ctx.pick(ctx.world.units), ctx.pick(W.POSTS))

    return _each_once(ctx, OFFICIALS, 20, row)


def _real_estate(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("realestate", "trade", "services", "manufacturing")
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        use = ctx.pick(W.REAL_ESTATE_USES)
        owner_person = world.resident(r) if use == "住宅" or r() < 0.6 else None
        owner = owner_person or ctx.pick(companies)
        road = ctx.pick(roads)
        if use == "住宅":
            where = (f"{name}{road}{int(r() * 400) + 1}号{ctx.pick(W.COMMUNITIES)}{int(r() * 30) + 1}栋"
                     f"{int(r() * 4) + 1}单元{int(r() * 30) + 1}{int(r() * 4) + 1:02d}室")
            area, price = ctx.between(55, 160), ctx.between(7_000, 16_000)
        else:
            where = f"{name}{road}{int(r() * 400) + 1}号{use}{int(r() * 50) + 1}号"
            area, price = ctx.between(15, 600), ctx.between(4_000, 22_000)
        kind = ctx.pick(W.REAL_ESTATE_KINDS)
        yield {
            "业务号": f"BDC{COMPACT[day]}{ctx.number()}",
            "不动产权证号": f"江（{_year(day)}）江州市不动产权第{ctx.i + 1:07d}号",
            "登记类型": kind,
            "权利人": owner.name,
            "权利人身份证号": owner_person.id_number if owner_person else "",
            "权利人统一社会信用代码": "" if owner_person else owner.credit_code,
            "坐落": where,
            REGION: name,
            "用途": use,
            "建筑面积（平方米）": f"{area:.2f}",
            "成交价格（元）": _money(round(area * price, -2)) if kind == "转移登记" else "",
            "登记时间": f"{ISO[day]} {_clock(r)}",
            "共有情况": ctx.pick(W.SHARES) if owner_person else "单独所有",
        }


def _payment_row(ctx: Context, day: int, unit: str, payee: Company, item, amount: float) -> dict:
    r = ctx.r
    function, economic, purpose = item
    return {
        "支付凭证号": f"GK{COMPACT[day]}{ctx.number()}",
        "预算单位": unit,
        "预算项目": f"{_year(day)}年{purpose}",
        "功能分类科目": function,
        "经济分类科目": economic,
        "资金性质": ctx.pick(W.FUND_KINDS),
        "支付方式": "国库集中支付（直接支付）" if r() < 0.7 else "国库集中支付（授权支付）",
        "收款人全称": payee.name,
        "收款人统一社会信用代码": payee.credit_code,
        "收款人开户银行": ctx.pick(W.BANKS),
        "收款人账号": f"{int(r() * 9e18) + 10**18:019d}",
        "支付金额（元）": _money(amount),
        "支付日期": ISO[day],
        "用途": purpose,
        REGION: ctx.world.unit_region[unit],
    }


def _treasury(ctx: Context) -> Iterator[dict]:
    world = ctx.world
    contractors = world.pool("construction")
    suppliers = world.pool("trade", "tech", "services")
    while True:
        item = ctx.pick(W.TREASURY_ITEMS)
        if item[1].startswith("31005"):
            payee, amount = ctx.pick(contractors), ctx.between(100_000, 5_000_000)
        elif item[1].startswith("310"):
            payee, amount = ctx.pick(suppliers), ctx.between(20_000, 1_000_000)
        else:
            payee, amount = ctx.pick(suppliers), ctx.between(800, 200_000)
        yield _payment_row(ctx, ctx.day(), ctx.pick(world.units), payee, item, amount)


_TRADES = ("47", "48", "78")  # the industry part of a project code: building, civil works, utilities


def _works_row(ctx: Context, day: int, plan: dict, builder: Company, amount: float) -> dict:
    r = ctx.r
    finish = day + 180 + int(r() * 720)
    division = DISTRICT_DIVISIONS[plan["district"]]
    state = "已竣工" if finish < day_of(END) else "在建"
    if r() < 0.04:
        state = "停工"
    return {
        "项目代码": f"{_year(day)}-{division}-{ctx.pick(_TRADES)}-01-{ctx.i + 1:06d}",
        "项目名称": plan["name"],
        "建设单位": plan["unit"],
        "施工单位": builder.name,
        "施工单位统一社会信用代码": builder.credit_code,
        "项目经理": ctx.world.person(WORKERS, 9_200_000 + int(r() * 3_000)).name,
        "监理单位": ctx.pick(W.SUPERVISORS),
        "合同金额（元）": _money(amount),
        "资金来源": ctx.pick(("财政资金", "财政资金", "地方政府专项债券", "中央预算内投资", "企业自筹")),
        "开工日期": ISO[day],
        "计划竣工日期": ISO[finish],
        "建设地点": f"{DISTRICT_NAMES[plan['district']]}{ctx.pick(W.DISTRICTS[plan['district']][2])}",
        REGION: DISTRICT_NAMES[plan["district"]],
        "项目状态": state,
    }


def _public_works(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    contractors = world.pool("construction")
    while True:
        plan = _tender_plan(world, r)
        amount = plan["budget"] * ctx.between(0.86, 0.99)
        yield _works_row(ctx, ctx.day(), plan, ctx.pick(contractors), amount)


_DISTRICT_LETTERS = ("DH", "XS", "NJ", "BC", "LJ")


def _land(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    developers = world.pool("realestate")
    others = world.pool("manufacturing", "trade")
    while True:
        day = ctx.day()
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        use, years, (low, high) = ctx.pick(W.LAND_USES)
        buyer = ctx.pick(developers if use in ("住宅用地", "商服用地") else others)
        parcel = f"{_DISTRICT_LETTERS[district]}{_year(day)}-{int(r() * 60) + 1:02d}"
        area = round(ctx.between(2_000, 120_000), 2)
        price = round(area * ctx.between(low, high), -3)
        yield {
            "电子监管号": f"{DISTRICT_DIVISIONS[district]}{_year(day)}B{ctx.number()}",
            "项目名称": f"{name}{ctx.pick(roads)}以东、{ctx.pick(roads)}以北{parcel}号地块",
            "宗地编号": parcel,
            "土地坐落": f"{name}{ctx.pick(roads)}与{ctx.pick(roads)}交叉口",
            REGION: name,
            "土地用途": use,
            "出让面积（平方米）": f"{area:.2f}",
            "出让年限": str(years),
            "供地方式": ctx.pick(W.LAND_METHODS),
            "起始价（元）": _money(round(price * ctx.between(0.65, 1.0), -3)),
            "成交价款（元）": _money(price),
            "受让人": buyer.name,
            "受让人统一社会信用代码": buyer.credit_code,
            "合同签订日期": ISO[day],
            "约定开工时间": ISO[day + 180 + int(r() * 185)],
        }


def _invoices(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("construction", "trade", "services", "tech", "manufacturing")
    clerks = [world.person(WORKERS, 9_300_000 + n) for n in range(200)]
    while True:
        day = ctx.day()
        seller, buyer = ctx.pick(companies), ctx.pick(companies)
        item, rate = ctx.pick(W.INVOICE_ITEMS)
        amount = round(ctx.between(500, 1_500_000), 2)
        tax = round(amount * int(rate[:-1]) / 100, 2)
        yield {
            "发票号码": f"{_year(day)[2:]}339{ctx.i + 1:015d}",
            "开票日期": ISO[day],
            "发票类型": ctx.pick(W.INVOICE_KINDS),
            "销售方名称": seller.name,
            "销售方纳税人识别号": seller.credit_code,
            "购买方名称": buyer.name,
            "购买方纳税人识别号": buyer.credit_code,
            "项目名称": item,
            "金额（元）": _money(amount),
            "税率": rate,
            "税额（元）": _money(tax),
            "价税合计（元）": _money(amount + tax),
            "开票人": clerks[int(r() * len(clerks))].name,
            REGION: DISTRICT_NAMES[seller.district],
        }


def _social_insurance(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    employers = world.pool("construction", "trade", "services", "tech", "manufacturing", "realestate")
    workforce = max(50, ctx.count // 6)
    while True:
        day = ctx.day()
        k = int(r() * workforce)
        person = world.person(WORKERS, k)
        employer = employers[k % len(employers)]
        kind, unit_rate, own_rate = ctx.pick(W.SOCIAL_INSURANCE_KINDS)
        base = 3_800 + (k % 40) * 500
        unit_part, own_part = base * unit_rate, base * own_rate
        period = _month_day(day, -1, 1)
        yield {
            "缴费流水号": f"SB{COMPACT[day]}{ctx.number()}",
            "姓名": person.name,
            "身份证号": person.id_number,
            "参保单位": employer.name,
            "参保单位统一社会信用代码": employer.credit_code,
            "险种": kind,
            "费款所属期": COMPACT[period][:6],
            "缴费基数（元）": _money(base),
            "单位缴纳（元）": _money(unit_part),
            "个人缴纳（元）": _money(own_part),
            "缴费合计（元）": _money(unit_part + own_part),
            "到账日期": ISO[day],
            "参保状态": "正常参保" if r() < 0.96 else "暂停缴费",
            REGION: DISTRICT_NAMES[employer.district],
        }


def _pension_row(ctx: Context, day: int, person: Person, kind: str, amount: str) -> dict:
    r = ctx.r
    return {
        "发放流水号": f"YL{COMPACT[day]}{ctx.number()}",
        "姓名": person.name,
        "身份证号": person.id_number,
        "养老保险类型": kind,
        "发放年月": ISO[day][:7],
        "发放金额（元）": amount,
        "发放日期": ISO[day],
        "代发银行": W.BANKS[int(person.id_number[15]) % len(W.BANKS)],
        "银行账号": _masked_account(r, "6228"),
        "人员状态": "正常",
        "联系电话": person.phone,
        REGION: DISTRICT_NAMES[person.district],
    }


def _pensions(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    pensioners = max(30, ctx.count // 12)
    while True:
        person = world.person(PENSIONERS, int(r() * pensioners))
        kind, (low, high) = W.PENSION_KINDS[int(person.id_number[16]) % len(W.PENSION_KINDS)]
        amount = _money(low + (high - low) * int(person.id_number[12:14]) / 31)
        yield _pension_row(ctx, ctx.day(), person, kind, amount)


_PENALTY_PREFIXES = {
    "market-regulation": "市监", "emergency": "应急", "environment": "环", "urban-management": "城管",
    "transport": "交",
}


def _penalties(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    parties = world.pool("construction", "trade", "services", "manufacturing", "shop")
    while True:
        day = ctx.day()
        party = ctx.pick(parties)
        kind, case, fact, basis, category, key, (low, high) = ctx.pick(W.PENALTIES)
        region = DISTRICT_NAMES[party.district] if r() < 0.6 else W.CITY_NAME
        authority = world.department(key, region)
        amount = round(ctx.between(low, high), -2)
        yield {
            "行政处罚决定书文号": f"{region[0]}{_PENALTY_PREFIXES[key]}罚〔{_year(day)}〕{ctx.i + 1}号",
            "案件名称": case.format(party=party.name),
            "当事人名称": party.name,
            "统一社会信用代码": party.credit_code,
            "法定代表人": party.legal_rep.name,
            "违法行为类型": kind,
            "违法事实": fact,
            "处罚依据": basis,
            "处罚类别": category,
            "处罚内容": f"{category.split('；')[0]}，罚款人民币{amount:.0f}元",
            "罚没金额（元）": _money(amount),
            "处罚决定日期": ISO[day],
            "处罚机关": authority,
            REGION: world.unit_region[authority],
        }


def _licences(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    parties = world.pool("construction", "trade", "services", "manufacturing", "shop", "realestate")
    while True:
        day = ctx.day()
        party = ctx.pick(parties)
        matter, certificate, content, key, years = ctx.pick(W.LICENCES)
        authority = world.department(key, W.CITY_NAME)
        yield {
            "许可文书编号": f"JZXK{_year(day)}{ctx.number()}",
            "许可事项": matter,
            "许可证书名称": certificate,
            "行政相对人名称": party.name,
            "统一社会信用代码": party.credit_code,
            "法定代表人": party.legal_rep.name,
            "许可内容": content,
            "许可决定日期": ISO[day],
            "有效期自": ISO[day],
            "有效期至": ISO[min(day + years * 365, len(ISO) - 1)],
            "许可机关": authority,
            REGION: DISTRICT_NAMES[party.district] if r() < 0.5 else W.CITY_NAME,
        }


_PLATE_CHARS = "0123456789" + W.PLATE_LETTERS


def _traffic(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    drivers = max(100, ctx.count // 3)
    while True:
        day = ctx.day()
        k = int(r() * drivers)
        driver = world.person(WORKERS, k)
        plate = "江" + "ABCDEF"[k % 6]
        plate += "".join(_PLATE_CHARS[(k >> (3 * n)) % len(_PLATE_CHARS)] for n in range(5))
        offence, fine, points = ctx.pick(W.TRAFFIC_OFFENCES)
        district = int(r() * len(DISTRICT_NAMES))
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        camera = r() < 0.75
        yield {
            "决定书编号": f"3399{COMPACT[day]}{ctx.number()}",
            "号牌号码": plate,
            "号牌种类": "小型汽车" if k % 11 else "大型汽车",
            "当事人": driver.name,
            "驾驶证号": driver.id_number,
            "联系电话": driver.phone,
            "违法时间": f"{ISO[day]} {_clock(r)}",
            "违法地点": f"{name}{ctx.pick(roads)}与{ctx.pick(roads)}交叉口",
            "违法行为": offence,
            "罚款金额（元）": _money(fine),
            "记分": str(points),
            "采集方式": "电子监控" if camera else "现场执法",
            "处理机关": f"江州市公安局交通警察支队{name}大队",
            REGION: name,
        }


def _farm_subsidies(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    farmers = max(50, ctx.count // 6)
    county = len(W.DISTRICTS) - 1
    while True:
        day = ctx.day()
        k = int(r() * farmers)
        farmer = world.person(FARMERS, k)
        district = county if k % 10 < 7 else (1, 2)[k % 2]
        name, _division, _roads, towns, places = W.DISTRICTS[district]
        item, (low, high), per_mu = ctx.pick(W.FARM_SUBSIDIES)
        if per_mu:
            area, rate = 1.5 + (k % 57) / 2, round(ctx.between(low, high), 2)
            amount = area * rate
        else:
            area = rate = None
            amount = round(ctx.between(low, high), -2)
        key = "housing" if "危房" in item else "agriculture"
        yield {
            "发放流水号": f"HN{COMPACT[day]}{ctx.number()}",
            "补贴项目": item,
            "补贴对象": farmer.name,
            "身份证号": farmer.id_number,
            "乡镇": towns[k % len(towns)],
            "村": places[(k // 7) % len(places)],
            "补贴面积（亩）": f"{area:.2f}" if area else "",
            "补贴标准（元/亩）": f"{rate:.2f}" if rate else "",
            "补贴金额（元）": _money(amount),
            "发放日期": ISO[day],
            "代发银行": "江州农村商业银行",
            "一卡通账号": _masked_account(r, "6230"),
            "主管部门": world.department(key, name),
            REGION: name,
        }


def _affordable_housing(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    employers = world.pool("services", "trade", "manufacturing", "shop")
    while True:
        day = ctx.day()
        person = world.resident(r)
        if person.born > day - 20 * 365:
            continue
        mode, (low, high) = ctx.pick(W.HOUSING_MODES)
        district = person.district
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        passed = r() < 0.86
        flat = (f"{name}{ctx.pick(roads)}{int(r() * 300) + 1}号{name[:2]}公租房小区{int(r() * 12) + 1}栋"
                f"{int(r() * 18) + 1}{int(r() * 6) + 1:02d}室")
        yield {
            "申请编号": f"BZF{COMPACT[day]}{ctx.number()}",
            "申请人": person.name,
            "申请人身份证号": person.id_number,
            "家庭人口": str(1 + int(r() * 5)),
            "家庭年收入（元）": _money(round(ctx.between(18_000, 90_000), -2)),
            "工作单位": ctx.pick(employers).name if r() < 0.7 else "灵活就业",
            "保障方式": mode,
            "房源地址": flat if passed and mode != "租赁补贴" else "",
            REGION: name,
            "月租金（元）": _money(round(ctx.between(low, high))) if passed else "",
            "审核结果": "通过" if passed else "不通过",
            "配租日期": ISO[day],
            "联系电话": person.phone,
        }


def _named_company(world: World, name: str, category: str) -> Company:
    """A company known by name in the words (bus companies, …): the same code every time."""
    k = _COMPANY_SPACE // 2 + int.from_bytes(hashlib.sha256(name.encode()).digest()[:3], "big")
    return world.company(k)._replace(name=name, category=category)


def _transport_subsidies(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    operators = [_named_company(world, name, "services") for name in W.TRANSPORT_OPERATORS]
    while True:
        day = ctx.day()
        operator = ctx.pick(operators)
        item, mode = ctx.pick(W.TRANSPORT_SUBSIDIES)
        vehicles = 20 + int(r() * 780)
        yield {
            "拨付编号": f"JTBT{_year(day)}{ctx.number()}",
            "补贴类别": item,
            "运营企业": operator.name,
            "统一社会信用代码": operator.credit_code,
            "车辆数": str(vehicles),
            "线路或区域": f"{DISTRICT_NAMES[operator.district]}{mode}{int(r() * 60) + 1}路" if mode == "公交"
            else f"{DISTRICT_NAMES[operator.district]}{mode}",
            "申报年度": str(int(_year(day)) - 1),
            "核定金额（元）": _money(round(vehicles * ctx.between(3_000, 28_000), -2)),
            "拨付日期": ISO[day],
            "审核单位": ctx.pick(("江州市交通运输局", "江州市财政局")),
            REGION: DISTRICT_NAMES[operator.district],
        }


def _workplace_safety(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    companies = world.pool("construction", "manufacturing", "trade")
    inspectors = [world.person(WORKERS, 9_400_000 + n) for n in range(40)]
    while True:
        day = ctx.day()
        company = ctx.pick(companies)
        found = int(r() * r() * 9)
        major = found and r() < 0.08
        hazards = "；".join(ctx.rng.sample(W.SAFETY_HAZARDS, min(found, 3))) if found else "未发现事故隐患"
        first, second = ctx.pick(inspectors), ctx.pick(inspectors)
        yield {
            "检查记录编号": f"AJ{COMPACT[day]}{ctx.number()}",
            "被检查单位": company.name,
            "统一社会信用代码": company.credit_code,
            "行业领域": ctx.pick(W.SAFETY_SECTORS),
            "检查日期": ISO[day],
            "检查人员": f"{first.name}、{second.name}",
            "执法证号": f"JD339900{int(first.id_number[14:17]) * 7 % 1000:03d}{first.born % 1000:03d}",
            "检查方式": ctx.pick(("“双随机、一公开”抽查", "专项检查", "举报核查", "日常检查")),
            "发现隐患数": str(found),
            "重大隐患": "是" if major else "否",
            "隐患描述": hazards,
            "整改期限": ISO[day + (15 if major else 30)] if found else "",
            "整改情况": (ctx.pick(("已整改", "已整改", "整改中", "逾期未整改")) if found else "无需整改"),
            REGION: DISTRICT_NAMES[company.district],
        }


def _pollution(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    emitters = world.pool("manufacturing")
    while True:
        day = ctx.day()
        emitter = ctx.pick(emitters)
        pollutant, limit, point = ctx.pick(W.POLLUTANTS)
        value = limit * ctx.between(1.05, 4.0)
        yield {
            "记录编号": f"HJ{COMPACT[day]}{ctx.number()}",
            "排污单位": emitter.name,
            "统一社会信用代码": emitter.credit_code,
            "排污许可证编号": f"{emitter.credit_code}001P",
            "监测点位": point,
            "污染物": pollutant,
            "监测时间": f"{ISO[day]} {int(r() * 24):02d}:00:00",
            "小时均值（mg/m³或mg/L）": f"{value:.2f}",
            "排放限值": f"{limit:g}",
            "超标倍数": f"{value / limit - 1:.2f}",
            "处理状态": ctx.pick(("待核实", "已核实：设备故障", "已立案查处", "已责令改正")),
            REGION: DISTRICT_NAMES[emitter.district],
        }


def _audits(ctx: Context) -> Iterator[dict]:
    world = ctx.world
    while True:
        day = ctx.day()
        unit = ctx.pick(world.units + list(W.PROJECT_OWNERS))
        category, description = ctx.pick(W.AUDIT_PROBLEMS)
        project = ctx.pick(W.AUDIT_PROJECTS)
        yield {
            "问题编号": f"SJ{_year(day)}{ctx.number()}",
            "审计项目名称": f"{unit}{_year(day)}年度{project}" if "预算" in project else f"{unit}{project}",
            "被审计单位": unit,
            "问题类别": category,
            "问题描述": description.format(unit=unit),
            "涉及金额（元）": _money(round(ctx.between(20_000, 8_000_000), -2)),
            "审计报告文号": f"江审报〔{_year(day)}〕{ctx.i + 1}号",
            "出具日期": ISO[day],
            "整改状态": ctx.pick(W.AUDIT_STATES),
            "整改期限": ISO[day + 90],
            "移送情况": ctx.pick(W.AUDIT_REFERRALS),
            REGION: world.unit_region.get(unit, W.CITY_NAME),
        }


def _leases(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    tenants = world.pool("trade", "services", "shop")
    lessors = world.units + list(W.PROJECT_OWNERS) * 5
    while True:
        day = ctx.day()
        lessor = ctx.pick(lessors)
        asset, (low, high), (rent_low, rent_high) = ctx.pick(W.LEASE_ASSETS)
        district = world.region_of(lessor, r)
        name, _division, roads, _towns, _places = W.DISTRICTS[district]
        person = world.resident(r) if r() < 0.3 else None
        tenant = person or ctx.pick(tenants)
        area = ctx.between(low, high)
        begins = day + 1 + int(r() * 30)
        yield {
            "合同编号": f"ZL{_year(day)}{ctx.number()}",
            "出租单位": lessor,
            "资产名称": f"{ctx.pick(roads)}{asset}",
            "资产坐落": f"{name}{ctx.pick(roads)}{int(r() * 400) + 1}号",
            REGION: name,
            "承租方": tenant.name,
            "承租方统一社会信用代码": "" if person else tenant.credit_code,
            "承租方身份证号": person.id_number if person else "",
            "租赁面积（平方米）": f"{area:.2f}",
            "年租金（元）": _money(round(area * ctx.between(rent_low, rent_high), -2)),
            "出租方式": ctx.pick(W.LEASE_METHODS),
            "租期起": ISO[begins],
            "租期止": ISO[begins + 365 * (1 + int(r() * 5)) - 1],
            "签订日期": ISO[day],
        }


def _student_aid(ctx: Context) -> Iterator[dict]:
    world, r = ctx.world, ctx.r
    pupils = max(100, ctx.count // 4)
    while True:
        day = ctx.day()
        k = int(r() * pupils)
        pupil = world.person(PUPILS, k)
        age = (day - pupil.born) // 365
        if not 3 <= age <= 17:
            continue
        stage = 0 if age < 6 else 1 if age < 15 else 2 + k % 2
        level, pattern, projects = W.SCHOOL_KINDS[stage]
        project, (low, high) = projects[k % len(projects)]
        district = pupil.district
        guardian = world.relative(pupil, 0, pupil.born - 26 * 365 - (k % 3_000))  # a resident parent
        date = date_of(day)
        school_year = date.year if date.month >= 9 else date.year - 1
        first_term = date.month >= 9 or date.month < 3
        yield {
            "资助流水号": f"XZ{COMPACT[day]}{ctx.number()}",
            "学生姓名": pupil.name,
            "学生身份证号": pupil.id_number,
            "学校名称": pattern.format(district=DISTRICT_NAMES[district], ordinal=W.ORDINALS[k % 9]),
            "学段": level,
            "资助项目": project,
            "学年学期": f"{school_year}-{school_year + 1}学年第{'一' if first_term else '二'}学期",
            "资助金额（元）": _money(round(ctx.between(low, high), -1)),
            "发放日期": ISO[day],
            "监护人姓名": guardian.name,
            "监护人身份证号": guardian.id_number,
            "监护人电话": guardian.phone,
            REGION: DISTRICT_NAMES[district],
        }


_SINCE_2010 = datetime.date(2010, 1, 1)
GENERATORS: dict[str, tuple[datetime.date, datetime.date, Callable[[Context], Iterator[dict]]]] = {
    "hotline-12345": (START, END, _hotline),
    "city-management": (START, END, _city_management),
    "public-resource-trading": (START, END, _tenders),
    "government-procurement": (START, END, _procurement),
    "market-entities": (_SINCE_2010, END, _market_entities),
    "medical-insurance": (START, END, _medical_insurance),
    "social-assistance": (START, END, _social_assistance),
    "death-registrations": (START, END, _deaths),
    "public-officials": (_SINCE_2010, END, _officials),
    "real-estate": (START, END, _real_estate),
    "treasury-payments": (START, END, _treasury),
    "public-works": (START, END, _public_works),
    "land-transfers": (START, END, _land),
    "vat-invoices": (START, END, _invoices),
    "social-insurance": (START, END, _social_insurance),
    "pension-payments": (START, END, _pensions),
    "administrative-penalties": (START, END, _penalties),
    "administrative-licences": (START, END, _licences),
    "traffic-violations": (START, END, _traffic),
    "farm-subsidies": (START, END, _farm_subsidies),
    "affordable-housing": (START, END, _affordable_housing),
    "transport-subsidies": (START, END, _transport_subsidies),
    "workplace-safety": (START, END, _workplace_safety),
    "pollution-monitoring": (START, END, _pollution),
    "audit-findings": (START, END, _audits),
    "state-asset-leases": (START, END, _leases),
    "student-aid": (START, END, _student_aid),
}

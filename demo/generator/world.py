"""What every system of one seed and count draws from (``Population``), and what a row builder
sees (``Context``)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from demo import city

from . import words as W
from .basics import END, _salt, day_of
from .people import (
    _COMPANY_SPACE,
    CHILDREN_FIRST,
    DISTRICT_NAMES,
    POPULATION,
    RESIDENTS,
    SPOUSES_FIRST,
    Company,
    Person,
    Subspace,
    _company,
    _company_category,
    _company_hash,
    _from_subspace,
    _id_parts,
    _person,
    given_name,
    surname,
)


class Population:
    """The people, companies and units that the systems of one seed and count share (``World``
    adds the planted patterns)."""

    def __init__(self, seed=1, count: int = 1_000):
        self.seed = seed
        self.count = count
        self.person_salt = _salt(seed, "people") % 100_000_000
        self.company_salt = _salt(seed, "companies") % _COMPANY_SPACE
        self.listed = max(1, count // 2)  # companies 0 … listed-1 are in every market register
        self._units()
        self._pools: dict[str, list[Company]] = {}

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


class Context:
    """What the row builders of one system see: the world, the random stream, the row's position."""

    def __init__(self, world: Population, code: str, count: int, start: datetime.date, end: datetime.date):
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

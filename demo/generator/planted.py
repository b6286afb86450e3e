"""The planted patterns (see the package docstring): what was planted, and the ``World`` that
plants them among the ordinary rows."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from . import words as W
from .basics import _money, _month_day, date_of, day_of
from .businesses import payment_row, registration_row, tender_plan, tender_rows, works_row
from .near_misses import NearMiss, NearMisses
from .people import (
    _COMPANY_SPACE,
    DISTRICT_NAMES,
    PLANTED_FIRST,
    PLANTED_LAST,
    Company,
    Person,
    _company,
    given_name,
    surname,
)
from .residents import assistance_row, death_row, hotline_row, official_row, pension_row, settlement_row
from .world import Context, Population

MIN_COUNT = 200  # rows a system needs for every planted row to be in it
CASES_MIN, CASES_STEP, CASES_MAX = 3, 250_000, 60


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
    near_misses: list[NearMiss] = field(default_factory=list)  # what no model may flag (near_misses.py)

    def as_json(self) -> dict:
        def plain(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, tuple):
                return [plain(item) for item in value]
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


class World(Population, NearMisses):
    """Everything the systems of one seed and count share: people, companies, units, plants and
    near misses."""

    def __init__(self, seed=1, count: int = 1_000):
        super().__init__(seed, count)
        self.planted: dict[str, list[Planted]] = {}
        self.facts = PlantedFacts()
        self._plant()

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
        self._plant_near_misses()
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
                  lambda ctx: iter([registration_row(ctx, company, founded, status)]))
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
        plan = tender_plan(self, rng.random)
        budget = plan["budget"]
        quotes = [budget * rng.uniform(0.955, 0.975) for _ in colluders]
        quotes[0] = min(quotes) - budget * 0.004
        quotes += [budget * rng.uniform(0.985, 0.998) for _ in others]
        bidders = colluders + others
        order = rng.sample(range(len(bidders)), len(bidders))
        lineup = [(bidders[n], quotes[n], n == 0) for n in order]
        self._add("public-resource-trading", day, len(lineup),
                  lambda ctx: tender_rows(ctx, day, plan, lineup))
        self.facts.shared_legal_reps.append(SharedLegalRep(
            plan["name"], date_of(day), rep.name, rep.id_number,
            tuple(company.credit_code for company in colluders), colluders[0].credit_code,
        ))

    def _plant_paid_after_death(self, rng: random.Random, number: int) -> None:
        person = self._planted_person(rng, 1932, 1958)
        death = self._day_between(rng, datetime.date(2021, 1, 1), datetime.date(2025, 9, 30))
        self._add("death-registrations", death, 1, lambda ctx: iter([death_row(ctx, death, person)]))
        after: dict[str, int] = {}
        kind, (low, high) = rng.choice(W.ASSISTANCE_KINDS[:3])
        monthly = _money(rng.randint(low, high))
        household = rng.randint(1, 2)
        payday = rng.randint(5, 15)
        before, later = rng.randint(3, 10), rng.randint(4, 12)
        for month in range(-before, later + 1):
            day = _month_day(death, month, payday)
            self._add("social-assistance", day, 1, lambda ctx, day=day: iter(
                [assistance_row(ctx, day, person, kind, household, monthly)]
            ))
            after["social-assistance"] = after.get("social-assistance", 0) + (day > death)
        if number % 2 == 0:
            pension_kind = W.PENSION_KINDS[0][0]
            amount = _money(rng.randint(2_000, 4_200) + rng.random())
            for month in range(-3, later + 1):
                day = _month_day(death, month, 20)
                self._add("pension-payments", day, 1,
                          lambda ctx, day=day: iter([pension_row(ctx, day, person, pension_kind, amount)]))
                after["pension-payments"] = after.get("pension-payments", 0) + (day > death)
        if number % 3 == 0:
            for _ in range(rng.randint(1, 3)):
                day = death + rng.randint(10, 30 * later)
                self._add("medical-insurance", day, 1,
                          lambda ctx, day=day: iter([settlement_row(ctx, day, person, "药店购药")]))
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
                  lambda ctx: iter([official_row(ctx, appointed, official, unit, post, relation, relative)]))
        company = self._planted_company(rng, relative, day - rng.randint(60, 500))
        plan = tender_plan(self, rng.random, unit)
        budget = plan["budget"]
        others = rng.sample(self.pool("construction"), min(rng.randint(2, 4), len(self.pool("construction"))))
        quote = budget * rng.uniform(0.93, 0.96)
        lineup = [(company, quote, True)]
        lineup += [(other, budget * rng.uniform(0.965, 0.995), False) for other in others]
        lineup = rng.sample(lineup, len(lineup))
        self._add("public-resource-trading", day, len(lineup),
                  lambda ctx: tender_rows(ctx, day, plan, lineup))
        start = day + rng.randint(20, 60)
        self._add("public-works", start, 1,
                  lambda ctx: iter([works_row(ctx, start, plan, company, quote)]))
        paid = 0.0
        for share in (0.3, 0.4, 0.2)[: rng.randint(2, 3)]:
            pay_day = start + rng.randint(10, 200) + int(paid * 400)
            paid += share
            self._add("treasury-payments", pay_day, 1,
                      lambda ctx, pay_day=pay_day, share=share: iter(
                          [payment_row(ctx, pay_day, unit, company, W.TREASURY_ITEMS[0], quote * share)]
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
                row = hotline_row(ctx, day, caller, topic, district, place, handler,
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

"""Near misses: rows planted beside the patterns that look like a case to a careless model and
are none to the seeded warning models (search/detection/seeds/*.toml), each a step short of
what a model asks: a payment on the day of the death, not after it; a namesake, not the person;
a relative's company that bid and lost, or won in another unit than the official's; a complaint
reopened, but fewer times or further apart than the threshold; a payment far above the others of
a payer with too few payments to have a median. ``PlantedFacts.near_misses`` says what each is
and the subjects no model may raise a warning about.

A payment after the death but before the death was registered is no near miss: the models
compare with the date of death, so it is a case (the family's delay is how such money is drawn).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from . import words as W
from .basics import _money, _month_day, date_of
from .businesses import payment_row, penalty_row, procurement_row, tender_plan, tender_rows
from .people import DISTRICT_NAMES, Company, Person, given_name, surname
from .residents import (
    assistance_row,
    death_row,
    farm_subsidy_row,
    hotline_row,
    housing_row,
    official_row,
    pension_row,
    settlement_row,
)

# The one-day steps the seeded models draw their lines at.
NEW_COMPANY_DAYS = 90  # tender-new-company-bids: a first bid within 90 days of the founding
PENALTY_DAYS = 365  # tender-winner-penalised: a penalty in the year before the win
FARM_GRACE_DAYS = 30  # farm-subsidy-after-death: 30 days after the death
SPLIT_LIMIT = 2_000_000  # procurement-split-below-limit: three contracts at 90 % to 100 % of it
MIN_PEERS = 10  # treasury-payment-outlier: a payer's median needs ten payments


@dataclass(frozen=True)
class NearMiss:
    """One near miss: the scenario and the seeded models it imitates a case of, what it is, and
    its subjects as written in the rows ((key kind, value) pairs), of which no warning may have
    any."""

    scenario: str
    models: tuple[str, ...]
    what: str
    subjects: tuple[tuple[str, str], ...]


class NearMisses:
    """Plants the near misses; a part of ``World``, whose people, companies and rows it uses."""

    def _plant_near_misses(self) -> None:
        # A random stream of their own: the planted cases before them stay as they were.
        rng = random.Random(f"{self.seed}:near-misses")
        for plant in (
            self._near_paid_on_the_day_of_death, self._near_namesake_paid_after_a_death,
            self._near_settled_on_the_day_of_death,
            self._near_relative_bids_and_loses, self._near_relative_wins_elsewhere,
            self._near_namesake_of_an_official, self._near_one_rep_two_tenders,
            self._near_namesake_reps_in_one_tender, self._near_bid_just_after_the_founding,
            self._near_penalised_before_the_year, self._near_split_one_below_the_band,
            self._near_reopened_below_the_threshold, self._near_four_callers_one_place,
            self._near_huge_payment_of_a_small_payer,
        ):
            self.facts.near_misses.append(plant(rng))

    def _rows(self, code: str, day: int, build) -> None:
        """One planted row of ``code`` on ``day``, built by ``build(ctx)``."""
        self._add(code, day, 1, lambda ctx: iter([build(ctx)]))

    def _old_company(self, rng: random.Random, rep: Person, day: int) -> Company:
        """A company of ``rep`` founded long enough before ``day`` to be no new company then."""
        return self._planted_company(rng, rep, day - rng.randint(2 * NEW_COMPANY_DAYS, 1_500))

    def _tender(self, rng: random.Random, day: int, unit: str, lineup) -> dict:
        """A tender of ``unit`` (any unit when empty) on ``day``: ``lineup`` is (company, share of
        the budget, won); ordinary bidders who lose are added. The tender's plan."""
        plan = tender_plan(self, rng.random, unit)
        others = rng.sample(self.pool("construction"), min(2, len(self.pool("construction"))))
        bids = [(company, plan["budget"] * share, won) for company, share, won in lineup]
        bids += [(other, plan["budget"] * rng.uniform(0.985, 0.998), False) for other in others]
        bids = rng.sample(bids, len(bids))
        self._add("public-resource-trading", day, len(bids), lambda ctx: tender_rows(ctx, day, plan, bids))
        return plan

    def _namesake(self, rng: random.Random, of: Person, born_from: int, born_to: int) -> Person:
        """Another person (another ID number) with the name of ``of``."""
        return self._planted_person(rng, born_from, born_to)._replace(name=of.name)

    # --- welfare and medical insurance ---------------------------------------------------------------
    def _near_paid_on_the_day_of_death(self, rng: random.Random) -> NearMiss:
        """Assistance paid on the day of the death and a pension the day before it, a settlement on
        that day, a farm subsidy within the 30 days the farm subsidy model allows."""
        person = self._planted_person(rng, 1932, 1958)
        death = self._day_between(rng, datetime.date(2021, 6, 1), datetime.date(2025, 6, 30))
        self._rows("death-registrations", death, lambda ctx: death_row(ctx, death, person))
        kind, (low, high) = rng.choice(W.ASSISTANCE_KINDS[:3])
        monthly = _money(rng.randint(low, high))
        payday = min(date_of(death).day, 28)
        for day in [*(_month_day(death, month, payday) for month in range(-5, 0)), death]:
            self._rows("social-assistance", day,
                       lambda ctx, day=day: assistance_row(ctx, day, person, kind, 1, monthly))
        pension = _money(rng.randint(2_000, 4_200))
        for day in (_month_day(death, -2, 20), _month_day(death, -1, 20), death - 1):
            self._rows("pension-payments", day,
                       lambda ctx, day=day: pension_row(ctx, day, person, W.PENSION_KINDS[0][0], pension))
        farm = rng.randrange(1_000)
        for day in (death - 60, death + FARM_GRACE_DAYS - 1):
            self._rows("farm-subsidies", day, lambda ctx, day=day: farm_subsidy_row(ctx, day, person, farm))
        return NearMiss("welfare",
                        ("assistance-after-death", "pension-after-death", "farm-subsidy-after-death"),
                        "paid on the day of the death or before it, a farm subsidy within 30 days",
                        (("id_number", person.id_number),))

    def _near_settled_on_the_day_of_death(self, rng: random.Random) -> NearMiss:
        """Medical costs settled on the day of the death (the last days in hospital)."""
        person = self._planted_person(rng, 1932, 1958)
        death = self._day_between(rng, datetime.date(2021, 6, 1), datetime.date(2025, 6, 30))
        self._rows("death-registrations", death, lambda ctx: death_row(ctx, death, person))
        for day in (death - rng.randint(20, 200), death):
            self._rows("medical-insurance", day,
                       lambda ctx, day=day: settlement_row(ctx, day, person, "住院"))
        return NearMiss("medical-insurance", ("medical-settled-after-death",),
                        "medical costs settled on the day of the death", (("id_number", person.id_number),))

    def _near_namesake_paid_after_a_death(self, rng: random.Random) -> NearMiss:
        """Someone with the name of a person who died goes on drawing assistance: another person."""
        dead = self._planted_person(rng, 1932, 1958)
        living = self._namesake(rng, dead, 1932, 1958)
        death = self._day_between(rng, datetime.date(2021, 6, 1), datetime.date(2025, 6, 30))
        self._rows("death-registrations", death, lambda ctx: death_row(ctx, death, dead))
        kind, (low, high) = rng.choice(W.ASSISTANCE_KINDS[:3])
        monthly = _money(rng.randint(low, high))
        for month in range(-2, 4):
            day = _month_day(death, month, 10)
            self._rows("social-assistance", day,
                       lambda ctx, day=day: assistance_row(ctx, day, living, kind, 1, monthly))
        return NearMiss("welfare", ("assistance-after-death",),
                        "the same name, another ID number, paid after the death",
                        (("id_number", living.id_number), ("id_number", dead.id_number)))

    # --- officials and their relatives ---------------------------------------------------------------
    def _official(self, rng: random.Random, day: int, unit: str,
                  relation: str = "") -> tuple[Person, Person | None]:
        """An official of ``unit`` appointed years before ``day``, with a planted spouse or child
        when ``relation`` says so."""
        relative = None
        if relation == "配偶":
            official = self._planted_person(rng, 1966, 1985)
            relative = self._planted_person(rng, 1966, 1985, sex="男" if official.sex == "女" else "女")
        elif relation == "子女":
            official = self._planted_person(rng, 1962, 1972)
            child = self._planted_person(rng, 1990, 1998)
            relative = child._replace(name=surname(official.name) + given_name(child.name))
        else:
            official = self._planted_person(rng, 1966, 1985)
        appointed = day - rng.randint(365, 6 * 365)
        post = rng.choice(W.POSTS[:4])
        self._rows("public-officials", appointed,
                   lambda ctx: official_row(ctx, appointed, official, unit, post, relation, relative))
        return official, relative

    def _tender_day(self, rng: random.Random) -> int:
        return self._day_between(rng, datetime.date(2021, 9, 1), datetime.date(2025, 6, 30))

    def _near_relative_bids_and_loses(self, rng: random.Random) -> NearMiss:
        day, unit = self._tender_day(rng), rng.choice(self.tendering_units)
        official, spouse = self._official(rng, day, unit, "配偶")
        company = self._old_company(rng, spouse, day)
        self._tender(rng, day, unit, [(company, rng.uniform(0.999, 1.0), False),
                                      (rng.choice(self.pool("construction")), 0.95, True)])
        return NearMiss("officials", ("relative-wins-in-officials-unit",),
                        "a spouse's company bids in the official's unit and loses",
                        (("id_number", official.id_number), ("credit_code", company.credit_code)))

    def _near_relative_wins_elsewhere(self, rng: random.Random) -> NearMiss:
        day, unit = self._tender_day(rng), rng.choice(self.tendering_units)
        official, child = self._official(rng, day, unit, "子女")
        company = self._old_company(rng, child, day)
        elsewhere = rng.choice([other for other in self.tendering_units if other != unit])
        share = rng.uniform(0.93, 0.96)
        plan = self._tender(rng, day, elsewhere, [(company, share, True)])
        paid = day + rng.randint(30, 90)
        self._rows("treasury-payments", paid, lambda ctx: payment_row(
            ctx, paid, elsewhere, company, W.TREASURY_ITEMS[0], plan["budget"] * share * 0.3))
        return NearMiss("officials", ("relative-wins-in-officials-unit", "relative-paid-by-officials-unit"),
                        "a child's company wins and is paid in another unit than the official's",
                        (("id_number", official.id_number), ("credit_code", company.credit_code)))

    def _near_namesake_of_an_official(self, rng: random.Random) -> NearMiss:
        """Someone with an official's name runs a company that wins in the official's unit and
        applies for affordable housing: another person."""
        day, unit = self._tender_day(rng), rng.choice(self.tendering_units)
        official, _none = self._official(rng, day, unit)
        namesake = self._namesake(rng, official, 1966, 1985)
        company = self._old_company(rng, namesake, day)
        self._tender(rng, day, unit, [(company, rng.uniform(0.93, 0.96), True)])
        applied = day + rng.randint(30, 300)
        self._rows("affordable-housing", applied, lambda ctx: housing_row(ctx, applied, namesake))
        return NearMiss("officials", ("official-runs-a-company", "official-in-affordable-housing",
                                      "relative-wins-in-officials-unit"),
                        "an official's namesake (another ID number) runs a company and applies for housing",
                        (("id_number", official.id_number), ("id_number", namesake.id_number)))

    # --- tendering and procurement -------------------------------------------------------------------
    def _near_one_rep_two_tenders(self, rng: random.Random) -> NearMiss:
        """One legal representative's two companies, each in a tender of its own."""
        rep = self._planted_person(rng, 1965, 1990)
        for won in (True, False):
            day = self._tender_day(rng)
            company = self._old_company(rng, rep, day)
            self._tender(rng, day, "", [(company, rng.uniform(0.955, 0.975), won)])
        return NearMiss("tendering", ("tender-shared-legal-rep",),
                        "one legal representative's companies in two different tenders",
                        (("id_number", rep.id_number),))

    def _near_namesake_reps_in_one_tender(self, rng: random.Random) -> NearMiss:
        """Two bidders of one tender whose legal representatives share a name, not an ID number."""
        day = self._tender_day(rng)
        rep = self._planted_person(rng, 1965, 1990)
        namesake = self._namesake(rng, rep, 1965, 1990)
        companies = [self._old_company(rng, person, day) for person in (rep, namesake)]
        self._tender(rng, day, "", [(companies[0], 0.96, True), (companies[1], 0.97, False)])
        return NearMiss("tendering", ("tender-shared-legal-rep",),
                        "two bidders of one tender with namesakes as legal representatives",
                        (("id_number", rep.id_number), ("id_number", namesake.id_number)))

    def _near_bid_just_after_the_founding(self, rng: random.Random) -> NearMiss:
        day = self._tender_day(rng)
        founder = self._planted_person(rng, 1965, 1990)
        company = self._planted_company(rng, founder, day - NEW_COMPANY_DAYS - 1)
        self._tender(rng, day, "", [(company, rng.uniform(0.99, 1.0), False),
                                    (rng.choice(self.pool("construction")), 0.95, True)])
        return NearMiss("tendering", ("tender-new-company-bids",),
                        "a first bid on the 91st day after the founding",
                        (("credit_code", company.credit_code),))

    def _near_penalised_before_the_year(self, rng: random.Random) -> NearMiss:
        day = self._tender_day(rng)
        company = self._old_company(rng, self._planted_person(rng, 1965, 1990), day - PENALTY_DAYS - 1)
        penalised = day - PENALTY_DAYS - 1
        penalty = rng.choice(W.PENALTIES)
        region = DISTRICT_NAMES[company.district]
        self._rows("administrative-penalties", penalised,
                   lambda ctx: penalty_row(ctx, penalised, company, penalty, region))
        self._tender(rng, day, "", [(company, rng.uniform(0.93, 0.96), True)])
        return NearMiss("tendering", ("tender-winner-penalised",),
                        "a winner penalised 366 days before the win",
                        (("credit_code", company.credit_code),))

    def _near_split_one_below_the_band(self, rng: random.Random) -> NearMiss:
        """Three contracts of one purchaser with one supplier within a month, one of them below
        90 % of the limit."""
        day = self._tender_day(rng)
        supplier = self._old_company(rng, self._planted_person(rng, 1965, 1990), day)
        buyer = rng.choice(self.units)
        name, pattern, _budgets = rng.choice(W.PROCUREMENT_ITEMS)
        for offset, share in ((0, 0.97), (9, 0.95), (18, 0.85)):
            signed = day + offset
            self._rows("government-procurement", signed,
                       lambda ctx, signed=signed, share=share: procurement_row(
                           ctx, signed, buyer, (name, pattern), supplier, SPLIT_LIMIT, (share, share)))
        return NearMiss("tendering", ("procurement-split-below-limit",),
                        "three contracts in a month, one below 90 % of the tendering limit",
                        (("credit_code", supplier.credit_code),))

    # --- 12345 ---------------------------------------------------------------------------------------
    def _complaint(self, caller: Person) -> tuple[tuple, int, str, str]:
        """A complaint's topic, district, place (the caller's address) and handler."""
        topic = next(topic for topic in W.HOTLINE_TOPICS if topic[0] == "投诉")
        district = caller.district
        return topic, district, caller.address, self.department(topic[4], DISTRICT_NAMES[district])

    def _near_reopened_below_the_threshold(self, rng: random.Random) -> NearMiss:
        """Four tickets 50 days apart: never three in 90 days, nor five in 180."""
        caller = self._planted_person(rng, 1950, 1990)
        topic, district, place, handler = self._complaint(caller)
        first_day = self._day_between(rng, datetime.date(2021, 1, 1), datetime.date(2025, 6, 30))
        first: dict[str, str] = {}
        for number in range(4):
            def build(ctx, day=first_day + 50 * number, number=number):
                row = hotline_row(ctx, day, caller, topic, district, place, handler,
                                  repeat_of=first["id"] if number else "", satisfaction="不满意")
                first.setdefault("id", row["工单编号"])
                return row

            self._rows("hotline-12345", first_day + 50 * number, build)
        return NearMiss("hotline-repeats", ("hotline-repeat-caller", "hotline-repeat-caller-commission"),
                        "one complaint reopened four times, 50 days apart",
                        (("phone", caller.phone),))

    def _near_four_callers_one_place(self, rng: random.Random) -> NearMiss:
        """Four callers about one place within a month: one short of five."""
        callers = [self._planted_person(rng, 1950, 1990) for _ in range(4)]
        topic, district, place, handler = self._complaint(callers[0])
        day = self._day_between(rng, datetime.date(2021, 1, 1), datetime.date(2025, 6, 30))
        for number, caller in enumerate(callers):
            called = day + 6 * number
            self._rows("hotline-12345", called, lambda ctx, called=called, caller=caller: hotline_row(
                ctx, called, caller, topic, district, place, handler))
        return NearMiss("hotline-repeats", ("hotline-hot-address",),
                        "four callers about one address within a month", (("address", place),))

    # --- public funds --------------------------------------------------------------------------------
    def _near_huge_payment_of_a_small_payer(self, rng: random.Random) -> NearMiss:
        """A payer with nine payments, one of them a hundred times the others: too few to say
        what its usual payment is. The payer is a project owner, which ordinary payments never
        name."""
        payer = rng.choice(W.PROJECT_OWNERS)
        first = self._tender_day(rng)
        payee = self._old_company(rng, self._planted_person(rng, 1965, 1990), first)
        for number in range(MIN_PEERS - 1):
            paid = first + 20 * number
            amount = rng.uniform(100_000, 200_000) * (100 if number == MIN_PEERS - 2 else 1)
            self._rows("treasury-payments", paid, lambda ctx, paid=paid, amount=amount: payment_row(
                ctx, paid, payer, payee, W.TREASURY_ITEMS[0], amount))
        return NearMiss("public-funds", ("treasury-payment-outlier",),
                        "a payment a hundred times the others of a payer with nine payments",
                        (("credit_code", payee.credit_code),))


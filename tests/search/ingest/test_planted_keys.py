"""The generator's four planted patterns, loaded through the registry's mappings, are found by
their record keys alone (DESIGN §12): every fact planted, and nothing else; and every key the
registry declares is given by the generated rows."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from demo.generator import MIN_COUNT, World, write_system
from demo.generator import rows as generated_rows
from search.ingest.files import ingest_file
from search.ingest.keys import normalised
from search.ingest.mapping import Mapping, RowMapper
from search.ingest.registry import SYSTEMS, seed_systems
from search.models import KeyKind, Record, RecordKey, SourceSystem

SEED = "keys"
ID, CODE, PHONE, ADDRESS = KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE, KeyKind.PHONE, KeyKind.ADDRESS
PROJECT, UNIT = KeyKind.PROJECT, KeyKind.ORGANISATION


@pytest.fixture(scope="module")
def world():
    return World(SEED, MIN_COUNT)


@pytest.fixture
def load(db, world, tmp_path):
    """Loads the generated exports of the systems a pattern spans; what was planted."""
    seed_systems()

    def load(*codes):
        for system in SourceSystem.objects.filter(code__in=codes):
            path = tmp_path / f"{system.code}.jsonl"
            write_system(system.code, path, seed=SEED, count=MIN_COUNT, world=world)
            ingest_file(system, path, index=False)
        assert Record.objects.count() == MIN_COUNT * len(codes)
        return world.facts

    return load


def keys(code: str, kind: str, role: str | tuple[str, ...]):
    roles = (role,) if isinstance(role, str) else role
    return RecordKey.objects.filter(system__code=code, kind=kind, role__in=roles)


def beside(kind: str, role: str) -> Subquery:
    """The value of the key of ``kind`` and ``role`` in the same record as the outer key."""
    same_record = RecordKey.objects.filter(record=OuterRef("record"), kind=kind, role=role)
    return Subquery(same_record.values("value")[:1])


def test_bidders_of_one_tender_sharing_a_legal_representative(load):
    loaded = load("public-resource-trading", "market-entities")
    bidders = keys("public-resource-trading", CODE, "bidder").annotate(
        tender=beside(PROJECT, "tender"), representative=beside(ID, "legal_representative"))
    shared = bidders.values("tender", "representative").annotate(companies=Count("value", distinct=True))
    shared = shared.filter(companies__gte=2)
    found = {
        (group["representative"], frozenset(
            bidders.filter(tender=group["tender"], representative=group["representative"])
            .values_list("value", flat=True)))
        for group in shared
    }

    facts = loaded.shared_legal_reps
    assert found == {(fact.legal_rep_id, frozenset(fact.bidder_credit_codes)) for fact in facts}
    registered = keys("market-entities", CODE, "registrant")
    registered = registered.annotate(representative=beside(ID, "legal_representative"))
    for fact in facts:
        companies = registered.filter(representative=fact.legal_rep_id).values_list("value", flat=True)
        assert set(companies) == set(fact.bidder_credit_codes)
        assert keys("public-resource-trading", CODE, "winning_bidder").filter(
            value=fact.winner_credit_code).exists()


def test_payments_after_a_death_registration(load):
    loaded = load("death-registrations", "social-assistance", "pension-payments", "medical-insurance")
    deaths = keys("death-registrations", ID, "deceased")
    paid = RecordKey.objects.filter(
        Q(system__code__in=("social-assistance", "pension-payments"), role="payee")
        | Q(system__code="medical-insurance", role="insured"),
        kind=ID,
    ).filter(Exists(deaths.filter(value=OuterRef("value"), date__lt=OuterRef("date"))))
    found = defaultdict(dict)
    for row in paid.values("value", "system__code").annotate(payments=Count("pk")):
        found[row["value"]][row["system__code"]] = row["payments"]

    assert found == {fact.id_number: fact.payments_after for fact in loaded.paid_after_death}
    assert {fact.id_number: fact.death_date for fact in loaded.paid_after_death} == dict(
        deaths.filter(value__in=list(found)).values_list("value", "date"))


def test_an_officials_relatives_company_winning_in_the_officials_unit(load):
    loaded = load("public-officials", "market-entities", "public-resource-trading", "public-works",
                  "treasury-payments")
    relatives = keys("public-officials", ID, ("spouse", "child")).annotate(
        official=beside(ID, "official"), unit=beside(UNIT, "employer"))
    relative_of = {value: (official, unit, role) for value, official, unit, role in relatives.values_list(
        "value", "official", "unit", "role")}
    companies = keys("market-entities", CODE, "registrant").annotate(
        representative=beside(ID, "legal_representative")).filter(representative__in=list(relative_of))
    company_of = dict(companies.values_list("value", "representative"))
    wins = keys("public-resource-trading", CODE, "winning_bidder").annotate(
        tenderer=beside(UNIT, "tenderer")).filter(value__in=list(company_of))
    found = set()
    for company, tenderer, amount in wins.values_list("value", "tenderer", "amount"):
        official, unit, role = relative_of[company_of[company]]
        if tenderer == unit:
            found.add((official, {"spouse": "配偶", "child": "子女"}[role], company, unit, amount))

    assert found == {
        (fact.official_id, fact.relation, fact.company_credit_code, fact.unit, Decimal(fact.amount))
        for fact in loaded.relative_wins
    }
    for fact in loaded.relative_wins:  # the project and the money that followed, by the same keys
        works = keys("public-works", CODE, "contractor").filter(value=fact.company_credit_code)
        assert list(works.annotate(owner=beside(UNIT, "project_owner")).values_list("owner", flat=True)) == [
            fact.unit]
        payments = keys("treasury-payments", CODE, "payee").filter(value=fact.company_credit_code)
        payers = Counter(payments.annotate(payer=beside(UNIT, "payer")).values_list("payer", flat=True))
        assert set(payers) == {fact.unit} and payers[fact.unit] >= 2


def test_a_complaint_reopened_again_and_again(load):
    loaded = load("hotline-12345")
    calls = keys("hotline-12345", PHONE, "caller").annotate(place=beside(ADDRESS, "location"))
    per_place = calls.values("value", "place").annotate(tickets=Count("record"))

    # Ordinary callers call again about the same place at most once: three tickets are a pattern,
    # or the near miss of one (four tickets, too far apart for any model).
    near = {normalised(kind, value) for miss in loaded.near_misses for kind, value in miss.subjects
            if kind == PHONE}
    assert {(row["value"], row["place"], row["tickets"]) for row in per_place.filter(tickets__gte=3)
            if row["value"] not in near} == {
        (fact.phone, fact.address, fact.times) for fact in loaded.reopened_complaints
    }
    below = {row["value"]: row["tickets"] for row in per_place.filter(value__in=near)}
    assert below == dict.fromkeys(near, 4)
    assert per_place.filter(tickets=2).exists()


@pytest.mark.parametrize("spec", SYSTEMS, ids=lambda spec: spec.code)
def test_every_key_a_system_declares_is_given_by_its_generated_rows(world, spec):
    system = SourceSystem(code=spec.code, name=spec.name, field_mapping=spec.field_mapping)
    rows = RowMapper(system, Mapping.of(system), {})
    given = Counter()
    for row in generated_rows(spec.code, SEED, MIN_COUNT, world=world):
        given.update((key.kind, key.role) for key in rows.keys(row, rows.map(row)))

    assert set(given) == {(key.kind, key.role) for key in rows.mapping.keys}

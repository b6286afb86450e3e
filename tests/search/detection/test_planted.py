"""The seeded models over the generator's records: every planted case is found by the model meant
for it, and no near miss (demo/generator/near_misses.py) is flagged by any model. Every system is
generated at MIN_COUNT with one seed and loaded through ingestion, as an export would be."""

from __future__ import annotations

from collections import defaultdict

import pytest

from demo.generator import MIN_COUNT, PlantedFacts, World, write_system
from search.detection import actions
from search.detection.models import RunState, Warning, WarningModel
from search.detection.seeds import seed_models
from search.ingest.files import ingest_file
from search.ingest.keys import normalised
from search.ingest.registry import SYSTEMS
from search.models import SourceSystem

from .test_seeds import owners, specs  # noqa: F401 - owners: a fixture

SEED = "planted-near-misses"


def cases(facts: PlantedFacts) -> dict[str, set[tuple[str, str]]]:
    """Model key → the subjects (kind, value as written) each of which some warning of the model
    must have: one for each planted case the model is meant for."""
    meant: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for case in facts.shared_legal_reps:
        meant["tender-shared-legal-rep"].add(("id_number", case.legal_rep_id))
    for case in facts.paid_after_death:
        meant["assistance-after-death"].add(("id_number", case.id_number))
        if case.payments_after.get("pension-payments"):
            meant["pension-after-death"].add(("id_number", case.id_number))
        if case.payments_after.get("medical-insurance"):
            meant["medical-settled-after-death"].add(("id_number", case.id_number))
    for case in facts.relative_wins:
        for model in ("relative-wins-in-officials-unit", "relative-paid-by-officials-unit"):
            meant[model] |= {("id_number", case.official_id), ("credit_code", case.company_credit_code)}
    for case in facts.reopened_complaints:
        for model in ("hotline-repeat-caller", "hotline-repeat-caller-commission"):
            meant[model].add(("phone", case.phone))
    return meant


def normal(subject) -> tuple[str, str]:
    kind, value = subject
    return kind, normalised(kind, value)


def loaded_and_run(tmp_path, world: World) -> dict[str, set[tuple[str, str]]]:
    """Every system generated, loaded and every seeded model run: model key → its warnings'
    subjects."""
    for spec in SYSTEMS:
        path = tmp_path / f"{spec.code}.jsonl"
        write_system(spec.code, path, fmt="jsonl", seed=world.seed, count=world.count, world=world)
        ingest_file(SourceSystem.objects.get(code=spec.code), path, index=False)
    assert seed_models().skipped == []
    for model in WarningModel.objects.order_by("key"):
        assert actions.run_model(model).state == RunState.DONE
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key, subjects in Warning.objects.values_list("model__key", "subjects"):
        found[key] |= {(kind, value) for kind, value in subjects}
    return found


@pytest.fixture
def world() -> World:
    return World(SEED, MIN_COUNT)


def test_the_world_plants_a_near_miss_for_every_scenario_and_names_real_models(world):
    keys = {spec["key"]: spec["scenario"] for spec in specs()}
    near = world.facts.near_misses
    assert {miss.scenario for miss in near} == set(keys.values())
    for miss in near:
        assert miss.subjects and all(keys[model] == miss.scenario for model in miss.models)
        assert all(normalised(kind, value) for kind, value in miss.subjects)
    assert World(SEED, MIN_COUNT).facts.as_json() == world.facts.as_json()  # the same seed, the same facts


def test_every_planted_case_is_found_by_its_model_and_no_near_miss_by_any(owners, world, tmp_path):  # noqa: F811
    found = loaded_and_run(tmp_path, world)

    missed = {
        model: sorted(subject for subject in map(normal, subjects) if subject not in found[model])
        for model, subjects in cases(world.facts).items()
    }
    assert {model: subjects for model, subjects in missed.items() if subjects} == {}

    flagged = []
    for miss in world.facts.near_misses:
        for subject in map(normal, miss.subjects):
            flagged += [(miss.what, model, subject)
                        for model, subjects in found.items() if subject in subjects]
    assert flagged == []


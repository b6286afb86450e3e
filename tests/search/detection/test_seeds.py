"""The seeded models (search/detection/seeds/*.toml): they load, each through its template's
form and the governance checks, and every one of them runs over the demo generator's records,
loaded through ingestion. Whether they find the generator's planted cases, and miss its near
misses, is for the tests of the planted patterns."""

from __future__ import annotations

import tomllib

import pytest

from agencies.models import AgencyKind, SupervisionClass
from demo.generator import MIN_COUNT, World, write_system
from search.detection import actions
from search.detection.models import RunState, Scenario, WarningModel
from search.detection.seeds import seed_files, seed_models
from search.ingest.files import ingest_file
from search.ingest.registry import SYSTEMS, seed_systems
from search.models import SourceSystem
from tests.factories import AgencyFactory, commission

SEED = "detection-test"
# The owning agencies the seeds name, as the demo city has them.
AGENCIES = {
    "jz-sjj": SupervisionClass.AUDIT, "jz-kjjd": SupervisionClass.FINANCIAL,
    "jz-12345": SupervisionClass.PUBLIC,
}


@pytest.fixture
def owners(systems, city):
    made = {"jz-jw": commission(city, code="jz-jw", name="江州市纪委监委")}
    for code, supervision_class in AGENCIES.items():
        made[code] = AgencyFactory(code=code, kind=AgencyKind.SUPERVISORY,
                                   supervision_class=supervision_class, region=city)
    seed_systems()  # links each system to its owner, now that the owners exist (jz-12345 owns the hotline)
    return made


def specs() -> list[dict]:
    found = []
    for path in seed_files():
        with path.open("rb") as stream:
            data = tomllib.load(stream)
        found += [{**spec, "scenario": data["scenario"]["code"]} for spec in data["models"]]
    return found


def test_the_seeds_hold_at_least_twelve_models_in_four_scenarios():
    models = specs()
    assert len(models) >= 12
    assert len({spec["scenario"] for spec in models}) >= 4
    assert {"tendering", "welfare", "officials", "hotline-repeats"} <= {spec["scenario"] for spec in models}
    assert len({spec["key"] for spec in models}) == len(models)


def test_every_seeded_model_loads_switched_on_and_seeding_again_changes_nothing(owners):
    seeded = seed_models()
    assert (seeded.skipped, seeded.unchanged) == ([], [])
    assert sorted(seeded.created) == sorted(spec["key"] for spec in specs())
    assert all(model.is_active and model.active_version.number == 1 for model in WarningModel.objects.all())
    assert Scenario.objects.count() == len(seed_files())
    again = seed_models()
    assert (again.created, sorted(again.unchanged)) == ([], sorted(seeded.created))


def test_every_seeded_model_runs_on_the_generators_records(owners, tmp_path):
    world = World(SEED, MIN_COUNT)
    for spec in SYSTEMS:
        path = tmp_path / f"{spec.code}.jsonl"
        write_system(spec.code, path, fmt="jsonl", seed=SEED, count=MIN_COUNT, world=world)
        ingest_file(SourceSystem.objects.get(code=spec.code), path, index=False)
    assert seed_models().skipped == []
    for model in WarningModel.objects.order_by("key"):
        run = actions.run_model(model)
        assert (run.state, run.systems_dropped, run.new_warnings) == (RunState.DONE, [], run.warnings_found)
        assert actions.run_model(model).new_warnings == 0

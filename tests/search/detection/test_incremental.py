"""An incremental run finds what a full run finds, kept to the warnings a record in its scope is
evidence of, for every template: the templates restrict their work to the scope's records
(patterns.Context.touched) and must lose nothing by it. The records are the generator's, each
system loaded in two ingests, the second the "new" one."""

from __future__ import annotations

from django.utils import timezone

from demo.generator import MIN_COUNT, World, write_system
from search.detection import actions, patterns
from search.detection.models import WarningModel
from search.detection.runs import FULL, Scope, find
from search.detection.seeds import seed_models
from search.ingest.files import ingest_file
from search.ingest.registry import SYSTEMS
from search.models import Record, SourceSystem

from .linked import switched_on
from .test_seeds import owners  # noqa: F401 - a fixture

SEED = "incremental-runs"


def load_in_two(world: World, folder) -> tuple[dict[str, int], object]:
    """Each system's rows in two ingests, the first half then the second: the second ingest's
    run by system code, and the moment between the two loads."""
    halves = {}
    for spec in SYSTEMS:
        whole = folder / f"{spec.code}.jsonl"
        write_system(spec.code, whole, fmt="jsonl", seed=world.seed, count=world.count, world=world)
        lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
        for number, part in enumerate((lines[: len(lines) // 2], lines[len(lines) // 2:])):
            path = folder / f"{spec.code}-{number}.jsonl"
            path.write_text("".join(part), encoding="utf-8")
            halves[(spec.code, number)] = path
    for number in (0, 1):
        if number == 1:
            between = timezone.now()
        runs = {code: ingest_file(SourceSystem.objects.get(code=code), path, index=False).run.pk
                for (code, half), path in halves.items() if half == number}
    return runs, between


def as_found(hits) -> set[tuple[str, frozenset]]:
    return {(hit.fingerprint, frozenset(hit.records)) for hit in hits}


def full_kept_to(version, record_ids: set[int]) -> set[tuple[str, frozenset]]:
    return {hit for hit in as_found(find(version, FULL).hits) if hit[1] & record_ids}


def test_every_template_finds_incrementally_what_a_full_run_finds_for_the_new_records(owners, tmp_path):  # noqa: F811
    world = World(SEED, MIN_COUNT)
    runs, between = load_in_two(world, tmp_path)
    assert seed_models().skipped == []
    screening = actions.create_screening_list(acting_user=None, agency=owners["jz-jw"], code="watched",
                                              name="关注名单")
    listed = [case.id_number for case in world.facts.paid_after_death]
    listed += [case.company_credit_code for case in world.facts.relative_wins]
    for kind in ("id_number", "credit_code"):
        actions.add_screening_entries(acting_user=None, screening_list=screening, kind=kind, values=listed)
    switched_on(owners["jz-jw"], "rescreen", {
        "screening_list": "watched", "systems_searched": ["social-assistance", "treasury-payments",
                                                          "public-resource-trading"],
    }, key="watched-list")

    models = list(WarningModel.objects.select_related("active_version").order_by("key"))
    assert {model.active_version.template for model in models} == set(patterns.TEMPLATES)
    compared = 0
    for model in models:
        version = model.active_version
        scopes = [Scope(ingest_runs=(runs[code],)) for code in sorted(version.systems)]
        scopes += [Scope(ingest_runs=tuple(runs[code] for code in sorted(version.systems))),
                   Scope(since=between)]
        for scope in scopes:
            records = Record.objects.filter(**(
                {"ingested_at__gte": scope.since} if scope.since else {"ingest_run__in": scope.ingest_runs}))
            new = set(records.values_list("pk", flat=True))
            expected = full_kept_to(version, new)
            assert as_found(find(version, scope).hits) == expected, (model.key, scope)
            compared += bool(expected)
    assert compared >= len(models)  # most comparisons have warnings to compare, not only nothing

"""seed_demo's records: generated exports of every linked system, loaded through ingestion and
indexed, once; a second run loads nothing. A loading that stopped resumes where it stopped, and
its progress counts the committed rows."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from demo.records import Progress, key_records_loaded_without_keys, loading_progress, seed_records
from search import index
from search.detection.models import DetectionRun, RunMode, RunState, WarningModel
from search.detection.seeds import seed_models
from search.index.query import parse
from search.ingest.files import ingest_file
from search.ingest.registry import SYSTEMS
from search.models import IngestRun, IngestState, Record, RecordKey, SourceSystem, SystemGrant
from tests.factories import RegionFactory, commission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]


def test_it_loads_every_system_through_ingestion_and_the_index():
    loaded = seed_records(per_system=6)
    assert loaded == Record.objects.count() == 6 * len(SYSTEMS)
    assert SourceSystem.objects.count() == len(SYSTEMS)
    assert SystemGrant.objects.exists()
    assert IngestRun.objects.filter(rows_loaded=6).count() == len(SYSTEMS)  # one run a system
    index.refresh()
    page = index.search(parse("系统:hotline-12345"), size=1)
    index.close(page.pit)
    assert page.total == 6
    record = Record.objects.filter(system__code="market-entities").order_by("pk").first()
    found = index.search(parse(f'"{record.title[:4]}"'), size=100)
    index.close(found.pit)
    assert record.pk in {hit.record_id for hit in found.hits}
    # Ingestion wrote the records' keys: `make run` needs no step of its own for them.
    keyed = RecordKey.objects.values_list("system__code", flat=True).distinct()
    assert set(keyed) == {spec.code for spec in SYSTEMS}


def test_it_is_idempotent():
    seed_records(per_system=4)
    before = sorted(Record.objects.values_list("system__code", "external_id", "title"))
    assert seed_records(per_system=4) == 0
    assert seed_records(per_system=9) == 0  # records exist: nothing more is loaded
    assert sorted(Record.objects.values_list("system__code", "external_id", "title")) == before


def test_the_same_records_every_time():
    seed_records(per_system=3)
    first = sorted(Record.objects.values_list("system__code", "external_id", "title", "body"))
    Record.objects.all().delete()
    IngestRun.objects.all().delete()
    seed_records(per_system=3)
    assert sorted(Record.objects.values_list("system__code", "external_id", "title", "body")) == first


def test_seed_demo_loads_them_once(monkeypatch):
    monkeypatch.setattr("demo.pages.seed_pages", lambda: None)  # covered by the portal's tests
    monkeypatch.setattr("demo.board.seed", lambda: {"issues": 0, "new": 0})  # and the board's
    out = StringIO()
    call_command("seed_demo", "--records-per-system", "2", stdout=out)
    assert Record.objects.count() == 2 * len(SYSTEMS)
    assert f"{2 * len(SYSTEMS)} linked-system records loaded" in out.getvalue()
    # Owners are linked once the demo city's agencies exist.
    assert not SourceSystem.objects.filter(owner__isnull=True).exists()
    # The seeded warning models are switched on, and ran once the records were in.
    models = WarningModel.objects.all()
    assert models.count() >= 12 and all(model.is_active for model in models)
    full_runs = DetectionRun.objects.filter(mode=RunMode.FULL, state=RunState.DONE)
    assert set(full_runs.values_list("version__model", flat=True)) == {model.pk for model in models}
    out = StringIO()
    call_command("seed_demo", "--records-per-system", "2", stdout=out)
    assert Record.objects.count() == 2 * len(SYSTEMS)
    assert "none loaded now" in out.getvalue()


class Stop(Exception):
    """Stands for Ctrl-C in the middle of the loading."""


def stop_in(code: str, after_rows: int):
    def report(system_code: str, done: int) -> None:
        if system_code == code and done >= after_rows:
            raise Stop
    return report


def test_progress_counts_the_committed_rows_until_all_are_loaded(monkeypatch):
    monkeypatch.setattr("demo.records.BATCH_SIZE", 2)
    assert loading_progress(per_system=5) == Progress(0, 5 * len(SYSTEMS))
    with pytest.raises(Stop):
        seed_records(per_system=5, report=stop_in(SYSTEMS[2].code, 2))
    # Two systems done, and the third stopped after its first committed batch of two rows.
    assert loading_progress(per_system=5) == Progress(2 * 5 + 2, 5 * len(SYSTEMS))
    assert loading_progress(per_system=5).percent == (12 * 100) // (5 * len(SYSTEMS))
    seed_records(per_system=5)
    assert loading_progress(per_system=5) is None


def test_a_stopped_loading_resumes_where_it_stopped(monkeypatch):
    monkeypatch.setattr("demo.records.BATCH_SIZE", 2)
    third = SYSTEMS[2].code
    with pytest.raises(Stop):
        seed_records(per_system=5, report=stop_in(third, 4))
    assert Record.objects.filter(system__code=third).count() == 4
    assert not Record.objects.filter(system__code=SYSTEMS[3].code).exists()

    loaded = seed_records(per_system=5)
    assert loaded == 5 * len(SYSTEMS) - (2 * 5 + 4)
    assert Record.objects.count() == 5 * len(SYSTEMS)
    # One run a system, the stopped one resumed rather than started over: nothing loaded twice.
    runs = IngestRun.objects.all()
    assert runs.count() == len(SYSTEMS)
    assert {run.state for run in runs} == {IngestState.DONE}
    assert sum(run.rows_loaded for run in runs) == 5 * len(SYSTEMS)
    assert runs.get(system__code=third).rows_updated == 0
    assert seed_records(per_system=5) == 0


def test_a_stop_between_two_systems_resumes_with_the_next():
    with pytest.raises(Stop):
        seed_records(per_system=3, report=stop_in(SYSTEMS[4].code, 0))  # before its first row
    assert seed_records(per_system=3) == 3 * (len(SYSTEMS) - 4)
    assert IngestRun.objects.filter(state=IngestState.DONE).count() == len(SYSTEMS)


def test_none_are_loaded_into_a_database_of_other_records(tmp_path):
    seed_records(per_system=0)  # the systems only
    export = tmp_path / "hotline.jsonl"
    row = {"工单编号": "H-1", "诉求标题": "路灯不亮", "诉求内容": "城南路", "来电时间": "2024-03-05"}
    export.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    system = SourceSystem.objects.get(code="hotline-12345")
    ingest_file(system, export)
    assert Record.objects.count() == 1
    assert loading_progress(per_system=5) is None
    assert seed_records(per_system=5) == 0
    assert Record.objects.count() == 1


def test_load_demo_records_says_what_it_does_and_then_nothing(settings):
    settings.DEMO_RECORDS_PER_SYSTEM = 2
    out = StringIO()
    call_command("load_demo_records", stdout=out)
    assert Record.objects.count() == 2 * len(SYSTEMS)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert f"Loading the demo's {2 * len(SYSTEMS)} linked-system records" in lines[0]
    assert f"Demo records loaded: {2 * len(SYSTEMS)} linked-system records" in lines[1]
    out = StringIO()
    call_command("load_demo_records", stdout=out)
    assert out.getvalue() == ""


def test_load_demo_records_runs_the_warning_models_that_never_ran(settings):
    settings.DEMO_RECORDS_PER_SYSTEM = 2
    call_command("load_demo_records", stdout=StringIO())  # no agencies yet: no models
    commission(RegionFactory(code="jz"), code="jz-jw")
    seed_models()  # the commission's models, on a demo whose records are in
    models = set(WarningModel.objects.values_list("pk", flat=True))
    assert models
    call_command("load_demo_records", stdout=StringIO())
    full_runs = DetectionRun.objects.filter(mode=RunMode.FULL, state=RunState.DONE)
    assert set(full_runs.values_list("version__model", flat=True)) == models
    call_command("load_demo_records", stdout=StringIO())
    assert full_runs.count() == len(models)  # once


def test_seed_demo_can_leave_them_for_later(monkeypatch, settings):
    settings.DEMO_RECORDS_PER_SYSTEM = 2
    monkeypatch.setattr("demo.pages.seed_pages", lambda: None)
    monkeypatch.setattr("demo.board.seed", lambda: {"issues": 0, "new": 0})
    out = StringIO()
    call_command("seed_demo", "--records-later", stdout=out)
    assert not Record.objects.exists()
    assert SourceSystem.objects.count() == len(SYSTEMS)
    assert f"{2 * len(SYSTEMS)} linked-system records to load beside the running portal" in out.getvalue()
    assert loading_progress() == Progress(0, 2 * len(SYSTEMS))


def test_a_demo_loaded_before_there_were_keys_gets_them_at_the_next_start(settings):
    settings.DEMO_RECORDS_PER_SYSTEM = 2
    seed_records()
    keys = sorted(RecordKey.objects.values_list("record", "role", "kind", "value"))
    RecordKey.objects.all().delete()

    out = StringIO()
    call_command("load_demo_records", stdout=out)

    assert sorted(RecordKey.objects.values_list("record", "role", "kind", "value")) == keys
    assert out.getvalue().startswith(f"Record keys given to {2 * len(SYSTEMS)} demo records loaded before")
    assert key_records_loaded_without_keys() == 0


def test_real_records_without_keys_are_left_to_the_command(tmp_path):
    seed_records(per_system=0)
    export = tmp_path / "hotline.jsonl"
    row = {"工单编号": "H-1", "诉求标题": "路灯", "诉求内容": "城南路", "来电时间": "2024-03-05",
           "来电号码": "13800000000"}
    export.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    ingest_file(SourceSystem.objects.get(code="hotline-12345"), export)
    RecordKey.objects.all().delete()

    assert key_records_loaded_without_keys() == 0
    assert not RecordKey.objects.exists()

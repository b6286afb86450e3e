"""seed_demo's records: generated exports of every linked system, loaded through ingestion and
indexed, once; a second run loads nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from search import backend
from search.demo import seed_records
from search.models import IngestRun, Record, SourceSystem, SystemGrant
from search.query import parse
from search.registry import SYSTEMS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]


def test_it_loads_every_system_through_ingestion_and_the_index():
    loaded = seed_records(per_system=6)
    assert loaded == Record.objects.count() == 6 * len(SYSTEMS)
    assert SourceSystem.objects.count() == len(SYSTEMS)
    assert SystemGrant.objects.exists()
    assert IngestRun.objects.filter(rows_loaded=6).count() == len(SYSTEMS)  # one run a system
    backend.refresh()
    page = backend.search(parse("系统:hotline-12345"), size=1)
    backend.close(page.pit)
    assert page.total == 6
    record = Record.objects.filter(system__code="market-entities").order_by("pk").first()
    found = backend.search(parse(f'"{record.title[:4]}"'), size=100)
    backend.close(found.pit)
    assert record.pk in {hit.record_id for hit in found.hits}


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
    monkeypatch.setattr("portal.demo.seed_pages", lambda: None)  # covered by the portal's tests
    monkeypatch.setattr("issues.demo.seed", lambda: {"issues": 0, "new": 0})  # and the board's
    out = StringIO()
    call_command("seed_demo", "--records-per-system", "2", stdout=out)
    assert Record.objects.count() == 2 * len(SYSTEMS)
    assert f"{2 * len(SYSTEMS)} linked-system records loaded" in out.getvalue()
    # Owners are linked once the demo city's agencies exist.
    assert not SourceSystem.objects.filter(owner__isnull=True).exists()
    out = StringIO()
    call_command("seed_demo", "--records-per-system", "2", stdout=out)
    assert Record.objects.count() == 2 * len(SYSTEMS)
    assert "none loaded now" in out.getvalue()

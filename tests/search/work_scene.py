"""The scene of the investigator's background work tests (exports, batch and saved searches).

alice investigates for our agency: she reads the hotline (identifiers masked, may export), the
welfare register (sensitive: a stated purpose is needed; identifiers shown; may not export) and
the tender system (identifiers shown, may export). bob, of another agency, reads only the
hotline. Nobody is granted the closed system. Records are written to the database and to the
search index through ``search.index`` as ingestion does. Tests that run on both backends use
the contract suite's ``engine`` fixture.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from portal.celery import app as celery_app
from search import index
from search.models import Record, Sensitivity, SourceSystem, SystemGrant


@dataclass
class Scene:
    hotline: SourceSystem
    welfare: SourceSystem
    tender: SourceSystem
    closed: SourceSystem


@pytest.fixture
def fresh_index(settings):
    """On Elasticsearch (the services run), an index of this test's own, deleted afterwards: the
    database is rolled back after each test, the index is not."""
    if settings.SEARCH_BACKEND != "elasticsearch":
        yield
        return
    from search.index import _elastic
    from search.index.connection import elasticsearch_client

    settings.SEARCH_INDEX_PREFIX = f"test-work-{uuid.uuid4().hex[:10]}"
    _elastic.ensure_index()  # as a deployed portal has it, from its first ingest or search_reindex
    yield
    client = elasticsearch_client()
    for name in client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-records-*"):
        client.indices.delete(index=name)


def make_scene(our_agency, other_agency) -> Scene:
    hotline = SourceSystem.objects.create(code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL)
    welfare = SourceSystem.objects.create(code="welfare", name="低保救助", sensitivity=Sensitivity.SENSITIVE)
    tender = SourceSystem.objects.create(code="tender", name="公共资源交易", sensitivity=Sensitivity.PUBLIC)
    closed = SourceSystem.objects.create(code="closed", name="封闭系统", sensitivity=Sensitivity.SECRET)
    SystemGrant.objects.create(system=hotline, agency=our_agency, may_see_identifiers=False, may_export=True)
    SystemGrant.objects.create(system=welfare, agency=our_agency, may_see_identifiers=True, may_export=False)
    SystemGrant.objects.create(system=tender, agency=our_agency, may_see_identifiers=True, may_export=True)
    SystemGrant.objects.create(system=hotline, agency=other_agency)
    return Scene(hotline, welfare, tender, closed)


WHEN = timezone.make_aware(dt.datetime(2025, 3, 14, 9, 30))


def _record(system: SourceSystem, row: dict) -> Record:
    title, occurred_at = row.pop("title", "记录"), row.pop("occurred_at", WHEN)
    return Record(system=system, title=title, occurred_at=occurred_at, **row)


def add_records(system: SourceSystem, rows: list[dict]) -> list[Record]:
    """Store ``rows`` (fields of Record, external_id required) and index them, searchable now."""
    made = Record.objects.bulk_create([_record(system, dict(row)) for row in rows], batch_size=2_000)
    stored = list(
        Record.objects.select_related("system", "region").filter(
            system=system, external_id__in=[record.external_id for record in made]
        )
    )
    index.index(stored)
    index.refresh()
    return stored


def upsert_records(system: SourceSystem, rows: list[dict]) -> list[Record]:
    """Insert or change records by external id, as ingestion does (``ingested_at`` moves)."""
    stored = []
    for row in rows:
        row = dict(row)
        record, _created = Record.objects.update_or_create(
            system=system, external_id=row.pop("external_id"),
            defaults={"title": row.pop("title", "记录"), "occurred_at": row.pop("occurred_at", WHEN), **row},
        )
        stored.append(record)
    loaded = list(Record.objects.select_related("system", "region").filter(pk__in=[r.pk for r in stored]))
    index.index(loaded)
    index.refresh()
    return loaded


@pytest.fixture
def eager(monkeypatch):
    """Tasks enqueued with ``delay`` run at once in the test's process (Celery's own setting)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)

"""An export's links to records open on the host and port the portal was reached at."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.celery import app as celery_app
from search.models import ExportJob, JobState
from tests.search.work_scene import add_records, fresh_index, make_scene  # noqa: F401 - fresh_index: a fixture
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(request, our_agency, other_agency):
    request.getfixturevalue("fresh_index")
    return make_scene(our_agency, other_agency)


def test_links_follow_the_address_of_the_request(engine, client, scene, alice, monkeypatch,
                                                 django_capture_on_commit_callbacks, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # the fixed default, not to be used
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the task runs in this process
    [record] = add_records(scene.tender, [{"external_id": "T1", "title": "路灯 工程"}])
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("search:export_new") + "?q=%E8%B7%AF%E7%81%AF", {"format": "csv"},
                               HTTP_HOST="testserver:8765")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE, job.error
    with job.file.open("rb") as stream:
        [row] = read_csv(stream.read()).rows
    assert row[-1] == f"http://testserver:8765/records/{record.pk}/"


def test_without_a_request_the_configured_address(engine, scene, alice, our_agency, settings):
    from search.index.types import Filters
    from search.investigate import actions, permissions, tasks

    settings.WAGTAILADMIN_BASE_URL = "http://portal.example:9000"
    [record] = add_records(scene.tender, [{"external_id": "T1", "title": "路灯 工程"}])
    reader = permissions.Reader.of(alice.memberships.get(agency=our_agency))
    job = actions.start_export(reader=reader, query="路灯", filters=Filters(), sort="date", fmt="csv")
    tasks.export_records.apply(args=[job.pk])
    job.refresh_from_db()
    with job.file.open("rb") as stream:
        [row] = read_csv(stream.read()).rows
    assert row[-1] == f"http://portal.example:9000/records/{record.pk}/"

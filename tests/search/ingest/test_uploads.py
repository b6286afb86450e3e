"""The upload page: a system's export loaded from the browser, its progress, its rejected rows, resuming."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Role
from portal.celery import app as celery_app
from search import index
from search.index.query import parse
from search.ingest.files import ingest_file
from search.ingest.storage import stored_file
from search.ingest.tasks import ingest_upload
from search.models import IngestRun, IngestState, Record, RejectedRow, SourceSystem
from tests.factories import commission, member
from tests.spreadsheets import read_csv

URL = reverse("search:uploads")
MAPPING = {
    "external_id": "编号",
    "title": ["事项"],
    "occurred_at": "日期",
    "amount": "金额",
    "required": ["事项"],
}
COLUMNS = ["编号", "事项", "日期", "金额"]


def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


GOOD = [[f"ZB-{n}", f"城南路灯改造{n}", f"2024-03-0{n}", f"{n}000.50"] for n in range(1, 6)]
BAD = ["ZB-9", "坏日期", "2024-13-45", "1"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path, own_search_index):
    """Uploads kept in the test's own folder; what they load indexed in the test's own index."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager(monkeypatch):
    """The worker's tasks run in the test's process (Celery's own setting, not a stand-in)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def tenders(our_agency):
    return SourceSystem.objects.create(code="tenders", name="招投标", owner=our_agency, field_mapping=MAPPING)


@pytest.fixture
def hotline(db):
    return SourceSystem.objects.create(code="hotline", name="12345热线", field_mapping=MAPPING)


@pytest.fixture
def city_commission(city):
    return commission(city, code="test-jw", name="测试市纪委监委")


@pytest.fixture
def admin(city_commission):
    """An administrator of the discipline commission: uploads to every system."""
    return member(city_commission, role=Role.ADMINISTRATOR, username="adam")


def upload(client, system, content: bytes, name="tenders.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(URL, {"system": system.pk, "file": file})


# --- who may upload ----------------------------------------------------------------------------


def test_members_of_the_owner_see_only_their_systems(client, alice, tenders, hotline):
    response = signed_in(client, alice).get(URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["system"].queryset) == [tenders]


def test_commission_administrators_upload_to_every_system(client, admin, tenders, hotline):
    response = signed_in(client, admin).get(URL)
    assert set(response.context["form"].fields["system"].queryset) == {tenders, hotline}


def test_others_get_404(client, bob, charlie, city_commission, tenders, hotline):
    staff = member(city_commission, username="carol")  # the commission, but not an administrator
    for user in (bob, charlie, staff):
        assert signed_in(client, user).get(URL).status_code == 404


def test_a_system_not_offered_cannot_be_posted(client, alice, tenders, hotline):
    response = upload(signed_in(client, alice), hotline, csv_bytes(GOOD))
    assert response.status_code == 400
    assert not IngestRun.objects.exists()


# --- loading -------------------------------------------------------------------------------------


def test_it_loads_the_file_and_lists_the_rejected_rows(
    client, alice, tenders, eager, django_capture_on_commit_callbacks
):
    signed_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, tenders, csv_bytes([*GOOD[:3], BAD]))
    run = IngestRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("search:upload", args=[run.pk])
    assert (run.state, run.uploaded_by, run.file_name) == (IngestState.DONE, alice, "tenders.csv")
    assert (run.rows_done, run.rows_loaded, run.rows_rejected) == (4, 3, 1)
    assert set(Record.objects.values_list("external_id", flat=True)) == {"ZB-1", "ZB-2", "ZB-3"}
    index.refresh()
    found = index.search(parse("城南路灯改造2"), facets=False)
    assert [hit.external_id for hit in found.hits] == ["ZB-2"]  # searchable once loaded
    assert stored_file(run) == settings.MEDIA_ROOT / "uploads" / "tenders" / run.file_sha256 / "tenders.csv"

    page = client.get(response["Location"])
    html = page.content.decode()
    rejected = RejectedRow.objects.get()
    assert rejected.line == 5
    assert 'class="rejected-row"><td>5</td>' in html and rejected.reason in html and "ZB-9,坏日期" in html
    assert f'data-job-url="{reverse("search:upload_status", args=[run.pk])}"' in html

    status = client.get(reverse("search:upload_status", args=[run.pk])).json()
    assert status == {"state": "done", "done": 4, "total": 4, "percent": 100, "label": "4 of 4 rows"}

    download = client.get(reverse("search:upload_rejected", args=[run.pk]))
    table = read_csv(b"".join(download.streaming_content))
    assert table.rows == [["5", rejected.reason, "ZB-9,坏日期,2024-13-45,1"]]
    assert table.title == f"Rejected rows of {run.file_name}"
    assert table.about["Filters"] == "Linked system: " + run.system.name
    assert table.about["Exported by"].startswith(alice.get_full_name())


def test_rejected_rows_are_escaped_and_paged(
    client, alice, tenders, eager, django_capture_on_commit_callbacks
):
    bad = [[f"X-{n}", "<script>alert(1)</script>", "no date", "1"] for n in range(60)]
    signed_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, tenders, csv_bytes(bad))
    run = IngestRun.objects.get()
    html = client.get(reverse("search:upload", args=[run.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert html.count('class="rejected-row"') == 50
    second = client.get(reverse("search:upload", args=[run.pk]), {"page": 2}).content.decode()
    assert second.count('class="rejected-row"') == 10


def test_a_jsonl_text_file_is_told_by_its_content(
    client, alice, tenders, eager, django_capture_on_commit_callbacks
):
    lines = "".join(
        json.dumps({"编号": f"J-{n}", "事项": "路灯", "日期": "2024-03-05"}, ensure_ascii=False) + "\n"
        for n in range(3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(client, alice), tenders, lines.encode(), name="export.txt")
    run = IngestRun.objects.get()
    assert stored_file(run).suffix == ".jsonl"
    assert (run.state, run.rows_loaded) == (IngestState.DONE, 3)


def test_a_file_loaded_before_is_refused(client, alice, tenders, eager, django_capture_on_commit_callbacks):
    signed_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, tenders, csv_bytes(GOOD))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = upload(client, tenders, csv_bytes(GOOD))
    run = IngestRun.objects.get()
    assert again["Location"] == reverse("search:upload", args=[run.pk]) and not queued
    assert "was loaded into 招投标" in client.get(again["Location"]).content.decode()


def test_the_same_file_sent_while_it_loads_is_the_same_run(
    client, alice, tenders, django_capture_on_commit_callbacks
):
    signed_in(client, alice)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = upload(client, tenders, csv_bytes(GOOD))
        second = upload(client, tenders, csv_bytes(GOOD))
    assert first["Location"] == second["Location"] and len(queued) == 1
    assert IngestRun.objects.count() == 1


def test_a_file_the_mapping_does_not_fit_stops_with_the_reason(
    client, alice, tenders, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(client, alice), tenders, b"a,b\n1,2\n")
    run = IngestRun.objects.get()
    assert run.state == IngestState.FAILED
    assert "tenders.csv" in run.error and "事项" in run.error  # the worker speaks the site's language
    assert run.error in client.get(reverse("search:upload", args=[run.pk])).content.decode()


# --- refused files ----------------------------------------------------------------------------


def refused(client, user, system, content, name):
    response = upload(signed_in(client, user), system, content, name=name)
    assert response.status_code == 400
    assert not IngestRun.objects.exists()
    assert not (settings.MEDIA_ROOT / "uploads").exists()  # checked before it is kept
    return " ".join(response.context["form"].errors["file"])


def test_an_oversized_file_is_refused(client, alice, tenders, settings):
    settings.SEARCH_UPLOAD_MAX_BYTES = 100
    assert "the limit is 100\xa0bytes" in refused(client, alice, tenders, csv_bytes(GOOD), "big.csv")


def test_a_request_far_over_the_limit_is_refused_unread(client, alice, tenders, settings):
    settings.SEARCH_UPLOAD_MAX_BYTES = 100
    content = csv_bytes(GOOD * 40_000)  # beyond the limit and the form's room
    response = upload(signed_in(client, alice), tenders, content, name="huge.csv")
    assert response.status_code == 302 and response["Location"] == URL
    assert "larger than the limit" in client.get(URL).content.decode()
    assert not IngestRun.objects.exists()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"PK\x03\x04" + b"\x00" * 100, "export.xlsx", "upload a .csv, .jsonl or .txt file"),
    (b"PK\x03\x04" + b"\x00" * 100, "export.csv", "is an Excel workbook, not text"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "export.txt", "is an Excel workbook, not text"),
    (b"id,title\n\x00\x01\x02", "export.csv", "is not a text file"),
    (b"", "empty.csv", "The submitted file is empty."),
])
def test_a_file_of_the_wrong_kind_is_refused(client, alice, tenders, content, name, message):
    assert message in refused(client, alice, tenders, content, name)


# --- seeing runs ---------------------------------------------------------------------------------


def test_the_owner_sees_the_runs_and_others_get_404(
    client, alice, bob, admin, our_agency, tenders, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(client, admin), tenders, csv_bytes(GOOD))
    run = IngestRun.objects.get()
    colleague = member(our_agency, username="olive")
    for user, status in ((admin, 200), (colleague, 200), (alice, 200), (bob, 404)):
        signed_in(client, user)
        assert client.get(reverse("search:upload", args=[run.pk])).status_code == status
        assert client.get(reverse("search:upload_status", args=[run.pk])).status_code == status
        assert client.get(reverse("search:upload_rejected", args=[run.pk])).status_code == status


# --- a run that stopped halfway continues --------------------------------------------------------


class Interrupted(Exception):
    pass


def test_a_stopped_run_continues_without_duplicates(
    client, alice, tenders, eager, django_capture_on_commit_callbacks
):
    signed_in(client, alice)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not started
        upload(client, tenders, csv_bytes([*GOOD, BAD]))
    run = IngestRun.objects.get()
    assert run.state == IngestState.RUNNING and run.rows_total == 6

    def stop_after_two(done, total):
        if done >= 2:
            raise Interrupted  # the worker dies after committing the first batch

    with pytest.raises(Interrupted):
        ingest_file(tenders, stored_file(run), batch_size=2, progress=stop_after_two)
    run.refresh_from_db()
    assert (run.state, run.rows_done, run.rows_loaded) == (IngestState.FAILED, 2, 2)
    page = client.get(reverse("search:upload", args=[run.pk])).content.decode()
    assert 'id="upload-continue"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("search:upload_continue", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.state, run.rows_done, run.rows_loaded, run.rows_rejected) == (IngestState.DONE, 6, 5, 1)
    assert Record.objects.filter(system=tenders).count() == 5
    assert IngestRun.objects.count() == 1

    again = client.post(reverse("search:upload_continue", args=[run.pk]))  # nothing left to continue
    assert again.status_code == 302 and IngestRun.objects.get().rows_loaded == 5


def test_the_task_skips_what_is_gone_or_done(tenders, alice):
    assert ingest_upload(123456) is None
    run = IngestRun.objects.create(system=tenders, file_name="x.csv", file_sha256="0" * 64, uploaded_by=alice)
    assert ingest_upload(run.pk) == IngestState.FAILED  # its file is not kept
    run.refresh_from_db()
    assert "不再保留" in run.error  # the worker writes in the portal's language

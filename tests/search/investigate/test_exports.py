"""Exports of whole result sets: every row (past 10,000), masked per system, only exportable
systems, a stated purpose where needed, in the search log, and for their owner alone."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation

from search.index.types import Filters
from search.investigate import actions, exports, permissions, tasks
from search.models import AccessAction, AccessLog, ExportJob, JobState, SystemGrant
from search.views.exports import label
from tests.search.work_scene import add_records, fresh_index, make_scene  # noqa: F401 - fresh_index: a fixture
from tests.spreadsheets import Read, read

pytestmark = pytest.mark.django_db

ID_NUMBER = "330102198001011234"
PHONE = "13812345678"


@pytest.fixture
def scene(request, our_agency, other_agency):
    request.getfixturevalue("fresh_index")
    return make_scene(our_agency, other_agency)


def reader_of(user, agency):
    membership = user.memberships.get(agency=agency)
    return permissions.Reader.of(membership)


def export(reader, query, *, fmt="csv", filters=None, purpose="", sort="date") -> ExportJob:
    job = actions.start_export(reader=reader, query=query, filters=filters or Filters(), sort=sort, fmt=fmt,
                               purpose=purpose)
    tasks.export_records.apply(args=[job.pk])  # the task as a worker runs it, in this process
    job.refresh_from_db()
    return job


def exported(job) -> Read:
    with job.file.open("rb") as stream:
        return read(stream.read())


def csv_rows(job) -> list[list[str]]:
    """The header and the rows, under the file's heading."""
    table = exported(job)
    return [table.header, *table.rows]


def xlsx_rows(job) -> list[list]:
    table = exported(job)
    return [table.header, *table.rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_every_record_past_ten_thousand(engine, scene, alice, our_agency, fmt):
    wanted = 10_050
    add_records(scene.tender, [{"external_id": f"T{n:05d}", "title": f"路灯{n}"} for n in range(wanted)])
    add_records(scene.tender, [{"external_id": "OTHER", "title": "井盖"}])

    job = export(reader_of(alice, our_agency), "路灯", fmt=fmt)

    assert job.state == JobState.DONE, job.error
    assert job.rows_done == job.rows_total == wanted
    rows = csv_rows(job) if fmt == "csv" else xlsx_rows(job)
    assert len(rows) == wanted + 1  # and the header
    assert {row[1] for row in rows[1:]} == {f"T{n:05d}" for n in range(wanted)}
    assert len(rows[0]) == len(exports.header()) == 12
    heading = exported(job)
    assert heading.title == "关联系统数据"
    assert heading.about["筛选条件"] == "查询内容：路灯"
    assert heading.about["导出人"] == "艾丽（住房和城乡建设局）"


def test_identifiers_are_masked_unless_the_system_shows_them(engine, scene, alice, our_agency):
    body = f"来电人身份证 {ID_NUMBER}，电话 {PHONE}"
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯 投诉", "body": body,
                                 "id_numbers": [ID_NUMBER], "phones": [PHONE], "names": ["王芳"]}])
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯 工程", "body": body,
                                "id_numbers": [ID_NUMBER], "phones": [PHONE]}])

    rows = {row[1]: row for row in csv_rows(export(reader_of(alice, our_agency), "路灯"))[1:]}

    masked, shown = rows["H1"], rows["T1"]
    assert masked[0] == "12345热线" and masked[6] == "王芳"
    assert masked[8] == "330102********1234" and masked[9] == "138****5678"
    assert ID_NUMBER not in ",".join(masked) and PHONE not in ",".join(masked)
    assert shown[8] == ID_NUMBER and shown[9] == PHONE and ID_NUMBER in shown[10]
    assert shown[11].endswith(reverse("search:record", args=[shown_pk(scene.tender, "T1")]))


def shown_pk(system, external_id) -> int:
    return system.records.get(external_id=external_id).pk


def test_only_systems_readable_and_exportable_are_written(engine, scene, alice, our_agency):
    for system in (scene.hotline, scene.welfare, scene.tender, scene.closed):
        add_records(system, [{"external_id": f"{system.code}-1", "title": "路灯"}])

    job = export(reader_of(alice, our_agency), "路灯")

    assert sorted(row[1] for row in csv_rows(job)[1:]) == ["hotline-1", "tender-1"]
    entry = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert entry.user == alice and entry.systems == ["hotline", "tender"] and entry.hits == 2
    assert entry.query == "路灯"


def test_a_system_that_needs_a_purpose_needs_it_for_an_export_too(scene, alice, our_agency):
    SystemGrant.objects.filter(system=scene.welfare).update(may_export=True)
    reader = reader_of(alice, our_agency)

    with pytest.raises(actions.WorkError):
        actions.start_export(reader=reader, query="救助", filters=Filters(), sort="date", fmt="csv")
    # The sensitive system left out by the user's own filter: no purpose needed.
    job = actions.start_export(reader=reader, query="救助", filters=Filters(systems=("hotline",)),
                               sort="date", fmt="csv")
    assert job.filters == {"systems": ["hotline"]}
    job = actions.start_export(reader=reader, query="救助", filters=Filters(), sort="date", fmt="xlsx",
                               purpose="核查低保线索")
    assert job.purpose == "核查低保线索"
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2


def test_a_query_that_cannot_be_read_is_refused(scene, alice, our_agency):
    with pytest.raises(actions.WorkError):
        actions.start_export(reader=reader_of(alice, our_agency), query='"路灯', filters=Filters(),
                             sort="date", fmt="csv")
    assert not ExportJob.objects.exists()


def test_access_is_decided_again_when_the_export_runs(scene, alice, our_agency):
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯"}])
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯"}])
    job = actions.start_export(reader=reader_of(alice, our_agency), query="路灯", filters=Filters(),
                               sort="date", fmt="csv")
    SystemGrant.objects.filter(system=scene.tender).update(may_export=False)

    exports.run(job.pk)

    job.refresh_from_db()
    assert [row[1] for row in csv_rows(job)[1:]] == ["H1"]
    assert exports.run(job.pk) is None  # a finished export is not written twice


# --- the pages -------------------------------------------------------------------------------------


def search_url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def test_the_search_page_starts_an_export(client, scene, alice, our_agency,
                                          django_capture_on_commit_callbacks):
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯"}])
    client.force_login(alice)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(search_url("search:export_new", q="路灯", system="hotline", sort="date"),
                               {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("search:export", args=[job.pk])
    assert (job.owner, job.agency, job.query, job.format) == (alice, our_agency, "路灯", "xlsx")
    assert job.filters == {"systems": ["hotline"]} and job.sort == "date" and job.rows_total == 1
    assert len(queued) == 1  # the task goes to the worker once the job is committed
    page = client.get(reverse("search:export", args=[job.pk]))
    assert b'data-job-url="' + reverse("search:export_status", args=[job.pk]).encode() in page.content


def test_a_refused_export_goes_back_to_the_search_with_the_reason(client, scene, alice):
    client.force_login(alice)
    response = client.post(search_url("search:export_new", q="路灯", system="welfare"), {"format": "csv"},
                           follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("search:search"))
    assert not ExportJob.objects.exists()
    assert list(response.context["messages"])


def test_status_and_download_belong_to_the_owner(client, scene, alice, bob, our_agency):
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯"}])
    job = export(reader_of(alice, our_agency), "路灯")

    client.force_login(bob)
    for name in ("export", "export_status", "export_download"):
        assert client.get(reverse(f"search:{name}", args=[job.pk])).status_code == 404
    assert job.pk not in [row[0].pk for row in client.get(reverse("search:exports")).context["rows"]]

    client.force_login(alice)
    status = client.get(reverse("search:export_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["done"] == status["total"] == 1 and status["percent"] == 100
    response = client.get(reverse("search:export_download", args=[job.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition.lower()
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_an_unfinished_export_has_nothing_to_download(client, scene, alice, our_agency):
    job = actions.start_export(reader=reader_of(alice, our_agency), query="路灯", filters=Filters(),
                               sort="date", fmt="csv")
    client.force_login(alice)
    assert client.get(reverse("search:export_download", args=[job.pk])).status_code == 404
    status = client.get(reverse("search:export_status", args=[job.pk])).json()
    assert status["state"] == "queued" and status["done"] == 0


def test_an_outsider_cannot_start_one(client, scene, charlie):
    client.force_login(charlie)
    assert client.post(f"{reverse('search:export_new')}?q=x", {"format": "csv"}).status_code == 404
    assert client.get(reverse("search:export_new")).status_code == 405


def test_the_search_page_offers_export_and_save_for_its_result_set(client, scene, alice):
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯"}])
    client.force_login(alice)
    html = client.get(search_url("search:search", q="路灯", system="hotline")).content.decode()
    query = urlencode({"q": "路灯", "system": "hotline"}).replace("&", "&amp;")
    assert f'action="{reverse("search:export_new")}?{query}"' in html
    assert f'action="{reverse("search:saved_new")}?{query}"' in html
    assert 'id="export-xlsx"' in html and 'id="save-search-submit"' in html


def test_an_export_past_the_exact_count_still_writes_every_row(engine, scene, alice, our_agency, settings):
    settings.SEARCH_EXACT_COUNT = 5
    add_records(scene.tender, [{"external_id": f"T{n:02d}", "title": f"路灯{n}"} for n in range(12)])

    job = actions.start_export(reader=reader_of(alice, our_agency), query="路灯", filters=Filters(),
                               sort="relevance", fmt="csv")

    assert job.rows_total is None  # more than five: the rows are known once written, not guessed
    assert AccessLog.objects.get(action=AccessAction.EXPORT).hits is None
    ExportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, rows_done=3)
    job.refresh_from_db()
    with translation.override("zh-hans"):
        assert label(job) == "已写入 3 行…"
    ExportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, rows_done=0)
    tasks.export_records.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.rows_done == job.rows_total == 12
    assert sorted(row[1] for row in csv_rows(job)[1:]) == [f"T{n:02d}" for n in range(12)]

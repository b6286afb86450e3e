"""Batch search: a list (file or pasted, UTF-8 or GB18030) of names, codes or keywords against
every system its owner reads, a matrix of hits that drills down to the search page."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from search.index.query import parse
from search.investigate import actions, batch, permissions, tasks
from search.models import AccessAction, AccessLog, BatchCell, BatchKind, BatchSearch, JobState
from tests.search.work_scene import add_records, eager, fresh_index, make_scene  # noqa: F401 - fixtures
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.django_db

CODE_A = "91330100MA27XXXX0X"
CODE_B = "91330100MA28YYYY1Y"


@pytest.fixture
def scene(request, our_agency, other_agency):
    request.getfixturevalue("fresh_index")
    scene = make_scene(our_agency, other_agency)
    add_records(scene.hotline, [
        {"external_id": "H1", "title": "路灯投诉", "names": ["张伟"]},
        {"external_id": "H2", "title": "张伟反映井盖缺失"},
        {"external_id": "H3", "title": "井盖", "credit_codes": [CODE_A]},
    ])
    add_records(scene.tender, [
        {"external_id": "T1", "title": "照明工程", "names": ["张伟", "明亮照明"], "credit_codes": [CODE_A]},
        {"external_id": "T2", "title": "学校维修", "names": ["张伟民"], "credit_codes": [CODE_B]},
    ])
    add_records(scene.welfare, [{"external_id": "W1", "title": "低保", "names": ["张伟"]}])
    add_records(scene.closed, [{"external_id": "C1", "title": "路灯", "names": ["张伟"],
                                "credit_codes": [CODE_A]}])
    return scene


def reader_of(user, agency):
    return permissions.Reader.of(user.memberships.get(agency=agency))


def run(reader, kind, terms, purpose="") -> BatchSearch:
    started = actions.start_batch_search(reader=reader, name="名单", kind=kind, terms=terms, purpose=purpose)
    tasks.run_batch_search.apply(args=[started.pk])
    started.refresh_from_db()
    return started


def cells(found: BatchSearch) -> dict[tuple[str, str], int]:
    return {(cell.term, cell.system): cell.hits for cell in found.cells.all()}


def brute_force(query: str, systems) -> dict[str, int]:
    """What the search itself finds per system, to hold the matrix to."""
    from search import index
    from search.index.types import Filters

    counted: dict[str, int] = {}
    for hit in index.scan(parse(query), Filters(within_systems=tuple(systems))):
        counted[hit.system] = counted.get(hit.system, 0) + 1
    return counted


def test_names_codes_and_keywords_are_counted_per_readable_system(engine, scene, alice, our_agency):
    reader = reader_of(alice, our_agency)

    names = run(reader, BatchKind.NAMES, ["张伟", "李娜"], purpose="核查线索名单")
    assert names.state == JobState.DONE and names.terms_done == 2
    assert names.systems == ["hotline", "tender", "welfare"]  # never the closed system
    assert cells(names) == {
        (term, system): hits
        for term in ["张伟", "李娜"]
        for system, hits in brute_force(batch.query_text(BatchKind.NAMES, term), names.systems).items()
    }
    assert cells(names)[("张伟", "hotline")] == 1  # in the names only: not H2's title

    codes = run(reader, BatchKind.CREDIT_CODES, [CODE_A, CODE_B, CODE_A[:-1]], purpose="核查线索名单")
    assert cells(codes) == {(CODE_A, "hotline"): 1, (CODE_A, "tender"): 1, (CODE_B, "tender"): 1}

    keywords = run(reader, BatchKind.KEYWORDS, ["井盖", "路灯", "不存在"], purpose="核查线索名单")
    assert cells(keywords) == {("井盖", "hotline"): 2, ("路灯", "hotline"): 1}


def test_a_sensitive_system_needs_a_stated_purpose(scene, alice, bob, our_agency, other_agency):
    with pytest.raises(actions.WorkError):
        actions.start_batch_search(reader=reader_of(alice, our_agency), name="", kind=BatchKind.NAMES,
                                   terms=["张伟"])
    # bob reads only the hotline, which needs none.
    bobs = run(reader_of(bob, other_agency), BatchKind.NAMES, ["张伟"])
    assert bobs.systems == ["hotline"] and cells(bobs) == {("张伟", "hotline"): 1}


def test_the_batch_is_on_the_search_log(scene, alice, our_agency):
    found = run(reader_of(alice, our_agency), BatchKind.NAMES, ["张伟", "王芳"], purpose="核查线索名单")
    entry = AccessLog.objects.get(action=AccessAction.BATCH)
    assert entry.user == alice and entry.purpose == "核查线索名单"
    assert entry.systems == found.systems and entry.query == "张伟\n王芳"


def test_it_runs_in_chunks_and_resumes_after_the_terms_done(scene, alice, our_agency, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 2)
    terms = ["张伟", "李娜", "王芳", "井盖", "路灯"]
    started = actions.start_batch_search(reader=reader_of(alice, our_agency), name="",
                                         kind=BatchKind.KEYWORDS, terms=terms, purpose="核查线索名单")
    BatchSearch.objects.filter(pk=started.pk).update(state=JobState.RUNNING, terms_done=2)  # a worker died

    batch.run(started.pk)

    started.refresh_from_db()
    assert started.state == JobState.DONE and started.terms_done == 5
    assert {cell.term for cell in BatchCell.objects.filter(batch=started)} == {"井盖", "路灯"}  # from 2 on
    assert batch.run(started.pk) is None  # a finished batch is not run again


# --- reading lists ---------------------------------------------------------------------------------


def test_lists_are_read_in_utf8_or_gb18030():
    text = "张伟\n李娜\n张伟\n\n  王  芳 \n"
    assert batch.decode(text.encode("gb18030")) == text
    assert batch.decode(("\ufeff" + text).encode("utf-8")) == text
    assert batch.read_terms(text, BatchKind.NAMES) == ["张伟", "李娜", "王 芳"]
    assert batch.read_terms('名称,备注\n"张伟",x\n', BatchKind.NAMES) == ["名称", "张伟"]
    assert batch.read_terms('"路灯"（维修）\n', BatchKind.KEYWORDS) == ["路灯维修"]  # no syntax survives


def test_lists_that_cannot_be_used_are_explained():
    for text in ["", "\n \n", "\n".join(str(n) for n in range(batch.MAX_TERMS + 1)), "长" * 101]:
        with pytest.raises(batch.TermListError):
            batch.read_terms(text, BatchKind.KEYWORDS)
    with pytest.raises(batch.TermListError):
        batch.decode(b"\xff\xfe\x00\xd8")


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("eager")
def test_uploading_a_list_starts_a_batch_search(client, scene, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    upload = SimpleUploadedFile("名单.csv", "张伟\n李娜\n".encode("gb18030"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("search:batch_new"), {
            "name": "第一批", "kind": BatchKind.NAMES, "file": upload, "purpose": "核查线索名单",
        })
    found = BatchSearch.objects.get()
    assert response.status_code == 302 and response.url == reverse("search:batch", args=[found.pk])
    assert found.terms == ["张伟", "李娜"] and found.state == JobState.DONE  # the eager task ran on commit

    page = client.get(response.url)
    rows = page.context["rows"]
    # A name is matched whole: H1, T1 and W1 name 张伟; T2's 张伟民 is someone else.
    assert [row.term for row in rows] == ["张伟", "李娜"] and rows[0].total == 3
    link = dict(zip([code for code, _name in page.context["columns"]], rows[0].links, strict=True))["tender"]
    params = parse_qs(link)
    assert params["q"] == ['名称:"张伟"'] and params["system"] == ["tender"]
    assert params["purpose"] == ["核查线索名单"]
    assert rows[1].links == [None, None, None]  # zero cells are blank, not links

    csv = client.get(reverse("search:batch_csv", args=[found.pk]))
    table = read_csv(b"".join(csv.streaming_content))
    assert table.rows[0][0] == "张伟" and table.header[0] == "查询项"
    assert "查询事由：核查线索名单" in table.about["筛选条件"]
    assert found.name in table.title


def test_a_bad_list_is_explained_on_the_form(client, scene, alice):
    client.force_login(alice)
    response = client.post(reverse("search:batch_new"), {"kind": BatchKind.NAMES, "text": " \n"})
    assert response.status_code == 400 and response.context["form"].errors
    response = client.post(reverse("search:batch_new"), {"kind": BatchKind.NAMES, "text": "张伟"})
    assert response.status_code == 400 and "__all__" in response.context["form"].errors  # no purpose
    assert not BatchSearch.objects.exists()


def test_a_batch_belongs_to_its_owner(client, scene, alice, bob, charlie, our_agency):
    found = run(reader_of(alice, our_agency), BatchKind.NAMES, ["张伟"], purpose="核查线索名单")
    client.force_login(bob)
    for name in ("batch", "batch_status", "batch_csv"):
        assert client.get(reverse(f"search:{name}", args=[found.pk])).status_code == 404
    assert not client.get(reverse("search:batch_list")).context["rows"]
    client.force_login(charlie)
    assert client.get(reverse("search:batch_new")).status_code == 404
    client.force_login(alice)
    status = client.get(reverse("search:batch_status", args=[found.pk])).json()
    assert status == {"state": "done", "done": 1, "total": 1, "percent": 100, "label": status["label"]}


def test_a_waiting_batch_shows_its_progress_bar(client, scene, alice, our_agency):
    started = actions.start_batch_search(reader=reader_of(alice, our_agency), name="名单",
                                         kind=BatchKind.NAMES, terms=["张伟", "李娜"], purpose="核查线索名单")
    client.force_login(alice)
    html = client.get(reverse("search:batch", args=[started.pk])).content.decode()
    assert f'data-job-url="{reverse("search:batch_status", args=[started.pk])}"' in html
    assert 'data-job-state="queued"' in html and "search/jobs" in html
    assert client.get(reverse("search:batch_csv", args=[started.pk])).status_code == 404  # not done yet
    assert [batch.pk for batch, _percent in client.get(reverse("search:batch_list")).context["rows"]] == [
        started.pk
    ]
    assert client.get(reverse("search:batch_new")).status_code == 200

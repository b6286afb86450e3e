"""Screening lists in the portal: the agency's lists (others 404), a new list, entries uploaded
from .csv and .xlsx (bad rows quarantined with their reason and downloadable, good ones added in
one transaction), whole files refused with a message, never a 500, values masked as the reader's
grants require, every change on the search log; and the upload parser fuzzed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from search.detection import actions, screening
from search.detection.models import Scenario, ScreeningEntry, ScreeningList
from search.masking import mask_identifier
from search.models import AccessAction, AccessLog

from .linked import company, person
from .test_triage_pages import signed_in

GOOD, OTHER = person(1), person(2)
BAD_CHECKSUM = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")


def csv_upload(text: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def debtors(watcher):
    return actions.create_screening_list(acting_user=None, agency=watcher, code="debtors", name="失信名单",
                                         source="法院")


def upload(client, screening_list, file, kind=""):
    return client.post(reverse("search:screening_list", args=[screening_list.pk]),
                       {"file": file, "kind": kind}, follow=True)


# --- the parser -----------------------------------------------------------------------------------------
def test_bad_rows_are_quarantined_with_their_reason():
    parsed = screening.read_bytes("list.csv", (
        "kind,value,name,note\n"
        f"id_number,{GOOD},张三,法院\n"
        f"id_number,{BAD_CHECKSUM},李四,\n"
        "phone,,王五,\n"
        "ship,123,,\n"
        f"id_number,{GOOD.lower()},重复,\n"
        ",,,\n"
        f"credit_code,{company(1)},,\n"
    ).encode())
    assert [(e.line, e.kind, e.value, e.note) for e in parsed.entries] == [
        (2, "id_number", GOOD, "张三 · 法院"), (8, "credit_code", company(1), "")]
    reasons = {row.line: row.reason for row in parsed.quarantined}
    assert set(reasons) == {3, 4, 5, 6}
    assert "check digit" in reasons[3]
    assert reasons[4] == "The value is empty."
    assert "no kind of key" in reasons[5]
    assert reasons[6] == "The same key as line 2."


def test_one_kind_for_the_whole_file_and_chinese_headings():
    parsed = screening.read_bytes("list.csv", f"号码,姓名\n{GOOD}\n{OTHER}\n".encode("gb18030"),
                                  kind="id_number")
    assert [e.value for e in parsed.entries] == [GOOD, OTHER]
    with pytest.raises(screening.ScreeningFileError, match="no “kind” column"):
        screening.read_bytes("list.csv", f"value\n{GOOD}\n".encode())


def test_an_xlsx_list_is_read_numbers_and_all():
    content = xlsx_bytes([["kind", "value"], ["phone", 13800138000], ["id_number", GOOD]])
    parsed = screening.read_bytes("list.xlsx", content)
    assert [(e.kind, e.value) for e in parsed.entries] == [("phone", "13800138000"), ("id_number", GOOD)]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("list.pdf", b"%PDF-1.4", "upload a .csv or .xlsx"),
    ("list.csv", b"", "is empty"),
    ("list.csv", b"\n\n", "is empty"),
    ("list.csv", b"kind,value\x00\x01", "not a spreadsheet"),
    ("list.csv", b"\xff\xfe\xfa\xfb" * 3, "not a spreadsheet"),
    ("list.csv", b"kind,name\nphone,x\n", "no “value” column"),
    ("list.xlsx", b"PK\x03\x04 not really a zip", "not a workbook"),
    ("list.csv", ("kind,value," + ",".join(["x"] * 10_000) + "\n").encode(), "10002 columns"),
])
def test_whole_files_refused_with_a_message(name, content, message):
    with pytest.raises(screening.ScreeningFileError, match=message):
        screening.read_bytes(name, content)


def test_a_sheet_too_wide_is_refused():
    content = xlsx_bytes([["kind", "value"], ["phone", "13800138000"] + [None] * 9_997 + ["x"]])
    with pytest.raises(screening.ScreeningFileError, match="10000 columns"):
        screening.read_bytes("list.xlsx", content)


def test_a_file_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(screening, "MAX_BYTES", 1 << 20)
    with pytest.raises(screening.ScreeningFileError, match="too large"):
        screening.read_upload(csv_upload("kind,value\n" + "phone,13800138000\n" * 60_000))


cells = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True),
                  st.sampled_from(["id_number", "phone", "身份证号", GOOD, BAD_CHECKSUM, "13800138000", ""]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heading=st.lists(st.sampled_from(["kind", "value", "name", "note", "种类", "值", "x", ""]),
                        min_size=1, max_size=5),
       rows=st.lists(st.lists(cells, max_size=6), max_size=20),
       kind=st.sampled_from(["", "id_number", "phone"]))
def test_fuzzed_rows_are_entries_quarantined_or_a_file_error(heading, rows, kind):
    try:
        parsed = screening.parse_rows([heading, *rows], kind=kind, name="fuzz.csv")
    except screening.ScreeningFileError as error:
        assert str(error)
        return
    lines = [e.line for e in parsed.entries] + [q.line for q in parsed.quarantined]
    assert len(lines) == len(set(lines))  # a row is an entry or quarantined, never both
    keys = [(e.kind, e.value) for e in parsed.entries]
    assert len(keys) == len(set(keys))
    assert all(q.reason for q in parsed.quarantined)
    assert all(screening.normalised(e.kind, e.value) == e.value for e in parsed.entries)


# --- the pages ------------------------------------------------------------------------------------------
def test_the_agency_lists_and_creates_lists_others_find_none(client, alice, bob, charlie, debtors):
    signed_in(client, alice)
    response = client.get(reverse("search:screening_lists"))
    assert response.status_code == 200 and "失信名单" in response.content.decode()
    created = client.post(reverse("search:screening_lists"), {"code": "partner", "name": "伙伴预警"})
    assert created.status_code == 302
    assert ScreeningList.objects.filter(code="partner", agency=debtors.agency).exists()
    assert AccessLog.objects.filter(user=alice, action=AccessAction.MODEL_SAVED,
                                    query="screening list partner: created").exists()
    again = client.post(reverse("search:screening_lists"), {"code": "partner", "name": "x"})
    assert again.status_code == 400 and "exists already" in again.content.decode()
    hostile = client.post(reverse("search:screening_lists"), {"code": "../../x", "name": "x" * 500})
    assert hostile.status_code == 400
    signed_in(client, bob)
    assert "失信名单" not in client.get(reverse("search:screening_lists")).content.decode()
    for name in ("screening_list", "screening_quarantine"):
        assert client.get(reverse(f"search:{name}", args=[debtors.pk])).status_code == 404
    assert upload(client, debtors, csv_upload(f"kind,value\nid_number,{GOOD}\n")).status_code == 404
    signed_in(client, charlie)
    assert client.get(reverse("search:screening_lists")).status_code == 404


def test_an_upload_adds_the_good_rows_and_shows_the_bad(client, alice, dave, debtors):
    actions.add_screening_entries(acting_user=None, screening_list=debtors, kind="id_number", values=[OTHER])
    signed_in(client, alice)
    text = f"kind,value\nid_number,{GOOD}\nid_number,{BAD_CHECKSUM}\nid_number,{OTHER}\nphone,13800138000\n"
    response = upload(client, debtors, csv_upload(text))
    assert response.status_code == 200
    assert set(ScreeningEntry.objects.filter(screening_list=debtors).values_list("value", flat=True)) == {
        GOOD, OTHER, "13800138000"}
    rows = response.context["quarantine"]
    assert [(row["line"], row["reason"]) for row in rows] == [
        (3, rows[0]["reason"]), (4, "Already in the list.")]
    assert "check digit" in rows[0]["reason"]
    assert AccessLog.objects.filter(user=alice, query="screening list debtors: 2 entries added").exists()
    download = client.get(reverse("search:screening_quarantine", args=[debtors.pk]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and "Already in the list." in body.decode("utf-8-sig")
    # The staff member reads the systems masked: the list's ID numbers are masked for them too.
    signed_in(client, dave)
    html = client.get(reverse("search:screening_list", args=[debtors.pk])).content.decode()
    assert GOOD not in html and mask_identifier(GOOD) in html


def test_a_refused_file_adds_nothing_and_says_why(client, alice, debtors):
    signed_in(client, alice)
    for file in (csv_upload("", "empty.csv"), SimpleUploadedFile("list.xlsx", b"PK\x03\x04junk"),
                 SimpleUploadedFile("list.exe", b"MZ")):
        response = upload(client, debtors, file)
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
    assert not debtors.entries.exists()


def test_the_rows_are_added_in_one_transaction(client, alice, debtors, monkeypatch):
    def broken_log(*args, **kwargs):
        raise RuntimeError("the search log is down")

    monkeypatch.setattr(actions, "log_screening_list_change", broken_log)
    with pytest.raises(RuntimeError):
        actions.add_screening_rows(acting_user=alice, screening_list=debtors, entries=[
            screening.Entry(2, "id_number", GOOD), screening.Entry(3, "id_number", OTHER)])
    assert not debtors.entries.exists()


def test_a_list_names_the_models_that_screen_against_it(client, alice, watcher, debtors):
    signed_in(client, alice)
    offered = client.get(reverse("search:screening_list", args=[debtors.pk])).context["models"]
    assert not offered.exists()
    builder = client.get(reverse("search:model_new"), {"template": "rescreen", "list": "debtors"})
    assert builder.context["params"]["screening_list"].value() == "debtors"
    actions.create_model(acting_user=None, key="debtors-paid", name="失信人领取补助", scenario=_scenario(),
                         agency=watcher, template="rescreen", severity="high",
                         parameters={"screening_list": "debtors", "systems_searched": ["social-assistance"]})
    signed_in(client, alice)
    html = client.get(reverse("search:screening_list", args=[debtors.pk])).content.decode()
    assert "失信人领取补助" in html


def _scenario():
    return Scenario.objects.get_or_create(code="test", defaults={"name": "测试场景"})[0]


@settings(max_examples=100, deadline=None)
@given(content=st.one_of(st.binary(max_size=400), st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
                         st.text(max_size=300).map(lambda t: ("kind,value\n" + t).encode())),
       name=st.sampled_from(["list.csv", "list.xlsx", "list.txt"]))
def test_fuzzed_files_are_read_or_refused_with_a_message(content, name):
    try:
        parsed = screening.read_bytes(name, content, kind="phone")
    except screening.ScreeningFileError as error:
        assert str(error)
    else:
        assert all(q.reason for q in parsed.quarantined)


def test_a_long_list_is_added_in_chunks(alice, debtors):
    numbers = [f"138{n:08d}" for n in range(actions.CHUNK * 2 + 7)]
    actions.add_screening_entries(acting_user=None, screening_list=debtors, kind="phone", values=numbers[:3])
    added, already = actions.add_screening_rows(acting_user=alice, screening_list=debtors, entries=[
        screening.Entry(line, "phone", number) for line, number in enumerate(numbers, start=2)])
    assert (added, [row.line for row in already]) == (len(numbers) - 3, [2, 3, 4])
    assert debtors.entries.count() == len(numbers)

"""Loading a linked system's CSV or JSONL export: mapping, quarantine, upserts, resuming."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation
from elasticsearch.helpers import BulkIndexError

from agencies.models import Level
from search import index
from search.index import _elastic
from search.index.connection import elasticsearch_client
from search.index.query import parse
from search.ingest.files import IngestError, ingest_file
from search.ingest.identifiers import is_credit_code, is_id_number
from search.ingest.mapping import parse_moment
from search.models import IngestRun, IngestState, Record, RecordKey, RejectedRow, SourceSystem
from tests.factories import RegionFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAPPING = {
    "external_id": "业务编号",
    "title": ["项目名称"],
    "body": ["投诉内容", "处理结果"],
    "occurred_at": "受理时间",
    "amount": "中标金额",
    "region": "所属区县",
    "names": ["法定代表人", "投标人"],
    "credit_codes": ["统一社会信用代码"],
    "id_numbers": ["身份证号"],
    "phones": ["联系电话"],
    "required": ["项目名称"],
}
MINIMAL = {"业务编号": "1", "项目名称": "路灯", "受理时间": "2024-03-05"}
COLUMNS = ["业务编号", "项目名称", "投诉内容", "处理结果", "受理时间", "中标金额", "所属区县",
           "法定代表人", "投标人", "统一社会信用代码", "身份证号", "联系电话"]


# --- valid identifiers, computed here independently of search.ingest.identifiers ----------------------

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(body17: str = "91530100MA6K0000") -> str:
    body17 = (body17 + "0" * 17)[:17]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(CREDIT_CHARS.index(char) * weight for char, weight in zip(body17, weights, strict=True))
    return body17 + CREDIT_CHARS[(31 - total % 31) % 31]


def id_number(area: str = "530102", birth: str = "19800229", sequence: str = "123") -> str:
    body17 = area + birth + sequence
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def wrong_check(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def row(**cells) -> dict:
    """A good row; keyword arguments replace cells (by column name)."""
    good = {
        "业务编号": "ZB-001", "项目名称": "城南路灯改造", "投诉内容": "围标", "处理结果": "已立案",
        "受理时间": "2024-03-05 14:30", "中标金额": "1,234,567.891", "所属区县": "西山区",
        "法定代表人": "张三、李四", "投标人": "滇池建设有限公司", "统一社会信用代码": credit_code().lower(),
        "身份证号": id_number(), "联系电话": "0871-63100000；13800000000",
    }
    return {**good, **cells}


def write_csv(path, rows, *, encoding="utf-8", columns=COLUMNS):
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in rows), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def own_index(settings):
    """Every load indexes its records: where Elasticsearch is configured, into indices of this
    test's own, deleted afterwards."""
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
    yield
    if settings.ELASTICSEARCH_URL:
        client = elasticsearch_client()
        for name in client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-records-*"):
            client.indices.delete(index=name)


@pytest.fixture
def system(db):
    return SourceSystem.objects.create(code="bidding", name="招投标系统", field_mapping=MAPPING)


@pytest.fixture
def district(db):
    return RegionFactory(code="xishan", name="西山区", level=Level.DISTRICT)


def reasons(run) -> dict[int, str]:
    return dict(run.rejected.values_list("line", "reason"))


# --- the identifiers ----------------------------------------------------------------------------


def test_the_test_helpers_agree_with_published_examples():
    assert id_number("110105", "19491231", "002") == "11010519491231002X"
    assert credit_code("91350100M000100Y4") == "91350100M000100Y43"


def test_identifiers_are_checked():
    assert is_id_number(id_number()) and is_credit_code(credit_code())
    assert not is_id_number(wrong_check(id_number()))
    assert not is_id_number(id_number(birth="19810229"))  # no 29 February in 1981
    assert not is_id_number(id_number()[:17])
    assert not is_credit_code(wrong_check(credit_code()))
    assert not is_credit_code("91530100MA6K0000I" + "0")  # I is not in the character set


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-05", datetime.datetime(2024, 3, 5, tzinfo=SHANGHAI)),
    ("2024-03-05 14:30", datetime.datetime(2024, 3, 5, 14, 30, tzinfo=SHANGHAI)),
    ("2024-03-05T14:30:05+00:00", datetime.datetime(2024, 3, 5, 22, 30, 5, tzinfo=SHANGHAI)),
    ("2024/3/5", datetime.datetime(2024, 3, 5, tzinfo=SHANGHAI)),
    ("2024/03/05 08:00:01", datetime.datetime(2024, 3, 5, 8, 0, 1, tzinfo=SHANGHAI)),
    ("2024年3月5日", datetime.datetime(2024, 3, 5, tzinfo=SHANGHAI)),
    ("2024年03月05日 9:15", datetime.datetime(2024, 3, 5, 9, 15, tzinfo=SHANGHAI)),
])
def test_dates_are_read_in_local_time(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "05/03/2024", "2024年3月", "yesterday", "45356"])
def test_other_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


# --- loading ------------------------------------------------------------------------------------


def test_it_loads_a_csv_file(system, district, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row()], encoding="utf-8-sig")

    outcome = ingest_file(system, path)

    record = Record.objects.get()
    assert record.system == system and record.external_id == "ZB-001"
    assert record.title == "城南路灯改造"
    assert record.body == "围标\n已立案"
    assert record.occurred_at == datetime.datetime(2024, 3, 5, 14, 30, tzinfo=SHANGHAI)
    assert record.amount == Decimal("1234567.89")
    assert record.region == district
    assert record.names == ["张三", "李四", "滇池建设有限公司"]
    assert record.credit_codes == [credit_code()]
    assert record.id_numbers == [id_number()]
    assert record.phones == ["0871-63100000", "13800000000"]
    assert record.raw == row()
    run = outcome.run
    assert (run.state, run.rows_total, run.rows_done, run.rows_loaded, run.rows_rejected) == (
        IngestState.DONE, 1, 1, 1, 0)
    assert run.file_name == "export.csv" and len(run.file_sha256) == 64 and run.finished_at


def test_it_loads_a_jsonl_file(system, district, tmp_path):
    item = {"业务编号": 1001, "项目名称": "路灯", "受理时间": "2024年3月5日", "中标金额": 12.5,
            "所属区县": "xishan", "法定代表人": ["张三", "李四"], "投标人": None, "extra": {"a": 1}}
    path = write_jsonl(tmp_path / "export.jsonl", [item])
    path.write_text("\n" + path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # blank lines

    ingest_file(system, path)

    record = Record.objects.get()
    assert record.external_id == "1001" and record.amount == Decimal("12.50") and record.region == district
    assert record.names == ["张三", "李四"] and record.credit_codes == [] and record.body == ""
    assert record.raw == item


def test_it_reads_gb18030(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(项目名称="滇中引水工程")], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")

    ingest_file(system, path)

    assert Record.objects.get().title == "滇中引水工程"


def test_it_refuses_text_in_no_known_encoding(system, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xff\xfe\xff" * 10)
    with pytest.raises(IngestError, match="neither UTF-8 nor GB18030"):
        ingest_file(system, path)
    assert not IngestRun.objects.exists()


def test_it_refuses_a_file_without_the_mapped_columns(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [], columns=["业务编号", "受理时间"])
    with pytest.raises(IngestError, match="lacks these columns.*项目名称"):
        ingest_file(system, path)
    assert not IngestRun.objects.exists()


def test_a_title_falls_back_and_is_cut(system, tmp_path):
    system.field_mapping = {**MAPPING, "required": []}
    system.save()
    rows = [row(业务编号="A", 项目名称=""), row(业务编号="B", 项目名称="长" * 400)]
    path = write_csv(tmp_path / "export.csv", rows)

    ingest_file(system, path)

    titles = dict(Record.objects.values_list("external_id", "title"))
    assert titles["A"] == "招投标系统 A"
    assert len(titles["B"]) == 300 and titles["B"].endswith("…")


def test_a_region_named_nowhere_is_noted_not_refused(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(所属区县="东山区"), row(业务编号="2", 所属区县="东山区")])

    outcome = ingest_file(system, path)

    assert Record.objects.filter(region=None).count() == 2
    assert outcome.unknown_regions == {"东山区": 2}


# --- quarantine ---------------------------------------------------------------------------------

BAD_ROWS = [  # cells, what the reason says
    ({"业务编号": ""}, "“业务编号” is empty"),
    ({"业务编号": "X" * 101}, "longer than 100 characters"),
    ({"项目名称": " "}, "“项目名称” is empty"),
    ({"受理时间": "2024-13-01"}, "“2024-13-01” in “受理时间” is not a date"),
    ({"受理时间": "1899-12-31"}, "not between the years 1900 and 2099"),
    ({"中标金额": "一百万"}, "“一百万” in “中标金额” is not an amount"),
    ({"中标金额": "-5"}, "“-5” in “中标金额” is negative"),
    ({"中标金额": "100000000000000"}, "too large: at most 14 digits"),
    ({"统一社会信用代码": wrong_check(credit_code())},
     f"“{wrong_check(credit_code())}” in “统一社会信用代码” is not a valid unified social credit code"),
    ({"身份证号": f"{id_number()}、{wrong_check(id_number())}"},
     f"“{wrong_check(id_number())}” in “身份证号” is not a valid ID number"),
]


def test_bad_rows_are_quarantined_with_their_reasons(system, tmp_path):
    rows = [row(业务编号="good-1")]
    rows += [row(**{"业务编号": f"bad-{n}", **cells}) for n, (cells, _reason) in enumerate(BAD_ROWS)]
    rows += [row(业务编号="good-2")]
    path = write_csv(tmp_path / "export.csv", rows)
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write("short,row\r\n" + "," * 11 + "\r\n")  # an empty row at the end is no row

    run = ingest_file(system, path, batch_size=4).run

    assert sorted(Record.objects.values_list("external_id", flat=True)) == ["good-1", "good-2"]
    found = reasons(run)
    expected_lines = [3 + n for n in range(len(BAD_ROWS))]  # the header is line 1, good-1 line 2
    for line, (_cells, reason) in zip(expected_lines, BAD_ROWS, strict=True):
        assert reason in found[line], (line, found[line])
    assert "2 cells where the header names 12 columns" in found[len(rows) + 2]
    assert (run.rows_done, run.rows_loaded, run.rows_rejected) == (len(rows) + 1, 2, len(BAD_ROWS) + 1)
    assert RejectedRow.objects.get(run=run, line=6).raw.startswith("bad-3,城南路灯改造,围标,已立案,")


def test_a_nul_in_a_csv_row_rejects_it(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(投诉内容="a\x00b"), row(业务编号="2")])

    run = ingest_file(system, path).run

    assert list(Record.objects.values_list("external_id", flat=True)) == ["2"]
    assert "cannot be stored" in reasons(run)[2]
    assert "a\ufffdb" in RejectedRow.objects.get().raw


def test_every_problem_of_a_row_is_named(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(受理时间="soon", 中标金额="-1", 身份证号="123")])

    run = ingest_file(system, path).run

    reason = reasons(run)[2]
    assert "受理时间" in reason and "中标金额" in reason and "“123” in “身份证号”" in reason


def test_unreadable_jsonl_lines_are_quarantined(system, tmp_path):
    good = MINIMAL
    lines = [json.dumps(good), "{not json", "[1, 2]",
             json.dumps({**good, "业务编号": "2", "项目名称": "a\u0000b"}),
             json.dumps({**good, "业务编号": "3", "投诉内容": "\ud800"}),
             json.dumps({**good, "业务编号": "4", "投诉内容": "a\\u0000b \ud83d\ude00"})]  # text, a pair
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    run = ingest_file(system, path).run

    assert sorted(Record.objects.values_list("external_id", flat=True)) == ["1", "4"]
    assert Record.objects.get(external_id="4").body == "a\\u0000b 😀"
    found = reasons(run)
    assert "not valid JSON" in found[2] and "not a JSON object" in found[3]
    assert "cannot be stored" in found[4] and "cannot be stored" in found[5]
    assert RejectedRow.objects.get(run=run, line=2).raw == "{not json"


# --- upserts ------------------------------------------------------------------------------------


def test_the_same_external_id_is_one_record_the_last_row_winning(system, tmp_path):
    rows = [row(项目名称="first"), row(业务编号="other"), row(项目名称="second")]
    ingest_file(system, write_csv(tmp_path / "one.csv", rows))
    assert Record.objects.get(external_id="ZB-001").title == "second"

    ingest_file(system, write_csv(tmp_path / "two.csv", [row(项目名称="third", 中标金额="")]))

    assert Record.objects.count() == 2
    record = Record.objects.get(external_id="ZB-001")
    assert record.title == "third" and record.amount is None


def test_the_same_external_id_across_batches_keeps_the_last(system, tmp_path):
    rows = [row(项目名称=f"version {n}") for n in range(5)]

    ingest_file(system, write_csv(tmp_path / "export.csv", rows), batch_size=2)

    assert list(Record.objects.values_list("title", flat=True)) == ["version 4"]


def test_the_indexer_hook_gets_the_upserted_records(system, tmp_path):
    ingest_file(system, write_csv(tmp_path / "one.csv", [row(业务编号="a")]))
    batches = []

    ingest_file(system, write_csv(tmp_path / "two.csv", [row(业务编号="a"), row(业务编号="b")]),
                on_batch=batches.append)

    [records] = batches
    assert {record.external_id: record.pk for record in records} == dict(
        Record.objects.values_list("external_id", "pk"))


# --- resuming -----------------------------------------------------------------------------------


class Crash(Exception):
    pass


def crash_on_batch(number):
    calls = []

    def on_batch(records):
        calls.append([record.external_id for record in records])
        if len(calls) == number:
            raise Crash

    return on_batch, calls


def test_a_run_that_crashed_resumes_without_duplicates_or_losses(system, tmp_path):
    rows = [row(业务编号=f"r{n}") for n in range(10)]
    rows[1]["受理时间"] = "never"  # rejected in the first batch, committed before the crash
    rows[3]["受理时间"] = "never"  # rejected in the second batch, rolled back by the crash
    path = write_csv(tmp_path / "export.csv", rows)
    on_batch, calls = crash_on_batch(2)

    with pytest.raises(Crash):
        ingest_file(system, path, batch_size=3, on_batch=on_batch)

    run = IngestRun.objects.get()
    assert (run.state, run.rows_done, run.rows_loaded, run.rows_rejected) == (IngestState.FAILED, 3, 2, 1)
    assert "Crash" in run.error
    assert Record.objects.count() == 2 and RejectedRow.objects.count() == 1

    outcome = ingest_file(system, path, batch_size=3, on_batch=on_batch)

    assert outcome.resumed_from == 3 and outcome.run.pk == run.pk
    assert calls[2:] == [["r4", "r5"], ["r6", "r7", "r8"], ["r9"]]
    run.refresh_from_db()
    assert (run.state, run.rows_done, run.rows_loaded, run.rows_rejected, run.error) == (
        IngestState.DONE, 10, 8, 2, "")
    assert sorted(Record.objects.values_list("external_id", flat=True)) == sorted(
        f"r{n}" for n in range(10) if n not in (1, 3))
    assert sorted(reasons(run)) == [3, 5]


def test_another_process_committing_the_same_rows_stops_this_one(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(业务编号=f"r{n}") for n in range(4)])

    def progress(done, total):
        if done == 2:  # as if a second process had committed the next batch meanwhile
            IngestRun.objects.update(rows_done=4)

    with pytest.raises(IngestError, match="Another process"):
        ingest_file(system, path, batch_size=2, progress=progress)

    assert Record.objects.count() == 2


def test_a_loaded_file_is_not_loaded_again(system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row()])
    first = ingest_file(system, path).run
    Record.objects.update(title="edited")
    path.rename(tmp_path / "renamed.csv")

    outcome = ingest_file(system, tmp_path / "renamed.csv")

    assert outcome.already_done and outcome.run == first
    assert IngestRun.objects.count() == 1 and Record.objects.get().title == "edited"

    again = ingest_file(system, tmp_path / "renamed.csv", again=True)

    assert not again.already_done and again.run != first and again.run.state == IngestState.DONE
    assert Record.objects.get().title == "城南路灯改造"


# --- indexing ---------------------------------------------------------------------------------


@pytest.fixture
def elasticsearch(settings):
    """The Elasticsearch backend (under the test's own index prefix, see ``own_index``)."""
    settings.SEARCH_BACKEND = "elasticsearch"
    return elasticsearch_client()


@pytest.fixture(params=[pytest.param("elasticsearch", marks=pytest.mark.elasticsearch), "embedded"])
def engine(request, settings):
    """Each search backend in turn."""
    settings.SEARCH_BACKEND = request.param
    return request.param


def found(text: str) -> dict[str, int]:
    """External id → record id of the records the search backend finds for ``text``."""
    index.refresh()
    page = index.search(parse(text), size=100)
    index.close(page.pit)
    return {hit.external_id: hit.record_id for hit in page.hits}


def test_an_ingested_row_is_found_by_search_at_once(engine, system, district, tmp_path):
    rows = [row(业务编号="a", 项目名称="滇池治理工程"), row(业务编号="b", 项目名称="城北绿化")]

    ingest_file(system, write_csv(tmp_path / "export.csv", rows), batch_size=1)

    assert found('"滇池治理"') == {"a": Record.objects.get(external_id="a").pk}
    page = index.search(parse("城北"), size=5)
    index.close(page.pit)
    assert dict(page.facets["region"]) == {"xishan": 1}  # the record's region reached the index


def test_a_row_loaded_again_is_indexed_with_its_new_text(engine, system, tmp_path):
    ingest_file(system, write_csv(tmp_path / "one.csv", [row(项目名称="旧名称")]))

    ingest_file(system, write_csv(tmp_path / "two.csv", [row(项目名称="新名称")]))

    assert found("新名称") == {"ZB-001": Record.objects.get().pk}
    assert found("旧名称") == {}


def blocking_writes(client, blocked: bool) -> None:
    client.indices.put_settings(index=_elastic.alias(), settings={"index.blocks.write": blocked})


@pytest.mark.elasticsearch
def test_a_batch_that_cannot_be_indexed_is_not_stored_and_the_run_resumes(elasticsearch, system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(业务编号=f"r{n}", 项目名称="滇池治理") for n in range(5)])

    def progress(done, total):
        if done == 2:  # the first batch is in; the index refuses writes from now on
            blocking_writes(elasticsearch, True)

    with pytest.raises(BulkIndexError) as refused:
        ingest_file(system, path, batch_size=2, progress=progress)

    assert {item["index"]["error"]["type"] for item in refused.value.errors} == {"cluster_block_exception"}

    run = IngestRun.objects.get()
    assert (run.state, run.rows_done, run.rows_loaded) == (IngestState.FAILED, 2, 2)
    assert sorted(Record.objects.values_list("external_id", flat=True)) == ["r0", "r1"]
    blocking_writes(elasticsearch, False)

    outcome = ingest_file(system, path, batch_size=2)

    assert outcome.resumed_from == 2 and outcome.run.state == IngestState.DONE
    assert found('"滇池治理"') == dict(Record.objects.values_list("external_id", "pk"))
    assert len(found('"滇池治理"')) == 5


@pytest.mark.elasticsearch
def test_loading_without_indexing_leaves_the_index_to_a_reindex(elasticsearch, system, tmp_path):
    path = write_csv(tmp_path / "export.csv", [row(项目名称="滇池治理")])
    ingest_file(system, write_csv(tmp_path / "other.csv", [row(业务编号="other", 项目名称="别的")]))

    out, _err = run_command("bidding", path, "--no-index")

    assert "1 loaded" in out and Record.objects.count() == 2
    assert found("滇池治理") == {}

    call_command("search_reindex", stdout=io.StringIO(), stderr=io.StringIO())

    assert found("滇池治理") == {"ZB-001": Record.objects.get(external_id="ZB-001").pk}


# --- PostgreSQL: COPY into a staging table, then one upsert -------------------------------------


@pytest.mark.postgres
def test_copy_keeps_every_character_that_can_be_stored(system, tmp_path):
    awkward = 'tab\there, back\\slash \\N "quoted" \'single\' 😀 ¥'
    item = {**MINIMAL, "项目名称": awkward, "投诉内容": "line one\nline two\r\n\\.",
            "法定代表人": ["\\N", "a\tb"], "nested": {"key": [1, None, "x\\y"]}}

    ingest_file(system, write_jsonl(tmp_path / "export.jsonl", [item]))

    record = Record.objects.get()
    assert record.title == awkward
    assert record.body == "line one\nline two\r\n\\."
    assert record.names == ["\\N", "a\tb"]
    assert record.raw == item and record.amount is None and record.region is None


@pytest.mark.postgres
def test_copy_batches_inside_one_transaction_give_each_record_its_id(system, tmp_path):
    assert connection.in_atomic_block  # the test's transaction: every batch is a savepoint in it
    ingest_file(system, write_csv(tmp_path / "one.csv", [row(业务编号="a"), row(业务编号="b")]))
    first = Record.objects.get(external_id="a")
    batches = []

    ingest_file(system, write_csv(tmp_path / "two.csv", [row(业务编号=n, 项目名称=n) for n in "bcadc"]),
                batch_size=2, on_batch=batches.append)

    ids = dict(Record.objects.values_list("external_id", "pk"))
    assert [[(record.external_id, record.pk) for record in batch] for batch in batches] == [
        [("b", ids["b"]), ("c", ids["c"])], [("a", ids["a"]), ("d", ids["d"])], [("c", ids["c"])]]
    updated = Record.objects.get(external_id="a")
    assert updated.pk == first.pk and updated.title == "a" and updated.ingested_at > first.ingested_at
    assert Record.objects.count() == 4


@pytest.mark.postgres
def test_a_finished_load_gives_the_planner_fresh_statistics_of_the_records_and_their_keys(system, tmp_path):
    def estimated(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    ingest_file(system, write_csv(tmp_path / "seven.csv", [row(业务编号=f"s{n}") for n in range(7)]))

    assert estimated(Record._meta.db_table) == Record.objects.count() == 7
    assert estimated(RecordKey._meta.db_table) == RecordKey.objects.count()


# --- the command --------------------------------------------------------------------------------


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_loads_and_reports(system, tmp_path):
    rows = [row(业务编号=f"r{n}") for n in range(3)] + [row(业务编号="bad", 受理时间="never")]
    path = write_csv(tmp_path / "export.csv", rows)

    out, err = run_command("bidding", path, "--batch", "2")

    assert "4 rows read: 3 loaded, 0 updated, 0 duplicate, 1 rejected" in out
    assert "line 5: “never” in “受理时间” is not a date" in out
    assert "/ 4" in err  # the progress line

    out, err = run_command("bidding", path)

    assert "was loaded into 招投标系统" in out and "--again" in out
    assert Record.objects.count() == 3 and IngestRun.objects.count() == 1


def test_the_command_takes_the_format_when_the_name_does_not_say(system, tmp_path):
    path = write_jsonl(tmp_path / "export.txt", [MINIMAL])
    with pytest.raises(CommandError, match="Cannot tell the format"):
        run_command("bidding", path)

    out, _err = run_command("bidding", path, "--format", "jsonl")

    assert "1 loaded" in out


def test_the_command_fails_on_an_unknown_system_or_file(system, tmp_path, capsys):
    with pytest.raises(CommandError, match="No linked system has the code nowhere. Known codes: bidding"):
        run_command("nowhere", write_csv(tmp_path / "export.csv", [row()]))
    with pytest.raises(CommandError, match="There is no file"):
        run_command("bidding", tmp_path / "missing.csv")

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "ingest", "bidding", str(tmp_path / "missing.csv")]).execute()

    assert exit_.value.code == 1
    assert "There is no file" in capsys.readouterr().err

"""Record keys written by ingestion with the records they belong to, replaced when a record
changes, and given to the records stored without them by ``manage.py record_keys``."""

import datetime
import io
import threading
import time
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from search.ingest.backfill import backfill_keys
from search.ingest.files import IngestError, ingest_file
from search.ingest.registry import BY_CODE, seed_systems
from search.ingest.upsert import hold_system
from search.models import Record, RecordKey, SourceSystem
from tests.search.ingest.test_ingest import (
    COLUMNS,
    MAPPING,
    credit_code,
    id_number,
    row,
    write_csv,
    write_jsonl,
)
from tests.search.ingest.test_key_mapping import KEYS as BID_KEYS

KEYS = [*BID_KEYS, {"column": "问题地址", "kind": "address", "role": "location", "date": "开标日期"}]
KEY_COLUMNS = [*COLUMNS, "是否中标", "问题地址", "开标日期"]
DAY = datetime.date(2024, 3, 5)  # 受理时间 of row()
KEY_FIELDS = ("record__external_id", "role", "kind", "value", "date", "amount")
WAIT_SECONDS = 60  # a bound on waiting for the other thread, not a measure of anything


def bid(**cells) -> dict:
    return row(**{"是否中标": "否", "问题地址": "", "开标日期": "", **cells})


def keys_of(external_id: str) -> set[tuple]:
    return set(RecordKey.objects.filter(record__external_id=external_id).values_list(
        "role", "kind", "value", "date", "amount"))


def key_ids() -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {}
    for external_id, pk in RecordKey.objects.values_list("record__external_id", "pk"):
        ids.setdefault(external_id, set()).add(pk)
    return ids


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def system(db):
    mapping = {**MAPPING, "keys": KEYS}
    return SourceSystem.objects.create(code="bidding", name="招投标系统", field_mapping=mapping)


def load(system, path, **options):
    return ingest_file(system, path, again=True, **options)


# --- written on load ------------------------------------------------------------------------------
def test_loading_writes_each_records_keys_with_its_system(system, tmp_path):
    rows = [bid(业务编号="won", 是否中标="是", 问题地址="东湖区 人民路１号", 开标日期="2024年3月1日"),
            bid(业务编号="lost", 统一社会信用代码=credit_code("91530100MA6K0001"), 联系电话="138 0000 0001")]
    load(system, write_csv(tmp_path / "bids.csv", rows, columns=KEY_COLUMNS))

    amount = Decimal("1234567.89")
    assert keys_of("won") == {
        ("legal_representative", "id_number", id_number(), DAY, amount),
        ("bidder", "credit_code", credit_code(), DAY, amount),
        ("winning_bidder", "credit_code", credit_code(), DAY, amount),
        ("bidder", "phone", "087163100000", DAY, amount),
        ("bidder", "phone", "13800000000", DAY, amount),
        ("location", "address", "东湖区 人民路1号", datetime.date(2024, 3, 1), amount),
    }
    assert keys_of("lost") == {
        ("legal_representative", "id_number", id_number(), DAY, amount),
        ("bidder", "credit_code", credit_code("91530100MA6K0001"), DAY, amount),
        ("bidder", "phone", "13800000001", DAY, amount),
    }
    assert set(RecordKey.objects.values_list("system", flat=True)) == {system.pk}
    assert set(RecordKey.objects.values_list("record__system", flat=True)) == {system.pk}


def test_a_rejected_row_and_a_replaced_duplicate_leave_no_keys(system, tmp_path):
    rows = [bid(业务编号="a", 联系电话="13800000001"), bid(业务编号="bad", 受理时间="never"),
            bid(业务编号="a", 联系电话="13800000002")]
    run = load(system, write_csv(tmp_path / "bids.csv", rows, columns=KEY_COLUMNS)).run

    assert (run.rows_loaded, run.rows_rejected, run.rows_duplicate) == (1, 1, 1)
    assert {value for role, kind, value, *_rest in keys_of("a") if kind == "phone"} == {"13800000002"}
    assert set(RecordKey.objects.values_list("record__external_id", flat=True)) == {"a"}


def test_a_value_that_gives_no_key_does_not_stop_its_row(system, tmp_path):
    load(system, write_jsonl(tmp_path / "bids.jsonl", [bid(联系电话="12345", 问题地址="  ")]))

    assert Record.objects.get().phones == ["12345"]
    assert {kind for _role, kind, *_rest in keys_of("ZB-001")} == {"id_number", "credit_code"}


def test_a_csv_file_without_a_column_a_key_names_is_refused(system, tmp_path):
    path = write_csv(tmp_path / "bids.csv", [row()], columns=COLUMNS)
    with pytest.raises(IngestError, match="lacks these columns.*是否中标、问题地址、开标日期"):
        load(system, path)
    assert not Record.objects.exists()


def test_a_mapping_whose_keys_cannot_be_used_stops_the_load(system, tmp_path):
    system.field_mapping = {**MAPPING, "keys": [{"column": "身份证号", "kind": "passport", "role": "payee"}]}
    system.save()
    with pytest.raises(IngestError, match="Key 1 in the field mapping of 招投标系统 has the kind “passport”"):
        load(system, write_csv(tmp_path / "bids.csv", [row()], columns=KEY_COLUMNS))
    assert not Record.objects.exists()


# --- replaced on update ----------------------------------------------------------------------------
def test_an_updated_records_keys_are_replaced_and_an_unchanged_records_left_alone(system, tmp_path):
    first = [bid(业务编号="same"), bid(业务编号="changed"), bid(业务编号="won later")]
    load(system, write_csv(tmp_path / "one.csv", first, columns=KEY_COLUMNS))
    before = key_ids()

    again = [bid(业务编号="same"), bid(业务编号="changed", 联系电话="13900000000"),
             bid(业务编号="won later", 是否中标="是"), bid(业务编号="new")]
    load(system, write_csv(tmp_path / "two.csv", again, columns=KEY_COLUMNS))

    after = key_ids()
    assert after["same"] == before["same"]  # the very same rows
    assert not after["changed"] & before["changed"]
    assert {value for _role, kind, value, *_rest in keys_of("changed") if kind == "phone"} == {"13900000000"}
    assert "winning_bidder" in {role for role, *_rest in keys_of("won later")}
    assert keys_of("new") == keys_of("same")
    assert RecordKey.objects.count() == 4 + 3 + 5 + 4


def test_a_record_loaded_before_its_system_had_keys_gets_them_when_loaded_again(system, tmp_path):
    system.field_mapping = MAPPING
    system.save()
    path = write_csv(tmp_path / "bids.csv", [bid()], columns=KEY_COLUMNS)
    load(system, path)
    assert not RecordKey.objects.exists()

    system.field_mapping = {**MAPPING, "keys": KEYS}
    system.save()
    load(system, path)

    assert len(keys_of("ZB-001")) == 4


def test_the_keys_of_a_batch_that_fails_are_not_kept(system, tmp_path):
    def fail(records):
        raise RuntimeError("the index is down")

    with pytest.raises(RuntimeError):
        load(system, write_csv(tmp_path / "bids.csv", [bid()], columns=KEY_COLUMNS), on_batch=fail)
    assert not RecordKey.objects.exists() and not Record.objects.exists()


def test_deleting_a_record_deletes_its_keys(system, tmp_path):
    rows = [bid(业务编号="a"), bid(业务编号="b")]
    load(system, write_csv(tmp_path / "bids.csv", rows, columns=KEY_COLUMNS))
    Record.objects.filter(external_id="a").delete()
    assert set(RecordKey.objects.values_list("record__external_id", flat=True)) == {"b"}


@pytest.mark.postgres
def test_copy_writes_keys_holding_characters_copy_escapes(system, tmp_path):
    awkward = "东湖区\\N 人民路\t1号 \\. “引号” 😀"
    load(system, write_jsonl(tmp_path / "bids.jsonl", [bid(问题地址=awkward)]))

    assert RecordKey.objects.get(kind="address").value == "东湖区\\N 人民路 1号 \\. “引号” 😀"


# --- the backfill ----------------------------------------------------------------------------------
@pytest.fixture
def keyless(system, tmp_path):
    """Seven records of the system stored before it had keys, and what ingestion gives them now."""
    rows = [bid(业务编号=f"r{n}", 联系电话=f"1380000000{n}") for n in range(7)]
    path = write_csv(tmp_path / "bids.csv", rows, columns=KEY_COLUMNS)
    load(system, path)
    expected = all_keys()
    RecordKey.objects.all().delete()
    return expected


def all_keys():
    return sorted(RecordKey.objects.values_list(*KEY_FIELDS))


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("record_keys", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_gives_keys_to_the_records_without_and_reports(keyless):
    out, err = run_command("--batch", 3)

    assert all_keys() == keyless
    assert "0 / 7" in err and "rows/s" in err
    assert "7 linked records without keys read in" in out
    assert "7 given 21 keys, 0 with no key in their row." in out


def test_it_resumes_where_it_stopped(system, keyless):
    seen = []

    def stop_after_two_batches(done, total):
        seen.append((done, total))
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backfill_keys([system], batch_size=2, progress=stop_after_two_batches)
    assert seen == [(0, 7), (2, 7), (4, 7)]
    assert len({external_id for external_id, *_key in all_keys()}) == 4

    outcome = backfill_keys([system], batch_size=2, progress=lambda done, total: seen.append((done, total)))

    assert seen[3:] == [(0, 3), (2, 3), (3, 3)]  # only the three still without keys
    assert (outcome.records, outcome.keyed, outcome.keys) == (3, 3, 9)
    assert all_keys() == keyless  # none twice
    assert backfill_keys([system]).records == 0


def test_an_interrupted_command_says_how_to_resume(system, keyless, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("search.ingest.backfill.store_keys", interrupt)
    with pytest.raises(CommandError, match="Interrupted. Give the same command again to go on"):
        run_command()


def test_it_leaves_alone_the_keys_an_ingest_wrote_meanwhile(system, keyless, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "r0.csv", [bid(业务编号="r0", 联系电话="13900000000")], columns=KEY_COLUMNS)
    atomic = transaction.atomic

    class Meanwhile:
        """The batch is read; then, before it is written, an ingest stores r0 anew with its keys."""

        loaded = False

        def atomic(self):
            if not self.loaded:
                self.loaded = True
                load(system, path)
            return atomic()

    monkeypatch.setattr("search.ingest.backfill.transaction", Meanwhile())
    run_command()

    assert {value for _role, kind, value, *_rest in keys_of("r0") if kind == "phone"} == {"13900000000"}
    assert [key for key in all_keys() if key[0] != "r0"] == [key for key in keyless if key[0] != "r0"]


@pytest.mark.postgres
def test_it_waits_for_an_ingest_of_its_system_and_keeps_what_that_wrote(transactional_db, system, keyless,
                                                                         tmp_path):
    path = write_csv(tmp_path / "r0.csv", [bid(业务编号="r0", 联系电话="13900000000")], columns=KEY_COLUMNS)
    holding = threading.Event()
    failures = []

    def ingest_holding_the_systems_lock():
        """An ingest's batch, under way when the backfill starts: it commits only once the
        backfill waits for it."""
        try:
            with transaction.atomic():
                hold_system(system.pk)
                holding.set()
                _until_a_session_waits_for_an_advisory_lock()
                load(system, path)
        except Exception as error:  # noqa: BLE001 - the main thread fails the test with it
            failures.append(error)
        finally:
            holding.set()
            connection.close()

    ingest = threading.Thread(target=ingest_holding_the_systems_lock)
    ingest.start()
    assert holding.wait(WAIT_SECONDS)
    outcome = backfill_keys([system])
    ingest.join(WAIT_SECONDS)

    assert failures == []
    assert {value for _role, kind, value, *_rest in keys_of("r0") if kind == "phone"} == {"13900000000"}
    assert [key for key in all_keys() if key[0] != "r0"] == [key for key in keyless if key[0] != "r0"]
    assert (outcome.records, outcome.keyed) == (7, 6)


def _until_a_session_waits_for_an_advisory_lock() -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("The backfill did not wait for the ingest's lock.")


def test_it_reads_only_the_system_asked_for(system, keyless, tmp_path):
    other = SourceSystem.objects.create(code="other", name="其他", field_mapping={**MAPPING, "keys": KEYS})
    load(other, write_csv(tmp_path / "other.csv", [bid(业务编号="x")], columns=KEY_COLUMNS))
    RecordKey.objects.filter(system=other).delete()

    out, _err = run_command("--system", "other")

    assert set(RecordKey.objects.values_list("record__external_id", flat=True)) == {"x"}
    assert "1 given 4 keys" in out


def test_a_system_without_keys_is_named_and_its_records_are_not_read(system, keyless):
    system.field_mapping = MAPPING
    system.save()

    out, err = run_command()

    assert "0 linked records without keys read" in out
    assert "These linked systems declare no keys in their field mapping: bidding." in out
    assert not RecordKey.objects.exists()


def test_it_fails_with_a_non_zero_exit_status(system, capsys):
    system.field_mapping = {**MAPPING, "keys": [{"column": "身份证号", "kind": "id_number", "role": "Payee"}]}
    system.save()
    with pytest.raises(CommandError, match="Key 1 in the field mapping of 招投标系统 has the role “Payee”"):
        run_command()
    assert not RecordKey.objects.exists()

    # Last: the command run as from the shell closes the database connection when it ends.
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "record_keys", "--system", "nowhere"]).execute()
    assert exit_.value.code == 1
    assert "No linked system has the code nowhere. Known codes: bidding." in capsys.readouterr().err


# --- the keys of systems seeded before there were keys -------------------------------------------
def test_the_migration_gives_the_registrys_keys_to_mappings_without_keys(db):
    migration = import_module("search.migrations.0012_registry_keys_in_mappings")
    seed_systems()
    hotline = SourceSystem.objects.get(code="hotline-12345")
    trading = SourceSystem.objects.get(code="public-resource-trading")
    before = {"external_id": "编号", "occurred_at": "日期"}
    SourceSystem.objects.update(field_mapping=before)  # as seeded before there were keys
    edited = [{"column": "来电号码", "kind": "phone", "role": "complainant"}]
    trading.field_mapping = {**before, "keys": edited}  # an administrator's own
    trading.save()
    SourceSystem.objects.create(code="local", name="本地", field_mapping={"external_id": "编号"})

    migration.add_registry_keys(apps, None)

    hotline.refresh_from_db()
    trading.refresh_from_db()
    assert hotline.field_mapping == {**before, "keys": BY_CODE["hotline-12345"].field_mapping["keys"]}
    assert trading.field_mapping["keys"] == edited
    assert SourceSystem.objects.get(code="local").field_mapping == {"external_id": "编号"}

    migration.remove_registry_keys(apps, None)

    hotline.refresh_from_db()
    trading.refresh_from_db()
    assert hotline.field_mapping == before
    assert trading.field_mapping["keys"] == edited

"""Rows with the same external id in one file: the later row wins, every earlier one is reported
(never counted as loaded), and the counts add up to the rows read — within a batch, across
batches, after a resumed run, on SQLite and on PostgreSQL's COPY path alike."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from search.ingest.files import ingest_file
from search.management.commands.ingest import Command as IngestCommand
from search.models import IngestRun, IngestState, Record, RejectedRow, SourceSystem

pytestmark = pytest.mark.django_db

MAPPING = {"external_id": "编号", "title": ["标题"], "occurred_at": "时间", "required": ["标题"]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def embedded_backend(settings):
    settings.SEARCH_BACKEND = "embedded"


@pytest.fixture
def system(db):
    return SourceSystem.objects.create(code="hotline", name="热线", field_mapping=MAPPING)


def write(path, rows: list[tuple[str, str]]):
    """A JSONL file of (external id, title); a title of "" makes a row that is rejected."""
    path.write_text("".join(
        json.dumps({"编号": external_id, "标题": title, "时间": "2025-03-01"}, ensure_ascii=False) + "\n"
        for external_id, title in rows
    ), encoding="utf-8")
    return path


def counts(run: IngestRun) -> tuple[int, int, int, int]:
    run.refresh_from_db()
    return run.rows_loaded, run.rows_updated, run.rows_duplicate, run.rows_rejected


def titles() -> dict[str, str]:
    return dict(Record.objects.values_list("external_id", "title"))


def replaced(run: IngestRun) -> dict[int, int]:
    """Line of each row a later one replaced → the line of that later row."""
    return dict(run.rejected.filter(replaced_by_line__isnull=False).values_list("line", "replaced_by_line"))


@pytest.mark.parametrize("batch_size", [1, 2, 3, 100])
def test_the_later_row_wins_and_the_earlier_are_reported(system, tmp_path, batch_size):
    path = write(tmp_path / "export.jsonl", [
        ("A", "first A"), ("B", "only B"), ("A", "second A"), ("C", ""), ("A", "third A"), ("D", "D"),
    ])
    run = ingest_file(system, path, batch_size=batch_size).run
    assert run.state == IngestState.DONE and run.rows_done == 6
    assert counts(run) == (3, 0, 2, 1)  # A, B, D loaded; two earlier As; C rejected
    assert sum(counts(run)) == run.rows_done
    assert titles() == {"A": "third A", "B": "only B", "D": "D"}
    assert replaced(run) == {1: 3, 3: 5}
    first = run.rejected.get(line=1)
    assert "row 3" in first.reason and "A" in first.reason
    assert json.loads(first.raw)["标题"] == "first A"  # the earlier row as it was received


def test_loading_a_file_again_updates_and_still_reports_duplicates(system, tmp_path):
    path = write(tmp_path / "export.jsonl", [("A", "a1"), ("B", "b"), ("A", "a2")])
    ingest_file(system, path)
    write(tmp_path / "export.jsonl", [("A", "a3"), ("C", "c"), ("A", "a4"), ("B", "b2")])
    run = ingest_file(system, tmp_path / "export.jsonl", batch_size=2).run
    assert counts(run) == (1, 2, 1, 0)  # C new; A and B replaced records of the first load; A twice
    assert titles() == {"A": "a4", "B": "b2", "C": "c"}
    assert replaced(run) == {1: 3}


class Crash(Exception):
    pass


def test_a_duplicate_of_a_row_committed_before_a_crash_is_found_after_resuming(system, tmp_path):
    path = write(tmp_path / "export.jsonl", [("A", "a1"), ("B", "b1"), ("C", "c"), ("A", "a2"), ("B", "")])
    calls = []

    def crash_on_second_batch(records):
        calls.append(records)
        if len(calls) == 2:
            raise Crash

    with pytest.raises(Crash):
        ingest_file(system, path, batch_size=2, on_batch=crash_on_second_batch)
    run = IngestRun.objects.get()
    assert (run.state, run.rows_done) == (IngestState.FAILED, 2)
    assert counts(run) == (2, 0, 0, 0)

    run = ingest_file(system, path, batch_size=2).run  # resumed after row 2
    assert run.state == IngestState.DONE
    assert counts(run) == (3, 0, 1, 1)
    assert sum(counts(run)) == run.rows_done == 5
    assert titles() == {"A": "a2", "B": "b1", "C": "c"}
    assert replaced(run) == {1: 4}


def test_manage_py_ingest_says_which_row_wins_and_counts_the_duplicates(system, tmp_path):
    path = write(tmp_path / "export.jsonl", [("A", "a1"), ("A", "a2"), ("B", "")])
    out = StringIO()
    call_command("ingest", "hotline", str(path), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "3 rows read: 1 loaded, 0 updated, 1 duplicate, 1 rejected" in text
    assert "line 1: Duplicate of row 2" in text
    help_text = StringIO()
    IngestCommand().create_parser("manage.py", "ingest").print_help(help_text)
    assert "the later row wins" in " ".join(help_text.getvalue().split())


ROWS = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.sampled_from(["", "t1", "t2", "t3"])),
    min_size=1, max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=ROWS, rows=ROWS, batch_size=st.integers(1, 5))
def test_counts_add_up_and_the_last_good_row_of_each_id_is_stored(system, tmp_path_factory, before, rows,
                                                                   batch_size):
    RejectedRow.objects.all().delete()
    IngestRun.objects.all().delete()
    Record.objects.all().delete()
    folder = tmp_path_factory.mktemp("export")
    ingest_file(system, write(folder / "before.jsonl", before))
    present = {external_id for external_id, title in before if title}

    run = ingest_file(system, write(folder / "export.jsonl", rows), batch_size=batch_size, again=True).run

    good = [(line, external_id, title) for line, (external_id, title) in enumerate(rows, 1) if title]
    last = {external_id: (line, title) for line, external_id, title in good}
    loaded, updated, duplicate, rejected = counts(run)
    assert loaded + updated + duplicate + rejected == run.rows_done == len(rows)
    assert rejected == len(rows) - len(good)
    assert duplicate == len(good) - len(last)
    assert loaded == len(set(last) - present) and updated == len(set(last) & present)
    stored = titles()
    for external_id, (_line, title) in last.items():
        assert stored[external_id] == title
    expected = {}
    for index, (line, external_id, _title) in enumerate(good):
        following = [later for later, other, _t in good[index + 1:] if other == external_id]
        if following:
            expected[line] = following[0]
    assert replaced(run) == expected

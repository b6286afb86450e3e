"""``manage.py generate_records``: one file a system, CSV or JSONL, and planted.json beside them."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.generator import planted_facts, rows
from search.ingest.registry import BY_CODE, SYSTEMS


def generate(tmp_path, *args):
    out, err = StringIO(), StringIO()
    call_command("generate_records", "--out", str(tmp_path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_files_have_a_header_and_the_rows(tmp_path):
    out, err = generate(tmp_path, "--systems", "market-entities,social-assistance", "--count", "300",
                        "--seed", "9", "--format", "csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "market-entities.csv", "planted.json", "social-assistance.csv",
    ]
    with open(tmp_path / "social-assistance.csv", encoding="utf-8", newline="") as stream:
        assert stream.read(1) != "\ufeff"  # no byte order mark
        stream.seek(0)
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames) == BY_CODE["social-assistance"].columns
        assert list(reader) == list(rows("social-assistance", "9", 300))
    assert "300" in out
    assert "social-assistance" in err and "100% 300 / 300" in err


def test_jsonl_files_hold_one_object_a_line_and_planted_json_the_facts(tmp_path):
    generate(tmp_path, "--systems", "hotline-12345", "--count", "250", "--seed", "4")
    lines = (tmp_path / "hotline-12345.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(rows("hotline-12345", "4", 250))
    assert "工单编号" in lines[0]  # Chinese as it is, not escaped
    facts = json.loads((tmp_path / "planted.json").read_text(encoding="utf-8"))
    assert facts == planted_facts("4", 250).as_json()
    assert len(facts["reopened_complaints"]) == 3


def test_the_same_arguments_write_the_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        generate(folder, "--systems", "vat-invoices", "--count", "400", "--bad-rate", "0.05")
    assert (first / "vat-invoices.jsonl").read_bytes() == (second / "vat-invoices.jsonl").read_bytes()


def test_all_systems_by_default(tmp_path):
    generate(tmp_path, "--count", "200")
    assert {path.stem for path in tmp_path.glob("*.jsonl")} == {spec.code for spec in SYSTEMS}


def test_spoiled_rows_in_a_csv_leave_the_column_empty(tmp_path):
    generate(tmp_path, "--systems", "treasury-payments", "--count", "2000", "--format", "csv",
             "--bad-rate", "0.05")
    with open(tmp_path / "treasury-payments.csv", encoding="utf-8", newline="") as stream:
        found = list(csv.DictReader(stream))
    required = BY_CODE["treasury-payments"].field_mapping["required"]
    assert any(not row[column] for row in found for column in required)


@pytest.mark.parametrize(("args", "message"), [
    (["--systems", "no-such-system", "--count", "10"], "no-such-system"),
    (["--count", "0"], "at least 1"),
    (["--count", "10", "--bad-rate", "2"], "between 0 and 1"),
])
def test_bad_arguments_are_refused(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        generate(tmp_path, *args)

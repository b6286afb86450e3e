"""``manage.py detection``: run (progress lines, a non-zero exit status when a model does not
run), export (one warning a JSON line), seed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from search.detection.models import WarningModel
from search.masking import mask_identifier
from search.models import AccessAction, AccessLog

from .linked import person, switched_on
from .test_runs import PAID_AFTER_DEATH


def detection(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("detection", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def model(watcher, load):
    dead = person(1)
    load("death-registrations", [load.death(dead, "2024-03-10")])
    load("social-assistance", [load.assistance(dead, "2024-04-10"), load.assistance(dead, "2024-05-10")])
    return switched_on(watcher, "sequence", PAID_AFTER_DEATH, key="paid-after-death")


def test_run_without_models(systems):
    assert detection("run")[0] == "No warning model is switched on.\n"


def test_run_prints_progress_and_what_each_model_found(model):
    out, err = detection("run")
    lines = out.splitlines()
    assert lines[0] == "paid-after-death: running (full)…"
    assert "paid-after-death: 1 of 1 warnings written" in lines
    assert lines[-1].startswith(
        "paid-after-death v1: 1 warning found, 1 new, 3 evidence records added, 0 exempted (")
    assert err == ""
    out, _err = detection("run", "--model", "paid-after-death")  # since the last run: nothing new
    assert out.splitlines()[0] == "paid-after-death: running (incremental)…"
    assert "0 warnings found, 0 new" in out
    out, _err = detection("run", "--full")
    assert "running (full)" in out and "1 warning found, 0 new" in out


def test_run_fails_with_a_non_zero_status_when_a_model_does_not_run(model):
    WarningModel.objects.filter(pk=model.pk).update(running_since=timezone.now())
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 1 warning models did not run") as failed:
        call_command("detection", "run", stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert "paid-after-death: The warning model paid-after-death is running already" in err.getvalue()


@pytest.mark.parametrize(("args", "message"), [
    (("run", "--model", "nothing"), "No warning model has the key nothing"),
    (("export", "--model", "nothing", "--format", "jsonl"), "No warning model has the key nothing"),
])
def test_an_unknown_model_is_an_error(systems, args, message):
    with pytest.raises(CommandError, match=message):
        detection(*args)


def test_a_model_switched_off_is_an_error_to_run(model):
    WarningModel.objects.filter(pk=model.pk).update(is_active=False)
    with pytest.raises(CommandError, match="not switched on"):
        detection("run", "--model", "paid-after-death")


def test_export_writes_one_warning_a_line(model, watcher, tmp_path):
    detection("run")
    other = switched_on(watcher, "list_match", {
        "kind": "id_number", "system_a": "social-assistance", "roles_a": ["payee"],
        "system_b": "death-registrations", "roles_b": ["deceased"],
    }, key="dead-on-assistance")
    detection("run", "--model", other.key)
    reason = "核查冒领线索，需与民政台账比对"
    exported = detection("export", "--format", "jsonl", "--unmasked", "--reason", reason)[0]
    lines = [json.loads(line) for line in exported.splitlines()]
    assert [line["model"] for line in lines] == ["dead-on-assistance", "paid-after-death"]
    first = lines[1]
    assert first["version"] == 1 and first["state"] == "new" and len(first["fingerprint"]) == 64
    assert first["subjects"] == [{"kind": "id_number", "value": person(1)}]
    assert sorted(item["system"] for item in first["evidence"]) == [
        "death-registrations", "social-assistance", "social-assistance"]
    assert all(item["external_id"] for item in first["evidence"])
    only, _err = detection("export", "--model", "paid-after-death", "--format", "jsonl", "--unmasked",
                           "--reason", reason)
    assert [json.loads(line) for line in only.splitlines()] == [first]
    path = tmp_path / "warnings.jsonl"
    detection("export", "--format", "jsonl", "--output", str(path), "--unmasked", "--reason", reason)
    assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == lines
    with pytest.raises(CommandError, match="Cannot write"):
        detection("export", "--format", "jsonl", "--output", str(tmp_path / "missing" / "x.jsonl"))


def test_export_masks_identifiers_unless_a_reason_is_named_and_every_export_is_on_the_search_log(model):
    detection("run")
    before = AccessLog.objects.filter(action=AccessAction.EXPORT).count()
    line = json.loads(detection("export", "--format", "jsonl")[0])
    assert line["subjects"] == [{"kind": "id_number", "value": mask_identifier(person(1))}]
    assert person(1) not in json.dumps(line) and "*" in line["subjects"][0]["value"]
    masked = AccessLog.objects.filter(action=AccessAction.EXPORT).order_by("-id").first()
    assert (masked.agency, masked.user, masked.hits, masked.purpose) == (model.agency, None, 1, "")
    assert masked.query.startswith("paid-after-death: 1 warnings exported (masked)")
    assert masked.systems == ["death-registrations", "social-assistance"]

    for refused in (("--unmasked",), ("--unmasked", "--reason", "  ")):
        with pytest.raises(CommandError, match="needs --reason"):
            detection("export", "--format", "jsonl", *refused)
    with pytest.raises(CommandError):
        detection("export", "--format", "jsonl", "--masked", "--unmasked", "--reason", "x")
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == before + 1

    detection("export", "--model", "paid-after-death", "--format", "jsonl", "--unmasked",
              "--reason", "比对台账")
    full = AccessLog.objects.filter(action=AccessAction.EXPORT).order_by("-id").first()
    assert full.query.startswith("paid-after-death: 1 warnings exported (unmasked)")
    assert full.purpose == "比对台账"


def test_an_export_of_a_model_without_warnings_is_logged_with_none(model):
    detection("export", "--model", "paid-after-death", "--format", "jsonl")
    entry = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert entry.hits == 0 and entry.query.startswith("paid-after-death: 0 warnings exported")


def test_export_needs_its_format(systems):
    with pytest.raises(CommandError):
        detection("export")


def test_seed_says_what_it_did(systems):
    out, _err = detection("seed")
    assert out.startswith("Warning models seeded: 0 created, 0 already there, ")
    assert "tender-shared-legal-rep: no agency jz-jw" in out

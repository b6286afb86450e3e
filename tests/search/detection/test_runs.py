"""Runs: fingerprints, writing warnings and their evidence once, incremental scopes, exemptions,
one run of a model at a time, progress, the search log, and the runs queued after an ingest."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from search.detection import actions, runs, tasks
from search.detection.models import DetectionRun, RunMode, RunState, Warning, WarningEvidence, WarningState
from search.models import AccessAction, AccessLog, KeyKind
from tests.factories import commission

from .linked import person, switched_on

ID = KeyKind.ID_NUMBER
PAID_AFTER_DEATH = {
    "kind": ID, "system_a": "social-assistance", "roles_a": ["payee"],
    "system_b": "death-registrations", "roles_b": ["deceased"], "min_days": 1,
}


@pytest.fixture
def model(watcher):
    return switched_on(watcher, "sequence", PAID_AFTER_DEATH, key="paid-after-death")


@pytest.fixture
def two_dead(load):
    first, second = person(1), person(2)
    load("death-registrations", [load.death(first, "2024-03-10"), load.death(second, "2024-03-10")])
    load("social-assistance", [load.assistance(first, "2024-04-10"), load.assistance(second, "2024-04-10")])
    return first, second


def evidence_of(subject: str) -> int:
    return WarningEvidence.objects.filter(warning__subjects=[[ID, subject]]).count()


def test_a_fingerprint_is_the_model_and_its_sorted_subjects():
    one = runs.fingerprint("m", [("id_number", "1"), ("credit_code", "2")])
    assert one == runs.fingerprint("m", [("credit_code", "2"), ("id_number", "1")])
    others = {runs.fingerprint("n", [("id_number", "1"), ("credit_code", "2")]),
              runs.fingerprint("m", [("id_number", "1")]), runs.fingerprint("m", [("id_number", "2")])}
    assert len(others | {one}) == 4


def test_a_run_writes_warnings_and_their_evidence_and_a_second_run_adds_nothing(model, two_dead):
    first = actions.run_model(model)
    assert (first.state, first.mode, first.warnings_found, first.new_warnings, first.evidence_added) == (
        RunState.DONE, RunMode.FULL, 2, 2, 4)
    warning = Warning.objects.get(subjects=[[ID, two_dead[0]]])
    assert (warning.state, warning.severity, warning.version, warning.model) == (
        WarningState.NEW, "high", model.active_version, model)
    assert warning.fingerprint == runs.fingerprint(model.key, [(ID, two_dead[0])])
    again = actions.run_model(model)
    assert (again.warnings_found, again.new_warnings, again.evidence_added) == (2, 0, 0)
    assert Warning.objects.count() == 2 and WarningEvidence.objects.count() == 4
    assert Warning.objects.get(pk=warning.pk).last_seen > warning.last_seen


def test_new_evidence_is_appended_to_the_open_warning_only(model, two_dead, load):
    actions.run_model(model)
    Warning.objects.filter(subjects=[[ID, two_dead[1]]]).update(state=WarningState.FALSE_POSITIVE)
    load("social-assistance", [load.assistance(two_dead[0], "2024-05-10"),
                               load.assistance(two_dead[1], "2024-05-10")])
    run = actions.run_model(model)
    assert (run.new_warnings, run.evidence_added) == (0, 1)
    assert (evidence_of(two_dead[0]), evidence_of(two_dead[1])) == (3, 2)
    assert WarningEvidence.objects.filter(run=run).get().warning.subjects == [[ID, two_dead[0]]]


def test_an_incremental_run_looks_only_at_what_the_ingest_added(model, two_dead, load):
    actions.run_model(model)
    Warning.objects.all().delete()
    ingest = load("social-assistance", [load.assistance(two_dead[0], "2024-06-10")])
    run = actions.run_model(model, scope=runs.Scope(ingest_runs=(ingest.pk,)))
    assert (run.mode, run.scope, run.warnings_found, run.new_warnings) == (
        RunMode.INCREMENTAL, {"ingest_runs": [ingest.pk]}, 1, 1)
    assert evidence_of(two_dead[0]) == 3  # the new payment and all the evidence before it
    assert not Warning.objects.filter(subjects=[[ID, two_dead[1]]]).exists()


def test_an_incremental_run_since_the_last_one(model, two_dead, load):
    assert actions.incremental_scope(model) == runs.FULL  # never ran: everything
    actions.run_model(model)
    scope = actions.incremental_scope(model)
    assert scope.since == DetectionRun.objects.get(mode=RunMode.FULL).started_at
    # A run over one ingest's records came after: other loads may have come between, so the
    # next run looks at all records ingested since the full run all the same.
    ingest = load("social-assistance", [load.assistance(person(7), "2024-01-01")])
    actions.run_model(model, scope=runs.Scope(ingest_runs=(ingest.pk,)))
    assert actions.incremental_scope(model) == scope
    assert runs.find(model.active_version, scope).hits == []
    load("social-assistance", [load.assistance(two_dead[1], "2024-07-10")])
    assert [hit.subjects for hit in runs.find(model.active_version, scope).hits] == [[[ID, two_dead[1]]]]


def test_exempted_subjects_are_skipped_until_the_exemption_expires(model, watcher, alice, two_dead):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    exemption = actions.exempt(acting_user=alice, agency=watcher, model=model, kind=ID,
                               value=two_dead[0].lower(), reason="家属代领，款项已退回",
                               expires_on=tomorrow)
    assert exemption.value == two_dead[0]  # normalised as record keys are
    logged = AccessLog.objects.filter(action=AccessAction.MODEL_SAVED).order_by("-pk").first()
    assert (logged.user, logged.query) == (alice, f"paid-after-death: exempted id_number until {tomorrow}")
    run = actions.run_model(model)
    assert (run.warnings_found, run.exempted) == (1, 1)
    assert not Warning.objects.filter(subjects=[[ID, two_dead[0]]]).exists()
    found = runs.find(model.active_version, today=tomorrow + datetime.timedelta(days=1))
    assert (len(found.hits), found.exempted) == (2, 0)  # expired


def test_an_agency_wide_exemption_covers_every_model_of_the_agency_only(model, watcher, two_dead, city):
    actions.exempt(acting_user=None, agency=watcher, kind=ID, value=two_dead[0], reason="已核实",
                   expires_on=timezone.localdate())
    assert runs.find(model.active_version).exempted == 1
    other = switched_on(commission(city, code="other-jw"), "sequence", PAID_AFTER_DEATH, key="elsewhere")
    assert (len(runs.find(other.active_version).hits), runs.find(other.active_version).exempted) == (2, 0)


@pytest.mark.parametrize(("value", "reason", "days"), [
    ("not an id", "已核实", 1), ("110105194912310021", "", 1), ("110105194912310021", "已核实", -1),
])
def test_an_exemption_needs_a_valid_value_a_reason_and_a_future_expiry(model, watcher, value, reason, days):
    with pytest.raises(actions.DetectionError):
        actions.exempt(acting_user=None, agency=watcher, model=model, kind=ID, value=value, reason=reason,
                       expires_on=timezone.localdate() + datetime.timedelta(days=days))
    assert not model.exemptions.exists()


def test_one_run_of_a_model_at_a_time(model, two_dead):
    type(model).objects.filter(pk=model.pk).update(running_since=timezone.now())
    with pytest.raises(actions.ModelBusy, match="running already"):
        actions.run_model(model)
    assert not DetectionRun.objects.exclude(mode=RunMode.BACKTEST).exists()
    # A lock left by a run that died long ago is taken over.
    stale = timezone.now() - actions.STALE_LOCK - datetime.timedelta(minutes=1)
    type(model).objects.filter(pk=model.pk).update(running_since=stale)
    assert actions.run_model(model).state == RunState.DONE
    assert type(model).objects.get(pk=model.pk).running_since is None


def test_a_failed_run_says_why_and_releases_its_lock(model, two_dead, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "find", broken)
    with pytest.raises(RuntimeError):
        actions.run_model(model)
    run = DetectionRun.objects.get(mode=RunMode.FULL)
    assert (run.state, run.error) == (RunState.FAILED, "the database went away")
    assert type(model).objects.get(pk=model.pk).running_since is None
    assert not Warning.objects.exists()


def test_a_model_switched_off_does_not_run(model):
    actions.switch_off(acting_user=None, model=model)
    with pytest.raises(actions.DetectionError, match="not switched on"):
        actions.run_model(model)


def test_progress_and_the_search_log(model, two_dead, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK", 1)
    seen = []
    run = actions.run_model(model, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert (run.done, run.total) == (2, 2)
    entry = AccessLog.objects.filter(action=AccessAction.MODEL_RUN).order_by("-pk").first()
    assert (entry.user, entry.agency, entry.hits) == (None, model.agency, 2)
    assert entry.systems == ["death-registrations", "social-assistance"]
    assert entry.query == "paid-after-death v1: full"


def test_a_finished_load_queues_the_runs_of_the_models_reading_its_system(model, load, watcher, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    other = switched_on(watcher, "grouped_threshold", {
        "system": "hotline-12345", "kind": "phone", "roles": ["caller"], "measure": "count", "at_least": 3,
    }, key="hotline")
    queued, started = [], []
    monkeypatch.setattr(tasks.run_active_models, "delay", lambda **kwargs: queued.append(kwargs))
    monkeypatch.setattr(tasks.run_model, "delay", lambda *args: started.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        ingest = load("social-assistance", [load.assistance(person(9), "2024-01-01")])
    assert queued == [{"full": False, "ingest_run_id": ingest.pk}]
    assert tasks.run_active_models(**queued[0]) == 1
    assert started == [(model.pk, False, [ingest.pk])]
    assert other.pk not in {args[0] for args in started}


def test_the_tasks_run_a_model_and_skip_what_is_switched_off(model, two_dead):
    assert tasks.run_model(model.pk, full=True) == 2
    assert tasks.run_model(model.pk) == 0  # since the last run: nothing new
    actions.switch_off(acting_user=None, model=model)
    assert tasks.run_model(model.pk, full=True) is None
    assert tasks.run_model(10**9) is None


def test_the_nightly_run_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["detection-nightly"]
    assert entry["task"] == tasks.run_active_models.name and entry["kwargs"] == {"full": True}

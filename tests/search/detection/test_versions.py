"""Versions: every save is version n+1 and never changes; switching one on needs a backtest on
record, which writes no warning; versions compare and switch back; hostile parameters get their
messages (in Chinese for a Chinese reader), never an error page."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from search.detection import actions, patterns, versions
from search.detection.models import (
    DetectionRun,
    ImmutableVersion,
    RunMode,
    Scenario,
    Warning,
    WarningEvidence,
    WarningModelVersion,
)
from search.models import KeyKind

from .linked import person, switched_on
from .test_runs import PAID_AFTER_DEATH


@pytest.fixture
def version(watcher):
    scenario = Scenario.objects.create(code="welfare", name="惠民补贴")
    return actions.create_model(acting_user=None, key="paid", name="死亡后发放", scenario=scenario,
                                agency=watcher, template="sequence", parameters=PAID_AFTER_DEATH,
                                severity="high")


def test_a_stored_version_is_never_changed_nor_deleted(version):
    version.parameters = {**version.parameters, "min_days": 0}
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.delete()
    assert WarningModelVersion.objects.get(pk=version.pk).parameters["min_days"] == 1


@pytest.mark.postgres
def test_on_postgresql_not_even_raw_sql_changes_a_version(version):
    for statement in ("UPDATE search_warningmodelversion SET severity = 'low' WHERE id = %s",
                      "DELETE FROM search_warningmodelversion WHERE id = %s"):
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [version.pk])


def test_every_save_is_the_next_version(version):
    second = actions.save_version(acting_user=None, model=version.model, template="sequence",
                                  parameters={**PAID_AFTER_DEATH, "max_days": 365})
    third = actions.save_version(acting_user=None, model=version.model, template="sequence",
                                 parameters=PAID_AFTER_DEATH, severity="low")
    assert [second.number, third.number] == [2, 3]
    assert (second.severity, third.severity) == ("high", "low")  # the model's default, or the one given
    assert second.systems == ["death-registrations", "social-assistance"]
    assert second.parameters == {**PAID_AFTER_DEATH, "max_days": 365}


def test_switching_on_needs_a_backtest_on_record(version):
    with pytest.raises(actions.DetectionError, match="Backtest version 1"):
        actions.switch_on(acting_user=None, version=version)
    actions.backtest(acting_user=None, version=version)
    model = actions.switch_on(acting_user=None, version=version)
    assert (model.is_active, model.active_version) == (True, version)


def test_a_backtest_counts_and_samples_what_it_would_raise_and_saves_no_warning(version, load):
    people = [person(n) for n in range(1, 4)]
    load("death-registrations", [load.death(someone, "2024-03-10") for someone in people])
    load("social-assistance", [load.assistance(someone, "2024-04-10") for someone in people])
    result = actions.backtest(acting_user=None, version=version, sample_size=2)
    assert (result.warnings, result.new_warnings, len(result.sample)) == (3, 3, 2)
    assert all(sampled.is_new for sampled in result.sample)
    assert {record.system.code for record in result.sample[0].records} == {
        "death-registrations", "social-assistance"}
    assert result.seconds >= 0
    assert not Warning.objects.exists() and not WarningEvidence.objects.exists()
    run = DetectionRun.objects.get(mode=RunMode.BACKTEST)
    assert (run.version, run.warnings_found, run.new_warnings) == (version, 3, 3)
    # Once the model has run, a backtest of a new version tells what it would add.
    model = actions.switch_on(acting_user=None, version=version)
    actions.run_model(model)
    narrower = actions.save_version(acting_user=None, model=model, template="sequence",
                                    parameters={**PAID_AFTER_DEATH, "max_days": 10})
    assert (actions.backtest(acting_user=None, version=narrower).warnings, Warning.objects.count()) == (0, 3)
    wider = actions.save_version(acting_user=None, model=model, template="sequence",
                                 parameters={**PAID_AFTER_DEATH, "min_days": -60})
    result = actions.backtest(acting_user=None, version=wider)
    assert (result.warnings, result.new_warnings) == (3, 0)


def test_versions_compare_and_switch_back(version):
    actions.backtest(acting_user=None, version=version)
    model = actions.switch_on(acting_user=None, version=version)
    second = actions.save_version(acting_user=None, model=model, template="sequence",
                                  parameters={**PAID_AFTER_DEATH, "max_days": 90, "min_days": 2},
                                  severity="low")
    assert versions.compare(version, second) == [
        versions.Change("severity", "high", "low"), versions.Change("max_days", None, 90),
        versions.Change("min_days", 1, 2),
    ]
    assert versions.compare(version, version) == []
    actions.backtest(acting_user=None, version=second)
    model = actions.switch_on(acting_user=None, version=second)
    assert actions.switch_back(acting_user=None, model=model).active_version == version
    with pytest.raises(actions.DetectionError, match="No earlier version"):
        actions.switch_back(acting_user=None, model=model.__class__.objects.get(pk=model.pk))


HOSTILE = [
    ("sequence", {**PAID_AFTER_DEATH, "system_a": "no-such-system"}, "system_a"),
    ("sequence", {**PAID_AFTER_DEATH, "roles_a": ["payee'); DROP TABLE search_record; --"]}, "roles_a"),
    ("sequence", {**PAID_AFTER_DEATH, "roles_a": ["deceased"]}, "roles_a"),
    ("sequence", {**PAID_AFTER_DEATH, "kind": "plate"}, "system_a"),
    ("sequence", {**PAID_AFTER_DEATH, "min_days": 10, "max_days": 5}, "max_days"),
    ("sequence", {**PAID_AFTER_DEATH, "max_days": 10**12}, "max_days"),
    ("sequence", {**PAID_AFTER_DEATH, "roles_a": {"$gt": ""}}, "roles_a"),
    ("list_match", {**PAID_AFTER_DEATH, "system_b": "social-assistance", "roles_b": []}, "roles_b"),
    ("grouped_threshold", {"system": "public-resource-trading", "kind": KeyKind.PROJECT, "roles": ["tender"],
                           "measure": "distinct", "at_least": 2}, "counted_kind"),
    ("grouped_threshold", {"system": "government-procurement", "kind": KeyKind.ORGANISATION, "roles": [],
                           "measure": "count", "at_least": "2.5"}, "at_least"),
    ("grouped_threshold", {"system": "government-procurement", "kind": KeyKind.ORGANISATION, "roles": [],
                           "measure": "sum", "at_least": "1e400"}, "at_least"),
    ("outlier", {"system": "treasury-payments", "kind": KeyKind.CREDIT_CODE, "roles": ["payee"],
                 "peers": "key", "centre": "median", "factor": "0.5", "min_peers": 1}, "factor"),
    ("relation_path", {"start_system": "public-officials", "start_kind": KeyKind.ID_NUMBER,
                       "start_roles": ["official"], "hops": "not a list"}, "hops"),
    ("relation_path", {"start_system": "public-officials", "start_kind": KeyKind.ID_NUMBER,
                       "start_roles": ["official"], "hops": [{"via": "value", "system": "nowhere"}]}, "hops"),
    ("relation_path", {"start_system": "public-officials", "start_kind": KeyKind.ID_NUMBER,
                       "start_roles": ["official"], "hops": [{"via": "teleport"}]}, "hops"),
    ("relation_path", {"start_system": "public-officials", "start_kind": KeyKind.ID_NUMBER,
                       "start_roles": ["official"], "hops": [{"via": "record", "kind": "plate"}]}, "hops"),
    ("rescreen", {"screening_list": "nowhere", "systems_searched": ["treasury-payments"]}, "screening_list"),
]


@pytest.mark.parametrize(("template", "parameters", "field"), HOSTILE)
def test_hostile_parameters_get_a_message_in_chinese(watcher, template, parameters, field):
    with translation.override("zh-hans"), pytest.raises(actions.VersionRefused) as refused:
        switched_on(watcher, template, parameters)
    assert field in refused.value.errors
    message = refused.value.errors[field][0]["message"]
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message


@pytest.mark.parametrize("parameters", [None, [], "x", {"kind": None}])
def test_parameters_that_are_no_object_are_refused_too(watcher, parameters):
    with pytest.raises(actions.VersionRefused):
        switched_on(watcher, "sequence", parameters)


def test_an_unknown_template_is_refused(watcher):
    with pytest.raises(actions.VersionRefused, match="no template named"):
        switched_on(watcher, "<script>", {})
    assert set(patterns.TEMPLATES) == {"list_match", "sequence", "grouped_threshold", "first_appearance",
                                       "outlier", "relation_path", "rescreen"}

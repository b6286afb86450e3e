"""Governance: a model reads only the linked systems its owning agency may read, when it is saved
and again at every run; only the agency's members change it and see its warnings; every model
change, run, warning viewed and disposed of is on the search log."""

from __future__ import annotations

import pytest
from django.http import Http404

from agencies.models import AgencyKind, SupervisionClass
from search.detection import actions, permissions, runs
from search.detection.models import Warning, WarningModel, WarningModelVersion, WarningState
from search.investigate.permissions import readable_by_agency
from search.models import AccessAction, AccessLog, KeyKind, SourceSystem, SystemGrant
from tests.factories import AgencyFactory

from .linked import person, switched_on
from .test_runs import PAID_AFTER_DEATH


@pytest.fixture
def audit(systems, city):
    return AgencyFactory(code="test-sjj", kind=AgencyKind.SUPERVISORY,
                         supervision_class=SupervisionClass.AUDIT, region=city)


def test_an_agency_reads_what_any_of_its_roles_may(watcher, audit, our_agency, systems):
    # The restricted system opens to the commission's leaders only: its models read it.
    assert "public-officials" in readable_by_agency(watcher)
    assert set(readable_by_agency(audit)) == set(
        SourceSystem.objects.filter(sensitivity__in=["public", "internal"]).values_list("code", flat=True))
    assert readable_by_agency(our_agency) == {}  # a department without grants, owning nothing


def test_a_model_cannot_name_a_system_its_agency_may_not_read(audit):
    with pytest.raises(actions.VersionRefused, match="death-registrations、social-assistance"):
        switched_on(audit, "sequence", PAID_AFTER_DEATH)
    assert not WarningModel.objects.exists() and not WarningModelVersion.objects.exists()


def test_nor_save_a_version_that_does(watcher, audit):
    model = switched_on(audit, "list_match", {
        "kind": KeyKind.CREDIT_CODE, "system_a": "public-resource-trading", "roles_a": ["winning_bidder"],
        "system_b": "administrative-penalties", "roles_b": ["party"],
    })
    with pytest.raises(actions.VersionRefused, match="social-insurance"):
        actions.save_version(acting_user=None, model=model, template="list_match", parameters={
            **model.active_version.parameters, "system_b": "social-insurance", "roles_b": ["employer"],
        })
    assert model.versions.count() == 1


def test_an_owner_reads_its_own_system(our_agency, systems):
    owned = SourceSystem.objects.filter(code__in=["social-assistance", "death-registrations"])
    owned.update(owner=our_agency)
    assert switched_on(our_agency, "sequence", PAID_AFTER_DEATH).is_active


def test_a_revoked_grant_drops_the_system_at_run_time(watcher, load):
    dead = person(1)
    load("death-registrations", [load.death(dead, "2024-03-10")])
    load("social-assistance", [load.assistance(dead, "2024-04-10")])
    model = switched_on(watcher, "sequence", PAID_AFTER_DEATH)
    assert len(runs.find(model.active_version).hits) == 1
    SystemGrant.objects.filter(system__code="death-registrations").delete()
    run = actions.run_model(model)
    assert (run.systems_dropped, run.warnings_found) == (["death-registrations"], 0)
    assert not Warning.objects.exists()
    entry = AccessLog.objects.filter(action=AccessAction.MODEL_RUN).order_by("-pk").first()
    assert entry.systems == ["social-assistance"]  # what it read
    with pytest.raises(actions.DetectionError, match="death-registrations"):
        actions.switch_on(acting_user=None, version=model.active_version)


def test_only_the_agencys_members_change_its_models(watcher, alice, bob):
    model = switched_on(watcher, "sequence", PAID_AFTER_DEATH)
    with pytest.raises(actions.DetectionError, match="do not act for"):
        actions.save_version(acting_user=bob, model=model, template="sequence", parameters=PAID_AFTER_DEATH)
    version = actions.save_version(acting_user=alice, model=model, template="sequence",
                                   parameters={**PAID_AFTER_DEATH, "min_days": 2}, note="次月起算")
    assert (version.number, version.author, version.note) == (2, alice, "次月起算")


def test_every_model_change_is_on_the_search_log(watcher, alice):
    model = switched_on(watcher, "sequence", PAID_AFTER_DEATH, key="paid")
    version = actions.save_version(acting_user=alice, model=model, template="sequence",
                                   parameters=PAID_AFTER_DEATH)
    actions.backtest(acting_user=alice, version=version)
    actions.switch_on(acting_user=alice, version=version)
    actions.switch_back(acting_user=alice, model=WarningModel.objects.get(pk=model.pk))
    actions.switch_off(acting_user=alice, model=WarningModel.objects.get(pk=model.pk))
    changes = list(AccessLog.objects.filter(action=AccessAction.MODEL_SAVED).order_by("pk")
                   .values_list("user", "query"))
    assert changes == [
        (None, "paid v1: created"), (None, "paid v1: switched on"), (alice.pk, "paid v2: saved"),
        (alice.pk, "paid v2: switched on"), (alice.pk, "paid v1: switched on"),
        (alice.pk, "paid v1: switched off"),
    ]
    backtests = AccessLog.objects.filter(action=AccessAction.MODEL_RUN, query__endswith="backtest")
    assert backtests.count() == 2


def test_a_warning_is_seen_by_its_agency_only_and_each_view_is_logged(watcher, alice, bob, load):
    dead = person(1)
    load("death-registrations", [load.death(dead, "2024-03-10")])
    load("social-assistance", [load.assistance(dead, "2024-04-10")])
    model = switched_on(watcher, "sequence", PAID_AFTER_DEATH)
    actions.run_model(model)
    warning = Warning.objects.get()
    reader = permissions.reader_of(alice, watcher)
    assert permissions.access_warning(reader, str(warning.pk)) == warning
    for stranger, pk in ((permissions.reader_of(bob, bob.memberships.get().agency), warning.pk),
                         (None, warning.pk), (reader, "1 OR 1=1"), (reader, warning.pk + 1)):
        with pytest.raises(Http404):
            permissions.access_warning(stranger, pk)
    permissions.log_warning_viewed(reader, warning, ip="10.0.0.1")
    Warning.objects.filter(pk=warning.pk).update(state=WarningState.FALSE_POSITIVE)
    permissions.log_warning_disposed(reader, Warning.objects.get(pk=warning.pk))
    viewed = AccessLog.objects.get(action=AccessAction.WARNING_VIEWED)
    disposed = AccessLog.objects.get(action=AccessAction.WARNING_DISPOSED)
    assert (viewed.user, viewed.agency, viewed.ip) == (alice, watcher, "10.0.0.1")
    assert viewed.systems == ["death-registrations", "social-assistance"]
    assert disposed.query.endswith(": false_positive") and str(warning.pk) in disposed.query


def test_a_screening_list_of_another_agency_is_refused(watcher, audit):
    actions.create_screening_list(acting_user=None, agency=audit, code="theirs", name="他们的名单")
    with pytest.raises(actions.VersionRefused, match="screening list"):
        switched_on(watcher, "rescreen", {"screening_list": "theirs",
                                          "systems_searched": ["treasury-payments"]})


"""The model-building pages: a model built in a template's form, backtested, switched on, run,
its versions compared and switched back; members of the owning agency only; hostile parameters
answered on the form, never with an error page; the backtest's sample masked as its reader's
own grants say."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from celery import current_app as celery_app
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agencies.models import AgencyKind, Role, SupervisionClass
from search.detection import actions, patterns
from search.detection.models import DetectionRun, RunMode, Scenario, Warning, WarningModel
from search.models import AccessAction, AccessLog
from tests.factories import AgencyFactory, commission, member

from .linked import person, switched_on
from .test_runs import PAID_AFTER_DEATH

FULL_ID = person(1)


def signed_in(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def scenario(db):
    return Scenario.objects.create(code="welfare", name="惠民补贴")


@pytest.fixture
def carol(watcher):
    """The commission's staff: reads the sensitive systems with ID numbers masked."""
    return member(watcher, username="carol", full_name="卡萝", role=Role.STAFF)


@pytest.fixture
def bob(systems, city):
    """A member of another commission."""
    return member(commission(city, code="test-other", name="另一纪委"), username="bob", full_name="鲍勃")


@pytest.fixture
def dave(systems, city):
    """A member of the audit bureau, which may not read the sensitive systems."""
    audit = AgencyFactory(code="test-sjj", kind=AgencyKind.SUPERVISORY,
                          supervision_class=SupervisionClass.AUDIT, region=city)
    return member(audit, username="dave", full_name="戴夫")


@pytest.fixture
def paid_after_death(load):
    people = [person(number) for number in (1, 2)]
    load("death-registrations", [load.death(someone, "2024-03-10") for someone in people])
    load("social-assistance", [load.assistance(someone, "2024-04-10") for someone in people])


def form_data(chosen: Scenario, **changes) -> dict:
    data = {
        "template": "sequence", "name": "死亡后仍发放救助", "key": "paid-after-death", "scenario": chosen.pk,
        "severity": "high", "note": "第一版",
        "p-kind": "id_number", "p-system_a": "social-assistance", "p-roles_a": "payee",
        "p-system_b": "death-registrations", "p-roles_b": "deceased", "p-min_days": "1", "p-max_days": "",
    }
    data.update(changes)
    return data


def test_it_builds_backtests_switches_on_and_runs_a_model(client, alice, scenario, paid_after_death,
                                                          monkeypatch):
    signed_in(client, alice)
    page = client.get(reverse("search:model_new"))
    for pattern in patterns.TEMPLATES.values():  # step one: every template, explained
        assert f"?template={pattern.name}" in page.content.decode()
    assert client.get(reverse("search:model_new") + "?template=sequence").status_code == 200

    saved = client.post(reverse("search:model_new"), form_data(scenario))
    model = WarningModel.objects.get(key="paid-after-death")
    assert saved.url == reverse("search:model_version", args=[model.pk, 1])
    assert (model.agency, model.is_active, model.versions.get().parameters["roles_a"]) == (
        alice.memberships.get().agency, False, ["payee"])

    backtest = client.post(saved.url)
    assert backtest.context["preview"].warnings == 2
    assert "switch-on" in backtest.content.decode()
    assert DetectionRun.objects.filter(mode=RunMode.BACKTEST, version__model=model).count() == 1
    assert not Warning.objects.exists()

    client.post(reverse("search:model_switch", args=[model.pk, "on"]), {"version": "1"})
    model.refresh_from_db()
    assert model.is_active and model.active_version.number == 1

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # the run happens in this process
    queued = client.post(reverse("search:model_run", args=[model.pk]))
    assert Warning.objects.filter(model=model).count() == 2
    page = client.get(queued.url)
    assert page.context["queued_run"]["state"] == "done"
    assert "2 warnings found, 2 new." in page.content.decode()
    run = DetectionRun.objects.get(mode=RunMode.FULL)
    assert run.started_by == alice  # on the search log as who pressed the button
    assert AccessLog.objects.filter(user=alice, action=AccessAction.MODEL_RUN,
                                    query__endswith="full").exists()
    listed = client.get(reverse("search:models")).content.decode()
    assert "死亡后仍发放救助" in listed and "2 warnings found" in listed


def test_the_run_status_answers_queued_then_the_run(client, alice, scenario, paid_after_death):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    signed_in(client, alice)
    queued = client.post(reverse("search:model_run", args=[model.pk]))  # no worker: it waits
    since = parse_qs(urlsplit(queued.url).query)["queued"][0]
    status = client.get(reverse("search:model_run_status", args=[model.pk]), {"since": since}).json()
    assert (status["state"], status["percent"]) == ("queued", None)
    actions.run_model(model, acting_user=alice)
    status = client.get(reverse("search:model_run_status", args=[model.pk]), {"since": since}).json()
    assert (status["state"], status["percent"]) == ("done", 100)
    wrong = client.get(reverse("search:model_run_status", args=[model.pk]), {"since": "yesterday"})
    assert wrong.status_code == 404


def test_it_checks_access(client, alice, bob, scenario):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    signed_in(client, bob)
    assert "sequence" not in client.get(reverse("search:models")).content.decode()
    for name, args in (("model", [model.pk]), ("model_edit", [model.pk]), ("model_compare", [model.pk]),
                       ("model_version", [model.pk, 1])):
        assert client.get(reverse(f"search:{name}", args=args)).status_code == 404
    for name, args in (("model_run", [model.pk]), ("model_switch", [model.pk, "off"]),
                       ("model_version", [model.pk, 1])):
        assert client.post(reverse(f"search:{name}", args=args)).status_code == 404
    model.refresh_from_db()
    assert model.is_active and not DetectionRun.objects.exclude(mode=RunMode.BACKTEST).exists()


def test_someone_acting_for_no_agency_finds_nothing(client, django_user_model, alice, scenario):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    client.force_login(django_user_model.objects.create_user("charlie", password="x"))
    assert client.get(reverse("search:models")).status_code == 404
    assert client.get(reverse("search:model", args=[model.pk])).status_code == 404


def test_a_system_the_agency_may_not_read_is_neither_offered_nor_accepted(client, dave, scenario):
    signed_in(client, dave)
    page = client.get(reverse("search:model_new") + "?template=sequence")
    offered = [code for code, _label in page.context["params"].fields["system_a"].choices]
    assert "social-assistance" not in offered and "government-procurement" in offered
    refused = client.post(reverse("search:model_new"), form_data(scenario))
    assert refused.status_code == 400
    assert "social-assistance" in refused.context["params"].errors["system_a"][0]
    assert not WarningModel.objects.exists()


def test_a_relation_path_through_an_unreadable_system_is_refused_with_a_message(client, dave, scenario):
    signed_in(client, dave)
    data = {"template": "relation_path", "name": "关系链", "key": "path", "scenario": scenario.pk,
            "severity": "high", "p-start_system": "market-entities", "p-start_kind": "credit_code",
            "p-hops": '[{"via": "value", "system": "social-assistance", "roles": []}]'}
    refused = client.post(reverse("search:model_new"), data)
    assert refused.status_code == 400
    assert refused.context["params"].errors  # said on the form, whichever check finds it first
    assert not WarningModel.objects.exists()


DEEP = "[" * 5_000 + "]" * 5_000


@pytest.mark.parametrize(("changes", "field"), [
    ({"p-min_days": "", "p-system_a": ""}, "system_a"),
    ({"p-min_days": "99999999999999999999999"}, "min_days"),
    ({"p-min_days": "-99999"}, "min_days"),
    ({"p-min_days": "5", "p-max_days": "-3"}, "max_days"),
    ({"p-roles_a": "<script>alert(1)</script>"}, "roles_a"),
    ({"p-kind": "nothing"}, "kind"),
])
def test_hostile_parameters_are_answered_on_the_form(client, alice, scenario, changes, field):
    signed_in(client, alice, "zh-hans")
    answer = client.post(reverse("search:model_new"), form_data(scenario, **changes))
    assert answer.status_code == 400
    with translation.override("zh-hans"):  # as the page was written: some messages are lazy
        message = str(answer.context["params"].errors[field][0])
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message
    assert not WarningModel.objects.exists()


def test_hostile_model_fields_are_answered_on_the_form(client, alice, scenario):
    signed_in(client, alice)
    for changes, field in (({"key": "../../etc"}, "key"), ({"name": ""}, "name"),
                           ({"scenario": "x"}, "scenario"), ({"name": "名" * 1_000}, "name"),
                           ({"severity": "apocalyptic"}, "severity")):
        answer = client.post(reverse("search:model_new"), form_data(scenario, **changes))
        assert answer.status_code == 400 and field in answer.context["form"].errors
    assert not WarningModel.objects.exists()


def test_deep_json_and_an_unknown_template_get_a_message(client, alice, scenario):
    signed_in(client, alice)
    data = {"template": "relation_path", "name": "深", "key": "deep", "scenario": scenario.pk,
            "severity": "low", "p-start_system": "public-officials", "p-start_kind": "id_number",
            "p-hops": DEEP}
    answer = client.post(reverse("search:model_new"), data)
    assert answer.status_code == 400 and "hops" in answer.context["params"].errors
    unknown = client.post(reverse("search:model_new"), form_data(scenario, template="<script>"))
    assert unknown.status_code == 200 and "template-choices" in unknown.content.decode()
    assert not WarningModel.objects.exists()


def test_a_key_taken_is_said_on_the_key(client, alice, scenario):
    switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, key="paid-after-death",
                scenario=scenario)
    signed_in(client, alice)
    answer = client.post(reverse("search:model_new"), form_data(scenario))
    assert answer.status_code == 400 and "exists already" in answer.context["form"].errors["key"][0]


def test_the_backtest_sample_is_masked_by_the_readers_own_grants(client, alice, carol, scenario,
                                                                 paid_after_death):
    version = actions.create_model(
        acting_user=alice, key="paid", name="死亡后发放", scenario=scenario,
        agency=alice.memberships.get().agency, template="sequence", parameters=PAID_AFTER_DEATH,
        severity="high",
    )
    url = reverse("search:model_version", args=[version.model_id, 1])
    leader = signed_in(client, alice).post(url).content.decode()
    assert FULL_ID in leader  # the commission's leaders see identifiers in full
    client.logout()
    staff = signed_in(client, carol).post(url).content.decode()
    assert FULL_ID not in staff and FULL_ID[-4:] in staff
    assert FULL_ID[6:14] not in staff  # the birth date, hidden in subjects and records alike
    assert "2 warnings" in staff


def test_a_new_version_is_compared_and_switched_back(client, alice, scenario):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    signed_in(client, alice)
    edit = client.get(reverse("search:model_edit", args=[model.pk]))
    assert edit.context["params"]["roles_a"].value() == "payee"  # starts from the version on
    saved = client.post(reverse("search:model_edit", args=[model.pk]),
                        form_data(scenario, **{"p-max_days": "30", "note": "三十天内"}))
    assert saved.url == reverse("search:model_version", args=[model.pk, 2])
    compared = client.get(reverse("search:model_compare", args=[model.pk]), {"a": "1", "b": "2"})
    assert [(change.label, change.before, change.after) for change in compared.context["changes"]] == [
        ("A at most this many days after B", "—", "30")]
    missing = client.get(reverse("search:model_compare", args=[model.pk]), {"a": "1", "b": "9"})
    assert missing.status_code == 404
    # Not backtested: it cannot be switched on, and the page says why.
    refused = client.post(reverse("search:model_switch", args=[model.pk, "on"]), {"version": "2"},
                          follow=True)
    assert "Backtest version 2" in refused.content.decode()
    client.post(reverse("search:model_version", args=[model.pk, 2]))
    client.post(reverse("search:model_switch", args=[model.pk, "on"]), {"version": "2"})
    model.refresh_from_db()
    assert model.active_version.number == 2
    client.post(reverse("search:model_switch", args=[model.pk, "back"]))
    model.refresh_from_db()
    assert model.active_version.number == 1
    client.post(reverse("search:model_switch", args=[model.pk, "off"]))
    model.refresh_from_db()
    assert not model.is_active
    changes = AccessLog.objects.filter(user=alice, action=AccessAction.MODEL_SAVED).values_list(
        "query", flat=True)
    assert {"test-model v2: saved", "test-model v2: switched on", "test-model v1: switched on",
            "test-model v1: switched off"} <= set(changes)
    page = client.get(reverse("search:model", args=[model.pk])).content.decode()
    assert "三十天内" in page and "run-now" not in page  # switched off: nothing to run


def test_unknown_switches_and_versions_are_not_found(client, alice, scenario):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    signed_in(client, alice)
    assert client.post(reverse("search:model_switch", args=[model.pk, "sideways"])).status_code == 404
    no_number = client.post(reverse("search:model_switch", args=[model.pk, "on"]), {"version": "x"})
    assert no_number.status_code == 404
    assert client.get(reverse("search:model_version", args=[model.pk, 7])).status_code == 404
    assert client.get(reverse("search:model_edit", args=[model.pk]), {"version": "x"}).status_code == 200


def test_numbers_beyond_any_id_are_not_found(client, alice, scenario):
    model = switched_on(alice.memberships.get().agency, "sequence", PAID_AFTER_DEATH, scenario=scenario)
    signed_in(client, alice)
    huge = 10**30
    assert client.get(reverse("search:model", args=[huge])).status_code == 404
    assert client.get(reverse("search:model_version", args=[model.pk, huge])).status_code == 404
    compared = client.get(reverse("search:model_compare", args=[model.pk]), {"a": "1", "b": str(huge)})
    assert compared.status_code == 404
    switched = client.post(reverse("search:model_switch", args=[model.pk, "on"]), {"version": str(huge)})
    assert switched.status_code == 404

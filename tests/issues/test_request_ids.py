"""Request ids: every action taken through a request is tied to it on the record and in the logs.

(Each action's own HTTP test in test_issue_actions_http.py also checks that its event carries the
id of the response that answered it.)
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common import request_ids
from issues import tasks
from issues.models import Issue, IssueEvent
from tests.factories import pushed_issue


@pytest.fixture
def console():
    """What the portal's own log handler (settings.LOGGING) writes, as text."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, logging.Formatter)
                   and "request_id" in (h.formatter._fmt or ""))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def act(client, user, issue, action, headers=None, **data):
    client.force_login(user)
    return client.post(reverse("issues:act", args=[issue.pk, action]), data, headers=headers or {})


def test_every_response_carries_an_id(client, db):
    first, second = client.get("/healthz"), client.get(reverse("login"))
    assert first["X-Request-ID"] and second["X-Request-ID"]
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_id_on_the_record_is_the_responses_and_the_logs(client, issue, assignment, alice, console):
    response = act(client, alice, issue, "sign", assignment=assignment.pk)
    event = issue.events.get(action="sign")
    assert len(event.request_id) == 32 and event.request_id == response["X-Request-ID"]
    line = next(line for line in console.getvalue().splitlines() if "issues.actions" in line)
    assert f"[{event.request_id}] issues.actions issue {issue.number}: event #2 sign" in line


def test_the_proxys_id_is_kept(client, issue, assignment, alice):
    response = act(client, alice, issue, "sign", headers={"X-Request-ID": "nginx-7f3a.42"},
                   assignment=assignment.pk)
    assert response["X-Request-ID"] == "nginx-7f3a.42"
    assert issue.events.get(action="sign").request_id == "nginx-7f3a.42"


@pytest.mark.parametrize("sent", ["", "x" * 41, "含中文", "a b", "-leading-dash", "a\nb"])
def test_an_unusable_id_is_replaced(client, issue, assignment, alice, sent):
    response = act(client, alice, issue, "sign", headers={"X-Request-ID": sent}, assignment=assignment.pk)
    stored = issue.events.get(action="sign").request_id
    assert stored == response["X-Request-ID"] != sent
    assert len(stored) == 32


def test_a_refused_action_records_nothing_but_still_answers_with_its_id(client, issue, assignment, bob):
    response = act(client, bob, issue, "sign", assignment=assignment.pk)
    assert response.status_code == 404 and response["X-Request-ID"]
    assert not issue.events.filter(action="sign").exists()


def test_the_new_issue_page_records_its_push(client, carol, city_commission, our_agency):
    client.force_login(carol)
    response = client.post(reverse("issues:new"), {
        "title": "园区入口缺少路灯", "description": "夜间无照明。", "category": "construction",
        "source": "supervision", "priority": "normal", "lead": our_agency.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    })
    assert response.status_code == 302
    event = IssueEvent.objects.get(issue=Issue.objects.get(), action="push")
    assert event.request_id == response["X-Request-ID"]


def test_an_action_outside_a_request_has_no_id(issue):
    assert issue.events.get(action="push").request_id == ""
    assert request_ids.current() == ""


def test_a_celery_task_records_its_task_id(city_commission, our_agency, our_group, alice, carol, gina):
    """The reminder sweep's automatic urge carries the id of the task run that made it."""
    cst = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=cst), tick=False):
        issue = pushed_issue(carol, city_commission, our_agency, deadline=dt.date(2026, 3, 13))
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=cst), tick=False):
        result = tasks.sweep_reminders.apply()
    assert result.successful() and result.result["urges"] == 1
    urge = issue.events.get(action="urge")
    assert urge.automation_rule and urge.request_id == result.id
    assert request_ids.current() == ""  # the worker forgets it once the task is done


def test_a_command_leaves_it_empty(issue, alice, assignment):
    call_command("audit_verify", stdout=io.StringIO())
    assert set(IssueEvent.objects.values_list("request_id", flat=True)) == {""}
    assert settings.MIDDLEWARE[0] == "common.request_ids.RequestIdMiddleware"

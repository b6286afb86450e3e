"""The models' statistics: precision and the funnel warnings → clues → issues → closed issues,
the page with its charts' data, and the .xlsx export with its heading; and the live stream a run
announces its new warnings on."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import timezone

from issues.models import IssueState
from notifications.live import events, streams
from notifications.models import LiveEvent
from search.detection import actions, live, triage
from search.detection.models import Warning, WarningModel, WarningState
from search.detection.permissions import agency_models
from search.detection.statistics import statistics
from search.harvest.actions import push_clue

from .test_triage_pages import signed_in

FALSE_POSITIVE = WarningState.FALSE_POSITIVE


def funnel(line) -> tuple:
    return (line.warnings, line.open, line.disposed, line.confirmed, line.clues, line.issues, line.closed)


def test_precision_is_a_dash_until_something_is_disposed_of(watcher, raised):
    (line,) = statistics(agency_models(watcher)).models
    assert funnel(line) == (3, 3, 0, 0, 0, 0, 0)
    assert (line.precision, line.precision_text) == (None, "—")


def test_precision_and_the_funnel_count_what_went_on(alice, watcher, raised, other_agency):
    first = triage.confirm(acting_user=alice, agency=watcher, warning=raised[0], reason="一")
    triage.confirm(acting_user=alice, agency=watcher, warning=raised[1], reason="二", clue=first)
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[2], state=FALSE_POSITIVE, reason="同名")
    numbers = statistics(agency_models(watcher))
    (line,), (scenario,) = numbers.models, numbers.scenarios
    assert funnel(line) == funnel(scenario) == (3, 0, 3, 2, 1, 0, 0)
    assert line.precision == Decimal("66.7") and line.precision_text == "66.7%"
    issue = push_clue(acting_user=alice, agency=watcher, clue=first, category="construction",
                      priority="normal", deadline=None, lead=other_agency)
    assert funnel(statistics(agency_models(watcher)).models[0])[-2:] == (1, 0)
    type(issue).objects.filter(pk=issue.pk).update(state=IssueState.CLOSED)
    assert funnel(statistics(agency_models(watcher)).models[0])[-2:] == (1, 1)


def test_models_without_warnings_are_listed_at_zero_and_periods_filter(alice, watcher, raised):
    later = Warning.objects.get(pk=raised[0].pk)
    Warning.objects.filter(pk=later.pk).update(first_seen=later.first_seen.replace(year=2030))
    numbers = statistics(agency_models(watcher), first_seen_to=timezone.localdate(later.first_seen))
    assert numbers.models[0].warnings == 2
    WarningModel.objects.create(key="idle", name="闲置模型", scenario=raised[0].model.scenario,
                                agency=watcher)
    lines = {line.name: line.warnings for line in statistics(agency_models(watcher)).models}
    assert lines == {"paid-after-death": 3, "闲置模型": 0}


def test_the_page_and_its_spreadsheet(client, alice, watcher, raised):
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[0], state=FALSE_POSITIVE, reason="同名")
    signed_in(client, alice)
    response = client.get(reverse("search:warning_statistics"))
    assert response.status_code == 200
    assert response.context["charts"]["funnel"] == [[3, 0, 0, 0]]
    assert 'id="warning-charts-data"' in response.content.decode()
    scenario = raised[0].model.scenario
    export = client.get(reverse("search:warning_statistics_xlsx"), {"scenario": scenario.pk})
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "测试市纪委监委" in rows[0][0]
    assert rows[1][1] == f"Scenario: {scenario.name}"
    assert rows[3][1].startswith("艾丽")
    header = rows.index(["Scenario", "Warning model", "Warnings", "Open", "Disposed of", "Confirmed",
                         "Precision", "Clues", "Issues", "Closed issues"])
    assert rows[header + 1] == [scenario.name, "paid-after-death", 3, 2, 1, 0, "0.0%", 0, 0, 0]
    assert rows[header + 2][:3] == [scenario.name, "(all models)", 3]
    bad = client.get(reverse("search:warning_statistics_xlsx"),
                     {"scenario": "x", "first_seen_from": "yesterday"})
    assert bad.status_code == 200


def test_a_run_announces_its_new_warnings_to_the_agency(
    watcher, alice, raised, django_capture_on_commit_callbacks
):
    stream = events.warnings_stream(watcher.pk)
    assert streams.kind(events.WARNINGS).may_read(alice.pk, watcher.pk)
    assert not live.may_read_warnings(alice.pk, watcher.pk + 1000)
    model = raised[0].model
    Warning.objects.filter(model=model).delete()
    with django_capture_on_commit_callbacks(execute=True):
        actions.run_model(model)
    (message,) = LiveEvent.objects.filter(stream=stream)
    assert message.payload == {"type": "warnings.raised", "model": model.pk, "new": 3}
    with django_capture_on_commit_callbacks(execute=True):
        actions.run_model(model)  # nothing new: nothing announced
    assert LiveEvent.objects.filter(stream=stream).count() == 1



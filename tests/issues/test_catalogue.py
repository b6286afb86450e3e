"""The workflow catalogue is the one place an action is described (issues.workflow.catalogue).

Buttons, the action view, the actions themselves, the timeline and the notices all read its
entry, so changing the entry changes all of them at once: these tests change one and look.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django.utils.translation import override

from issues import workflow
from issues.models import AssignmentState
from issues.reading.timeline import timeline
from issues.workflow import catalogue
from issues.workflow.available import available_actions
from issues.workflow.catalogue import SPECS, Action, Target
from issues.workflow.rules import Context
from notifications.models import NotificationKind
from tests.issues.test_issue_page import signed_in

pytestmark = pytest.mark.django_db


def assignments_of(issue):
    return list(issue.assignments.select_related("agency").order_by("pk"))


def test_every_action_has_one_entry_and_one_function():
    assert set(SPECS) == set(Action.values)
    for action in Action:
        assert SPECS[action].action == action
        assert catalogue._FUNCTIONS[action].__name__ == action.value


def test_every_button_says_what_it_does_and_how_the_record_reads_it():
    for spec in SPECS.values():
        if spec.target == Target.NONE:
            continue
        assert spec.form is not None, spec.name
        assert str(spec.label) and str(spec.done) and str(spec.phrase), spec.name
        assert spec.icon != "dot", spec.name
        assert spec.rule is not None, spec.name
    kinds = set(NotificationKind.values)
    assert all(notice.kind in kinds for spec in SPECS.values() for notice in spec.notices)


def test_a_role_taken_from_the_entry_leaves_the_button_and_the_action(
    monkeypatch, issue, assignment, alice, our_agency
):
    assert available_actions(our_agency, "staff", issue, assignments_of(issue)).allows("sign", assignment)
    monkeypatch.setitem(SPECS, Action.SIGN, dataclasses.replace(SPECS[Action.SIGN], roles=frozenset()))
    assert not available_actions(our_agency, "staff", issue, assignments_of(issue)).allows("sign", assignment)
    with pytest.raises(workflow.NotPermitted):
        workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)


def test_the_action_refuses_with_the_rule_the_button_was_offered_by(
    client, issue, assignment, alice, our_agency
):
    """A page left open after a colleague signed: the button's rule now refuses, and the action
    (and the view that dispatches to it through the catalogue) says the same thing."""
    page = Context.of(our_agency, issue, user=alice, assignment=assignment)
    assert SPECS[Action.SIGN].allowed(page)
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED
    now = Context.of(our_agency, issue, user=alice, assignment=assignment)
    with override("en"):
        with pytest.raises(workflow.Conflict) as by_rule:
            SPECS[Action.SIGN].require(now)
        with pytest.raises(workflow.Conflict) as by_action:
            workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    assert str(by_rule.value) == str(by_action.value) == (
        "This assignment has already been signed for or has ended."
    )
    response = signed_in(client, alice, language="en").post(
        reverse("issues:act", args=[issue.pk, "sign"]),
        {"agency": our_agency.pk, "assignment": assignment.pk},
    )
    assert response.status_code == 409
    assert "This assignment has already been signed for or has ended." in response.content.decode()


def test_actions_without_a_button_cannot_be_posted(client, issue, carol, city_commission):
    client = signed_in(client, carol)
    for name in ("push", "auto_urge", "note_report_read", "no_such_action"):
        response = client.post(reverse("issues:act", args=[issue.pk, name]), {"agency": city_commission.pk})
        assert response.status_code == 404, name


def test_the_timeline_reads_the_phrase_and_icon_of_the_entry(monkeypatch, issue):
    monkeypatch.setitem(
        SPECS, Action.PUSH, dataclasses.replace(SPECS[Action.PUSH], phrase="launched it", icon="rocket")
    )
    events, holds = timeline(issue)
    assert holds
    assert (events[0].label, events[0].icon) == ("launched it", "rocket")

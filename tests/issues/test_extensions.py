"""延期: the handler asks for a later deadline; the initiator grants or refuses it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from issues import workflow
from issues.models import Extension, ExtensionState
from issues.workflow.available import available_actions

LATER = dt.timedelta(days=30)


def ask(user, agency, issue, assignment, *, reason="需协调市住建局，现场施工受雨季影响", deadline=None):
    return workflow.request_extension(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, reason=reason,
        deadline=deadline or timezone.localdate() + LATER,
    )


@pytest.fixture
def asked(signed, assignment, alice, our_agency):
    return ask(alice, our_agency, signed, assignment)


# --- request_extension ----------------------------------------------------------------------------


def test_the_handler_asks_with_a_reason_and_a_date(signed, assignment, alice, our_agency, city_commission):
    old = assignment.deadline
    extension = ask(alice, our_agency, signed, assignment)
    assert (extension.state, extension.old_deadline) == (ExtensionState.PENDING, old)
    assert extension.proposed_deadline == timezone.localdate() + LATER
    event = signed.events.get(action="request_extension")
    assert (event.actor, event.agency, event.related_agency) == (alice, our_agency, city_commission)
    assert event.after["proposed_deadline"] == extension.proposed_deadline.isoformat()
    assignment.refresh_from_db()
    assert assignment.deadline == old  # nothing moves until the initiator answers


def test_a_pending_assignment_may_ask_too(issue, assignment, alice, our_agency):
    assert ask(alice, our_agency, issue, assignment).state == ExtensionState.PENDING


def test_asking_needs_a_reason_and_a_later_date(signed, assignment, alice, our_agency):
    with pytest.raises(workflow.ActionError):
        ask(alice, our_agency, signed, assignment, reason="  ")
    with pytest.raises(workflow.ActionError):
        ask(alice, our_agency, signed, assignment, deadline=assignment.deadline)
    assert not Extension.objects.exists()


def test_one_request_at_a_time(asked, signed, assignment, alice, our_agency):
    with pytest.raises(workflow.Conflict):
        ask(alice, our_agency, signed, assignment)
    assert Extension.objects.count() == 1


def test_a_reported_assignment_cannot_ask(reported, assignment, alice, our_agency):
    with pytest.raises(workflow.Conflict):
        ask(alice, our_agency, reported, assignment)


def test_another_party_cannot_ask(
    signed, assignment, carol, city_commission, bob, other_agency, gina, our_group
):
    for user, agency in [(carol, city_commission), (bob, other_agency), (gina, our_group)]:
        with pytest.raises(workflow.NotPermitted):
            ask(user, agency, signed, assignment)


def test_a_liaison_role_cannot_ask(signed, assignment, our_agency, with_role):
    with pytest.raises(workflow.NotPermitted):
        ask(with_role(our_agency, Role.LIAISON), our_agency, signed, assignment)


# --- grant_extension --------------------------------------------------------------------------------


def grant(user, agency, issue, assignment, deadline=None):
    return workflow.grant_extension(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, deadline=deadline
    )


def test_the_initiator_grants_the_date_asked_for(asked, signed, assignment, carol, city_commission):
    extension = grant(carol, city_commission, signed, assignment)
    assert (extension.state, extension.granted_deadline) == (ExtensionState.GRANTED, asked.proposed_deadline)
    assignment.refresh_from_db()
    signed.refresh_from_db()
    assert assignment.deadline == asked.proposed_deadline
    assert signed.deadline == asked.proposed_deadline  # the issue's deadline follows the latest owed
    assert signed.due_date == asked.proposed_deadline  # and so does its light
    event = signed.events.get(action="grant_extension")
    assert (event.actor, event.related_agency) == (carol, assignment.agency)


def test_the_initiator_may_grant_another_date(asked, signed, assignment, carol, city_commission):
    other = timezone.localdate() + dt.timedelta(days=20)
    assert grant(carol, city_commission, signed, assignment, other).granted_deadline == other
    assignment.refresh_from_db()
    assert assignment.deadline == other


def test_granting_with_nothing_asked_is_a_conflict(signed, assignment, carol, city_commission):
    with pytest.raises(workflow.Conflict):
        grant(carol, city_commission, signed, assignment)


def test_granting_twice_is_a_conflict(asked, signed, assignment, carol, city_commission):
    grant(carol, city_commission, signed, assignment)
    with pytest.raises(workflow.Conflict):
        grant(carol, city_commission, signed, assignment)
    assert signed.events.filter(action="grant_extension").count() == 1


def test_the_handler_cannot_grant_itself_more_time(
    asked, signed, assignment, alice, our_agency, bob, other_agency
):
    for user, agency in [(alice, our_agency), (bob, other_agency)]:
        with pytest.raises(workflow.NotPermitted):
            grant(user, agency, signed, assignment)
    assert Extension.objects.get().state == ExtensionState.PENDING


def test_a_liaison_role_cannot_grant(asked, signed, assignment, city_commission, with_role):
    with pytest.raises(workflow.NotPermitted):
        grant(with_role(city_commission, Role.LIAISON), city_commission, signed, assignment)


# --- refuse_extension -------------------------------------------------------------------------------


def refuse(user, agency, issue, assignment, reason="时限内可完成，不予延期"):
    return workflow.refuse_extension(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, reason=reason
    )


def test_the_initiator_refuses_with_a_reason(asked, signed, assignment, carol, city_commission):
    old = assignment.deadline
    extension = refuse(carol, city_commission, signed, assignment)
    assert (extension.state, extension.decision_reason) == (ExtensionState.REFUSED, "时限内可完成，不予延期")
    assignment.refresh_from_db()
    assert assignment.deadline == old
    assert signed.events.get(action="refuse_extension").reason == "时限内可完成，不予延期"


def test_refusing_needs_a_reason(asked, signed, assignment, carol, city_commission):
    with pytest.raises(workflow.ActionError):
        refuse(carol, city_commission, signed, assignment, reason="")
    assert Extension.objects.get().state == ExtensionState.PENDING


def test_refusing_with_nothing_asked_is_a_conflict(signed, assignment, carol, city_commission):
    with pytest.raises(workflow.Conflict):
        refuse(carol, city_commission, signed, assignment)


def test_the_handler_cannot_refuse(asked, signed, assignment, alice, our_agency, gina, our_group):
    for user, agency in [(alice, our_agency), (gina, our_group)]:
        with pytest.raises(workflow.NotPermitted):
            refuse(user, agency, signed, assignment)


def test_a_liaison_role_cannot_refuse(asked, signed, assignment, city_commission, with_role):
    with pytest.raises(workflow.NotPermitted):
        refuse(with_role(city_commission, Role.LIAISON), city_commission, signed, assignment)


def test_after_a_refusal_the_handler_may_ask_again(asked, signed, assignment, alice, our_agency, carol,
                                                   city_commission):
    refuse(carol, city_commission, signed, assignment)
    assert ask(alice, our_agency, signed, assignment).state == ExtensionState.PENDING


# --- the buttons and the page -------------------------------------------------------------------------


def test_the_buttons_follow_the_request(signed, assignment, our_agency, city_commission, alice):
    assignments = list(signed.assignments.all())
    before = available_actions(our_agency, Role.STAFF, signed, assignments)
    assert before.allows("request_extension", assignment)
    ask(alice, our_agency, signed, assignment)
    handler = available_actions(our_agency, Role.STAFF, signed, assignments)
    initiator = available_actions(city_commission, Role.STAFF, signed, assignments)
    assert not handler.allows("request_extension", assignment)
    assert initiator.allows("grant_extension", assignment)
    assert initiator.allows("refuse_extension", assignment)


def test_asking_through_the_page_shows_on_the_record(client, signed, assignment, alice, our_agency):
    client.force_login(alice)
    due = timezone.localdate() + LATER
    response = client.post(reverse("issues:act", args=[signed.pk, "request_extension"]), {
        "assignment": assignment.pk, "agency": our_agency.pk, "reason": "雨季施工受阻",
        "deadline": due.isoformat(),
    })
    assert response.status_code == 302
    page = client.get(signed.get_absolute_url())
    assert "雨季施工受阻" in page.content.decode()

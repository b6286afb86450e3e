"""push (发起/推送): the issue, its parties, permissions and first event appear together, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from agencies.models import Role
from issues import permissions as perms
from issues import workflow
from issues.models import Assignment, Issue, IssueEvent, IssueState, Participant, PartyRole
from tests.factories import AgencyFactory, pushed_issue


def parties(issue) -> set[tuple[str, str]]:
    return {(p.agency.code, p.role) for p in Participant.objects.filter(issue=issue).select_related("agency")}


def test_push_creates_the_issue_its_assignments_parties_and_one_event(
    carol, city_commission, our_agency, other_agency, our_group, city
):
    copied_body = AgencyFactory(code="copied-bureau", region=city)
    issue = pushed_issue(
        carol, city_commission, our_agency, co_handlers=[other_agency], copied=[copied_body, our_agency]
    )

    assert issue.state == IssueState.PUSHED
    assert issue.number == f"JD{issue.pushed_at:%Y}{issue.pk:07d}"
    assert Issue.objects.get(pk=issue.pk).number == issue.number
    roles = {(a.agency_id, a.role, a.state) for a in issue.assignments.all()}
    assert roles == {(our_agency.pk, "lead", "pending"), (other_agency.pk, "co_handler", "pending")}
    assert parties(issue) == {
        ("test-jw", PartyRole.INITIATOR),
        ("our-bureau", PartyRole.LEAD),
        ("other-bureau", PartyRole.CO_HANDLER),
        # The stationed group of our agency and the commission over the city supervise the work.
        ("test-group-1", PartyRole.SUPERVISOR),
        ("test-jw", PartyRole.SUPERVISOR),
        # A handler named as copied as well is not copied twice over.
        ("copied-bureau", PartyRole.COPIED),
    }
    assert perms.agency_holds(city_commission, issue, perms.MANAGE)
    assert perms.agency_holds(our_agency, issue, perms.HANDLE)
    assert perms.agency_holds(our_group, issue, perms.SUPERVISE)
    assert perms.agency_holds(copied_body, issue, perms.VIEW)
    assert not perms.agency_holds(copied_body, issue, perms.HANDLE)
    [event] = IssueEvent.objects.filter(issue=issue)
    assert (event.action, event.seq, event.actor, event.agency) == ("push", 1, carol, city_commission)
    assert event.after["copied"] == [copied_body.pk]
    assert issue.event_count == 1 and issue.record_head == event.hash
    assert issue.due_date == issue.deadline


def test_push_takes_copied_bodies_from_a_generator(carol, city_commission, our_agency, city):
    """The copied bodies are read once: the record names the same ones the parties do."""
    bodies = [AgencyFactory(region=city), AgencyFactory(region=city)]
    issue = pushed_issue(carol, city_commission, our_agency, copied=(b for b in bodies))
    assert issue.events.get().after["copied"] == [b.pk for b in bodies]
    assert Participant.objects.filter(issue=issue, role=PartyRole.COPIED).count() == 2


def test_a_leader_may_push_too(city_commission, our_agency, with_role):
    leader = with_role(city_commission, Role.LEADER)
    assert pushed_issue(leader, city_commission, our_agency).state == IssueState.PUSHED


@pytest.mark.parametrize("role", [Role.LIAISON, Role.ADMINISTRATOR])
def test_wrong_role_cannot_push(city_commission, our_agency, with_role, role):
    with pytest.raises(workflow.NotPermitted):
        pushed_issue(with_role(city_commission, role), city_commission, our_agency)
    assert not Issue.objects.exists()


def test_wrong_party_cannot_push_for_an_agency_it_does_not_belong_to(
    bob, charlie, city_commission, our_agency
):
    for outsider in (bob, charlie):
        with pytest.raises(workflow.NotPermitted):
            pushed_issue(outsider, city_commission, our_agency)
    assert not Issue.objects.exists()


def test_an_inactive_user_cannot_push(carol, city_commission, our_agency):
    carol.is_active = False
    carol.save()
    with pytest.raises(workflow.NotPermitted):
        pushed_issue(carol, city_commission, our_agency)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "This field cannot be blank."),
        ({"title": "长" * 201}, "at most 200 characters"),
        ({"description": ""}, "This field cannot be blank."),
        ({"category": "gossip"}, "is not a valid choice"),
        ({"priority": "whenever"}, "is not a valid choice"),
        ({"deadline": dt.date(2000, 1, 1)}, "The deadline cannot be in the past."),
        ({"deadline": "2099-01-01"}, "Give the date as a calendar day."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    carol, city_commission, our_agency, fields, message
):
    with override("en"), pytest.raises(workflow.ActionError) as refused:
        pushed_issue(carol, city_commission, our_agency, **fields)
    assert message in str(refused.value)
    assert not Issue.objects.exists()
    assert not Assignment.objects.exists() and not IssueEvent.objects.exists()


def test_cannot_push_to_itself(carol, city_commission, our_agency):
    with override("en"), pytest.raises(workflow.ActionError, match="to itself"):
        pushed_issue(carol, city_commission, city_commission)
    with pytest.raises(workflow.ActionError):
        pushed_issue(carol, city_commission, our_agency, co_handlers=[city_commission])
    assert not Issue.objects.exists()


def test_cannot_push_to_an_inactive_agency(carol, city_commission, our_agency, other_agency):
    other_agency.is_active = False
    other_agency.save()
    with override("en"), pytest.raises(workflow.ActionError, match="no longer active"):
        pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    assert not Issue.objects.exists()


def test_the_lead_named_again_as_co_handler_counts_once(carol, city_commission, our_agency, other_agency):
    issue = pushed_issue(
        carol, city_commission, our_agency, co_handlers=[our_agency, other_agency, other_agency]
    )
    assert sorted(issue.assignments.values_list("role", flat=True)) == ["co_handler", "lead"]


def test_an_issue_without_a_deadline_has_no_due_date(carol, city_commission, our_agency):
    issue = pushed_issue(carol, city_commission, our_agency, deadline=None)
    assert issue.deadline is None and issue.due_date is None


def test_the_due_date_is_the_deadline_given(carol, city_commission, our_agency):
    deadline = timezone.localdate() + dt.timedelta(days=3)
    issue = pushed_issue(carol, city_commission, our_agency, deadline=deadline)
    assert Issue.objects.get(pk=issue.pk).due_date == deadline

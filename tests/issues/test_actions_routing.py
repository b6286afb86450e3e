"""Who works on an issue and who follows it: transfer (转办), assign (分办), copy (抄送), consult (会商)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from agencies.models import Role
from issues import permissions as perms
from issues import workflow
from issues.models import Assignment, AssignmentState, Comment, IssueState, Participant, PartyRole
from tests.factories import AgencyFactory, member, pushed_issue


def roles_of(issue, agency) -> set[str]:
    return set(Participant.objects.filter(issue=issue, agency=agency).values_list("role", flat=True))


def transfer(user, agency, issue, assignment, to, reason="应由财政局办理"):
    return workflow.transfer(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, to=to, reason=reason
    )


# --- transfer -----------------------------------------------------------------------------------


def test_the_handlers_leader_transfers_its_assignment(signed, assignment, alan, our_agency, other_agency):
    new = transfer(alan, our_agency, signed, assignment, other_agency)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.TRANSFERRED
    assert (assignment.end_reason, assignment.suggested_agency) == ("应由财政局办理", other_agency)
    assert (new.agency, new.role, new.state, new.transferred_from) == (
        other_agency,
        "lead",
        AssignmentState.PENDING,
        assignment,
    )
    assert new.deadline == assignment.deadline
    # The old handler keeps reading what happened but can no longer act.
    assert roles_of(signed, our_agency) == {PartyRole.FORMER_HANDLER}
    assert perms.agency_holds(our_agency, signed, perms.VIEW)
    assert not perms.agency_holds(our_agency, signed, perms.HANDLE)
    assert perms.agency_holds(other_agency, signed, perms.HANDLE)
    with pytest.raises(workflow.Conflict):
        workflow.report(acting_user=alan, agency=our_agency, issue=signed, assignment=assignment, text="x")
    with pytest.raises(workflow.Conflict):
        transfer(alan, our_agency, signed, assignment, other_agency)
    event = signed.events.get(action="transfer")
    assert (event.before["agency"], event.after["agency"], event.related_agency) == (
        our_agency.pk,
        other_agency.pk,
        other_agency,
    )


def test_the_initiator_reroutes_a_declined_assignment(
    issue, assignment, alice, our_agency, cora, city_commission, other_agency
):
    workflow.decline(
        acting_user=alice,
        agency=our_agency,
        issue=issue,
        assignment=assignment,
        reason="非本局",
        suggested=other_agency,
    )
    new = transfer(cora, city_commission, issue, assignment, other_agency)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED  # kept as it was, with its reason
    assert new.transferred_from == assignment and new.state == AssignmentState.PENDING
    issue.refresh_from_db()
    assert issue.due_date == new.deadline
    # Routing history: the declined one points at the one that replaced it, once.
    with pytest.raises(workflow.Conflict):
        transfer(cora, city_commission, issue, assignment, AgencyFactory(region=our_agency.region))
    assert list(Assignment.objects.filter(issue=issue).order_by("pk").values_list("state", flat=True)) == [
        "declined",
        "pending",
    ]


def test_rerouting_brings_a_reported_issue_back_in_progress(
    carol, cora, city_commission, our_agency, other_agency, alice, bob, city
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    ours, theirs = issue.assignments.get(agency=our_agency), issue.assignments.get(agency=other_agency)
    workflow.sign(acting_user=bob, agency=other_agency, issue=issue, assignment=theirs)
    workflow.report(acting_user=bob, agency=other_agency, issue=issue, assignment=theirs, text="已整改")
    workflow.decline(
        acting_user=alice, agency=our_agency, issue=issue, assignment=ours, reason="非本局", suggested=None
    )
    issue.refresh_from_db()
    assert issue.state == IssueState.REPORTED
    transfer(cora, city_commission, issue, ours, AgencyFactory(region=city))
    issue.refresh_from_db()
    assert issue.state == IssueState.IN_PROGRESS


def test_the_initiator_may_move_an_open_assignment(issue, assignment, cora, city_commission, other_agency):
    new = transfer(cora, city_commission, issue, assignment, other_agency)
    assert new.assigned_by == city_commission


def test_transfer_needs_a_reason_and_a_receiving_body(signed, assignment, alan, our_agency, other_agency):
    with override("en"), pytest.raises(workflow.ActionError, match="Say why"):
        transfer(alan, our_agency, signed, assignment, other_agency, reason=" ")
    with override("en"), pytest.raises(workflow.ActionError, match="Choose the body"):
        transfer(alan, our_agency, signed, assignment, None)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED


def test_transfer_to_itself_the_initiator_or_an_inactive_body_is_refused(
    signed, assignment, alan, our_agency, city_commission, city
):
    retired = AgencyFactory(region=city, is_active=False)
    for to in (our_agency, city_commission, retired):
        with pytest.raises(workflow.ActionError):
            transfer(alan, our_agency, signed, assignment, to)
    assert signed.assignments.count() == 1


def test_transfer_to_a_body_already_handling_is_refused(
    carol, city_commission, our_agency, other_agency, alan
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    with override("en"), pytest.raises(workflow.ActionError, match="already handling"):
        transfer(alan, our_agency, issue, issue.assignments.get(agency=our_agency), other_agency)


def test_transfer_of_a_reported_assignment_is_a_conflict(
    reported, assignment, cora, city_commission, other_agency
):
    with pytest.raises(workflow.Conflict):
        transfer(cora, city_commission, reported, assignment, other_agency)


def test_transfer_by_staff_or_another_party_is_not_permitted(
    signed, assignment, alice, our_agency, bert, other_agency, gina, our_group, city
):
    target = AgencyFactory(region=city)
    with pytest.raises(workflow.NotPermitted):
        transfer(alice, our_agency, signed, assignment, target)  # staff: the leader decides
    with pytest.raises(workflow.NotPermitted):
        transfer(bert, other_agency, signed, assignment, target)
    with pytest.raises(workflow.NotPermitted):
        transfer(member(our_group, role=Role.LEADER), our_group, signed, assignment, target)


def test_transfer_of_a_closed_issue_is_a_conflict(closed, assignment, cora, city_commission, other_agency):
    with pytest.raises(workflow.Conflict):
        transfer(cora, city_commission, closed, assignment, other_agency)


# --- assign -------------------------------------------------------------------------------------


def test_the_lead_assigns_co_handlers(signed, assignment, alan, our_agency, other_agency, city):
    third = AgencyFactory(region=city)
    created = workflow.assign(
        acting_user=alan, agency=our_agency, issue=signed, co_handlers=[other_agency, third, other_agency]
    )
    assert sorted(a.agency_id for a in created) == sorted([other_agency.pk, third.pk])
    assert {a.role for a in created} == {"co_handler"}
    assert all(a.deadline == assignment.deadline and a.assigned_by == our_agency for a in created)
    assert roles_of(signed, other_agency) == {PartyRole.CO_HANDLER}
    assert signed.events.get(action="assign").after == {"co_handlers": [a.agency_id for a in created]}


def test_a_co_handler_deadline_cannot_pass_the_leads(signed, alan, our_agency, other_agency, assignment):
    later = assignment.deadline + dt.timedelta(days=1)
    with pytest.raises(workflow.ActionError):
        workflow.assign(
            acting_user=alan, agency=our_agency, issue=signed, co_handlers=[other_agency], deadline=later
        )
    past = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(workflow.ActionError):
        workflow.assign(
            acting_user=alan, agency=our_agency, issue=signed, co_handlers=[other_agency], deadline=past
        )
    sooner = timezone.localdate() + dt.timedelta(days=2)
    [created] = workflow.assign(
        acting_user=alan, agency=our_agency, issue=signed, co_handlers=[other_agency], deadline=sooner
    )
    signed.refresh_from_db()
    assert created.deadline == sooner == signed.due_date


def test_assign_needs_a_co_handler(signed, alan, our_agency, city_commission):
    for bodies in ([], [our_agency], [city_commission]):
        with pytest.raises(workflow.ActionError):
            workflow.assign(acting_user=alan, agency=our_agency, issue=signed, co_handlers=bodies)


def test_assign_by_staff_a_co_handler_or_another_party_is_not_permitted(
    carol, city_commission, our_agency, other_agency, alice, bert, cora, city
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    third = AgencyFactory(region=city)
    for user, agency in ((alice, our_agency), (bert, other_agency), (cora, city_commission)):
        with pytest.raises(workflow.NotPermitted):
            workflow.assign(acting_user=user, agency=agency, issue=issue, co_handlers=[third])
    assert issue.assignments.count() == 2


def test_assign_once_reported_is_a_conflict(reported, alan, our_agency, other_agency):
    with pytest.raises(workflow.Conflict):
        workflow.assign(acting_user=alan, agency=our_agency, issue=reported, co_handlers=[other_agency])


# --- copy ---------------------------------------------------------------------------------------


def test_copy_lets_a_body_follow_read_only(issue, carol, city_commission, other_agency, bob):
    added = workflow.copy(acting_user=carol, agency=city_commission, issue=issue, bodies=[other_agency])
    assert added == [other_agency]
    assert roles_of(issue, other_agency) == {PartyRole.COPIED}
    assert perms.access_issue(bob, issue.pk) == issue
    assert not perms.agency_holds(other_agency, issue, perms.HANDLE)
    with pytest.raises(workflow.NotPermitted):
        workflow.comment(acting_user=bob, agency=other_agency, issue=issue, text="我们也看看")
    with pytest.raises(workflow.ActionError):  # already on the issue
        workflow.copy(acting_user=carol, agency=city_commission, issue=issue, bodies=[other_agency])
    assert list(issue.events.values_list("action", flat=True)) == ["push", "copy"]


def test_a_handler_may_copy_but_not_a_copied_body_or_a_supervisor(
    issue, alice, our_agency, other_agency, bob, gina, our_group, city
):
    workflow.copy(acting_user=alice, agency=our_agency, issue=issue, bodies=[other_agency])
    third = AgencyFactory(region=city)
    with pytest.raises(workflow.NotPermitted):
        workflow.copy(acting_user=bob, agency=other_agency, issue=issue, bodies=[third])
    with pytest.raises(workflow.NotPermitted):
        workflow.copy(acting_user=member(our_group), agency=our_group, issue=issue, bodies=[third])


def test_copy_to_a_party_already_there_is_refused(issue, carol, city_commission, our_agency):
    with pytest.raises(workflow.ActionError):
        workflow.copy(
            acting_user=carol, agency=city_commission, issue=issue, bodies=[our_agency, city_commission]
        )


def test_copy_by_a_liaison_or_of_a_withdrawn_issue(issue, city_commission, other_agency, with_role, cora):
    with pytest.raises(workflow.NotPermitted):
        workflow.copy(
            acting_user=with_role(city_commission, Role.LIAISON),
            agency=city_commission,
            issue=issue,
            bodies=[other_agency],
        )
    workflow.withdraw(acting_user=cora, agency=city_commission, issue=issue, reason="重复立项")
    with pytest.raises(workflow.Conflict):
        workflow.copy(acting_user=cora, agency=city_commission, issue=issue, bodies=[other_agency])


# --- consult ------------------------------------------------------------------------------------


def test_consult_invites_bodies_to_read_and_comment_in_one_event(issue, gina, our_group, other_agency, bob):
    workflow.consult(
        acting_user=gina, agency=our_group, issue=issue, bodies=[other_agency], question=" 请财政局核实资金 "
    )
    assert roles_of(issue, other_agency) == {PartyRole.CONSULTEE}
    assert perms.access_issue(bob, issue.pk) == issue
    [question] = Comment.objects.filter(issue=issue)
    assert (question.text, question.agency) == ("请财政局核实资金", our_group)
    assert list(issue.events.values_list("action", flat=True)) == ["push", "consult"]
    workflow.comment(acting_user=bob, agency=other_agency, issue=issue, text="资金已拨付")
    assert Comment.objects.filter(issue=issue).count() == 2
    # A consultee answers; it does not bring in others.
    with pytest.raises(workflow.NotPermitted):
        workflow.consult(acting_user=bob, agency=other_agency, issue=issue, bodies=[our_group], question="?")


def test_a_copied_body_may_be_consulted_after_all(issue, carol, city_commission, other_agency, bob):
    workflow.copy(acting_user=carol, agency=city_commission, issue=issue, bodies=[other_agency])
    workflow.consult(
        acting_user=carol, agency=city_commission, issue=issue, bodies=[other_agency], question="请会商"
    )
    workflow.comment(acting_user=bob, agency=other_agency, issue=issue, text="同意")


def test_consult_needs_a_question_and_someone_new(issue, carol, city_commission, other_agency, our_agency):
    with pytest.raises(workflow.ActionError):
        workflow.consult(
            acting_user=carol, agency=city_commission, issue=issue, bodies=[other_agency], question=" "
        )
    with pytest.raises(workflow.ActionError):
        workflow.consult(
            acting_user=carol, agency=city_commission, issue=issue, bodies=[our_agency], question="?"
        )
    assert not Comment.objects.exists()
    assert issue.events.count() == 1


def test_consult_by_an_outsider_or_a_former_handler(
    issue, assignment, bob, other_agency, alice, our_agency, city
):
    third = AgencyFactory(region=city)
    with pytest.raises(workflow.NotPermitted):
        workflow.consult(acting_user=bob, agency=other_agency, issue=issue, bodies=[third], question="?")
    workflow.decline(
        acting_user=alice,
        agency=our_agency,
        issue=issue,
        assignment=assignment,
        reason="非本局",
        suggested=None,
    )
    with pytest.raises(workflow.NotPermitted):
        workflow.consult(acting_user=alice, agency=our_agency, issue=issue, bodies=[third], question="?")


def test_consult_with_the_wrong_role(issue, city_commission, other_agency, with_role):
    with pytest.raises(workflow.NotPermitted):
        workflow.consult(
            acting_user=with_role(city_commission, Role.ADMINISTRATOR),
            agency=city_commission,
            issue=issue,
            bodies=[other_agency],
            question="?",
        )


def test_assign_after_our_own_report_is_a_conflict(
    carol, city_commission, our_agency, other_agency, alice, alan, city
):
    # The issue is still in progress (the co-handler works on), but our lead work was reported:
    # a page offering "assign" is stale, which is a conflict, not a stranger's attempt.
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    lead = issue.assignments.get(agency=our_agency)
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=lead)
    workflow.report(acting_user=alice, agency=our_agency, issue=issue, assignment=lead, text="已整改完毕")
    issue.refresh_from_db()
    assert issue.state == "in_progress"
    with pytest.raises(workflow.Conflict):
        third = AgencyFactory(region=city)
        workflow.assign(acting_user=alan, agency=our_agency, issue=issue, co_handlers=[third])

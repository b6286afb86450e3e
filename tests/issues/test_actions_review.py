"""The initiator's side: accept_report, reject_report (退回重办), close (对账销号), withdraw, reopen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from agencies.models import Role
from issues import permissions as perms
from issues import workflow
from issues.models import AssignmentState, IssueState, Participant, PartyRole
from tests.factories import AgencyFactory, pushed_issue


def state_of(issue, assignment) -> tuple[str, str]:
    issue.refresh_from_db()
    assignment.refresh_from_db()
    return issue.state, assignment.state


# --- accept_report and reject_report -------------------------------------------------------------


def test_accept_report(reported, assignment, carol, city_commission):
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    assert state_of(reported, assignment) == (IssueState.REPORTED, AssignmentState.ACCEPTED)
    assert assignment.accepted_at is not None


def test_reject_report_sends_the_handler_back_to_work(reported, assignment, carol, city_commission):
    workflow.reject_report(
        acting_user=carol, agency=city_commission, issue=reported, assignment=assignment, reason=" 缺少照片 "
    )
    assert state_of(reported, assignment) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)
    assert assignment.reported_at is None
    assert reported.events.get(action="reject_report").reason == "缺少照片"


def test_reject_report_needs_a_reason(reported, assignment, carol, city_commission):
    with override("en"), pytest.raises(workflow.ActionError, match="missing from the report"):
        workflow.reject_report(
            acting_user=carol, agency=city_commission, issue=reported, assignment=assignment, reason=""
        )
    assert state_of(reported, assignment) == (IssueState.REPORTED, AssignmentState.REPORTED)


@pytest.mark.parametrize("review", ["accept_report", "reject_report"])
def test_review_of_a_report_not_yet_sent_is_a_conflict(signed, assignment, carol, city_commission, review):
    with pytest.raises(workflow.Conflict):
        getattr(workflow, review)(
            acting_user=carol,
            agency=city_commission,
            issue=signed,
            assignment=assignment,
            **({"reason": "x"} if review == "reject_report" else {}),
        )


@pytest.mark.parametrize("review", ["accept_report", "reject_report"])
def test_review_by_the_handler_a_supervisor_or_the_wrong_role(
    reported, assignment, alan, our_agency, gina, our_group, city_commission, with_role, review
):
    extra = {"reason": "x"} if review == "reject_report" else {}
    for user, agency in (
        (alan, our_agency),
        (gina, our_group),
        (with_role(city_commission, Role.LIAISON), city_commission),
    ):
        with pytest.raises(workflow.NotPermitted):
            getattr(workflow, review)(
                acting_user=user, agency=agency, issue=reported, assignment=assignment, **extra
            )
    assert state_of(reported, assignment) == (IssueState.REPORTED, AssignmentState.REPORTED)


# --- close --------------------------------------------------------------------------------------


def test_close_once_every_report_is_accepted(closed, assignment):
    assert (closed.state, assignment.state) == (IssueState.CLOSED, AssignmentState.ACCEPTED)
    assert closed.closed_at is not None and closed.due_date is None
    assert closed.events.last().reason == "整改到位"


def test_close_while_a_report_is_not_accepted(reported, carol, city_commission):
    with override("en"), pytest.raises(workflow.ActionError, match="must be accepted"):
        workflow.close(acting_user=carol, agency=city_commission, issue=reported)
    reported.refresh_from_db()
    assert reported.state == IssueState.REPORTED


def test_close_while_a_co_handler_still_works_is_a_conflict(
    carol, city_commission, our_agency, other_agency, alice, bob
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    ours = issue.assignments.get(agency=our_agency)
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=ours)
    workflow.report(acting_user=alice, agency=our_agency, issue=issue, assignment=ours, text="已整改")
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=issue, assignment=ours)
    with pytest.raises(workflow.Conflict):  # the issue is still in progress: bob has not reported
        workflow.close(acting_user=carol, agency=city_commission, issue=issue)


def test_close_by_the_handler_or_a_supervisor(
    reported, assignment, carol, alan, our_agency, gina, our_group, city_commission
):
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    for user, agency in ((alan, our_agency), (gina, our_group)):
        with pytest.raises(workflow.NotPermitted):
            workflow.close(acting_user=user, agency=agency, issue=reported)


def test_close_with_the_wrong_role(reported, assignment, carol, city_commission, with_role):
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    with pytest.raises(workflow.NotPermitted):
        workflow.close(
            acting_user=with_role(city_commission, Role.LIAISON), agency=city_commission, issue=reported
        )


# --- withdraw -----------------------------------------------------------------------------------


def test_withdraw_ends_every_live_assignment_and_retires_the_handlers(
    signed, assignment, cora, city_commission, our_agency, alice
):
    workflow.withdraw(acting_user=cora, agency=city_commission, issue=signed, reason=" 重复立项 ")
    assert state_of(signed, assignment) == (IssueState.WITHDRAWN, AssignmentState.WITHDRAWN)
    assert assignment.end_reason == "重复立项" and signed.closed_at is not None and signed.due_date is None
    roles = set(Participant.objects.filter(issue=signed, agency=our_agency).values_list("role", flat=True))
    assert roles == {PartyRole.FORMER_HANDLER}
    assert perms.access_issue(alice, signed.pk) == signed
    assert not perms.agency_holds(our_agency, signed, perms.HANDLE)


def test_withdraw_needs_a_reason_a_leader_and_the_initiator(
    issue, carol, cora, city_commission, alan, our_agency
):
    with pytest.raises(workflow.ActionError):
        workflow.withdraw(acting_user=cora, agency=city_commission, issue=issue, reason="  ")
    with pytest.raises(workflow.NotPermitted):
        workflow.withdraw(acting_user=carol, agency=city_commission, issue=issue, reason="x")  # staff
    with pytest.raises(workflow.NotPermitted):
        workflow.withdraw(acting_user=alan, agency=our_agency, issue=issue, reason="x")  # the handler
    issue.refresh_from_db()
    assert issue.state == IssueState.PUSHED


def test_withdraw_twice_or_after_closing_is_a_conflict(closed, cora, city_commission):
    with pytest.raises(workflow.Conflict):
        workflow.withdraw(acting_user=cora, agency=city_commission, issue=closed, reason="x")


# --- reopen -------------------------------------------------------------------------------------


def test_the_initiator_reopens_with_a_new_deadline(
    closed, assignment, cora, city_commission, alice, our_agency
):
    deadline = timezone.localdate() + dt.timedelta(days=5)
    workflow.reopen(
        acting_user=cora, agency=city_commission, issue=closed, reason="群众再次反映", deadline=deadline
    )
    assert state_of(closed, assignment) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)
    assert closed.closed_at is None and assignment.accepted_at is None and assignment.reported_at is None
    assert assignment.deadline == deadline == closed.due_date
    # The handler works on from where it stood: it reports again.
    workflow.report(
        acting_user=alice, agency=our_agency, issue=closed, assignment=assignment, text="再次整改"
    )
    closed.refresh_from_db()
    assert closed.state == IssueState.REPORTED


def test_the_commission_reopens_in_re_supervision(city, city_commission, our_agency, with_role):
    """The commission of the jurisdiction reopens even an issue another body pushed."""
    audit = AgencyFactory(region=city, kind="supervisory", supervision_class="audit", code="audit-bureau")
    auditor = with_role(audit, Role.STAFF)
    issue = pushed_issue(auditor, audit, our_agency)
    [asg] = issue.assignments.all()
    handler = with_role(our_agency, Role.STAFF)
    workflow.sign(acting_user=handler, agency=our_agency, issue=issue, assignment=asg)
    workflow.report(acting_user=handler, agency=our_agency, issue=issue, assignment=asg, text="已整改")
    workflow.accept_report(acting_user=auditor, agency=audit, issue=issue, assignment=asg)
    workflow.close(acting_user=auditor, agency=audit, issue=issue)
    leader = with_role(city_commission, Role.LEADER)
    workflow.reopen(acting_user=leader, agency=city_commission, issue=issue, reason="再监督")
    issue.refresh_from_db()
    assert issue.state == IssueState.IN_PROGRESS


def test_reopen_needs_a_reason_and_a_closed_issue(closed, reported, cora, city_commission):
    with pytest.raises(workflow.ActionError):
        workflow.reopen(acting_user=cora, agency=city_commission, issue=closed, reason="")
    with pytest.raises(workflow.ActionError):
        workflow.reopen(
            acting_user=cora, agency=city_commission, issue=closed, reason="x", deadline=dt.date(2000, 1, 1)
        )
    closed.refresh_from_db()
    assert closed.state == IssueState.CLOSED


def test_reopen_of_an_open_issue_is_a_conflict(signed, cora, city_commission):
    with pytest.raises(workflow.Conflict):
        workflow.reopen(acting_user=cora, agency=city_commission, issue=signed, reason="x")


def test_reopen_by_the_handler_its_group_or_staff(
    closed, alan, our_agency, our_group, carol, city_commission, with_role
):
    group_leader = with_role(our_group, Role.LEADER)
    for user, agency in ((alan, our_agency), (group_leader, our_group), (carol, city_commission)):
        with pytest.raises(workflow.NotPermitted):
            workflow.reopen(acting_user=user, agency=agency, issue=closed, reason="x")

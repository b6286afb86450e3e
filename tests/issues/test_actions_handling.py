"""The handler's own actions: sign (签收), decline (退回), report (反馈), approve_report."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from agencies.models import Role
from issues import permissions as perms
from issues import workflow
from issues.models import AssignmentState, IssueState, Participant, PartyRole
from tests.factories import pushed_issue


def actions_of(issue) -> list[str]:
    return list(issue.events.order_by("seq").values_list("action", flat=True))


# --- sign ---------------------------------------------------------------------------------------


def test_sign_takes_the_assignment_on_and_starts_the_issue(issue, assignment, alice, our_agency):
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    assert (issue.state, assignment.state) == (IssueState.IN_PROGRESS, AssignmentState.SIGNED)
    assert assignment.signed_at is not None
    assert actions_of(issue) == ["push", "sign"]
    event = issue.events.get(action="sign")
    assert (event.before["state"], event.after["state"], event.assignment) == (
        "pending",
        "signed",
        assignment,
    )


def test_sign_twice_is_a_conflict(signed, assignment, alan, our_agency):
    with pytest.raises(workflow.Conflict):
        workflow.sign(acting_user=alan, agency=our_agency, issue=signed, assignment=assignment)
    assert actions_of(signed) == ["push", "sign"]


def test_sign_by_another_party_is_not_permitted(issue, assignment, bob, other_agency, carol, city_commission):
    for user, agency in ((bob, other_agency), (carol, city_commission)):
        with pytest.raises(workflow.NotPermitted):
            workflow.sign(acting_user=user, agency=agency, issue=issue, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING


def test_sign_by_a_co_handler_for_the_leads_assignment_is_not_permitted(
    carol, city_commission, our_agency, other_agency, bob
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    lead = issue.assignments.get(agency=our_agency)
    with pytest.raises(workflow.NotPermitted):
        workflow.sign(acting_user=bob, agency=other_agency, issue=issue, assignment=lead)


def test_sign_with_the_wrong_role_is_not_permitted(issue, assignment, our_agency, with_role):
    with pytest.raises(workflow.NotPermitted):
        workflow.sign(
            acting_user=with_role(our_agency, Role.LIAISON),
            agency=our_agency,
            issue=issue,
            assignment=assignment,
        )


def test_sign_for_an_agency_the_user_does_not_belong_to(issue, assignment, bob, our_agency):
    with override("en"), pytest.raises(workflow.NotPermitted, match="do not act for this agency"):
        workflow.sign(acting_user=bob, agency=our_agency, issue=issue, assignment=assignment)


def test_sign_an_assignment_of_another_issue(issue, alice, our_agency, carol, city_commission):
    other = pushed_issue(carol, city_commission, our_agency)
    with pytest.raises(workflow.ActionError):
        workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=other.assignments.get())


# --- decline ------------------------------------------------------------------------------------


def decline(user, agency, issue, assignment, *, reason="x", suggested=None):
    return workflow.decline(
        acting_user=user,
        agency=agency,
        issue=issue,
        assignment=assignment,
        reason=reason,
        suggested=suggested,
    )


def test_decline_returns_the_work_to_the_initiator(issue, assignment, alice, our_agency, other_agency):
    decline(alice, our_agency, issue, assignment, reason="  不属本局职责 ", suggested=other_agency)
    assignment.refresh_from_db()
    issue.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED
    assert (assignment.end_reason, assignment.suggested_agency) == ("不属本局职责", other_agency)
    # No live handler remains: the issue waits, unchanged, for the initiator to re-route it.
    assert issue.state == IssueState.PUSHED
    assert issue.due_date is None
    roles = set(Participant.objects.filter(issue=issue, agency=our_agency).values_list("role", flat=True))
    assert roles == {PartyRole.FORMER_HANDLER}
    assert perms.agency_holds(our_agency, issue, perms.VIEW)
    assert not perms.agency_holds(our_agency, issue, perms.HANDLE)
    event = issue.events.get(action="decline")
    assert (event.reason, event.related_agency) == ("不属本局职责", other_agency)


def test_a_declining_handler_can_act_no_more(issue, assignment, alice, our_agency):
    decline(alice, our_agency, issue, assignment, reason="不属本局")
    # Not "no business here": the issue changed under it (typically a colleague declined it).
    with override("en"), pytest.raises(workflow.Conflict, match="no longer handles this issue"):
        workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)


def test_decline_when_the_rest_have_reported_leaves_the_issue_reported(
    carol, city_commission, our_agency, other_agency, alice, bob
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    ours, theirs = issue.assignments.get(agency=our_agency), issue.assignments.get(agency=other_agency)
    workflow.sign(acting_user=bob, agency=other_agency, issue=issue, assignment=theirs)
    workflow.report(acting_user=bob, agency=other_agency, issue=issue, assignment=theirs, text="已整改")
    decline(alice, our_agency, issue, ours)
    issue.refresh_from_db()
    assert issue.state == IssueState.REPORTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_decline_needs_a_reason(issue, assignment, alice, our_agency, reason):
    with pytest.raises(workflow.ActionError):
        decline(alice, our_agency, issue, assignment, reason=reason)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING


def test_decline_cannot_suggest_the_declining_agency(issue, assignment, alice, our_agency):
    with pytest.raises(workflow.ActionError):
        decline(alice, our_agency, issue, assignment, suggested=our_agency)


def test_decline_after_reporting_is_a_conflict(reported, assignment, alice, our_agency):
    with pytest.raises(workflow.Conflict):
        decline(alice, our_agency, reported, assignment)


def test_decline_by_another_party_or_role(issue, assignment, bob, other_agency, our_agency, with_role):
    with pytest.raises(workflow.NotPermitted):
        decline(bob, other_agency, issue, assignment)
    with pytest.raises(workflow.NotPermitted):
        decline(with_role(our_agency, Role.LIAISON), our_agency, issue, assignment)


# --- report and approve_report -----------------------------------------------------------------


def test_report_by_staff_goes_out_when_no_approval_is_needed(signed, assignment, alice, our_agency):
    workflow.report(
        acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text=" 已整改 "
    )
    assignment.refresh_from_db()
    signed.refresh_from_db()
    assert (assignment.state, assignment.report_text) == (AssignmentState.REPORTED, "已整改")
    assert assignment.reported_at is not None
    assert signed.state == IssueState.REPORTED
    assert signed.events.get(action="report").after["attachments"] == []


def test_report_waits_for_the_leader_when_the_agency_says_so(signed, assignment, alice, alan, our_agency):
    our_agency.report_needs_approval = True
    our_agency.save()
    workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text="已整改")
    assignment.refresh_from_db()
    signed.refresh_from_db()
    assert assignment.state == AssignmentState.AWAITING_APPROVAL and assignment.reported_at is None
    assert signed.state == IssueState.IN_PROGRESS  # not out yet: the initiator has nothing to verify

    workflow.approve_report(acting_user=alan, agency=our_agency, issue=signed, assignment=assignment)
    assignment.refresh_from_db()
    signed.refresh_from_db()
    assert assignment.state == AssignmentState.REPORTED and assignment.reported_at is not None
    assert signed.state == IssueState.REPORTED
    assert actions_of(signed) == ["push", "sign", "report", "approve_report"]


def test_the_approval_setting_is_read_from_the_database_not_the_callers_copy(
    signed, assignment, alice, our_agency
):
    type(our_agency).objects.filter(pk=our_agency.pk).update(report_needs_approval=True)
    assert our_agency.report_needs_approval is False  # the caller's copy is stale
    workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text="已整改")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.AWAITING_APPROVAL


def test_a_leaders_own_report_needs_no_approval(signed, assignment, alan, our_agency):
    our_agency.report_needs_approval = True
    our_agency.save()
    workflow.report(acting_user=alan, agency=our_agency, issue=signed, assignment=assignment, text="已整改")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REPORTED


def test_approve_report_only_by_a_leader_of_the_handler(
    signed, assignment, alice, our_agency, bert, other_agency
):
    our_agency.report_needs_approval = True
    our_agency.save()
    workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text="已整改")
    with pytest.raises(workflow.NotPermitted):
        workflow.approve_report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment)
    with pytest.raises(workflow.NotPermitted):
        workflow.approve_report(acting_user=bert, agency=other_agency, issue=signed, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.AWAITING_APPROVAL


def test_approve_report_when_nothing_waits_is_a_conflict(signed, assignment, alan, our_agency):
    with pytest.raises(workflow.Conflict):
        workflow.approve_report(acting_user=alan, agency=our_agency, issue=signed, assignment=assignment)


def test_report_before_signing_is_a_conflict(issue, assignment, alice, our_agency):
    with pytest.raises(workflow.Conflict):
        workflow.report(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment, text="x")


def test_report_twice_is_a_conflict(reported, assignment, alice, our_agency):
    with pytest.raises(workflow.Conflict):
        workflow.report(acting_user=alice, agency=our_agency, issue=reported, assignment=assignment, text="x")


def test_report_needs_text(signed, assignment, alice, our_agency):
    with override("en"), pytest.raises(workflow.ActionError, match="Write what was done"):
        workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text=" ")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED


def test_report_by_another_party_or_role(
    signed, assignment, bob, other_agency, our_agency, gina, our_group, with_role
):
    for user, agency in (
        (bob, other_agency),
        (gina, our_group),
        (with_role(our_agency, Role.LIAISON), our_agency),
    ):
        with pytest.raises(workflow.NotPermitted):
            workflow.report(acting_user=user, agency=agency, issue=signed, assignment=assignment, text="x")
    assert actions_of(signed) == ["push", "sign"]

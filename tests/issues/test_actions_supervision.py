"""urge (督办) by the supervisors of a handler, and comment by the parties whose voice counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from agencies.models import Role
from issues import workflow
from issues.models import Comment, Urge
from tests.factories import commission, pushed_issue

SOON = dt.timedelta(days=2)


def urge(user, agency, issue, assignment, *, text="请于两日内反馈", due_date=None):
    return workflow.urge(
        acting_user=user,
        agency=agency,
        issue=issue,
        assignment=assignment,
        text=text,
        due_date=due_date or timezone.localdate() + SOON,
    )


# --- urge ---------------------------------------------------------------------------------------


def test_the_stationed_liaison_urges_with_a_due_date_of_its_own(
    issue, assignment, gina, our_group, our_agency
):
    created = urge(gina, our_group, issue, assignment)
    assert (created.assignment, created.by_agency, created.by_user) == (assignment, our_group, gina)
    assert created.due_date == timezone.localdate() + SOON
    event = issue.events.get(action="urge")
    assert (event.reason, event.related_agency, event.after["urge"]) == (
        "请于两日内反馈",
        our_agency,
        created.pk,
    )
    assert event.after["due_date"] == created.due_date.isoformat()


def test_the_commission_leader_urges(signed, assignment, cora, city_commission):
    urge(cora, city_commission, signed, assignment)
    assert Urge.objects.filter(by_agency=city_commission).count() == 1


def test_a_commission_of_the_region_above_urges_too(issue, assignment, city, with_role):
    from agencies.models import Level
    from tests.factories import RegionFactory

    province = RegionFactory(code="test-province", level=Level.PROVINCE)
    city.parent = province
    city.save()
    provincial = commission(province, code="province-jw")
    # A new issue: supervisors become parties when a handler is assigned, with the province in place.
    later = pushed_issue(with_role(provincial, Role.STAFF), provincial, assignment.agency)
    urge(with_role(provincial, Role.LIAISON), provincial, later, later.assignments.get())


def test_a_stationed_group_urges_only_the_departments_it_is_stationed_at(
    carol, city_commission, our_agency, other_agency, gina, our_group
):
    issue = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    theirs = issue.assignments.get(agency=other_agency)
    with override("en"), pytest.raises(workflow.NotPermitted, match="does not supervise this handler"):
        urge(gina, our_group, issue, theirs)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMINISTRATOR])
def test_urge_with_the_wrong_role(issue, assignment, our_group, with_role, role):
    with pytest.raises(workflow.NotPermitted):
        urge(with_role(our_group, role), our_group, issue, assignment)


def test_urge_by_the_handler_the_initiator_alone_or_an_outsider(
    issue, assignment, alan, our_agency, bert, other_agency, city, with_role
):
    from tests.factories import AgencyFactory

    audit = AgencyFactory(region=city, kind="supervisory", supervision_class="audit")
    pushed_by_audit = pushed_issue(with_role(audit, Role.STAFF), audit, our_agency)
    for user, agency, target in (
        (alan, our_agency, issue),
        (bert, other_agency, issue),
        (with_role(audit, Role.LEADER), audit, pushed_by_audit),  # initiating is not supervising
    ):
        with pytest.raises(workflow.NotPermitted):
            urge(user, agency, target, target.assignments.get())
    assert not Urge.objects.exists()


def test_urge_needs_text_and_a_due_date_not_past(issue, assignment, gina, our_group):
    with pytest.raises(workflow.ActionError):
        urge(gina, our_group, issue, assignment, text=" ")
    with pytest.raises(workflow.ActionError):
        urge(gina, our_group, issue, assignment, due_date=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(workflow.ActionError):
        workflow.urge(
            acting_user=gina, agency=our_group, issue=issue, assignment=assignment, text="x", due_date=None
        )
    assert not Urge.objects.exists() and issue.events.count() == 1


def test_urge_of_a_reported_or_closed_assignment_is_a_conflict(reported, assignment, gina, our_group):
    with pytest.raises(workflow.Conflict):
        urge(gina, our_group, reported, assignment)


def test_urge_of_a_withdrawn_issue_is_a_conflict(issue, assignment, gina, our_group, cora, city_commission):
    workflow.withdraw(acting_user=cora, agency=city_commission, issue=issue, reason="重复")
    with pytest.raises(workflow.Conflict):
        urge(gina, our_group, issue, assignment)


# --- comment ------------------------------------------------------------------------------------


# --- a stationed group follows its departments --------------------------------------------------


def decline(user, agency, issue, assignment):
    workflow.decline(
        acting_user=user, agency=agency, issue=issue, assignment=assignment, reason="非本单位", suggested=None
    )


def _roles(issue, agency) -> set[str]:
    from issues.models import Participant

    return set(Participant.objects.filter(issue=issue, agency=agency).values_list("role", flat=True))


def test_a_group_whose_department_declines_follows_the_issue_read_only(
    issue, assignment, alice, our_agency, our_group, gina, city_commission
):
    from issues import permissions as perms
    from issues.reading.board import tab_queryset

    assert tab_queryset(gina, our_group, "supervised").filter(pk=issue.pk).exists()
    decline(alice, our_agency, issue, assignment)
    assert _roles(issue, our_group) == {"former_supervisor"}
    assert perms.held_codenames(our_group, issue) == {perms.VIEW}  # reads on, urges nobody
    assert not tab_queryset(gina, our_group, "supervised").filter(pk=issue.pk).exists()
    assert tab_queryset(gina, our_group, "all").filter(pk=issue.pk).exists()
    # A liaison whose page still shows the button hears why, not "not permitted".
    with override("en"), pytest.raises(workflow.Conflict, match="handles this issue any more"):
        urge(gina, our_group, issue, assignment)
    # The commission supervises by jurisdiction: it stays.
    assert "supervisor" in _roles(issue, city_commission)


def test_a_transfer_moves_supervision_to_the_new_departments_group(
    city_commission, carol, our_agency, other_agency, our_group, alan, gina, with_role
):
    from tests.factories import stationed_group

    other_group = stationed_group(city_commission, stationed_at=[other_agency], code="test-group-2")
    issue = pushed_issue(carol, city_commission, our_agency)
    ours = issue.assignments.get()
    moved = workflow.transfer(
        acting_user=alan, agency=our_agency, issue=issue, assignment=ours, to=other_agency, reason="财政"
    )
    assert _roles(issue, our_group) == {"former_supervisor"}
    assert _roles(issue, other_group) == {"supervisor"}
    theirs_liaison = with_role(other_group, Role.LIAISON)
    urge(theirs_liaison, other_group, issue, moved)
    with pytest.raises(workflow.Conflict):
        urge(gina, our_group, issue, moved)


def test_a_group_whose_department_is_assigned_again_supervises_again(
    issue, assignment, alice, our_agency, other_agency, our_group, gina, cora, city_commission, bert
):
    decline(alice, our_agency, issue, assignment)
    rerouted = workflow.transfer(
        acting_user=cora, agency=city_commission, issue=issue, assignment=assignment, to=other_agency,
        reason="改由财政局办理",
    )
    back = workflow.transfer(
        acting_user=bert, agency=other_agency, issue=issue, assignment=rerouted, to=our_agency,
        reason="经会商仍由住建局牵头",
    )
    assert _roles(issue, our_group) == {"supervisor"}
    urge(gina, our_group, issue, back)


def test_a_co_handlers_group_stays_while_its_department_works(
    carol, city_commission, our_agency, other_agency, our_group, gina, with_role
):
    issue = pushed_issue(carol, city_commission, other_agency, co_handlers=[our_agency])
    lead = issue.assignments.get(agency=other_agency)
    decline(with_role(other_agency, Role.STAFF), other_agency, issue, lead)
    assert _roles(issue, our_group) == {"supervisor"}
    urge(gina, our_group, issue, issue.assignments.get(agency=our_agency))


def test_parties_comment_on_the_record(issue, alice, our_agency, carol, city_commission, gina, our_group):
    for user, agency in ((alice, our_agency), (carol, city_commission), (gina, our_group)):
        workflow.comment(acting_user=user, agency=agency, issue=issue, text=f" {user.username} 意见 ")
    assert list(Comment.objects.filter(issue=issue).values_list("text", flat=True)) == [
        "alice 意见",
        "carol 意见",
        "gina 意见",
    ]
    assert issue.events.filter(action="comment").count() == 3


def test_comment_by_an_outsider_a_former_handler_or_blank(
    issue, assignment, bob, other_agency, charlie, alice, our_agency
):
    with override("en"), pytest.raises(workflow.NotPermitted, match="not a party"):
        workflow.comment(acting_user=bob, agency=other_agency, issue=issue, text="x")
    with pytest.raises(workflow.NotPermitted):
        workflow.comment(acting_user=charlie, agency=other_agency, issue=issue, text="x")
    with pytest.raises(workflow.ActionError):
        workflow.comment(acting_user=alice, agency=our_agency, issue=issue, text="   ")
    workflow.decline(
        acting_user=alice,
        agency=our_agency,
        issue=issue,
        assignment=assignment,
        reason="非本局",
        suggested=None,
    )
    with override("en"), pytest.raises(workflow.NotPermitted, match="read-only"):
        workflow.comment(acting_user=alice, agency=our_agency, issue=issue, text="x")
    assert not Comment.objects.exists()


def test_comment_with_the_wrong_role(issue, our_agency, with_role):
    with pytest.raises(workflow.NotPermitted):
        workflow.comment(
            acting_user=with_role(our_agency, Role.ADMINISTRATOR), agency=our_agency, issue=issue, text="x"
        )

"""Who sees what: parties and their supervisors see an issue; everyone else gets the same 404."""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from agencies.models import Level, Role
from issues import permissions as perms
from issues import workflow
from issues.models import IssueGroupObjectPermission, Participant, PartyRole
from issues.reading.board import TABS, tab_queryset
from issues.workflow.catalogue import SPECS
from tests.factories import AgencyFactory, RegionFactory, commission, member, pushed_issue, stationed_group


def opens(user, issue, agency=None) -> bool:
    try:
        return perms.access_issue(user, issue.pk, agency) == issue
    except Http404:
        return False


def test_the_parties_and_their_supervisors_open_the_issue(issue, alice, alan, carol, gina):
    for user in (alice, alan, carol, gina):
        assert opens(user, issue), user


def test_anyone_else_gets_the_same_404_as_for_a_missing_issue(issue, bob, charlie):
    for user in (bob, charlie, AnonymousUser()):
        with pytest.raises(Http404):
            perms.access_issue(user, issue.pk)
        with pytest.raises(Http404):
            perms.access_issue(user, issue.pk + 1000)
    for nonsense in ("abc", None, ""):
        with pytest.raises(Http404):
            perms.access_issue(bob, nonsense)


def test_acting_for_one_agency_shows_only_that_agencys_issues(issue, bob, our_agency, other_agency):
    member(our_agency, username="dual")
    dual = type(bob).objects.get(username="dual")
    member(other_agency, username="dual")  # same user, second membership
    assert opens(dual, issue)
    assert opens(dual, issue, our_agency)
    assert not opens(dual, issue, other_agency)
    # Someone not in the agency named gains nothing by naming it.
    assert not opens(bob, issue, our_agency)


def test_supervisors_are_the_handlers_group_and_the_commissions_over_it(city):
    province = RegionFactory(code="prov", level=Level.PROVINCE)
    city.parent = province
    city.save()
    district = RegionFactory(code="dist", level=Level.DISTRICT, parent=city)
    sibling = RegionFactory(code="sibling", level=Level.DISTRICT, parent=city)
    city_jw, province_jw = commission(city, code="city-jw"), commission(province, code="prov-jw")
    district_jw, sibling_jw = commission(district, code="dist-jw"), commission(sibling, code="sib-jw")
    bureau = AgencyFactory(region=district, code="dist-bureau")
    group = stationed_group(district_jw, stationed_at=[bureau], code="dist-group")
    retired = stationed_group(district_jw, code="old-group", is_active=False)
    audit = AgencyFactory(region=district, kind="supervisory", supervision_class="audit", code="dist-audit")

    found = {agency.code for agency in perms.supervisors_of(bureau)}
    assert found == {"dist-group", "dist-jw", "city-jw", "prov-jw"}
    assert sibling_jw.code not in found and retired.code not in found and audit.code not in found
    # A commission does not supervise itself when it handles.
    assert {a.code for a in perms.supervisors_of(district_jw)} == {"city-jw", "prov-jw"}

    issue = pushed_issue(member(audit), audit, bureau)
    assert {
        p.agency.code for p in Participant.objects.filter(issue=issue, role=PartyRole.SUPERVISOR)
    } == found
    assert opens(member(province_jw, role=Role.LIAISON), issue)
    assert opens(member(group, role=Role.LIAISON), issue)
    assert not opens(member(sibling_jw), issue)
    assert opens(member(city_jw), issue)


def test_a_former_handler_reads_but_holds_nothing_else(signed, assignment, alan, our_agency, other_agency):
    workflow.transfer(
        acting_user=alan,
        agency=our_agency,
        issue=signed,
        assignment=assignment,
        to=other_agency,
        reason="转财政",
    )
    assert opens(alan, signed)
    codenames = set(
        IssueGroupObjectPermission.objects.filter(content_object=signed, group=our_agency.group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {perms.VIEW}


def test_sync_drops_what_no_party_row_calls_for(issue, our_agency, alice):
    Participant.objects.filter(issue=issue, agency=our_agency).delete()
    perms.sync_issue_permissions(issue)
    assert not IssueGroupObjectPermission.objects.filter(
        content_object=issue, group=our_agency.group
    ).exists()
    assert not opens(alice, issue)
    perms.sync_issue_permissions(issue)  # idempotent
    assert IssueGroupObjectPermission.objects.filter(content_object=issue).count() == 5


def test_what_lists_show_is_what_opens(
    issue, carol, city_commission, our_agency, other_agency, alice, bob, gina
):
    theirs = pushed_issue(carol, city_commission, other_agency)
    both = pushed_issue(carol, city_commission, our_agency, co_handlers=[other_agency])
    everything = [issue, theirs, both]
    for user, agency in ((alice, our_agency), (bob, other_agency), (carol, city_commission), (gina, None)):
        listed = set(perms.visible_issues(user, agency).values_list("pk", flat=True))
        assert listed == {i.pk for i in everything if opens(user, i, agency)}
        if agency is not None:
            for tab in TABS:
                assert set(tab_queryset(user, agency, tab.slug).values_list("pk", flat=True)) <= listed
    assert set(perms.visible_issues(bob).values_list("pk", flat=True)) == {theirs.pk, both.pk}


def test_every_action_has_its_roles():
    """Every action function has its catalogue entry, and every entry its function."""
    public = {
        name
        for name, function in inspect.getmembers(workflow, inspect.isfunction)
        if function.__module__.startswith(f"{workflow.__name__}.") and not name.startswith("_")
    }
    assert public == set(SPECS)
    assert SPECS["urge"].roles == {Role.LEADER, Role.LIAISON}
    assert SPECS["assign"].roles == SPECS["approve_report"].roles == {Role.LEADER}
    assert {"sign", "report"} <= {
        action for action, spec in SPECS.items() if Role.STAFF in spec.roles
    }

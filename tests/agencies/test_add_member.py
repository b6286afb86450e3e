"""actions.add_member: a membership and the agency's group, together."""

from __future__ import annotations

from agencies import actions
from agencies.models import Membership, Role


def test_it_works(our_agency, charlie):
    membership = actions.add_member(charlie, our_agency, role=Role.LEADER, title="局长")
    assert (membership.role, membership.title) == (Role.LEADER, "局长")
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_changes_the_role_of_a_member(alice, our_agency):
    actions.add_member(alice, our_agency, role=Role.LIAISON, title="对接人")
    membership = Membership.objects.get(user=alice, agency=our_agency)
    assert (membership.role, membership.title) == (Role.LIAISON, "对接人")
    assert Membership.objects.filter(user=alice).count() == 1


def test_it_adds_a_second_agency(alice, our_agency, other_agency):
    actions.add_member(alice, other_agency)
    assert set(alice.groups.all()) == {our_agency.group, other_agency.group}

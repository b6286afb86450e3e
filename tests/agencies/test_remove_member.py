"""actions.remove_member: the membership and the group membership go together."""

from __future__ import annotations

from agencies import actions
from agencies.models import Membership


def test_it_works(alice, our_agency, other_agency):
    actions.add_member(alice, other_agency)
    actions.remove_member(Membership.objects.get(user=alice, agency=our_agency))
    assert list(alice.groups.all()) == [other_agency.group]
    assert list(Membership.objects.filter(user=alice).values_list("agency__code", flat=True)) == [
        "other-bureau"
    ]

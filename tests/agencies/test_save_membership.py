"""actions.save_membership: a membership edited as a whole keeps every user's groups in step."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agencies import actions
from agencies.models import Membership, Role


def test_it_works(charlie, our_agency):
    actions.save_membership(Membership(user=charlie, agency=our_agency, role=Role.STAFF))
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_moves_a_membership_to_another_agency(alice, our_agency, other_agency):
    membership = Membership.objects.get(user=alice, agency=our_agency)
    membership.agency = other_agency
    actions.save_membership(membership)
    assert list(alice.groups.all()) == [other_agency.group]


def test_it_moves_a_membership_to_another_user(alice, charlie, our_agency):
    membership = Membership.objects.get(user=alice, agency=our_agency)
    membership.user = charlie
    actions.save_membership(membership)
    assert not alice.groups.exists()
    assert list(charlie.groups.all()) == [our_agency.group]


def test_it_refuses_a_second_membership_in_one_agency(alice, our_agency):
    with pytest.raises(ValidationError):
        actions.save_membership(Membership(user=alice, agency=our_agency, role=Role.LEADER))
    assert Membership.objects.filter(user=alice).count() == 1

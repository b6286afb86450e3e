"""actions.sync_groups: agency groups follow memberships, other groups are left alone."""

from __future__ import annotations

from django.contrib.auth.models import Group

from agencies import actions


def test_it_works(alice, our_agency, other_agency):
    editors = Group.objects.create(name="editors")
    alice.groups.remove(our_agency.group)
    alice.groups.add(other_agency.group, editors)
    actions.sync_groups(alice)
    assert set(alice.groups.all()) == {our_agency.group, editors}

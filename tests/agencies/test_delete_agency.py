"""actions.delete_agency: the agency goes with its group, unless something still refers to it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db.models import ProtectedError

from agencies import actions
from agencies.models import Agency


def test_it_works(our_agency):
    group_pk = our_agency.group_id
    actions.delete_agency(our_agency)
    assert not Agency.objects.filter(code="our-bureau").exists()
    assert not Group.objects.filter(pk=group_pk).exists()


def test_it_protects_agencies_with_members(alice, our_agency):
    with pytest.raises(ProtectedError):
        actions.delete_agency(our_agency)
    assert Agency.objects.filter(pk=our_agency.pk).exists()
    assert Group.objects.filter(pk=our_agency.group_id).exists()

"""The board's cast, on top of the shared personas.

The city commission (carol, staff) pushes issues to our agency (alice, staff; alan, leader);
our stationed group's liaison (gina) supervises them; bob's agency is not a party.
"""

from __future__ import annotations

import pytest

from agencies.models import Role
from tests.factories import commission, member, pushed_issue, stationed_group


@pytest.fixture
def city_commission(city):
    return commission(city, code="test-jw", name="测试市纪委监委", name_en="Test City Commission")


@pytest.fixture
def our_group(city_commission, our_agency):
    return stationed_group(
        city_commission, stationed_at=[our_agency], code="test-group-1", name="派驻第一纪检监察组"
    )


@pytest.fixture
def carol(city_commission):
    return member(city_commission, username="carol", full_name="卡萝")


@pytest.fixture
def alan(our_agency):
    return member(our_agency, role=Role.LEADER, username="alan", full_name="艾伦")


@pytest.fixture
def gina(our_group):
    return member(our_group, role=Role.LIAISON, username="gina", full_name="吉娜")


@pytest.fixture
def issue(carol, city_commission, our_agency, our_group, alice, alan, gina):
    """An issue the city commission pushed to our agency, waiting to be signed for."""
    return pushed_issue(carol, city_commission, our_agency)

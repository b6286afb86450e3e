"""Fixtures of the live-layer tests: a city commission and the member who pushes its work."""

from __future__ import annotations

import pytest

from tests.factories import commission, member


@pytest.fixture
def city_commission(city):
    return commission(city, code="city-jw", name="市纪委监委", name_en="City Commission")


@pytest.fixture
def pusher(city_commission):
    return member(city_commission, username="pusher", full_name="赵推送")

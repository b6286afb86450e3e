"""Shared fixtures: the three personas of every test (DESIGN §9, healthchecks' hc/test.py).

alice belongs to "our" agency, bob to another agency, charlie to none.
"""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD, AgencyFactory, RegionFactory, UserFactory, member


@pytest.fixture
def city(db):
    return RegionFactory(code="test-city", name="测试市", name_en="Test City")


@pytest.fixture
def our_agency(city):
    return AgencyFactory(code="our-bureau", name="住房和城乡建设局", name_en="Housing Bureau", region=city)


@pytest.fixture
def other_agency(city):
    return AgencyFactory(code="other-bureau", name="财政局", name_en="Finance Bureau", region=city)


@pytest.fixture
def alice(our_agency):
    return member(our_agency, username="alice", full_name="艾丽")


@pytest.fixture
def bob(other_agency):
    return member(other_agency, username="bob", full_name="鲍勃")


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", full_name="查理")


@pytest.fixture
def password():
    return TEST_PASSWORD

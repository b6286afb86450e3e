"""Fixtures of the detection tests: the registry's linked systems with their default grants, a
discipline commission whose models read them (``watcher``, ``alice`` its member), and a loader
of small exports."""

from __future__ import annotations

import pytest
from django.utils import translation

from agencies.models import Role
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from tests.factories import commission, member

from .linked import Loader


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def systems(db):
    seed_systems()
    seed_default_grants()


@pytest.fixture
def watcher(systems, city):
    return commission(city, code="test-jw", name="测试市纪委监委")


@pytest.fixture
def alice(watcher):
    return member(watcher, username="alice", full_name="艾丽", role=Role.LEADER)


@pytest.fixture
def load(systems, tmp_path):
    return Loader(tmp_path)

"""Fixtures of the detection tests: the registry's linked systems with their default grants, a
discipline commission whose models read them (``watcher``, ``alice`` its member), and a loader
of small exports."""

from __future__ import annotations

import pytest
from django.utils import translation

from agencies.models import Role
from search.detection import actions
from search.detection.models import Warning
from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants
from tests.factories import commission, member

from .linked import PAID_AFTER_DEATH, Loader, person, switched_on


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


# --- the triage's scene: a model of the commission's that raised warnings --------------------------
@pytest.fixture
def dave(watcher):
    """A staff member of the commission: reads the systems masked."""
    return member(watcher, username="dave", full_name="戴维", role=Role.STAFF)


@pytest.fixture
def bob(systems, city):
    """A leader of another commission, which owns a model of its own."""
    other = commission(city, code="test-jw-2", name="另一纪委监委")
    switched_on(other, "sequence", PAID_AFTER_DEATH, key="other-paid-after-death")
    return member(other, username="bob", full_name="鲍勃", role=Role.LEADER)


@pytest.fixture
def raised(watcher, load):
    """Three warnings of the commission's paid-after-death model (subjects: ID numbers), oldest first."""
    model = switched_on(watcher, "sequence", PAID_AFTER_DEATH, key="paid-after-death")
    dead = [person(n) for n in (1, 2, 3)]
    load("death-registrations", [load.death(number, "2024-03-10") for number in dead])
    load("social-assistance", [load.assistance(number, "2024-04-10") for number in dead])
    actions.run_model(model)
    return list(Warning.objects.filter(model=model).order_by("pk"))

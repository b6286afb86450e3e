"""Fixtures of the portal's page tests: the demo pages, and a demo-like administrator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agencies.models import AgencyKind, Role, SupervisionClass
from demo.pages import seed_pages
from portal.models import CircularIndexPage, CircularPage, HomePage, PolicyIndexPage, PolicyPage
from tests.factories import AgencyFactory, UserFactory, commission, member


@pytest.fixture
def pages(db):
    """The demo site: home page, circular and policy indexes, five circulars, three policies."""
    seed_pages()
    return SimpleNamespace(
        home=HomePage.objects.get(),
        circular_index=CircularIndexPage.objects.get(),
        circular=CircularPage.objects.get(slug="medical-insurance-fund-cases"),
        policy_index=PolicyIndexPage.objects.get(),
        policy=PolicyPage.objects.get(slug="supervision-item-time-limits"),
    )


@pytest.fixture
def stationed_group(city, our_agency):
    """The discipline commission of the test city, and its group stationed at our agency."""
    discipline_commission = commission(city, code="city-commission", name="市纪委监委",
                                       name_en="City Discipline Commission")
    return AgencyFactory(
        code="group-at-our-bureau", name="派驻住房和城乡建设局纪检监察组",
        name_en="Group stationed at the Housing Bureau", region=city,
        kind=AgencyKind.STATIONED_GROUP, supervision_class=SupervisionClass.PARTY,
        dispatched_by=discipline_commission, stationed_at=[our_agency],
    )


@pytest.fixture
def dora(stationed_group):
    """Like the demo administrator: a superuser who leads a stationed group."""
    user = member(stationed_group, role=Role.LEADER, username="dora", full_name="多拉")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def editor(db):
    """A superuser without any membership, for the Wagtail admin."""
    return UserFactory(username="editor", full_name="编辑", is_staff=True, is_superuser=True)

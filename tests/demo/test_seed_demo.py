"""manage.py seed_demo: the demo city, complete and idempotent."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from agencies.models import Agency, AgencyKind, Level, Membership, Region, Role, SupervisionClass, User
from demo import city as demo_city


@pytest.fixture
def pages(monkeypatch):
    """Stand in for demo.pages.seed_pages (the portal's own tests cover it); count the calls.

    The demo board's issues are left out too: tests/demo/test_board.py seeds them
    once for all its tests, where seeding them here again would cost half a minute per test.
    """
    calls = []
    monkeypatch.setattr("demo.pages.seed_pages", lambda: calls.append(1))
    monkeypatch.setattr("demo.board.seed", lambda: {"issues": 0, "new": 0})
    return calls


@pytest.fixture
def seeded(db, pages):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    through = Agency.stationed_at.through
    return {
        "regions": sorted(Region.objects.values_list()),
        "agencies": sorted(Agency.objects.values_list()),
        "stations": sorted(through.objects.values_list("from_agency_id", "to_agency_id")),
        "users": sorted(User.objects.values_list("pk", "username", "full_name", "password", "is_staff",
                                                 "is_superuser", "is_active")),
        "memberships": sorted(Membership.objects.values_list("pk", "user_id", "agency_id", "role", "title")),
        "groups": sorted(Group.objects.values_list()),
        "user_groups": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
    }


def test_it_works(seeded, pages):
    assert "江州市" in seeded
    assert demo_city.DEMO_PASSWORD in seeded
    for login in demo_city.DEMO_LOGINS:
        assert login.username in seeded
    assert pages == [1]


def test_it_is_idempotent(seeded, pages):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before
    assert pages == [1, 1]


def test_it_builds_a_city_in_a_province(seeded):
    city = Region.objects.get(code=demo_city.CITY)
    assert city.level == Level.CITY
    assert city.parent.code == demo_city.PROVINCE
    assert city.parent.name == "江东省"


def test_it_has_the_ten_classes_in_the_city(seeded):
    classes = set(
        Agency.objects.filter(region__code=demo_city.CITY, kind=AgencyKind.SUPERVISORY)
        .values_list("supervision_class", flat=True)
    )
    assert classes == set(SupervisionClass.values)


def test_it_has_twenty_city_departments_and_project_owners(seeded):
    city = Agency.objects.filter(region__code=demo_city.CITY)
    assert city.filter(kind=AgencyKind.DEPARTMENT).count() >= 20
    assert city.filter(kind=AgencyKind.PROJECT_OWNER).count() >= 2
    assert all(agency.name_en for agency in Agency.objects.all())


def test_it_gives_every_district_a_commission_and_departments(seeded):
    districts = Region.objects.filter(parent__code=demo_city.CITY, level=Level.DISTRICT)
    assert districts.count() >= 4
    city_commission = Agency.objects.get(code=demo_city.COMMISSION)
    for district in districts:
        commission = Agency.objects.get(region=district, kind=AgencyKind.SUPERVISORY,
                                        supervision_class=SupervisionClass.PARTY)
        assert commission.parent == city_commission
        departments = Agency.objects.filter(region=district, kind=AgencyKind.DEPARTMENT)
        assert departments.count() >= 4
        for department in departments:
            assert department.parent.region.code == demo_city.CITY
            line = department.code.removeprefix(f"{district.code}-")
            assert department.parent.code == demo_city.department_code(demo_city.CITY, line)


def test_it_covers_every_department_with_one_stationed_group(seeded):
    for department in Agency.objects.filter(kind=AgencyKind.DEPARTMENT):
        groups = list(department.stationed_groups.all())
        assert len(groups) == 1, department.name
        group = groups[0]
        assert group.region == department.region
        assert group.dispatched_by.is_commission
        assert group.dispatched_by.region == department.region


def test_it_keeps_every_agency_valid(seeded):
    for agency in Agency.objects.all():
        agency.full_clean()
        assert agency.group.name == f"agency:{agency.code}"


def test_it_has_every_role_and_a_user_in_two_agencies(seeded):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    in_two = [user for user in User.objects.all() if user.memberships.count() >= 2]
    assert in_two


def test_it_keeps_groups_in_step_with_memberships(seeded):
    for user in User.objects.all():
        agency_groups = set(user.groups.filter(agency__isnull=False).values_list("pk", flat=True))
        assert agency_groups == set(user.memberships.values_list("agency__group_id", flat=True))


def test_it_matches_the_published_logins(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    for login in demo_city.DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.full_name == login.full_name
        assert user.check_password(demo_city.DEMO_PASSWORD)
        if login.agency:
            assert user.memberships.filter(agency__code=login.agency, role=login.role).exists()
            assert login.agency_name == Agency.objects.get(code=login.agency).name
    for username in ("jw_admin", "zjj_staff", "zjj_leader", "jw_liaison"):
        assert username in {login.username for login in demo_city.DEMO_LOGINS}


def test_the_demo_password_is_hashed_once_for_every_login(db, pages, monkeypatch):
    hashed = []

    def make_password(password):
        hashed.append(password)
        return f"md5$x${password}"

    monkeypatch.setattr("demo.city.make_password", make_password)
    demo_city._demo_password_hash.cache_clear()
    try:
        call_command("seed_demo", stdout=StringIO())
    finally:
        demo_city._demo_password_hash.cache_clear()
    assert hashed == [demo_city.DEMO_PASSWORD]
    assert set(User.objects.values_list("password", flat=True)) == {f"md5$x${demo_city.DEMO_PASSWORD}"}


def test_it_leaves_changed_passwords_alone_unless_asked(seeded):
    user = User.objects.get(username="zjj_staff")
    user.set_password("changed-by-its-owner")
    user.save()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(username="zjj_staff").check_password("changed-by-its-owner")
    call_command("seed_demo", "--reset-passwords", stdout=StringIO())
    assert User.objects.get(username="zjj_staff").check_password(demo_city.DEMO_PASSWORD)


def test_it_prints_a_short_summary_not_library_lines(db, caplog, monkeypatch):
    """The libraries' INFO lines (Wagtail logs each page it creates and publishes) stay out of
    the seed's output; its own summary is a dozen lines, every login named."""
    monkeypatch.setattr("demo.board.seed", lambda: {"issues": 0, "new": 0})
    out = StringIO()
    with caplog.at_level("INFO"):
        call_command("seed_demo", stdout=out)  # the portal's pages too: Wagtail logs them
    assert [record for record in caplog.records if record.levelname == "INFO"] == []
    summary = out.getvalue()
    assert len(summary.splitlines()) <= 15
    assert "Sign in with any demo login and the password jiandu2026" in summary
    assert all(login.username in summary for login in demo_city.DEMO_LOGINS)
    assert logging.getLogger("wagtail").isEnabledFor(logging.INFO)  # quiet for the seed only


def test_it_shows_library_lines_when_asked(db, caplog, monkeypatch):
    monkeypatch.setattr("demo.board.seed", lambda: {"issues": 0, "new": 0})
    with caplog.at_level("INFO"):
        call_command("seed_demo", verbosity=2, stdout=StringIO())
    assert any(record.name == "wagtail" for record in caplog.records)

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


# --- fixtures of the action, permission and record tests ----------------------------------------


@pytest.fixture
def cora(city_commission):
    """The commission's leader: withdraws and reopens what the commission pushed."""
    return member(city_commission, role=Role.LEADER, username="cora", full_name="科拉")


@pytest.fixture
def bert(other_agency):
    """The other agency's leader (bob is its staff)."""
    return member(other_agency, role=Role.LEADER, username="bert", full_name="伯特")


@pytest.fixture
def with_role():
    """A new member of ``agency`` with ``role``: for the wrong-role cases of every action."""
    made = iter(range(1_000))

    def make(agency, role):
        return member(agency, role=role, username=f"{agency.code}-{role}-{next(made)}")

    return make


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a folder of this test's own, so "no file left behind" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def assignment(issue):
    """Our agency's (lead) assignment on ``issue``."""
    return issue.assignments.get()


@pytest.fixture
def signed(issue, assignment, alice, our_agency):
    """``issue`` after alice signed for our assignment."""
    from issues import workflow

    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    return issue


@pytest.fixture
def reported(signed, assignment, alice, our_agency):
    """``issue`` after our only assignment reported: the issue waits for the commission."""
    from issues import workflow

    text = "已安装路灯，补划标线。"
    workflow.report(acting_user=alice, agency=our_agency, issue=signed, assignment=assignment, text=text)
    signed.refresh_from_db()
    assignment.refresh_from_db()
    return signed


@pytest.fixture
def closed(reported, assignment, carol, city_commission):
    """``issue`` verified and closed by the commission."""
    from issues import workflow

    workflow.accept_report(acting_user=carol, agency=city_commission, issue=reported, assignment=assignment)
    workflow.close(acting_user=carol, agency=city_commission, issue=reported, summary="整改到位")
    reported.refresh_from_db()
    assignment.refresh_from_db()
    return reported

"""Two reminder sweeps at the same moment, in real concurrent PostgreSQL transactions.

Each thread has its own connection; a barrier releases both sweeps together. The firing rows
are claimed first (``INSERT … ON CONFLICT DO NOTHING RETURNING``): the second sweep waits on the
first one's rows, then finds them taken, so every step fires once per assignment, with one urge,
one event and one notification per recipient.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Level, Role
from issues.deadlines import reminders
from issues.deadlines.models import ReminderFiring, StepKind
from issues.models import IssueEvent, Urge
from notifications.models import Notification
from tests.factories import (
    AgencyFactory,
    RegionFactory,
    commission,
    member,
    pushed_issue,
    seed_ladder,
    stationed_group,
)
from tests.services.test_issue_concurrency_postgres import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def assignments(city):
    # A transactional test starts from an emptied database: the seeded ladder is put back.
    seed_ladder()
    city.parent = RegionFactory(code="race-province", level=Level.PROVINCE)
    city.save()
    commission(city.parent, code="race-province-jw")  # escalations go here
    jw = commission(city, code="race-jw")
    bureau = AgencyFactory(region=city, code="race-bureau")
    stationed_group(jw, stationed_at=[bureau], code="race-group")
    carol = member(jw)
    member(bureau)
    member(bureau, role=Role.LEADER)
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=CST), tick=False):
        issues = [pushed_issue(carol, jw, bureau, deadline=dt.date(2026, 3, 13)) for _ in range(12)]
    return [issue.assignments.get() for issue in issues]


@pytest.mark.parametrize("day", [10, 13])  # T-3 (a reminder) and T (an urge on the record)
def test_two_sweeps_at_once_fire_each_step_once(assignments, day):
    with time_machine.travel(dt.datetime(2026, 3, day, 10, tzinfo=CST), tick=False):
        results = race(lambda: reminders.sweep(batch_size=5), lambda: reminders.sweep(batch_size=5))
        assert not any(isinstance(r, Exception) for r in results), results
        assert sum(r.fired + r.skipped for r in results) == ReminderFiring.objects.count()
        assert reminders.sweep().fired == 0  # and again, later: nothing left
    per_step = 3 if day == 13 else 1  # on the deadline day the two earlier steps are skipped
    assert ReminderFiring.objects.count() == len(assignments) * per_step
    assert sum(r.fired for r in results) == len(assignments)
    # alice and alan, once per assignment (the group has no liaison here)
    # Only the ladder's own notifications (the pushes told the handlers too).
    assert Notification.objects.filter(kind__in=StepKind.values).count() == 2 * len(assignments)
    if day == 13:
        assert Urge.objects.filter(automation_rule="deadline-day").count() == len(assignments)
        assert IssueEvent.objects.filter(action="urge", actor=None).count() == len(assignments)


def test_repeated_racing_sweeps_over_the_whole_ladder(assignments):
    for day in (10, 11, 12, 13, 16, 17, 18, 19):
        with time_machine.travel(dt.datetime(2026, 3, day, 10, tzinfo=CST), tick=False):
            results = race(*(lambda: reminders.sweep(batch_size=4) for _ in range(3)))
            assert not any(isinstance(r, Exception) for r in results), results
    assert ReminderFiring.objects.count() == len(assignments) * 4
    assert not ReminderFiring.objects.exclude(skipped="").exists()
    assert Urge.objects.count() == 2 * len(assignments)  # the deadline day and the escalation

"""The deadline reminder ladder: each step once per assignment, automatic urges on the record,
notifications in working hours or held for the digest (DESIGN §5 Deadlines)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agencies.models import Level, Role
from issues import tasks, workflow
from issues.deadlines import reminders
from issues.deadlines.models import ReminderFiring, ReminderStep
from issues.models import IssueEvent, Urge
from notifications import tasks as notification_tasks
from notifications.inbox import delivery_time
from notifications.models import Notification, NotificationKind
from tests.factories import RegionFactory, commission, member, pushed_issue, stationed_group

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
# A plain week of March 2026: Monday the 9th to Friday the 13th, no holiday near it.
MONDAY = dt.datetime(2026, 3, 9, 10, 0, tzinfo=CST)
DEADLINE = dt.date(2026, 3, 13)


def at(day: int, hour: int = 10, minute: int = 0):
    return time_machine.travel(dt.datetime(2026, 3, day, hour, minute, tzinfo=CST), tick=False)


@pytest.fixture
def cast(city, our_agency, alice):
    province = RegionFactory(code="test-province", name="测试省", level=Level.PROVINCE)
    city.parent = province
    city.save()
    jw = commission(city, code="test-jw", name="测试市纪委监委")
    provincial_jw = commission(province, code="test-province-jw", name="测试省纪委监委")
    group = stationed_group(jw, stationed_at=[our_agency], code="test-group-1", name="派驻第一纪检监察组")
    people = {
        "alice": alice,
        "carol": member(jw, username="carol"),
        "alan": member(our_agency, role=Role.LEADER, username="alan"),
        "gina": member(group, role=Role.LIAISON, username="gina"),
        "gus": member(group, username="gus"),  # the group's staff: not in the ladder's audience
        "petra": member(provincial_jw, role=Role.LEADER, username="petra"),
    }
    with time_machine.travel(MONDAY, tick=False):
        issue = pushed_issue(people["carol"], jw, our_agency, deadline=DEADLINE)
    # The push told the bureau it has a new issue (tests/issues/test_notices.py); these
    # tests count what the ladder sends.
    Notification.objects.filter(kind=NotificationKind.ASSIGNED).delete()
    return issue, issue.assignments.get(), group, provincial_jw, people


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def fired(assignment) -> dict[str, str]:
    return dict(
        ReminderFiring.objects.filter(assignment=assignment).values_list("step__code", "skipped")
    )


def test_the_ladder_is_seeded():
    assert list(ReminderStep.objects.values_list("offset_working_days", "kind")) == [
        (-3, "remind"), (-1, "alert"), (0, "urge"), (3, "escalate"),
    ]


def test_threshold_counts_working_days():
    friday = dt.date(2026, 3, 13)
    # Tuesday is T-3 of Friday, and of the weekend after it (no working day in between).
    assert reminders.threshold(dt.date(2026, 3, 10), -3) == dt.date(2026, 3, 15)
    assert reminders.threshold(dt.date(2026, 3, 10), 0) == dt.date(2026, 3, 10)
    assert reminders.threshold(dt.date(2026, 3, 18), 3) == dt.date(2026, 3, 15)  # Wednesday: T+3
    assert reminders.threshold(dt.date(2026, 3, 17), 3) < friday


def test_each_step_fires_once_on_its_day(cast):
    issue, assignment, group, provincial_jw, people = cast
    alice, alan, gina, gus, petra = (people[n] for n in ("alice", "alan", "gina", "gus", "petra"))

    with at(9):
        assert reminders.sweep().fired == 0
    with at(10):  # T-3: the handler
        assert reminders.sweep().fired == 1
        assert reminders.sweep().fired == 0
    assert inbox(alice) == ["remind"] and inbox(alan) == ["remind"] and inbox(gina) == []
    with at(11):
        assert reminders.sweep().fired == 0
    with at(12):  # T-1: yellow, handler and leader (alan hears it once)
        assert reminders.sweep().fired == 1
    assert inbox(alan) == ["remind", "alert"]
    with at(13):  # T: red, the automatic urge, the liaison hears too
        assert tasks.sweep_reminders() == {"fired": 1, "skipped": 0, "notifications": 3, "urges": 1}
        assert tasks.sweep_reminders()["fired"] == 0
    assert inbox(gina) == ["urge"] and inbox(gus) == []
    with at(17):
        assert reminders.sweep().fired == 0
    with at(18):  # T+3: escalated to the provincial commission
        assert reminders.sweep().as_dict() == {"fired": 1, "skipped": 0, "notifications": 3, "urges": 1}
    with at(19), time_machine.travel(dt.datetime(2026, 3, 19, 10, tzinfo=CST), tick=False):
        assert reminders.sweep().fired == 0
    assert inbox(petra) == ["escalate"]
    assert fired(assignment) == {
        "deadline-before-3": "", "deadline-before-1": "", "deadline-day": "", "deadline-after-3": "",
    }


def test_automatic_urges_are_on_the_record_with_their_rule(cast):
    issue, assignment, group, provincial_jw, people = cast
    with at(13):
        reminders.sweep()
    with at(18):
        reminders.sweep()
    urges = list(Urge.objects.filter(assignment=assignment).order_by("pk"))
    assert [(u.by_agency, u.by_user, u.automation_rule) for u in urges] == [
        (group, None, "deadline-day"), (provincial_jw, None, "deadline-after-3"),
    ]
    assert urges[0].due_date == dt.date(2026, 3, 16)  # the next working day, over the weekend
    events = IssueEvent.objects.filter(issue=issue, action="urge").order_by("seq")
    assert [(e.actor, e.automation_rule, e.related_agency_id) for e in events] == [
        (None, "deadline-day", assignment.agency_id), (None, "deadline-after-3", assignment.agency_id),
    ]
    assert events[0].actor_name  # "Deadline rule", not a person
    issue.refresh_from_db()
    assert issue.event_count == 3  # push and the two urges, on one chain


def test_steps_due_together_fire_the_latest_only(cast):
    """The sweep was down all week: on the deadline day only the red step acts."""
    issue, assignment, *_ , people = cast
    with at(13):
        result = reminders.sweep()
    assert (result.fired, result.skipped, result.urges) == (1, 2, 1)
    assert inbox(people["alice"]) == ["urge"]
    assert fired(assignment)["deadline-before-3"] == fired(assignment)["deadline-before-1"] != ""
    with at(13):
        assert reminders.sweep().as_dict() == {"fired": 0, "skipped": 0, "notifications": 0, "urges": 0}


def test_a_reported_assignment_is_not_reminded(cast):
    issue, assignment, group, provincial_jw, people = cast
    with at(10):
        alice, bureau = people["alice"], assignment.agency
        workflow.sign(acting_user=alice, agency=bureau, issue=issue, assignment=assignment)
        workflow.report(
            acting_user=people["alice"], agency=assignment.agency, issue=issue, assignment=assignment,
            text="已整改",
        )
        assert reminders.sweep().fired == 0
    with at(18):
        assert reminders.sweep().fired == 0
    assert not ReminderFiring.objects.exists()


def test_an_urge_the_issue_no_longer_allows_is_recorded_as_skipped(cast, monkeypatch):
    issue, assignment, *_ = cast

    def refuse(**kwargs):
        raise workflow.Conflict("changed")

    monkeypatch.setattr(workflow, "auto_urge", refuse)
    with at(13):
        result = reminders.sweep()
    assert (result.fired, result.urges) == (0, 0)
    assert fired(assignment)["deadline-day"] == "changed"
    assert not Urge.objects.exists()
    with at(13):
        assert reminders.sweep().skipped == 0  # skipped once is fired: not tried again


def test_an_inactive_step_does_not_fire(cast):
    issue, assignment, *_ = cast
    ReminderStep.objects.filter(code="deadline-before-3").update(is_active=False)
    with at(10):
        assert reminders.sweep().fired == 0


# --- working hours and the digest -------------------------------------------------------------


def test_in_working_hours_notifications_go_out_at_once(cast):
    issue, assignment, *_, people = cast
    with at(10, 9):
        reminders.sweep()
    note = Notification.objects.get(recipient=people["alice"])
    assert note.delivered_at == note.deliver_after == dt.datetime(2026, 3, 10, 9, tzinfo=CST)


def test_after_hours_they_wait_for_the_next_morning(cast):
    issue, assignment, *_, people = cast
    with at(10, 18):
        reminders.sweep()
    note = Notification.objects.get(recipient=people["alice"])
    assert note.delivered_at is None
    assert note.deliver_after == dt.datetime(2026, 3, 11, 8, 30, tzinfo=CST)
    with at(11, 8, 29):
        assert notification_tasks.deliver_digests() == 0
    with at(11, 8, 30):
        assert notification_tasks.deliver_digests() == 2  # alice and alan
        assert notification_tasks.deliver_digests() == 0
    note.refresh_from_db()
    assert note.delivered_at == dt.datetime(2026, 3, 11, 8, 30, tzinfo=CST)


def test_on_friday_evening_they_wait_for_monday(cast):
    issue, assignment, *_, people = cast
    with at(13, 20):
        reminders.sweep()
    assert set(Notification.objects.values_list("deliver_after", flat=True)) == {
        dt.datetime(2026, 3, 16, 8, 30, tzinfo=CST)
    }


def test_before_hours_they_wait_for_the_same_morning(settings):
    settings.NOTIFICATION_WORKING_HOURS = ("09:00", "18:00")
    now = dt.datetime(2026, 3, 10, 7, 0, tzinfo=CST)
    assert delivery_time(now) == dt.datetime(2026, 3, 10, 9, tzinfo=CST)
    assert delivery_time(now.replace(hour=17, minute=59)) == now.replace(hour=17, minute=59)
    saturday = dt.datetime(2026, 3, 14, 10, 0, tzinfo=CST)
    assert delivery_time(saturday) == dt.datetime(2026, 3, 16, 9, tzinfo=CST)


# --- the inbox ----------------------------------------------------------------------------------


def test_the_inbox_lists_what_was_delivered(cast, client):
    issue, assignment, *_, people = cast
    with at(10, 18):
        reminders.sweep()  # held until Wednesday morning
    client.force_login(people["alice"])
    with at(10, 19):
        page = client.get(reverse("notifications:inbox"))
        assert issue.number not in page.content.decode()
    with at(11, 9):
        page = client.get(reverse("notifications:inbox"))
        assert issue.number in page.content.decode()
        assert 'id="nav-unread">1<' in page.content.decode()
        client.post(reverse("notifications:inbox"))
        assert 'id="nav-unread" hidden>0<' in client.get(reverse("notifications:inbox")).content.decode()
    assert Notification.objects.get(recipient=people["alice"]).read_at is not None
    assert Notification.objects.get(recipient=people["alan"]).read_at is None


def test_the_inbox_shows_only_ones_own(cast, client, bob):
    issue, *_ = cast
    with at(10):
        reminders.sweep()
        client.force_login(bob)
        page = client.get(reverse("notifications:inbox"))
    assert issue.number not in page.content.decode()
    assert 'id="no-notifications"' in page.content.decode()


def test_marking_one_read_leaves_the_others(cast, client):
    issue, assignment, *_, people = cast
    with at(10):
        reminders.sweep()
    with at(12):
        reminders.sweep()
        client.force_login(people["alice"])
        first = Notification.objects.filter(recipient=people["alice"]).order_by("pk").first()
        client.post(reverse("notifications:inbox"), {"pk": first.pk})
        bob_note = Notification.objects.filter(recipient=people["alan"]).first()
        client.post(reverse("notifications:inbox"), {"pk": bob_note.pk})  # not hers: nothing happens
    hers = Notification.objects.filter(recipient=people["alice"]).order_by("pk")
    assert [note.read_at is None for note in hers] == [False, True]
    assert Notification.objects.filter(recipient=people["alan"], read_at__isnull=False).count() == 0

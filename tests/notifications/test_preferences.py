"""Each user chooses to hear at once or in the morning digest; the inbox's tabs and links."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agencies.models import Role
from issues import workflow
from issues.deadlines import reminders
from notifications import actions as notification_actions
from notifications import inbox, tasks
from notifications.models import Delivery, LiveOutbox, Notification, NotificationPreference
from tests.factories import commission, member, pushed_issue

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
DEADLINE = dt.date(2026, 3, 13)  # the Friday of a plain week: Monday the 9th to Friday the 13th


def at(day: int, hour: int = 10, minute: int = 0):
    return time_machine.travel(dt.datetime(2026, 3, day, hour, minute, tzinfo=CST), tick=False)


def when(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=CST)


@pytest.fixture
def jw(city):
    return commission(city, code="pref-jw")


@pytest.fixture
def carol(jw):
    return member(jw, role=Role.LEADER, username="carol")


@pytest.fixture
def alan(our_agency):
    return member(our_agency, role=Role.LEADER, username="alan")


@pytest.fixture
def digest_alice(alice):
    notification_actions.set_delivery(acting_user=alice, delivery=Delivery.DIGEST)
    return alice


def push(carol, jw, our_agency, day=9, hour=10, minute=0):
    with at(day, hour, minute):
        issue = pushed_issue(carol, jw, our_agency, deadline=DEADLINE)
    return issue, issue.assignments.get()


def note(user, kind=None) -> Notification:
    rows = Notification.objects.filter(recipient=user)
    return rows.get(kind=kind) if kind else rows.get()


def announced(user, *, digest: bool) -> int:
    rows = LiveOutbox.objects.filter(user=user, digest=digest).values_list("new_notifications", flat=True)
    return sum(rows)


# --- the digest ---------------------------------------------------------------------------------


def test_no_choice_means_at_once(jw, carol, our_agency, alice):
    assert not NotificationPreference.objects.exists()
    push(carol, jw, our_agency, hour=22)  # an event is delivered when it happens, even at night
    assert note(alice).deliver_after == note(alice).delivered_at == when(9, 22)
    assert announced(alice, digest=False) == 1


def test_a_digest_reader_gets_it_next_morning_from_deliver_held(
    jw, carol, our_agency, digest_alice, alan, client
):
    push(carol, jw, our_agency)  # Monday 10:00
    held, at_once = note(digest_alice), note(alan)
    assert (held.deliver_after, held.delivered_at) == (when(10, 8, 30), None)
    assert at_once.deliver_after == at_once.delivered_at == when(9, 10)
    assert announced(digest_alice, digest=False) == 0 and announced(alan, digest=False) == 1
    client.force_login(digest_alice)
    with at(9, 17):
        assert 'id="no-notifications"' in client.get(reverse("notifications:inbox")).content.decode()
    with at(10, 8, 29):
        assert tasks.deliver_digests() == 0
    with at(10, 8, 30):
        assert tasks.deliver_digests() == 1
        page = client.get(reverse("notifications:inbox")).content.decode()
    held.refresh_from_db()
    assert held.delivered_at == when(10, 8, 30)
    assert held.text in page
    assert announced(digest_alice, digest=True) == 1


def test_before_working_hours_the_digest_is_the_same_morning(jw, carol, our_agency, digest_alice):
    push(carol, jw, our_agency, hour=7)
    assert note(digest_alice).deliver_after == when(9, 8, 30)


def test_the_digest_waits_over_the_weekend():
    assert inbox.digest_time(when(13, 20)) == when(16, 8, 30)  # Friday evening → Monday
    assert inbox.digest_time(when(14, 10)) == when(16, 8, 30)  # Saturday
    assert inbox.digest_time(when(10, 8, 30)) == when(11, 8, 30)  # at the start: the next one
    assert inbox.digest_time(when(10, 15)) == when(11, 8, 30)  # in working hours


def test_a_manual_urge_reaches_a_digest_reader_at_once(jw, carol, our_agency, digest_alice):
    issue, assignment = push(carol, jw, our_agency)
    with at(9, 11):
        workflow.urge(
            acting_user=carol, agency=jw, issue=issue, assignment=assignment, text="请今日反馈",
            due_date=dt.date(2026, 3, 10),
        )
    urged = note(digest_alice, "urged")
    assert urged.deliver_after == urged.delivered_at == when(9, 11)
    assert note(digest_alice, "assigned").delivered_at is None  # the push still waits


def test_the_ladder_holds_reminders_for_digest_readers_but_not_urges(
    jw, carol, our_agency, digest_alice, alan
):
    push(carol, jw, our_agency)
    with at(10, 10):  # T-3: a reminder, in working hours
        reminders.sweep()
    assert note(digest_alice, "remind").deliver_after == when(11, 8, 30)
    assert note(alan, "remind").delivered_at == when(10, 10)
    with at(13, 10):  # T: the red alert and automatic urge
        reminders.sweep()
    assert note(digest_alice, "urge").delivered_at == when(13, 10)


def test_a_ladder_urge_after_hours_still_waits_for_working_hours(jw, carol, our_agency, digest_alice):
    push(carol, jw, our_agency)
    with at(13, 19):
        reminders.sweep()
    urge = note(digest_alice, "urge")
    assert (urge.deliver_after, urge.delivered_at) == (when(16, 8, 30), None)


# --- the preferences page -----------------------------------------------------------------------


def checked(response) -> list[str]:
    """The values of the page's checked radio buttons."""
    radios = re.findall(r'<input type="radio"[^>]*>', response.content.decode())
    return [re.search(r'value="([^"]*)"', tag)[1] for tag in radios if " checked" in tag]


def test_the_preferences_page_round_trip(client, alice):
    url = reverse("notifications:preferences")
    client.force_login(alice)
    assert checked(client.get(url)) == ["immediate"]
    response = client.post(url, {"delivery": "digest"})
    assert response.status_code == 302 and response["Location"] == url
    assert NotificationPreference.objects.get(user=alice).delivery == Delivery.DIGEST
    assert checked(client.get(url)) == ["digest"]
    client.post(url, {"delivery": "immediate"})
    assert NotificationPreference.objects.get(user=alice).delivery == Delivery.IMMEDIATE


def test_the_preferences_page_refuses_nonsense_and_strangers(client, alice):
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(alice)
    response = client.post(url, {"delivery": "hourly"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(url, {"delivery": "digest"}).status_code == 403
    assert not NotificationPreference.objects.exists()


# --- the inbox ----------------------------------------------------------------------------------


@pytest.fixture
def notes(jw, carol, our_agency, alice):
    """alice: one read, one unread, one still held."""
    issue, _assignment = push(carol, jw, our_agency)
    first = note(alice)
    first.read_at = first.delivered_at
    first.save()
    fields = {"recipient": alice, "issue": issue, "kind": "urged"}
    with at(9, 11):
        unread = Notification.objects.create(
            text="unread one", deliver_after=when(9, 11), delivered_at=when(9, 11), **fields
        )
        held = Notification.objects.create(text="held one", deliver_after=when(10, 8, 30), **fields)
    return issue, first, unread, held


def test_the_inbox_tabs_filter(client, alice, notes):
    _issue, read, unread, held = notes
    client.force_login(alice)
    url = reverse("notifications:inbox")
    with at(9, 12):
        pages = {show: client.get(url, {"show": show}).content.decode() for show in ("all", "unread", "read")}
    assert read.text in pages["all"] and unread.text in pages["all"]
    assert unread.text in pages["unread"] and read.text not in pages["unread"]
    assert read.text in pages["read"] and unread.text not in pages["read"]
    assert all(held.text not in page for page in pages.values())
    assert 'href="?show=unread" data-show="unread" aria-current="page"' in pages["unread"]
    assert reverse("notifications:preferences") in pages["all"]
    # The kind as a badge: an urge in red, an assignment in the plain colour.
    assert '<span class="badge text-bg-danger me-1">' in pages["unread"]
    assert '<span class="badge text-bg-primary me-1">' in pages["read"]
    assert "text-bg-danger" not in pages["read"].split('id="notifications"')[1]


def test_mark_all_read_stays_on_the_tab(client, alice, notes):
    _issue, _read, unread, _held = notes
    client.force_login(alice)
    with at(9, 12):
        response = client.post(reverse("notifications:inbox") + "?show=unread")
    assert response["Location"] == reverse("notifications:inbox") + "?show=unread"
    unread.refresh_from_db()
    assert unread.read_at == when(9, 12)


def test_opening_a_notification_marks_it_read_and_goes_to_its_issue(client, alice, notes):
    issue, _read, unread, _held = notes
    client.force_login(alice)
    with at(9, 12):
        page = client.get(reverse("notifications:inbox")).content.decode()
        link = reverse("notifications:open", args=[unread.pk])
        assert f'href="{link}"' in page
        response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("issues:detail", args=[issue.pk])
    unread.refresh_from_db()
    assert unread.read_at == when(9, 12)


def test_only_the_recipient_opens_a_delivered_notification(client, alice, bob, notes):
    _issue, _read, unread, held = notes
    client.force_login(bob)
    with at(9, 12):
        assert client.get(reverse("notifications:open", args=[unread.pk])).status_code == 404
        client.force_login(alice)
        assert client.get(reverse("notifications:open", args=[held.pk])).status_code == 404  # not yet hers
    unread.refresh_from_db()
    held.refresh_from_db()
    assert unread.read_at is None and held.read_at is None

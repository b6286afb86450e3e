"""The working-day calendar: Chinese holidays and 调休 from chinese-calendar, corrected in the admin."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.urls import reverse

from agencies import actions, calendar
from agencies.models import CalendarDay, CalendarSource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # A test's rolled-back corrections must not stay in this process's cache for the next test.
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def days(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


def test_it_agrees_with_the_package_on_every_day_of_2024_to_2026():
    wrong = [d for d in days(date(2024, 1, 1), date(2026, 12, 31))
             if calendar.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert wrong == []


def test_the_tiaoxiu_weekend_days_are_working_days():
    # Checked against the package: the Sundays and Saturdays worked to bridge the holidays.
    for day in [date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11),
                date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)]:
        assert day.weekday() >= 5
        assert chinese_calendar.is_workday(day)
        assert calendar.is_working_day(day), day


def test_spring_festival_2025():
    assert not calendar.is_working_day(date(2025, 1, 28))  # 除夕 eve, a Tuesday
    assert calendar.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)  # the working Sunday
    assert calendar.add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert calendar.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)  # after 28 Jan – 4 Feb
    assert calendar.add_working_days(date(2025, 2, 5), 3) == date(2025, 2, 8)  # the working Saturday
    assert calendar.next_working_day(date(2025, 1, 28)) == date(2025, 2, 5)
    assert calendar.working_days_between(date(2025, 1, 24), date(2025, 2, 8)) == 6
    assert calendar.working_days_between(date(2025, 2, 8), date(2025, 1, 24)) == -6


def test_spring_festival_2026():
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # the working Saturday
    assert calendar.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)  # after 15–23 Feb
    assert calendar.next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24–28


def test_national_day_2025():
    assert calendar.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # the working Sunday
    assert calendar.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)  # after 1–8 Oct
    assert calendar.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)  # the working Saturday
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


def test_add_zero_working_days_is_the_next_working_day():
    assert calendar.add_working_days(date(2025, 10, 3), 0) == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 10, 9), 0) == date(2025, 10, 9)


def test_working_days_between_counts_like_the_package_over_a_long_span():
    start, end = date(2023, 12, 15), date(2026, 11, 20)
    expected = sum(1 for d in days(start + timedelta(days=1), end) if chinese_calendar.is_workday(d))
    assert calendar.working_days_between(start, end) == expected
    assert calendar.working_days_between(start, start) == 0


@pytest.mark.parametrize(("start", "amount", "unit", "due"), [
    (date(2025, 9, 26), 5, "natural", date(2025, 10, 9)),  # lands on 1 Oct, moves past the holiday
    (date(2025, 1, 21), 10, "natural", date(2025, 2, 5)),  # lands on 31 Jan, Spring Festival
    (date(2025, 1, 19), 7, "natural", date(2025, 1, 26)),  # lands on the working Sunday: stays
    (date(2025, 3, 3), 5, "natural", date(2025, 3, 10)),  # lands on a Saturday: to Monday
    (date(2025, 3, 3), 5, "working", date(2025, 3, 10)),
    (date(2026, 2, 12), 3, "working", date(2026, 2, 24)),  # Fri 13, Sat 14, Tue 24
])
def test_deadline_from(start, amount, unit, due):
    assert calendar.deadline_from(start, amount, unit) == due


def test_deadline_from_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="unit"):
        calendar.deadline_from(date(2025, 3, 3), 1, "lunar")


def test_seeding_again_adds_nothing_and_keeps_administrators_corrections():
    day = CalendarDay.objects.get(date=date(2025, 10, 8))
    day.is_working_day = True
    actions.save_calendar_day(day)
    assert actions.seed_calendar() == {"created": 0, "updated": 0}
    day.refresh_from_db()
    assert (day.is_working_day, day.source) == (True, CalendarSource.ADMIN)


def test_only_exceptions_are_stored():
    assert not CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()  # an ordinary Monday
    assert CalendarDay.objects.get(date=date(2025, 1, 26)).name == "春节调休"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_the_days(admin_client):
    assert admin_client.get(reverse("admin:agencies_calendarday_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:agencies_calendarday_add")).status_code == 200


def test_a_day_added_in_the_admin_takes_effect_at_once(admin_client):
    monday = date(2025, 3, 3)
    assert calendar.add_working_days(date(2025, 2, 28), 1) == monday  # loads the cache
    response = admin_client.post(reverse("admin:agencies_calendarday_add"), {
        "date": "2025-03-03", "is_working_day": "", "name": "临时调整",
    })
    assert response.status_code == 302
    assert not calendar.is_working_day(monday)
    assert calendar.add_working_days(date(2025, 2, 28), 1) == date(2025, 3, 4)
    assert CalendarDay.objects.get(date=monday).source == CalendarSource.ADMIN


def test_a_correction_and_a_deletion_in_the_admin_take_effect_at_once(admin_client):
    sunday = CalendarDay.objects.get(date=date(2025, 1, 26))
    assert calendar.is_working_day(sunday.date)
    response = admin_client.post(reverse("admin:agencies_calendarday_change", args=[sunday.pk]), {
        "date": "2025-01-26", "is_working_day": "", "name": "更正",
    })
    assert response.status_code == 302
    assert not calendar.is_working_day(sunday.date)
    delete = reverse("admin:agencies_calendarday_delete", args=[sunday.pk])
    response = admin_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not calendar.is_working_day(sunday.date)  # a plain Sunday again
    holiday = CalendarDay.objects.get(date=date(2025, 10, 1))
    admin_client.post(reverse("admin:agencies_calendarday_delete", args=[holiday.pk]), {"post": "yes"})
    assert calendar.is_working_day(date(2025, 10, 1))  # a plain Wednesday

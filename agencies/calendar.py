"""Working days on the Chinese calendar (DESIGN §5 Deadlines).

Monday to Friday are working days except where a ``CalendarDay`` says otherwise: public
holidays are days off, and the weekend days made working days (调休) are working days. The
exceptions (a few hundred rows) are loaded once per process into a cache that a save or delete of a
``CalendarDay`` clears, so deadline arithmetic needs no query per day. Other processes (Celery,
other daphne workers) see an administrator's correction within ``CACHE_SECONDS``.
"""

from __future__ import annotations

import bisect
import threading
import time
from datetime import date, timedelta
from typing import Literal

from chinese_calendar import constants

from .models import CalendarDay

Unit = Literal["working", "natural"]

# A correction made in another process reaches this one at the latest after this long.
CACHE_SECONDS = 300

_lock = threading.Lock()
_cache: tuple[float, dict[date, bool], list[date]] | None = None


def clear_cache() -> None:
    """Forget the exception days; the next question loads them again."""
    global _cache
    with _lock:
        _cache = None


def _exceptions() -> tuple[dict[date, bool], list[date]]:
    """The exception days as {date: is working} and their sorted dates."""
    global _cache
    cached = _cache
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1], cached[2]
    days = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    ordered = sorted(days)
    with _lock:
        _cache = (time.monotonic(), days, ordered)
    return days, ordered


def is_working_day(day: date) -> bool:
    days, _ordered = _exceptions()
    return days.get(day, day.weekday() < 5)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    days, _ordered = _exceptions()
    while not days.get(day, day.weekday() < 5):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; ``n=0`` gives ``next_working_day(start)``."""
    if n < 0:
        raise ValueError("add_working_days counts forward only")
    if n == 0:
        return next_working_day(start)
    days, _ordered = _exceptions()
    day = start
    while n:
        day += timedelta(days=1)
        if days.get(day, day.weekday() < 5):
            n -= 1
    return day


def _weekdays_upto(day: date) -> int:
    """Mondays to Fridays from a fixed Monday up to and including ``day`` (a running count)."""
    ordinal = day.toordinal()  # ordinal 1 (0001-01-01) is a Monday
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest + 1, 5)


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative (working days in (end, start]) when end < start."""
    if end < start:
        return -working_days_between(end, start)
    days, ordered = _exceptions()
    count = _weekdays_upto(end) - _weekdays_upto(start)
    # Correct the plain weekday count by the exceptions inside (start, end].
    for day in ordered[bisect.bisect_right(ordered, start):bisect.bisect_right(ordered, end)]:
        weekday = day.weekday() < 5
        if weekday and not days[day]:
            count -= 1
        elif not weekday and days[day]:
            count += 1
    return count


def deadline_from(start: date, amount: int, unit: Unit) -> date:
    """The deadline ``amount`` days after ``start``.

    Working days count with ``add_working_days``; natural days land on ``start + amount`` and move
    to the next working day when that is a day off (a deadline never falls on a holiday).
    """
    if unit == "working":
        return add_working_days(start, amount)
    if unit == "natural":
        return next_working_day(start + timedelta(days=amount))
    raise ValueError(f"unknown unit {unit!r}")


# The package names holidays in English; the calendar is read by Chinese administrators.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_days() -> dict[date, tuple[bool, str]]:
    """Every exception the ``chinese-calendar`` package knows: {date: (is working, name)}.

    Holidays on a weekend are kept too: they are days off either way, but their name tells an
    administrator why a week looks short. Working weekend days are named after the holiday
    they make up for (调休).
    """
    def chinese(name) -> str:
        return _HOLIDAY_NAMES.get(str(name), str(name))

    days = {day: (False, chinese(name)) for day, name in constants.holidays.items()}
    days.update({day: (True, f"{chinese(name)}调休") for day, name in constants.workdays.items()})
    return days

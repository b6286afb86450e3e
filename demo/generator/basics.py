"""The generator's basics: the export period, calendar tables, times, amounts and hashing."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from search.ingest.registry import REGION_COLUMN

REGION = REGION_COLUMN


START = datetime.date(2020, 1, 1)
END = datetime.date(2026, 10, 31)  # the last day of the exports
SINCE_2010 = datetime.date(2010, 1, 1)  # the market register and the officials go back further

# --- calendar tables -----------------------------------------------------------------------------
_DAY0 = datetime.date(1920, 1, 1)
_DAYS = (datetime.date(2036, 1, 1) - _DAY0).days
ISO: list[str] = []
COMPACT: list[str] = []
for _n in range(_DAYS):
    _d = _DAY0 + datetime.timedelta(days=_n)
    ISO.append(_d.isoformat())
    COMPACT.append(_d.strftime("%Y%m%d"))


def day_of(date: datetime.date) -> int:
    """The index of ``date`` in the calendar tables."""
    return (date - _DAY0).days


def date_of(day: int) -> datetime.date:
    return _DAY0 + datetime.timedelta(days=day)


def _year(day: int) -> str:
    return COMPACT[day][:4]


_HOURS = (8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 15, 16, 16, 17, 17, 18, 19, 20, 21, 22)


def _clock(r: Callable[[], float]) -> str:
    return f"{_HOURS[int(r() * len(_HOURS))]:02d}:{int(r() * 60):02d}:{int(r() * 60):02d}"


def _money(value: float) -> str:
    return f"{value:.2f}"


# --- hashing -------------------------------------------------------------------------------------
_M64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finaliser: 64 well-mixed bits from any integer."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _salt(seed, label: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{label}".encode()).digest()[:8], "big")


_SCRAMBLE = 2_654_435_761  # a prime: multiplying by it permutes the residues of a smaller modulus


def _month_day(day: int, months: int, payday: int) -> int:
    """The ``payday`` of the month ``months`` after the month of ``day``."""
    date = date_of(day)
    month = date.year * 12 + date.month - 1 + months
    return day_of(datetime.date(month // 12, month % 12 + 1, payday))

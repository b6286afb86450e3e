"""Deadlines proposed by policy (DESIGN §5): how long a handler has, counted on the Chinese calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import ngettext

from agencies import calendar

from ..models import Category, DeadlinePolicy, DeadlineUnit, Priority, most_specific_policy


def policy_for(category: str, priority: str) -> DeadlinePolicy | None:
    """The most specific policy for the pair: both given, then category only, priority only, neither."""
    return DeadlinePolicy.objects.for_pair(category, priority)


def proposed_deadline(category: str, priority: str, start: dt.date | None = None) -> dt.date | None:
    """The deadline the policy gives an issue pushed on ``start`` (today), or None without a policy."""
    policy = policy_for(category, priority)
    if policy is None:
        return None
    return calendar.deadline_from(start or timezone.localdate(), policy.handle_within, policy.unit)


@dataclass(frozen=True)
class Suggestion:
    """The deadline a policy proposes, and how it says so: "5 个工作日，截至 2026年12月11日"."""

    deadline: dt.date
    amount: int
    unit: str

    @property
    def text(self) -> str:
        day = formats.date_format(self.deadline, "DATE_FORMAT")
        if self.unit == DeadlineUnit.NATURAL:
            phrase = ngettext(
                "%(count)d natural day, until %(date)s",
                "%(count)d natural days, until %(date)s",
                self.amount,
            )
        else:
            phrase = ngettext(
                "%(count)d working day, until %(date)s",
                "%(count)d working days, until %(date)s",
                self.amount,
            )
        return phrase % {"count": self.amount, "date": day}


def suggestions(start: dt.date | None = None) -> dict[tuple[str, str], Suggestion]:
    """The proposed deadline of every (category, priority) a policy covers, from one query: the
    new-issue form carries them all, so a change of either field changes the date at once."""
    start = start or timezone.localdate()
    policies = list(DeadlinePolicy.objects.all())
    proposed = {}
    for category in Category.values:
        for priority in Priority.values:
            policy = most_specific_policy(policies, category, priority)
            if policy is not None:
                deadline = calendar.deadline_from(start, policy.handle_within, policy.unit)
                proposed[category, priority] = Suggestion(deadline, policy.handle_within, policy.unit)
    return proposed

"""Deadlines proposed by policy (DESIGN §5): how long a handler has, counted on the Chinese calendar."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from agencies import calendar

from .models import DeadlinePolicy


def policy_for(category: str, priority: str) -> DeadlinePolicy | None:
    """The most specific policy for the pair: both given, then category only, priority only, neither."""
    candidates = DeadlinePolicy.objects.filter(
        Q(category=category) | Q(category=""), Q(priority=priority) | Q(priority="")
    )
    # A policy naming the category beats one naming the priority; both beat the catch-all.
    return max(candidates, key=lambda p: (p.category != "", p.priority != ""), default=None)


def proposed_deadline(category: str, priority: str, start: dt.date | None = None) -> dt.date | None:
    """The deadline the policy gives an issue pushed on ``start`` (today), or None without a policy."""
    policy = policy_for(category, priority)
    if policy is None:
        return None
    return calendar.deadline_from(start or timezone.localdate(), policy.handle_within, policy.unit)


def sign_deadline(category: str, priority: str, start: dt.date | None = None) -> dt.date | None:
    policy = policy_for(category, priority)
    if policy is None:
        return None
    return calendar.add_working_days(start or timezone.localdate(), policy.sign_within)

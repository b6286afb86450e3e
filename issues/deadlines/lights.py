"""Traffic lights (DESIGN §5): green closed in time, blue running, yellow due soon, red overdue.

An issue's light is its worst open assignment's, read from ``Issue.due_date`` (the earliest open
deadline, kept by the actions), so the board filters on it in SQL without a join. "Due soon" is
counted in working days on the Chinese calendar (``agencies.calendar``): the boundary date is
computed in Python once per query, then compared in SQL. A closed issue whose closing day came
after its deadline stays red: closed late.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import calendar

from ..models import IssueState


class Light(models.TextChoices):
    GREEN = "green", _("Closed in time")
    BLUE = "blue", _("Running")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


FINISHED = (IssueState.CLOSED, IssueState.WITHDRAWN)


def due_soon_until(today: dt.date) -> dt.date:
    """The last due date that is "due soon" today: N working days ahead (a weekend before it is free)."""
    return calendar.add_working_days(today, settings.DUE_SOON_WORKING_DAYS)


def closed_late(due: dt.date | None, closed_on: dt.date | None) -> bool:
    return due is not None and closed_on is not None and closed_on > due


def light_condition(light: str, today: dt.date | None = None) -> Q:
    """The issues whose light is ``light`` today, as one WHERE clause on the issue row."""
    today = today or timezone.localdate()
    soon = due_soon_until(today)
    finished = Q(state__in=FINISHED)
    closed_late = finished & Q(deadline__isnull=False, closed_at__date__gt=F("deadline"))
    if light == Light.GREEN:
        return finished & ~closed_late
    if light == Light.RED:
        return closed_late | (~finished & Q(due_date__lt=today))
    if light == Light.YELLOW:
        return ~finished & Q(due_date__gte=today, due_date__lte=soon)
    if light == Light.BLUE:
        return ~finished & (Q(due_date__isnull=True) | Q(due_date__gt=soon))
    raise ValueError(light)


def annotate_light(queryset, today: dt.date | None = None):
    return queryset.annotate(
        light=Case(
            *(When(light_condition(light, today), then=Value(light.value)) for light in Light),
            default=Value(Light.BLUE.value),
            output_field=models.CharField(),
        )
    )


def date_light(
    due: dt.date | None, *, finished: bool, closed_on: dt.date | None = None, today: dt.date | None = None
) -> Light:
    """The light of one assignment (or issue) from its deadline, in Python."""
    today = today or timezone.localdate()
    if finished:
        return Light.RED if closed_late(due, closed_on) else Light.GREEN
    if due is None or due > due_soon_until(today):
        return Light.BLUE
    return Light.RED if due < today else Light.YELLOW

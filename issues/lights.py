"""Traffic lights (DESIGN §5): green closed in time, blue running, yellow due soon, red overdue.

An issue's light is its worst open assignment's, read from ``Issue.due_date`` (the earliest open
deadline, kept by the actions), so the board filters on it in SQL without a join. "Due soon" is
counted in calendar days here; the working-day calendar replaces it when deadlines learn
Chinese holidays.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IssueState

DUE_SOON_DAYS = 3


class Light(models.TextChoices):
    GREEN = "green", _("Closed in time")
    BLUE = "blue", _("Running")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


FINISHED = (IssueState.CLOSED, IssueState.WITHDRAWN)


def light_condition(light: str, today: dt.date | None = None) -> Q:
    """The issues whose light is ``light`` today, as one WHERE clause on the issue row."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
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
        late = due is not None and closed_on is not None and closed_on > due
        return Light.RED if late else Light.GREEN
    if due is None or due > today + dt.timedelta(days=DUE_SOON_DAYS):
        return Light.BLUE
    return Light.RED if due < today else Light.YELLOW

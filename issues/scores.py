"""A transparent timeliness score per department and period, its formula shown beside it.

    score = 40 × on-time signing rate + 60 × on-time closing rate − 2 × overdue now − 1 × urges,
    kept between 0 and 100

counted over the department's handler assignments pushed in the period (and visible to the
viewer): signed on time = signed within ``SIGN_DAYS`` natural days of being assigned; closed on
time = accepted, with the report in by the assignment's deadline; overdue now = still open past
its deadline; urges = urges received on those assignments. A rate with nothing to count is
taken as 100%: a department is not marked down for work it was never given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .ledgers import LIVE_ASSIGNMENT_STATES, LedgerFilters, scoped_issues
from .models import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentState, Urge

SIGN_DAYS = 1
WEIGHTS = {"sign": 40, "close": 60, "overdue": 2, "urges": 1}


@dataclass
class Score:
    agency_id: int
    agency: str
    assignments: int
    signed: int
    signed_on_time: int
    accepted: int
    closed_on_time: int
    overdue: int
    urges: int

    @property
    def sign_rate(self) -> float:
        return self.signed_on_time / self.signed if self.signed else 1.0

    @property
    def close_rate(self) -> float:
        return self.closed_on_time / self.accepted if self.accepted else 1.0

    @property
    def score(self) -> float:
        raw = (
            WEIGHTS["sign"] * self.sign_rate
            + WEIGHTS["close"] * self.close_rate
            - WEIGHTS["overdue"] * self.overdue
            - WEIGHTS["urges"] * self.urges
        )
        return round(min(100.0, max(0.0, raw)), 1)


def scores(user, agency, filters: LedgerFilters, today: dt.date | None = None) -> list[Score]:
    """Each handling department's score, best first (one aggregate query)."""
    today = today or timezone.localdate()
    urges = (
        Urge.objects.filter(assignment=OuterRef("pk")).order_by().values("assignment").annotate(n=Count("pk"))
    )
    rows = (
        Assignment.objects.filter(
            state__in=LIVE_ASSIGNMENT_STATES, issue__in=scoped_issues(user, agency, filters)
        )
        .filter(Q(agency=filters.agency) if filters.agency else Q())
        .annotate(urge_count=Coalesce(Subquery(urges.values("n")), 0))
        .values("agency", "agency__name")
        .annotate(
            assignments=Count("pk"),
            signed=Count("pk", filter=Q(signed_at__isnull=False)),
            signed_on_time=Count(
                "pk",
                filter=Q(
                    signed_at__isnull=False, signed_at__lte=F("created_at") + dt.timedelta(days=SIGN_DAYS)
                ),
            ),
            accepted=Count("pk", filter=Q(state=AssignmentState.ACCEPTED)),
            closed_on_time=Count(
                "pk",
                filter=Q(state=AssignmentState.ACCEPTED)
                & (Q(deadline__isnull=True) | Q(reported_at__date__lte=F("deadline"))),
            ),
            overdue=Count("pk", filter=Q(state__in=OPEN_ASSIGNMENT_STATES, deadline__lt=today)),
            urges=Coalesce(Sum("urge_count"), 0),
        )
        .order_by()
    )
    result = [
        Score(
            agency_id=row["agency"],
            agency=row["agency__name"],
            **{
                k: row[k]
                for k in (
                    "assignments",
                    "signed",
                    "signed_on_time",
                    "accepted",
                    "closed_on_time",
                    "overdue",
                    "urges",
                )
            },
        )
        for row in rows
    ]
    result.sort(key=lambda s: (-s.score, s.agency))
    return result

"""A transparent timeliness score per department and period, its formula shown beside it.

    score = 40 × on-time signing rate + 60 × on-time closing rate − 2 × overdue now − 1 × urges,
    kept between 0 and 100

counted over the department's live handler assignments of issues pushed in the period (and
visible to the viewer), from the ledgers' lines: signed on time = signed for by the sign
deadline its deadline policy gave it (assignments made before sign deadlines existed are left
out of this rate); closed on time = accepted, with the report in by the assignment's deadline;
overdue now = still open past its deadline; urges = urges received on those assignments. A rate
with nothing to count is taken as 100%: a department is not marked down for work it was never
given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .ledgers import OPEN_ISSUE_STATES, LedgerFilters, handler_lines, reporting_transaction
from .models import OPEN_ASSIGNMENT_STATES, AssignmentState

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
    """Each handling department's score, best first (one aggregate query over handler lines)."""
    today = today or timezone.localdate()
    rows = (
        handler_lines(user, agency, filters)
        .values("handler", "handler__name")
        .annotate(
            assignments=Count("pk"),
            signed=Count("pk", filter=Q(signed_on_time__isnull=False)),
            signed_on_time=Count("pk", filter=Q(signed_on_time=True)),
            accepted=Count("pk", filter=Q(assignment_state=AssignmentState.ACCEPTED)),
            closed_on_time=Count("pk", filter=Q(reported_on_time=True)),
            overdue=Count(
                "pk",
                filter=Q(
                    issue_state__in=OPEN_ISSUE_STATES,
                    assignment_state__in=OPEN_ASSIGNMENT_STATES,
                    deadline__lt=today,
                ),
            ),
            urges=Coalesce(Sum("urges"), 0),
        )
        .order_by()
    )
    with reporting_transaction():
        rows = list(rows)
    fields = ("assignments", "signed", "signed_on_time", "accepted", "closed_on_time", "overdue", "urges")
    result = [
        Score(agency_id=row["handler"], agency=row["handler__name"], **{k: row[k] for k in fields})
        for row in rows
    ]
    result.sort(key=lambda s: (-s.score, s.agency))
    return result

"""A transparent timeliness score per department and period, its formula shown beside it.

    score = 40 × on-time signing rate + 60 × on-time closing rate − 2 × overdue now − 1 × urges,
    kept between 0 and 100

counted over the department's live handler assignments of issues pushed in the period (and
visible to the viewer), from the ledgers' lines: signed on time = signed for by the sign
deadline its deadline policy gave it (assignments made before sign deadlines existed are left
out of this rate); closed on time = accepted, with the report in by the assignment's deadline;
overdue now = still open past its deadline; urges = urges received on those assignments.

A rate with nothing to count is left out, and the other carries both weights. A department with
neither (no assignment, or none signed or accepted yet) has no score: it is shown as such and
listed after the ranked ones, never as the best (0/0 is not 100%).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import OPEN_ASSIGNMENT_STATES, AssignmentState
from .ledgers import OPEN_ISSUE_STATES, LedgerFilters, handler_lines, reporting_transaction

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
    rank: int | None = None  # set by ``scores``: None for a department without a score

    @property
    def sign_rate(self) -> float | None:
        return self.signed_on_time / self.signed if self.signed else None

    @property
    def close_rate(self) -> float | None:
        return self.closed_on_time / self.accepted if self.accepted else None

    @property
    def score(self) -> float | None:
        """None when neither rate has anything to count."""
        rates = (("sign", self.sign_rate), ("close", self.close_rate))
        rated = [(WEIGHTS[part], rate) for part, rate in rates if rate is not None]
        if not rated:
            return None
        full = WEIGHTS["sign"] + WEIGHTS["close"]
        base = full * sum(weight * rate for weight, rate in rated) / sum(weight for weight, _rate in rated)
        raw = base - WEIGHTS["overdue"] * self.overdue - WEIGHTS["urges"] * self.urges
        return round(min(100.0, max(0.0, raw)), 1)

    @property
    def has_items(self) -> bool:
        return self.assignments > 0


def scores(user, agency, filters: LedgerFilters, today: dt.date | None = None) -> list[Score]:
    """Each handling department's score, best first, then those without a score by name (one
    aggregate query over handler lines). With an agency filter, that agency is listed even
    without a line: its own page says it has no items rather than nothing at all."""
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
    if filters.agency is not None and not any(s.agency_id == filters.agency.pk for s in result):
        result.append(Score(filters.agency.pk, filters.agency.name, 0, 0, 0, 0, 0, 0, 0))
    return ranked(result)


def ranked(result: list[Score]) -> list[Score]:
    """Scored departments by score (ties share a rank), then the unscored, unranked, by name."""
    scored = sorted((s for s in result if s.score is not None), key=lambda s: (-s.score, s.agency))
    unscored = sorted((s for s in result if s.score is None), key=lambda s: s.agency)
    for position, entry in enumerate(scored, 1):
        previous = scored[position - 2] if position > 1 else None
        entry.rank = previous.rank if previous is not None and previous.score == entry.score else position
    for entry in unscored:
        entry.rank = None
    return scored + unscored

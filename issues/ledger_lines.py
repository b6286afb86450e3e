"""Keeping the ledgers' facts (``LedgerLine``) in step with the issues they summarise.

``refresh`` rewrites every line of the given issues from their rows: the actions call it for
their issue inside their own transaction, so an issue's lines always match its latest event.
``rebuild`` does the same for every issue in batches; it is what a database needs after its
lines were created or after the working-day calendar was corrected for days already counted
(``manage.py rebuild_ledger``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agencies.calendar import working_days_between

from .models import (
    OPEN_ASSIGNMENT_STATES,
    OPEN_ISSUE_STATES,
    Assignment,
    AssignmentState,
    Issue,
    IssueState,
    LedgerLine,
    Urge,
)

# A handler's live share of an issue: still open, or done and accepted (not declined or passed on).
LIVE_ASSIGNMENT_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.ACCEPTED)
# What the ledgers count: every issue that was pushed (drafts are nobody's work yet).
COUNTED_ISSUE_STATES = (*OPEN_ISSUE_STATES, IssueState.CLOSED, IssueState.WITHDRAWN)

BATCH_SIZE = 2_000


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def _working_days(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return working_days_between(_local_date(start), _local_date(end))


def _issue_line(issue: Issue) -> LedgerLine:
    pushed = _local_date(issue.pushed_at)
    closed = _local_date(issue.closed_at) if issue.state == IssueState.CLOSED else None
    return LedgerLine(
        issue_id=issue.pk,
        initiator_class=issue.initiator.supervision_class,
        issue_state=issue.state,
        pushed_at=issue.pushed_at,
        pushed_month=pushed.replace(day=1),
        deadline=issue.deadline,
        due_date=issue.due_date,
        closed_late=None if closed is None else (issue.deadline is not None and closed > issue.deadline),
        close_working_days=None if closed is None else _working_days(issue.pushed_at, issue.closed_at),
        sign_working_days_total=0,
        handlers_signed=0,
    )


def _handler_line(issue_line: LedgerLine, assignment: Assignment, urges: int) -> LedgerLine:
    signed = _local_date(assignment.signed_at)
    reported = _local_date(assignment.reported_at)
    accepted = assignment.state == AssignmentState.ACCEPTED
    return LedgerLine(
        issue_id=issue_line.issue_id,
        assignment_id=assignment.pk,
        handler_id=assignment.agency_id,
        district_id=assignment.agency.region_id,
        initiator_class=issue_line.initiator_class,
        issue_state=issue_line.issue_state,
        assignment_state=assignment.state,
        pushed_at=issue_line.pushed_at,
        pushed_month=issue_line.pushed_month,
        deadline=assignment.deadline,
        due_date=issue_line.due_date,
        closed_late=issue_line.closed_late,
        close_working_days=issue_line.close_working_days,
        sign_working_days=_working_days(assignment.created_at, assignment.signed_at),
        signed_on_time=(
            None if signed is None or assignment.sign_deadline is None else signed <= assignment.sign_deadline
        ),
        reported_on_time=(
            None
            if not accepted
            else assignment.deadline is None or (reported is not None and reported <= assignment.deadline)
        ),
        urges=urges,
    )


def lines_of(issue_ids: Iterable[int]) -> list[LedgerLine]:
    """The lines the given issues should have, from their current rows (three queries)."""
    ids = list(issue_ids)
    issues = Issue.objects.filter(pk__in=ids, state__in=COUNTED_ISSUE_STATES, pushed_at__isnull=False)
    issue_lines = {issue.pk: _issue_line(issue) for issue in issues.select_related("initiator")}
    assignments = Assignment.objects.filter(
        issue_id__in=issue_lines, state__in=LIVE_ASSIGNMENT_STATES
    ).select_related("agency")
    urges = dict(
        Urge.objects.filter(issue_id__in=issue_lines, assignment__state__in=LIVE_ASSIGNMENT_STATES)
        .values("assignment")
        .annotate(n=Count("pk"))
        .values_list("assignment", "n")
    )
    lines = list(issue_lines.values())
    for assignment in assignments.order_by("issue_id", "pk"):
        issue_line = issue_lines[assignment.issue_id]
        line = _handler_line(issue_line, assignment, urges.get(assignment.pk, 0))
        if line.sign_working_days is not None:
            issue_line.sign_working_days_total += line.sign_working_days
            issue_line.handlers_signed += 1
        lines.append(line)
    return lines


def refresh(issue_ids: Iterable[int]) -> None:
    """Rewrite the lines of these issues; call inside the transaction that changed them."""
    ids = sorted(set(issue_ids))
    if not ids:
        return
    LedgerLine.objects.filter(issue_id__in=ids).delete()
    LedgerLine.objects.bulk_create(lines_of(ids), batch_size=BATCH_SIZE)


def rebuild(batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite every issue's lines, ``batch_size`` issues per statement batch; returns the issues done."""
    done, after = 0, 0
    while True:
        following = Issue.objects.filter(pk__gt=after).order_by("pk")
        ids = list(following.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return done
        with transaction.atomic():
            refresh(ids)
        after, done = ids[-1], done + len(ids)
        if progress:
            progress(done)

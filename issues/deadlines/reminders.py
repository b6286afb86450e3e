"""The deadline reminder ladder (DESIGN §5 Deadlines): which steps are due, firing each once.

A step with offset ``k`` is due for an open assignment when ``working_days_between(deadline,
today) >= k``. That count falls as the deadline moves later, so "due" is one SQL condition,
``deadline <= threshold(k)``, and the sweep reads only the due, not yet fired pairs, in batches
in (deadline, id) order: the order of the partial index on open assignments, so a batch reads
its rows and no more, and a sweep in which nothing is due reads only the due range. For each
batch it first inserts the ``ReminderFiring`` rows (``ON CONFLICT DO NOTHING RETURNING``) and
acts only for the rows it inserted, in the same transaction: a second sweep running at the same
moment waits on those rows and then finds them taken; a worker that dies mid-batch leaves
nothing, and the next sweep fires the batch again.

A step that is due together with a later step (the sweep was down, or the assignment arrived
late) is recorded as skipped: the handler hears about the latest step only.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.calendar import add_working_days, working_days_between
from agencies.models import Agency, AgencyKind, Membership, Role, SupervisionClass
from notifications.inbox import NotificationBatch

from .. import workflow
from ..models import Assignment, Issue
from .models import ReminderFiring, ReminderStep, StepKind

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Deadlines further than this from today are not looked for (about 27 years either way).
_SEARCH_DAYS = 10_000


def urgeable_states():
    return [str(state) for state in workflow.URGEABLE_STATES]


def threshold(today: dt.date, offset: int) -> dt.date:
    """The latest deadline for which a step ``offset`` working days from it is due ``today``."""
    lo, hi = today.toordinal() - _SEARCH_DAYS, today.toordinal() + _SEARCH_DAYS
    # working_days_between(deadline, today) falls as the deadline grows: find its last day >= offset.
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if working_days_between(dt.date.fromordinal(mid), today) >= offset:
            lo = mid
        else:
            hi = mid - 1
    return dt.date.fromordinal(lo)


# --- who hears about a step ----------------------------------------------------------------------


@dataclass
class Audience:
    """Recipients by agency, looked up once per sweep and for a whole batch at a time (a few
    queries per batch, not per assignment)."""

    _members: dict = field(default_factory=dict)
    _groups: dict = field(default_factory=dict)
    _above: dict = field(default_factory=dict)

    def members(self, agency_id: int, roles: tuple[str, ...]) -> list[int]:
        self.load_members([agency_id], roles)
        return self._members[(agency_id, roles)]

    def load_members(self, agency_ids, roles: tuple[str, ...]) -> None:
        missing = {agency_id for agency_id in agency_ids if (agency_id, roles) not in self._members}
        if not missing:
            return
        found: dict[int, list[int]] = {agency_id: [] for agency_id in missing}
        rows = Membership.objects.filter(agency_id__in=missing, role__in=roles, user__is_active=True)
        for agency_id, user_id in rows.values_list("agency_id", "user_id"):
            found[agency_id].append(user_id)
        for agency_id, user_ids in found.items():
            self._members[(agency_id, roles)] = user_ids

    def stationed_groups(self, agency_id: int) -> list[int]:
        self.load_stationed_groups([agency_id])
        return self._groups[agency_id]

    def load_stationed_groups(self, agency_ids) -> None:
        missing = {agency_id for agency_id in agency_ids if agency_id not in self._groups}
        if not missing:
            return
        found: dict[int, list[int]] = {agency_id: [] for agency_id in missing}
        stationed = Agency.stationed_at.through.objects.filter(
            to_agency_id__in=missing, from_agency__is_active=True
        )
        for agency_id, group_id in stationed.values_list("to_agency_id", "from_agency_id"):
            found[agency_id].append(group_id)
        self._groups.update(found)

    def commission_above(self, agency_id: int) -> int | None:
        """The discipline commission of the region one level above the handler's region."""
        self.load_commissions_above([agency_id])
        return self._above[agency_id]

    def load_commissions_above(self, agency_ids) -> None:
        missing = {agency_id for agency_id in agency_ids if agency_id not in self._above}
        if not missing:
            return
        parents = dict(Agency.objects.filter(pk__in=missing).values_list("pk", "region__parent_id"))
        first: dict[int, int] = {}
        commissions = Agency.objects.filter(
            region_id__in={region for region in parents.values() if region is not None},
            kind=AgencyKind.SUPERVISORY, supervision_class=SupervisionClass.PARTY, is_active=True,
        )
        for region_id, pk in commissions.order_by("pk").values_list("region_id", "pk"):
            first.setdefault(region_id, pk)
        for agency_id in missing:
            self._above[agency_id] = first.get(parents.get(agency_id))

    def load(self, step: ReminderStep, agency_ids) -> None:
        """Everything ``of`` needs for these handlers, in a few queries."""
        agency_ids = set(agency_ids)
        if step.to_handler:
            self.load_members(agency_ids, (Role.STAFF, Role.LEADER))
        if step.to_leader:
            self.load_members(agency_ids, (Role.LEADER,))
        if step.to_liaison:
            self.load_stationed_groups(agency_ids)
            groups = {group for agency_id in agency_ids for group in self._groups[agency_id]}
            self.load_members(groups, (Role.LIAISON,))
        if step.to_commission or step.kind == StepKind.ESCALATE:
            self.load_commissions_above(agency_ids)
            above = {self._above[agency_id] for agency_id in agency_ids} - {None}
            if step.to_commission:
                self.load_members(above, (Role.LEADER, Role.LIAISON))

    def of(self, step: ReminderStep, agency_id: int) -> set[int]:
        users: set[int] = set()
        if step.to_handler:
            users.update(self.members(agency_id, (Role.STAFF, Role.LEADER)))
        if step.to_leader:
            users.update(self.members(agency_id, (Role.LEADER,)))
        if step.to_liaison:
            for group_id in self.stationed_groups(agency_id):
                users.update(self.members(group_id, (Role.LIAISON,)))
        if step.to_commission:
            above = self.commission_above(agency_id)
            if above is not None:
                users.update(self.members(above, (Role.LEADER, Role.LIAISON)))
        return users


# --- the sweep -----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    fired: int = 0
    skipped: int = 0
    notifications: int = 0
    urges: int = 0

    def as_dict(self) -> dict:
        return {"fired": self.fired, "skipped": self.skipped, "notifications": self.notifications,
                "urges": self.urges}


def due_assignments(step: ReminderStep, until: dt.date, after: tuple[dt.date, int] | None = None):
    """Open assignments whose deadline makes ``step`` due and for which it has not fired, in
    (deadline, id) order, after the (deadline, id) of the previous batch's last row."""
    fired = ReminderFiring.objects.filter(assignment_id=OuterRef("pk"), step_id=step.pk)
    due = Assignment.objects.filter(state__in=urgeable_states(), deadline__lte=until)
    if after is not None:
        # (deadline, id) > after, written so that the deadline bounds the index range.
        deadline, pk = after
        due = due.filter(Q(deadline__gt=deadline) | Q(pk__gt=pk), deadline__gte=deadline)
    return (
        due.filter(~Exists(fired))
        .order_by("deadline", "pk")
        .values_list("pk", "deadline", "issue_id", "agency_id")
    )


@dataclass
class _SweepContext:
    now: dt.datetime
    urge_due: dt.date
    audience: Audience


def sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    steps = list(ReminderStep.objects.filter(is_active=True).order_by("offset_working_days", "pk"))
    result = SweepResult()
    # Looked up once per sweep, not per firing: recipients by agency, the urges' answer-by day.
    context = _SweepContext(now=now, urge_due=add_working_days(today, 1), audience=Audience())
    for index, step in enumerate(steps):
        until = threshold(today, step.offset_working_days)
        later = [s for s in steps[index + 1:] if s.offset_working_days > step.offset_working_days]
        # A deadline on or before this day makes a later step due as well: this one is skipped.
        superseded_until = threshold(today, later[0].offset_working_days) if later else None
        after = None
        while True:
            rows = list(due_assignments(step, until, after)[:batch_size])
            if not rows:
                break
            after = (rows[-1][1], rows[-1][0])
            _fire_batch(step, rows, superseded_until, context, result)
    return result


def _claim(step: ReminderStep, assignment_ids: list[int], now: dt.datetime) -> set[int]:
    """Insert the firing rows; the ids returned are the ones this sweep won."""
    table = connection.ops.quote_name(ReminderFiring._meta.db_table)
    fired_at = connection.ops.adapt_datetimefield_value(now)
    values = ", ".join(["(%s, %s, %s, '')"] * len(assignment_ids))
    params = []
    for assignment_id in assignment_ids:
        params += [assignment_id, step.pk, fired_at]
    sql = (
        f"INSERT INTO {table} (assignment_id, step_id, fired_at, skipped) VALUES {values} "  # noqa: S608
        "ON CONFLICT (assignment_id, step_id) DO NOTHING RETURNING assignment_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _mark_skipped(step: ReminderStep, assignment_ids, reason: str) -> None:
    if assignment_ids:
        fired = ReminderFiring.objects.filter(step=step, assignment_id__in=assignment_ids)
        fired.update(skipped=reason[:200])


def _fire_batch(step, rows, superseded_until, context: _SweepContext, result: SweepResult) -> None:
    audience, batch = context.audience, NotificationBatch(context.now)
    urges = step.kind in (StepKind.URGE, StepKind.ESCALATE)
    with transaction.atomic():
        won = _claim(step, [row[0] for row in rows], context.now)
        rows = [row for row in rows if row[0] in won]
        superseded = {row[0] for row in rows if superseded_until is not None and row[1] <= superseded_until}
        _mark_skipped(step, superseded, _("A later step was due as well."))
        result.skipped += len(superseded)
        rows = [row for row in rows if row[0] not in superseded]
        titles = Issue.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "number", "title")
        issues = {pk: (number, title) for pk, number, title in titles}
        audience.load(step, {row[3] for row in rows})
        refused: dict[str, list[int]] = {}
        for assignment_id, deadline, issue_id, agency_id in rows:
            if urges:
                # The action is atomic: when it refuses (the issue moved on), its savepoint is
                # rolled back and the rest of the batch goes on.
                try:
                    by = None
                    if step.kind == StepKind.ESCALATE:
                        by = audience.commission_above(agency_id)
                        if by is None:
                            raise workflow.ActionError(_("There is no commission one level up."))
                    workflow.auto_urge(
                        assignment_id=assignment_id, rule=step.code, due_date=context.urge_due,
                        by_agency_id=by,
                    )
                except workflow.ActionError as error:
                    refused.setdefault(str(error), []).append(assignment_id)
                    continue
                result.urges += 1
            number, title = issues[issue_id]
            result.notifications += batch.add(
                audience.of(step, agency_id), issue_id=issue_id, kind=step.kind,
                text=message(step, number, title, deadline),
            )
            result.fired += 1
        for reason, assignment_ids in refused.items():
            _mark_skipped(step, assignment_ids, reason)
            result.skipped += len(assignment_ids)
        batch.send()


def message(step: ReminderStep, number: str, title: str, deadline: dt.date) -> str:
    context = {"number": number, "title": title, "deadline": deadline.isoformat(),
               "days": abs(step.offset_working_days)}
    if step.kind == StepKind.REMIND:
        return _("Issue %(number)s “%(title)s” is due on %(deadline)s, in %(days)s working days.") % context
    if step.kind == StepKind.ALERT:
        return _("Yellow alert: issue %(number)s “%(title)s” is due on %(deadline)s.") % context
    if step.kind == StepKind.URGE:
        return _(
            "Red alert: issue %(number)s “%(title)s” reached its deadline of %(deadline)s and was urged "
            "automatically."
        ) % context
    return _(
        "Escalated: issue %(number)s “%(title)s” is %(days)s working days past its deadline of "
        "%(deadline)s."
    ) % context

"""台账: ledgers of issues, urges and overdue work, grouped by one dimension, counted in SQL.

Every ledger starts from ``permissions.visible_issues`` of the acting agency, so no number
counts an issue its viewer could not open. One query per ledger (plus one for the days to
sign) aggregates with conditional ``Count``/``Avg``; nothing is counted row by row in Python.

Rows of a ledger are the *units* it counts:

- issues ledger: grouped by handler (agency, district) one row per issue and live handler
  assignment, so an issue handled by two departments counts under each; grouped by the
  initiator's supervision class or the month pushed, one row per issue;
- urges ledger (督办台账): one row per urge;
- overdue ledger: one row per open handler assignment past its deadline.

Each number links to the issues behind it: ``drill_issues`` repeats the ledger's own row query
with the group and the metric as filters, so the list holds exactly the issues counted (for the
urges and overdue ledgers, the issues the counted urges or assignments belong to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region, SupervisionClass

from .models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Issue,
    IssueState,
    Urge,
)
from .permissions import visible_issues

# A handler's live share of an issue: still open, or done and accepted (not declined or passed on).
LIVE_ASSIGNMENT_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.ACCEPTED)
OPEN_ISSUE_STATES = (IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED)
COUNTED_ISSUE_STATES = (*OPEN_ISSUE_STATES, IssueState.CLOSED, IssueState.WITHDRAWN)


def elapsed(end: str, start: str) -> ExpressionWrapper:
    """The time between two timestamps, as a duration the database can average.

    Natural days for now: the working-day calendar (``agencies.calendar``) counts in Python,
    one day at a time, and a ledger must not loop over rows. Switch here once the calendar can
    be read in SQL (e.g. a count of working days from its table between the two dates).
    """
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def as_days(value) -> float | None:
    """An averaged duration as days with one decimal (None when nothing was averaged)."""
    if value is None:
        return None
    if not isinstance(value, dt.timedelta):  # SQLite may hand back microseconds
        value = dt.timedelta(microseconds=value)
    return round(value.total_seconds() / 86400, 1)


# --- what the viewer asks for ----------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    """Every field optional: handler agency, initiator's class, handler's district, pushed between."""

    agency: Agency | None = None
    supervision_class: str = ""
    region: Region | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _handler_q(filters: LedgerFilters, prefix: str = "") -> Q:
    """The agency and district filters, on a row that is (or leads to) an assignment."""
    q = Q()
    if filters.agency is not None:
        q &= Q(**{f"{prefix}agency": filters.agency})
    if filters.region is not None:
        q &= Q(**{f"{prefix}agency__region__in": sorted(filters.region.descendant_ids())})
    return q


def scoped_issues(user, agency, filters: LedgerFilters):
    """The visible issues that pass the issue-level filters (class, date range); no drafts."""
    queryset = visible_issues(user, agency).filter(state__in=COUNTED_ISSUE_STATES)
    if filters.supervision_class:
        queryset = queryset.filter(initiator__supervision_class=filters.supervision_class)
    if filters.date_from:
        queryset = queryset.filter(pushed_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(pushed_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return queryset


# --- dimensions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    slug: str
    label: str
    per_handler: bool  # grouped by something of the handler: rows are handler assignments


DIMENSIONS = [
    Dimension("agency", _("Handling agency"), True),
    Dimension("district", _("District of the handler"), True),
    Dimension("class", _("Supervision class"), False),
    Dimension("month", _("Month"), False),
]
DIMENSION_BY_SLUG = {d.slug: d for d in DIMENSIONS}


# --- ledger kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    slug: str
    label: str
    condition: Callable[[dt.date], Q]


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    # (user, agency, filters, dimension) -> the rows this ledger counts
    rows: Callable
    # dimension slug -> field path or expression of the row's group
    keys: dict
    issue_path: str  # from a row to its issue's id
    metrics: list[Metric]
    month_field: str = "pushed_at"  # what the month dimension groups by


def _issue_rows(user, agency, filters, dimension):
    issues = scoped_issues(user, agency, filters)
    if dimension.per_handler:
        return Assignment.objects.filter(
            _handler_q(filters), state__in=LIVE_ASSIGNMENT_STATES, issue__in=issues
        )
    handlers = _handler_q(filters)
    if handlers:
        live = Assignment.objects.filter(handlers, issue=OuterRef("pk"), state__in=LIVE_ASSIGNMENT_STATES)
        issues = issues.filter(Exists(live))
    return issues


def _issue_conditions(prefix: str) -> list[Metric]:
    def on(**kwargs) -> Q:
        return Q(**{prefix + name: value for name, value in kwargs.items()})

    late = Q(**{f"{prefix}deadline__isnull": False, f"{prefix}closed_at__date__gt": F(f"{prefix}deadline")})
    closed = on(state=IssueState.CLOSED)
    return [
        Metric("total", _("Issues"), lambda today: Q()),
        *(
            Metric(state.value, state.label, lambda today, state=state: on(state=state))
            for state in COUNTED_ISSUE_STATES
        ),
        Metric("on_time", _("Closed on time"), lambda today: closed & ~late),
        Metric("late", _("Closed late"), lambda today: closed & late),
        Metric(
            "overdue",
            _("Overdue now"),
            lambda today: on(state__in=OPEN_ISSUE_STATES, due_date__lt=today),
        ),
    ]


def _month(path: str):
    return TruncMonth(path)


ISSUES = Kind(
    slug="issues",
    label=_("Issues ledger"),
    rows=_issue_rows,
    keys={
        "agency": "agency",
        "district": "agency__region",
        "class": "initiator__supervision_class",
        "month": _month("pushed_at"),
    },
    issue_path="pk",
    metrics=[],  # per dimension, see metrics_of
)


def _urge_rows(user, agency, filters, dimension):
    return Urge.objects.filter(
        _handler_q(filters, "assignment__"), issue__in=scoped_issues(user, agency, filters)
    )


URGES = Kind(
    slug="urges",
    label=_("Urges ledger"),
    rows=_urge_rows,
    keys={
        "agency": "assignment__agency",
        "district": "assignment__agency__region",
        "class": "by_agency__supervision_class",
        "month": _month("created_at"),
    },
    issue_path="issue_id",
    month_field="created_at",
    metrics=[
        Metric("total", _("Urges"), lambda today: Q()),
        Metric("automatic", _("Automatic urges"), lambda today: ~Q(automation_rule="")),
        Metric("open", _("Still open"), lambda today: Q(assignment__state__in=OPEN_ASSIGNMENT_STATES)),
        Metric(
            "past_due",
            _("Open past the urge's due date"),
            lambda today: Q(assignment__state__in=OPEN_ASSIGNMENT_STATES, due_date__lt=today),
        ),
    ],
)


def _overdue_rows(user, agency, filters, dimension):
    today = timezone.localdate()
    return Assignment.objects.filter(
        _handler_q(filters),
        state__in=OPEN_ASSIGNMENT_STATES,
        deadline__lt=today,
        issue__in=scoped_issues(user, agency, filters).filter(state__in=OPEN_ISSUE_STATES),
    )


def _days_late(low: int, high: int | None):
    def condition(today: dt.date) -> Q:
        q = Q(deadline__lte=today - dt.timedelta(days=low))
        if high is not None:
            q &= Q(deadline__gt=today - dt.timedelta(days=high + 1))
        return q

    return condition


OVERDUE = Kind(
    slug="overdue",
    label=_("Overdue ledger"),
    rows=_overdue_rows,
    keys={
        "agency": "agency",
        "district": "agency__region",
        "class": "issue__initiator__supervision_class",
        "month": _month("issue__pushed_at"),
    },
    issue_path="issue_id",
    month_field="issue__pushed_at",
    metrics=[
        Metric("total", _("Overdue assignments"), lambda today: Q()),
        Metric("late_1_7", _("1–7 days late"), _days_late(1, 7)),
        Metric("late_8_30", _("8–30 days late"), _days_late(8, 30)),
        Metric("late_31", _("More than 30 days late"), _days_late(31, None)),
    ],
)
KINDS = {kind.slug: kind for kind in (ISSUES, URGES, OVERDUE)}


def metrics_of(kind: Kind, dimension: Dimension) -> list[Metric]:
    if kind is ISSUES:
        return _issue_conditions("issue__" if dimension.per_handler else "")
    return kind.metrics


def issue_path(kind: Kind, dimension: Dimension) -> str:
    """From one counted row to its issue's id."""
    if kind is ISSUES and dimension.per_handler:
        return "issue_id"
    return kind.issue_path


def _counts_distinct(kind: Kind, dimension: Dimension) -> bool:
    # An issue with two handlers in one district is one issue of that district.
    return kind is ISSUES and dimension.slug == "district"


# --- the ledger table --------------------------------------------------------------------------


@dataclass
class LedgerRow:
    key: object  # what the group is: an id, a class, a month (a date)
    label: str
    values: dict  # metric slug -> count
    averages: dict  # average slug -> days, or None
    on_time_rate: float | None = None  # percent, issues ledger only


@dataclass
class Ledger:
    kind: Kind
    dimension: Dimension
    metrics: list[Metric]
    rows: list[LedgerRow]
    totals: dict
    average_labels: dict


def _annotate_key(queryset, kind: Kind, dimension: Dimension):
    key = kind.keys[dimension.slug]
    return queryset.annotate(key=F(key) if isinstance(key, str) else key)


def _label_for(dimension: Dimension, keys: list) -> dict:
    if dimension.slug == "agency":
        return {a.pk: a.display_name for a in Agency.objects.filter(pk__in=keys)}
    if dimension.slug == "district":
        return {r.pk: r.display_name for r in Region.objects.filter(pk__in=keys)}
    if dimension.slug == "class":
        return {value: str(label) for value, label in SupervisionClass.choices}
    return {}


def key_text(dimension: Dimension, key) -> str:
    """The group's key as it travels in a drill-down address."""
    if dimension.slug == "month":
        return (
            timezone.localtime(key).strftime("%Y-%m")
            if isinstance(key, dt.datetime)
            else key.strftime("%Y-%m")
        )
    return "" if key is None else str(key)


def ledger(user, agency, filters: LedgerFilters, kind: str = "issues", dimension: str = "agency", today=None):
    """One ledger table: a row per group, a count per metric, averages in days, and totals."""
    kind_ = KINDS[kind]
    dimension_ = DIMENSION_BY_SLUG[dimension]
    today = today or timezone.localdate()
    metrics = metrics_of(kind_, dimension_)
    distinct = _counts_distinct(kind_, dimension_)
    counted = issue_path(kind_, dimension_) if distinct else "pk"
    aggregates = {
        f"m_{m.slug}": Count(counted, filter=m.condition(today), distinct=distinct) for m in metrics
    }
    prefix = "issue__" if (kind_ is ISSUES and dimension_.per_handler) else ""
    average_labels = {}
    if kind_ is ISSUES:
        aggregates["a_close_days"] = Avg(
            elapsed(f"{prefix}closed_at", f"{prefix}pushed_at"),
            filter=Q(**{f"{prefix}state": IssueState.CLOSED}),
        )
        average_labels = {"sign_days": _("Average days to sign"), "close_days": _("Average days to close")}
    rows_qs = _annotate_key(kind_.rows(user, agency, filters, dimension_), kind_, dimension_)
    grouped = list(rows_qs.values("key").annotate(**aggregates).order_by("key"))
    sign_days = _sign_days(user, agency, filters, dimension_) if kind_ is ISSUES else {}
    labels = _label_for(dimension_, [g["key"] for g in grouped])
    rows = []
    for group in grouped:
        key = group["key"]
        values = {m.slug: group[f"m_{m.slug}"] for m in metrics}
        averages = {}
        if kind_ is ISSUES:
            averages = {"sign_days": sign_days.get(key), "close_days": as_days(group["a_close_days"])}
        label = labels.get(key, key_text(dimension_, key) if key is not None else "—")
        rows.append(LedgerRow(key, str(label), values, averages, _rate(values)))
    totals = {m.slug: sum(r.values[m.slug] for r in rows) for m in metrics}
    if distinct:
        # The groups overlap (an issue in two districts): the total counts each issue once.
        totals = {
            m.slug: rows_qs.filter(m.condition(today))
            .values(issue_path(kind_, dimension_))
            .distinct()
            .count()
            for m in metrics
        }
    if dimension_.slug != "month":
        rows.sort(key=lambda r: (-r.values[metrics[0].slug], r.label))
    return Ledger(kind_, dimension_, metrics, rows, totals, average_labels)


def _rate(values: dict) -> float | None:
    if "on_time" not in values:
        return None
    finished = values["on_time"] + values["late"]
    return round(100 * values["on_time"] / finished, 1) if finished else None


def _sign_days(user, agency, filters, dimension: Dimension) -> dict:
    """Average days from a handler's assignment to its signing, per group (second query)."""
    issues = scoped_issues(user, agency, filters)
    rows = Assignment.objects.filter(
        _handler_q(filters), state__in=LIVE_ASSIGNMENT_STATES, issue__in=issues, signed_at__isnull=False
    )
    key = ISSUES.keys[dimension.slug]
    if not dimension.per_handler:
        key = "issue__" + key if isinstance(key, str) else _month("issue__pushed_at")
    rows = rows.annotate(key=F(key) if isinstance(key, str) else key)
    grouped = rows.values("key").annotate(days=Avg(elapsed("signed_at", "created_at"))).order_by()
    return {g["key"]: as_days(g["days"]) for g in grouped}


# --- drill-down --------------------------------------------------------------------------------


def parse_key(dimension: Dimension, text: str):
    """A group key from a drill-down address; ValueError when it cannot be one."""
    if dimension.slug in ("agency", "district"):
        return int(text)
    if dimension.slug == "month":
        month = dt.datetime.strptime(text, "%Y-%m")
        return timezone.make_aware(month)
    if dimension.slug == "class" and text not in SupervisionClass.values:
        raise ValueError(text)
    return text


def drill_issues(
    user, agency, filters: LedgerFilters, kind: str, dimension: str, metric: str, key: str = "", today=None
):
    """Exactly the issues one ledger cell counted (``key`` empty: the whole column's)."""
    kind_ = KINDS[kind]
    dimension_ = DIMENSION_BY_SLUG[dimension]
    today = today or timezone.localdate()
    chosen = next((m for m in metrics_of(kind_, dimension_) if m.slug == metric), None)
    if chosen is None:
        return Issue.objects.none()
    rows = _annotate_key(kind_.rows(user, agency, filters, dimension_), kind_, dimension_).filter(
        chosen.condition(today)
    )
    if key:
        try:
            value = parse_key(dimension_, key)
        except ValueError:
            return Issue.objects.none()
        if dimension_.slug == "month":
            # A range on the timestamp itself, not an equality on the truncated month, which
            # not every backend compares reliably (SQLite keeps it as text).
            following = (value + dt.timedelta(days=32)).replace(day=1)
            rows = rows.filter(**{f"{kind_.month_field}__gte": value, f"{kind_.month_field}__lt": following})
        else:
            rows = rows.filter(key=value)
    return Issue.objects.filter(pk__in=rows.values(issue_path(kind_, dimension_)))

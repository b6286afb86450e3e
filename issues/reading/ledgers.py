"""台账: ledgers of issues, urges and overdue work, grouped by one dimension, counted in SQL.

The issues and overdue ledgers count ``LedgerLine`` rows (one per issue, one per live handler
assignment, kept by the actions; see ``issues.ledger_lines``), the urges ledger counts urges.
Every ledger keeps only the rows of issues the viewer's agency may open (the permission id
subquery of ``permissions.permitted_issue_ids``), so no number counts an issue its viewer could
not open. One aggregate query per ledger (two for the issues ledger by class or month, whose
signing average is a handler fact); nothing is counted row by row in Python.

Rows of a ledger are the *units* it counts:

- issues ledger: grouped by handler (agency, district) one handler line per issue and live
  handler, so an issue handled by two departments counts under each; grouped by the initiator's
  supervision class or the month pushed, one issue line per issue;
- urges ledger (督办台账): one row per urge;
- overdue ledger: one handler line per open assignment past its deadline.

Each number links to the issues behind it: ``drill_issues`` repeats the ledger's own row query
with the group and the metric as filters, so the list holds exactly the issues counted (for the
urges and overdue ledgers, the issues the counted urges or assignments belong to).

Averages are in working days on the Chinese calendar (``agencies.calendar``), counted when the
lines are written: the days to sign run from a handler's assignment to its signing, the days to
close from the push to the closing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region, SupervisionClass

from ..ledger_lines import COUNTED_ISSUE_STATES, OPEN_ISSUE_STATES
from ..models import OPEN_ASSIGNMENT_STATES, Issue, LedgerLine, Urge
from ..permissions import VIEW, permitted_issue_ids


def _average(value) -> float | None:
    return None if value is None else round(float(value), 1)


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


def _handler_q(filters: LedgerFilters, agency_field: str = "handler", region_field: str = "district") -> Q:
    """The agency and district filters, on a row that is (or leads to) a handler."""
    q = Q()
    if filters.agency is not None:
        q &= Q(**{agency_field: filters.agency})
    if filters.region is not None:
        q &= Q(**{f"{region_field}__in": sorted(filters.region.descendant_ids())})
    return q


def _issue_q(filters: LedgerFilters) -> Q:
    """The issue-level filters (class, date range) on ledger lines."""
    q = Q()
    if filters.supervision_class:
        q &= Q(initiator_class=filters.supervision_class)
    if filters.date_from:
        q &= Q(pushed_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        q &= Q(pushed_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return q


def scoped_lines(user, agency, filters: LedgerFilters):
    """Lines of the issues the viewer's agency may open that pass the class and date filters."""
    if not user.is_authenticated:
        return LedgerLine.objects.none()
    return LedgerLine.objects.filter(
        _issue_q(filters), issue_id__in=permitted_issue_ids(user, VIEW, agency)
    )


def handler_lines(user, agency, filters: LedgerFilters):
    return scoped_lines(user, agency, filters).filter(_handler_q(filters), assignment__isnull=False)


def issue_lines(user, agency, filters: LedgerFilters):
    """One line per visible issue; with a handler filter, the issues that handler has a share in."""
    lines = scoped_lines(user, agency, filters).filter(assignment__isnull=True)
    handlers = _handler_q(filters)
    if handlers:
        share = LedgerLine.objects.filter(handlers, issue_id=OuterRef("issue_id"), assignment__isnull=False)
        lines = lines.filter(Exists(share))
    return lines


# --- dimensions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    slug: str
    label: str
    per_handler: bool  # grouped by something of the handler: rows are handler lines


DIMENSIONS = [
    Dimension("agency", _("Handling agency"), True),
    Dimension("district", _("District of the handler"), True),
    Dimension("class", _("Supervision class"), False),
    Dimension("month", _("Month"), False),
]
DIMENSION_BY_SLUG = {d.slug: d for d in DIMENSIONS}
LINE_KEYS = {"agency": "handler", "district": "district", "class": "initiator_class", "month": "pushed_month"}


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
    metrics: Callable[[Dimension], list[Metric]]
    issue_path: str = "issue_id"  # from a row to its issue's id
    # A month as a range on this timestamp, for rows whose month is not stored as a date.
    month_field: str = ""


def _issue_rows(user, agency, filters, dimension):
    if dimension.per_handler:
        return handler_lines(user, agency, filters)
    return issue_lines(user, agency, filters)


def _issue_metrics(dimension: Dimension) -> list[Metric]:
    closed = Q(issue_state="closed")
    if dimension.per_handler:
        # This handler's own share is overdue: still open, past its own deadline.
        def overdue(today):
            return Q(issue_state__in=OPEN_ISSUE_STATES, assignment_state__in=OPEN_ASSIGNMENT_STATES,
                     deadline__lt=today)
    else:
        def overdue(today):
            return Q(issue_state__in=OPEN_ISSUE_STATES, due_date__lt=today)
    return [
        Metric("total", _("Issues"), lambda today: Q()),
        *(
            Metric(state.value, state.label, lambda today, state=state: Q(issue_state=state))
            for state in COUNTED_ISSUE_STATES
        ),
        Metric("on_time", _("Closed on time"), lambda today: closed & Q(closed_late=False)),
        Metric("late", _("Closed late"), lambda today: closed & Q(closed_late=True)),
        Metric("overdue", _("Overdue now"), overdue),
    ]


ISSUES = Kind(
    slug="issues",
    label=_("Issues ledger"),
    rows=_issue_rows,
    keys=LINE_KEYS,
    metrics=_issue_metrics,
)


def _urge_rows(user, agency, filters, dimension):
    # The urges of the visible issues that pass the issue filters: their issue lines say which.
    issues = scoped_lines(user, agency, filters).filter(assignment__isnull=True).values("issue_id")
    return Urge.objects.filter(
        _handler_q(filters, "assignment__agency", "assignment__agency__region"), issue_id__in=issues
    )


URGES = Kind(
    slug="urges",
    label=_("Urges ledger"),
    rows=_urge_rows,
    keys={
        "agency": "assignment__agency",
        "district": "assignment__agency__region",
        "class": "by_agency__supervision_class",
        "month": TruncMonth("created_at"),
    },
    month_field="created_at",
    metrics=lambda dimension: [
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
    return handler_lines(user, agency, filters).filter(
        issue_state__in=OPEN_ISSUE_STATES,
        assignment_state__in=OPEN_ASSIGNMENT_STATES,
        deadline__lt=timezone.localdate(),
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
    keys=LINE_KEYS,
    metrics=lambda dimension: [
        Metric("total", _("Overdue assignments"), lambda today: Q()),
        Metric("late_1_7", _("1–7 days late"), _days_late(1, 7)),
        Metric("late_8_30", _("8–30 days late"), _days_late(8, 30)),
        Metric("late_31", _("More than 30 days late"), _days_late(31, None)),
    ],
)
KINDS = {kind.slug: kind for kind in (ISSUES, URGES, OVERDUE)}


def _counts_distinct(kind: Kind, dimension: Dimension) -> bool:
    # An issue with two handlers in one district is one issue of that district.
    return kind is ISSUES and dimension.slug == "district"


# --- the ledger table --------------------------------------------------------------------------


@dataclass
class LedgerRow:
    key: object  # what the group is: an id, a class, a month (a date)
    label: str
    values: dict  # metric slug -> count
    averages: dict  # average slug -> working days, or None
    on_time_rate: float | None = None  # percent, issues ledger only
    key_text: str = ""  # the key as a drill-down address carries it


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


def _month_of(key) -> dt.date:
    """A month key as its first day, whether it came from a date column or a truncated timestamp."""
    if isinstance(key, dt.datetime):
        return timezone.localtime(key).date().replace(day=1) if timezone.is_aware(key) else key.date()
    if isinstance(key, str):  # SQLite hands truncated timestamps back as text
        return dt.date.fromisoformat(key[:10])
    return key


def key_text(dimension: Dimension, key) -> str:
    """The group's key as it travels in a drill-down address."""
    if key is None:
        return ""
    if dimension.slug == "month":
        return _month_of(key).strftime("%Y-%m")
    return str(key)


@contextmanager
def reporting_transaction():
    """A transaction for one report's aggregate queries; see ``_reporting_settings``."""
    with transaction.atomic():
        _reporting_settings()
        yield


def _reporting_settings() -> None:
    """A ledger aggregates a million rows in one query: give it room on PostgreSQL.

    With the default 4 MB of sort and hash memory the permission hash spills to disk in batches,
    and compiling the aggregate (JIT) costs more than it saves for a query this short
    (bench/RESULTS.md). ``SET LOCAL`` ends with the transaction the ledger runs in.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")


def ledger(user, agency, filters: LedgerFilters, kind: str = "issues", dimension: str = "agency", today=None):
    """One ledger table: a row per group, a count per metric, averages in working days, and totals."""
    with reporting_transaction():
        return _ledger(user, agency, filters, KINDS[kind], DIMENSION_BY_SLUG[dimension], today)


def _ledger(user, agency, filters, kind: Kind, dimension: Dimension, today) -> Ledger:
    today = today or timezone.localdate()
    metrics = kind.metrics(dimension)
    distinct = _counts_distinct(kind, dimension)
    counted = kind.issue_path if distinct else "pk"
    aggregates = {
        f"m_{m.slug}": Count(counted, filter=m.condition(today), distinct=distinct) for m in metrics
    }
    average_labels = {}
    if kind is ISSUES:
        aggregates["a_close_days"] = Avg("close_working_days", filter=Q(issue_state="closed"))
        if dimension.per_handler:
            aggregates["a_sign_days"] = Avg("sign_working_days")
        else:
            aggregates["sign_total"] = Sum("sign_working_days_total")
            aggregates["signed"] = Sum("handlers_signed")
        average_labels = {
            "sign_days": _("Average working days to sign"),
            "close_days": _("Average working days to close"),
        }
    rows_qs = _annotate_key(kind.rows(user, agency, filters, dimension), kind, dimension)
    grouped = list(rows_qs.values("key").annotate(**aggregates).order_by("key"))
    labels = _label_for(dimension, [g["key"] for g in grouped])
    rows = []
    for group in grouped:
        key = group["key"]
        if dimension.slug == "month":
            key = _month_of(key)
        values = {m.slug: group[f"m_{m.slug}"] for m in metrics}
        averages = {}
        if kind is ISSUES:
            if dimension.per_handler:
                sign = group["a_sign_days"]
            else:
                sign = group["sign_total"] / group["signed"] if group["signed"] else None
            averages = {"sign_days": _average(sign), "close_days": _average(group["a_close_days"])}
        text = key_text(dimension, key)
        label = labels.get(key, text or "—")
        rows.append(LedgerRow(key, str(label), values, averages, _rate(values), text))
    totals = {m.slug: sum(r.values[m.slug] for r in rows) for m in metrics}
    if distinct:
        # The groups overlap (an issue in two districts): the total counts each issue once.
        totals = rows_qs.aggregate(
            **{m.slug: Count(kind.issue_path, filter=m.condition(today), distinct=True) for m in metrics}
        )
    if dimension.slug != "month":
        rows.sort(key=lambda r: (-r.values[metrics[0].slug], r.label))
    return Ledger(kind, dimension, metrics, rows, totals, average_labels)


def _rate(values: dict) -> float | None:
    if "on_time" not in values:
        return None
    finished = values["on_time"] + values["late"]
    return round(100 * values["on_time"] / finished, 1) if finished else None


# --- drill-down --------------------------------------------------------------------------------


def parse_key(dimension: Dimension, text: str):
    """A group key from a drill-down address; ValueError when it cannot be one."""
    if dimension.slug in ("agency", "district"):
        return int(text)
    if dimension.slug == "month":
        return dt.datetime.strptime(text, "%Y-%m").date()
    if dimension.slug == "class" and text not in SupervisionClass.values:
        raise ValueError(text)
    return text


def drill_rows(
    user, agency, filters: LedgerFilters, kind: str, dimension: str, metric: str, key: str = "", today=None
):
    """The rows one ledger cell counted (``key`` empty: the whole column's): handler or issue lines,
    urges, overdue assignments; None when the metric or key is none of this ledger's."""
    kind_ = KINDS[kind]
    dimension_ = DIMENSION_BY_SLUG[dimension]
    today = today or timezone.localdate()
    chosen = next((m for m in kind_.metrics(dimension_) if m.slug == metric), None)
    if chosen is None:
        return None
    rows = kind_.rows(user, agency, filters, dimension_).filter(chosen.condition(today))
    if key:
        try:
            value = parse_key(dimension_, key)
        except ValueError:
            return None
        if dimension_.slug == "month" and kind_.month_field:
            # A range on the timestamp itself, not an equality on the truncated month, which
            # not every backend compares reliably (SQLite keeps it as text).
            first = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
            following = timezone.make_aware(
                dt.datetime.combine((value + dt.timedelta(days=32)).replace(day=1), dt.time.min)
            )
            rows = rows.filter(**{f"{kind_.month_field}__gte": first, f"{kind_.month_field}__lt": following})
        else:
            field = kind_.keys[dimension_.slug]
            rows = rows.filter(**{field: value})
    return rows


def drill_issues(
    user, agency, filters: LedgerFilters, kind: str, dimension: str, metric: str, key: str = "", today=None
):
    """Exactly the issues one ledger cell counted (``key`` empty: the whole column's)."""
    rows = drill_rows(user, agency, filters, kind, dimension, metric, key, today)
    if rows is None:
        return Issue.objects.none()
    return Issue.objects.filter(pk__in=rows.values(KINDS[kind].issue_path))


@dataclass
class Drill:
    """What a drill-down list holds and why its length may differ from the number clicked."""

    kind: Kind
    dimension: Dimension
    metric: Metric | None
    group: str  # the row's label; empty for a whole column
    counted: int  # the ledger's number: handler shares, issues, urges or overdue assignments
    issues: object  # the queryset of the issues behind them

    @property
    def counts_issues(self) -> bool:
        """Whether the number counts issues themselves (each once), so it equals the list's length."""
        if self.kind is not ISSUES:
            return False
        return not self.dimension.per_handler or _counts_distinct(self.kind, self.dimension)


def drill(user, agency, filters: LedgerFilters, kind: str, dimension: str, metric: str, key: str = ""):
    """The drill-down behind one ledger number: its issues, and the number as the ledger counted it."""
    kind_, dimension_ = KINDS[kind], DIMENSION_BY_SLUG[dimension]
    with reporting_transaction():
        rows = drill_rows(user, agency, filters, kind, dimension, metric, key)
        chosen = next((m for m in kind_.metrics(dimension_) if m.slug == metric), None)
        if rows is None:
            return Drill(kind_, dimension_, chosen, "", 0, Issue.objects.none())
        if _counts_distinct(kind_, dimension_):
            counted = rows.values(kind_.issue_path).distinct().count()
        else:
            counted = rows.count()
        group = ""
        if key:
            value = parse_key(dimension_, key)
            group = str(_label_for(dimension_, [value]).get(value, key))
    issues = Issue.objects.filter(pk__in=rows.values(kind_.issue_path))
    return Drill(kind_, dimension_, chosen, group, counted, issues)

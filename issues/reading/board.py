"""The board's tabs, counts, filters and keyset pages for the agency a user acts for.

Every query starts from ``permissions.visible_issues`` (one id subquery over the agency's
permission rows), so a tab can never list what the user could not open.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from ..deadlines.lights import annotate_light, light_condition
from ..models import OPEN_ISSUE_STATES, Assignment, AssignmentState, IssueState, Participant, PartyRole
from ..permissions import visible_issues


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str


TABS = [
    Tab("to-sign", _("To sign for")),
    Tab("handling", _("Handling")),
    Tab("to-verify", _("To verify")),
    Tab("closed", _("Closed")),
    Tab("initiated", _("Initiated by us")),
    Tab("copied", _("Copied to us")),
    Tab("supervised", _("Supervised by us")),
    # Everything the agency is party to, whatever its state or role (a former handler's
    # transferred work, withdrawn issues, what a supervisor saw closed): nothing that can be
    # opened is missing from every list.
    Tab("all", _("All")),
]
TAB_SLUGS = {tab.slug for tab in TABS}


def _our_assignments(agency, states):
    return Exists(Assignment.objects.filter(issue=OuterRef("pk"), agency=agency, state__in=states))


def _party(agency, roles):
    return Exists(Participant.objects.filter(issue=OuterRef("pk"), agency=agency, role__in=roles))


def tab_condition(slug: str, agency) -> Q:
    open_states = [IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED]
    if slug == "to-sign":
        return Q(_our_assignments(agency, [AssignmentState.PENDING]), state__in=open_states)
    if slug == "handling":
        return Q(
            _our_assignments(
                agency, [AssignmentState.SIGNED, AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED]
            ),
            state__in=open_states,
        )
    if slug == "to-verify":
        # A handler's report to verify, or a declined assignment not yet re-routed; or the whole
        # issue reported. One EXISTS probed per issue through the assignment's issue index: two
        # EXISTS joined by OR made PostgreSQL hash every reported assignment on the board.
        rerouted = Assignment.objects.filter(transferred_from=OuterRef("pk"))
        waiting = Assignment.objects.filter(issue=OuterRef("pk")).filter(
            Q(state=AssignmentState.REPORTED) | Q(~Exists(rerouted), state=AssignmentState.DECLINED)
        )
        return Q(initiator=agency, state__in=open_states) & (Q(state=IssueState.REPORTED) | Exists(waiting))
    if slug == "closed":
        return Q(state=IssueState.CLOSED) & (
            Q(initiator=agency)
            | _party(agency, [PartyRole.LEAD, PartyRole.CO_HANDLER, PartyRole.FORMER_HANDLER])
        )
    if slug == "initiated":
        return Q(initiator=agency)
    if slug == "copied":
        return Q(_party(agency, [PartyRole.COPIED, PartyRole.CONSULTEE]))
    if slug == "supervised":
        return Q(_party(agency, [PartyRole.SUPERVISOR]), state__in=open_states)
    if slug == "all":
        return Q()
    raise ValueError(slug)


def tab_queryset(user, agency, slug: str):
    return visible_issues(user, agency).filter(tab_condition(slug, agency))


# Counting stops here: a tab of a few hundred thousand issues (the city commission's) cannot be
# counted exactly within a page's time budget, and "999+" says as much as the exact number does
# on a tab (bench/RESULTS.md). Below the cap, counts are exact.
TAB_COUNT_CAP = 1000


def tab_counts(user, agency, cap: int | None = TAB_COUNT_CAP) -> dict[str, int]:
    """Each tab's number of issues, exact below ``cap``; ``cap`` itself means "at least cap".

    ``cap=None`` counts everything (reports, tests); show counts with ``count_label``.
    """
    counts = {}
    for tab in TABS:
        queryset = tab_queryset(user, agency, tab.slug).order_by()
        counts[tab.slug] = queryset.count() if cap is None else queryset[:cap].count()
    return counts


def count_label(count: int, cap: int | None = TAB_COUNT_CAP) -> str:
    """A tab count for display: "999+" once it reaches the cap."""
    if cap is not None and count >= cap:
        return f"{cap - 1}+"
    return str(count)


# --- filters, sorting and keyset pages -------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    """What the board's filter form asks for; every field optional."""

    supervision_class: str = ""
    agency: Agency | None = None  # another party on the issue (handler, initiator, supervisor...)
    light: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    keyword: str = ""


def apply_filters(queryset, filters: BoardFilters):
    if filters.supervision_class:
        # Issues raised by, or supervised by, a body of that supervision class.
        queryset = queryset.filter(
            Q(initiator__supervision_class=filters.supervision_class)
            | Exists(
                Participant.objects.filter(
                    issue=OuterRef("pk"), agency__supervision_class=filters.supervision_class
                )
            )
        )
    if filters.agency is not None:
        queryset = queryset.filter(
            Exists(Participant.objects.filter(issue=OuterRef("pk"), agency=filters.agency))
        )
    if filters.light:
        queryset = queryset.filter(light_condition(filters.light))
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    for word in filters.keyword.split()[:5]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(number__iexact=word))
    return queryset


# Each sort is a pair of keys, the second unique, so a cursor names an exact position.
# Deadline order puts issues without one last.
FAR_FUTURE = dt.date(9999, 12, 31)
SORTS = {
    "updated": ("-updated_at", "-id"),
    "created": ("-created_at", "-id"),
    "due": ("due_key", "id"),
}
SORT_LABELS = {
    "updated": _("Recently changed"),
    "created": _("Newest first"),
    "due": _("Deadline soonest"),
}
PAGE_SIZE = 20


@dataclass
class BoardPage:
    issues: list
    next_cursor: str | None


def _sort_value(issue, field: str):
    return getattr(issue, field.lstrip("-"))


def board_page(
    user,
    agency,
    slug: str,
    filters: BoardFilters = BoardFilters(),
    sort: str = "updated",
    cursor: str = "",
    size: int = PAGE_SIZE,
) -> BoardPage:
    """One page of a tab: ``size`` issues after ``cursor`` in ``sort`` order."""
    keys = SORTS.get(sort, SORTS["updated"])
    queryset = apply_filters(tab_queryset(user, agency, slug), filters)
    queryset = queryset.annotate(due_key=Coalesce("due_date", Value(FAR_FUTURE)))
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        first, last_id = position
        name = keys[0].lstrip("-")
        after = "lt" if keys[0].startswith("-") else "gt"
        try:
            # The first condition repeats what the second implies, as a plain range on the sort
            # key, so that PostgreSQL can start the index scan at the cursor instead of filtering.
            queryset = queryset.filter(
                Q(**{f"{name}__{after}e": first}),
                Q(**{f"{name}__{after}": first}) | Q(**{name: first, f"id__{after}": last_id}),
            )
        except (ValueError, TypeError, ValidationError):
            queryset = queryset.none()
    rows = list(annotate_light(queryset).select_related("initiator").order_by(*keys)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor([_sort_value(rows[-1], keys[0]), rows[-1].id]) if more else None
    return BoardPage(rows, next_cursor)


def encode_cursor(values: list) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) and len(values) == 2 else None


# --- what a row says of the agency's own part ----------------------------------------------------

# The assignment of ours a row speaks of, when there are several (a transfer back, say): the one
# that still needs us first, then the latest.
_STATE_ORDER = [
    AssignmentState.PENDING,
    AssignmentState.SIGNED,
    AssignmentState.AWAITING_APPROVAL,
    AssignmentState.REPORTED,
    AssignmentState.ACCEPTED,
    AssignmentState.DECLINED,
    AssignmentState.TRANSFERRED,
    AssignmentState.WITHDRAWN,
]


HANDLING_STATES = (AssignmentState.SIGNED, AssignmentState.AWAITING_APPROVAL, AssignmentState.REPORTED)


def label_our_part(issues, agency, slug: str) -> None:
    """Set each row's ``status`` and ``status_label``: what the row means for ``agency`` under tab
    ``slug``, so that the state column agrees with the tab (one query for the page's rows).

    A row in 待签收 says 待签收 although its issue is 办理中 for the others; an issue waiting for
    the initiator's verification says so; a handler's row elsewhere says where its own share stands;
    otherwise the issue's state.
    """
    issues = list(issues)
    ours: dict[int, list] = {}
    waiting: dict[int, set] = {}
    rows = Assignment.objects.filter(issue__in=[issue.pk for issue in issues]).values_list(
        "issue_id", "agency_id", "state", "transferred_to__id"
    )
    for issue_id, agency_id, state, rerouted in rows:
        if agency_id == agency.pk:
            ours.setdefault(issue_id, []).append(state)
        if state == AssignmentState.REPORTED or (state == AssignmentState.DECLINED and rerouted is None):
            waiting.setdefault(issue_id, set()).add(state)
    for issue in issues:
        mine = sorted(ours.get(issue.pk, []), key=_STATE_ORDER.index)
        if slug == "handling":  # the share that put it under this tab, should we hold two
            mine = [state for state in mine if state in HANDLING_STATES] or mine
        if slug == "to-verify" and issue.initiator_id == agency.pk:
            if issue.state == IssueState.REPORTED or AssignmentState.REPORTED in waiting.get(issue.pk, ()):
                issue.status, issue.status_label = "to-verify", _("Report to verify")
            else:
                issue.status, issue.status_label = "to-reroute", _("Declined, to route again")
        elif mine and slug != "closed" and issue.state in OPEN_ISSUE_STATES:
            issue.status, issue.status_label = mine[0], AssignmentState(mine[0]).label
        else:
            issue.status, issue.status_label = issue.state, IssueState(issue.state).label


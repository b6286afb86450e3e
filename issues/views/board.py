"""The board: one tab of the acting agency's issues, with counts, filters, sorting and keyset pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.acting import acting_membership
from notifications.live import events, outbox

from ..deadlines.lights import Light
from ..models import Priority
from ..reading.board import (
    TAB_COUNT_CAP,
    TABS,
    BoardFilters,
    apply_filters,
    board_page,
    count_label,
    label_our_part,
    tab_counts,
    tab_queryset,
)
from ..reading.board_forms import BoardForm
from ..workflow.catalogue import SPECS, Action

# With nothing chosen, the board opens on the first of these that has work in it: what the
# agency must act on comes before what it watches.
WORK_TABS = ("to-sign", "handling", "to-verify")
# With no work in those, on the first of these with anything in it: a stationed group's daily
# work is what it supervises, and a first visit should not open on an empty tab.
WATCH_TABS = ("supervised", "initiated", "copied", "all")
DEFAULT_TAB = "to-sign"
FLAGGED_PRIORITIES = {Priority.URGENT, Priority.CRITICAL}


def default_tab(counts: dict[str, int]) -> str:
    return next((slug for slug in WORK_TABS + WATCH_TABS if counts.get(slug)), DEFAULT_TAB)


def matching_count(user, agency, slug: str, filters: BoardFilters) -> int | None:
    """How many issues of the tab pass the filters, capped like the tab counts (an exact count of
    a huge tab costs more than the page); None without filters (the tab's own count says it)."""
    if filters == BoardFilters():
        return None
    queryset = apply_filters(tab_queryset(user, agency, slug), filters).order_by()
    return queryset[:TAB_COUNT_CAP].count()


def label_rows(issues) -> None:
    """What _board_row.html needs beyond the row itself; a live update rendering one row calls it too.

    The light's words go next to its colour (never colour alone), in the user's language.
    """
    for issue in issues:
        issue.light_label = Light(issue.light).label
        issue.flag_priority = issue.priority in FLAGGED_PRIORITIES


@login_required
@require_GET
def board(request):
    membership = acting_membership(request)
    if membership is None:
        return render(request, "issues/board.html", {"membership": None})
    agency = membership.agency
    # The stream's position is read before the board: whatever commits after it is sent to the
    # page, so nothing falls between the render and the live updates.
    live_stream = events.agency_stream(agency.pk)
    live = {"name": live_stream, "seq": outbox.position(live_stream)}
    form = BoardForm(request.GET, agency=agency)
    form.is_valid()  # errors are shown beside their fields; the valid fields still filter
    counts = tab_counts(request.user, agency)
    slug = form.tab_slug or default_tab(counts)
    filters = form.board_filters()
    page = board_page(request.user, agency, slug, filters, sort=form.sort_key, cursor=form.page_cursor)
    label_rows(page.issues)
    label_our_part(page.issues, agency, slug)
    matching = matching_count(request.user, agency, slug, filters)
    tabs = [
        {
            "slug": tab.slug,
            "label": tab.label,
            "count": counts[tab.slug],
            "shown": count_label(counts[tab.slug]),  # "999+" at the cap
            "work": tab.slug in WORK_TABS,
        }
        for tab in TABS
    ]
    return render(
        request,
        "issues/board.html",
        {
            "membership": membership,
            "agency": agency,
            "live": live,
            "form": form,
            "tabs": tabs,
            "tab": next(tab for tab in tabs if tab["slug"] == slug),
            "page": page,
            "matching": matching,
            "matching_shown": None if matching is None else count_label(matching),
            "paged": bool(form.page_cursor),
            "can_push": SPECS[Action.PUSH].may(membership.role),
        },
    )

"""The board's queries: which tab lists what, counts, filters, sorts and keyset pages.

The benchmark (bench/) tunes these queries for PostgreSQL; these tests pin what they answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from issues import workflow
from issues.models import Issue
from issues.permissions import access_issue, visible_issues
from issues.reading.board import (
    TABS,
    BoardFilters,
    apply_filters,
    board_page,
    count_label,
    tab_counts,
    tab_queryset,
)
from tests.factories import pushed_issue

pytestmark = pytest.mark.django_db


def listed(user, agency, slug, **kwargs) -> set[int]:
    return set(tab_queryset(user, agency, slug).values_list("pk", flat=True))


def every_tab(user, agency) -> dict[str, set[int]]:
    return {tab.slug: listed(user, agency, tab.slug) for tab in TABS}


def test_a_pushed_issue_waits_on_each_partys_tab(
    issue, alice, our_agency, carol, city_commission, gina, our_group
):
    ours = every_tab(alice, our_agency)
    assert ours["to-sign"] == {issue.pk}
    assert not ours["handling"] and not ours["closed"] and not ours["initiated"]
    theirs = every_tab(carol, city_commission)
    assert theirs["initiated"] == {issue.pk}
    # The commission also supervises what the departments of its region handle.
    assert theirs["supervised"] == {issue.pk}
    assert not theirs["to-sign"] and not theirs["to-verify"]
    group = every_tab(gina, our_group)
    assert group["supervised"] == {issue.pk}
    assert not group["to-sign"] and not group["initiated"]


def test_tabs_follow_the_issue_to_its_close(issue, assignment, alice, our_agency, carol, city_commission):
    workflow.sign(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment)
    assert listed(alice, our_agency, "handling") == {issue.pk}
    assert not listed(alice, our_agency, "to-sign")
    workflow.report(acting_user=alice, agency=our_agency, issue=issue, assignment=assignment, text="已整改。")
    assert listed(carol, city_commission, "to-verify") == {issue.pk}
    workflow.accept_report(acting_user=carol, agency=city_commission, issue=issue, assignment=assignment)
    workflow.close(acting_user=carol, agency=city_commission, issue=issue, summary="整改到位")
    assert listed(carol, city_commission, "closed") == {issue.pk}
    assert listed(alice, our_agency, "closed") == {issue.pk}
    assert not listed(carol, city_commission, "supervised")
    assert not listed(alice, our_agency, "handling")


def test_a_declined_issue_waits_for_the_initiator(
    issue, assignment, alice, our_agency, carol, city_commission
):
    workflow.decline(
        acting_user=alice,
        agency=our_agency,
        issue=issue,
        assignment=assignment,
        reason="不是我们的",
        suggested=None,
    )
    assert listed(carol, city_commission, "to-verify") == {issue.pk}
    assert not listed(alice, our_agency, "to-sign")


def test_outsiders_and_other_agencies_see_no_tab(issue, bob, other_agency, charlie, alice, city_commission):
    assert all(not ids for ids in every_tab(bob, other_agency).values())
    # Acting for an agency one does not belong to shows nothing, even where that agency is a party.
    assert all(not ids for ids in every_tab(bob, city_commission).values())
    assert not visible_issues(charlie).exists()
    assert set(tab_counts(bob, other_agency).values()) == {0}


def test_what_a_tab_lists_can_be_opened(issue, alice, our_agency, carol, city_commission, gina, our_group):
    for user, agency in ((alice, our_agency), (carol, city_commission), (gina, our_group)):
        for ids in every_tab(user, agency).values():
            for pk in ids:
                assert access_issue(user, pk, agency).pk == pk


def test_counts_are_the_lengths_of_the_tabs(issue, alice, our_agency, carol, city_commission, other_agency):
    pushed_issue(carol, city_commission, other_agency)
    pushed_issue(carol, city_commission, our_agency, title="第三件")
    for user, agency in ((alice, our_agency), (carol, city_commission)):
        counts = tab_counts(user, agency)
        assert counts == {slug: len(ids) for slug, ids in every_tab(user, agency).items()}
    assert tab_counts(carol, city_commission)["initiated"] == 3


def test_counts_stop_at_the_cap_and_say_so(issue, carol, city_commission, our_agency):
    pushed_issue(carol, city_commission, our_agency, title="第二件")
    pushed_issue(carol, city_commission, our_agency, title="第三件")
    counts = tab_counts(carol, city_commission, cap=2)
    assert counts["initiated"] == 2
    assert count_label(counts["initiated"], cap=2) == "1+"
    assert count_label(0, cap=2) == "0"
    assert tab_counts(carol, city_commission, cap=10)["initiated"] == 3


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def three(carol, city_commission, our_agency, other_agency, alice, our_group):
    """Three issues the commission pushed: one due today, one in a week, one to another agency."""
    today = timezone.localdate()
    return [
        pushed_issue(carol, city_commission, our_agency, title="路灯损坏", deadline=today),
        pushed_issue(
            carol, city_commission, our_agency, title="排水不畅", deadline=today + dt.timedelta(days=8)
        ),
        pushed_issue(
            carol, city_commission, other_agency, title="路面塌陷", deadline=today + dt.timedelta(days=2)
        ),
    ]


def filtered(user, acting_for, slug, **fields) -> set[int]:
    queryset = apply_filters(tab_queryset(user, acting_for, slug), BoardFilters(**fields))
    return set(queryset.values_list("pk", flat=True))


def test_filters_narrow_a_tab(three, carol, city_commission, other_agency):
    today_issue, later, elsewhere = three
    initiated = (carol, city_commission, "initiated")
    assert filtered(*initiated, keyword="路") == {today_issue.pk, elsewhere.pk}
    assert filtered(*initiated, keyword=later.number) == {later.pk}
    assert filtered(*initiated, agency=other_agency) == {elsewhere.pk}
    assert filtered(*initiated, light="yellow") == {today_issue.pk, elsewhere.pk}
    assert filtered(*initiated, light="blue") == {later.pk}
    assert filtered(*initiated, due_from=timezone.localdate() + dt.timedelta(days=1)) == {
        later.pk,
        elsewhere.pk,
    }
    assert filtered(*initiated, due_to=timezone.localdate()) == {today_issue.pk}
    assert filtered(*initiated, supervision_class="party") == {p.pk for p in three}
    assert filtered(*initiated, supervision_class="audit") == set()


# --- sorting and keyset pages ----------------------------------------------------------------


@pytest.fixture
def many(carol, city_commission, our_agency, alice, our_group):
    """Seventeen issues, with ties in the time stamps and some without a due date."""
    issues = [
        pushed_issue(
            carol,
            city_commission,
            our_agency,
            title=f"第{n}件",
            deadline=None if n % 4 == 0 else timezone.localdate() + dt.timedelta(days=n % 5),
        )
        for n in range(17)
    ]
    stamp = timezone.now() - dt.timedelta(days=1)
    # Ties on the first sort key: the id must decide, and pages must neither skip nor repeat.
    Issue.objects.filter(pk__in=[i.pk for i in issues[:6]]).update(updated_at=stamp, created_at=stamp)
    return issues


def all_pages(user, agency, slug, sort, size):
    seen, cursor, pages = [], "", 0
    while True:
        page = board_page(user, agency, slug, sort=sort, cursor=cursor, size=size)
        seen += [issue.pk for issue in page.issues]
        pages += 1
        assert pages < 50
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("sort", ["updated", "created", "due"])
@pytest.mark.parametrize("size", [1, 5, 20])
def test_pages_cover_the_tab_once_in_order(many, carol, city_commission, sort, size):
    seen = all_pages(carol, city_commission, "initiated", sort, size)
    assert len(seen) == len(set(seen)) == len(many)
    rows = Issue.objects.filter(pk__in=seen)
    if sort == "due":
        far = dt.date(9999, 12, 31)
        expected = sorted(rows, key=lambda i: (i.due_date or far, i.pk))
    else:
        field = "updated_at" if sort == "updated" else "created_at"
        expected = sorted(rows, key=lambda i: (getattr(i, field), i.pk), reverse=True)
    assert seen == [i.pk for i in expected]


def test_pages_carry_the_light_and_initiator(many, carol, city_commission):
    page = board_page(carol, city_commission, "initiated", sort="due", size=3)
    assert [issue.light for issue in page.issues] == ["yellow"] * 3
    assert {issue.initiator.pk for issue in page.issues} == {city_commission.pk}


def test_a_bad_cursor_starts_nowhere_it_should_not(many, carol, city_commission):
    assert board_page(carol, city_commission, "initiated", cursor="not-a-cursor").issues
    page = board_page(carol, city_commission, "initiated", cursor="WyJ4IiwgMV0")  # ["x", 1]
    assert page.issues == [] and page.next_cursor is None

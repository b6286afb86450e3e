"""Ledgers (台账) equal a brute-force recount in Python, respect visibility, and drill down exactly."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from agencies.calendar import working_days_between
from agencies.models import AgencyKind, Level, Role, SupervisionClass
from issues import ledger_lines, workflow
from issues.ledger_lines import LIVE_ASSIGNMENT_STATES, OPEN_ISSUE_STATES
from issues.models import OPEN_ASSIGNMENT_STATES, Assignment, Issue, IssueState, Participant
from issues.reading.ledgers import LedgerFilters, drill_issues, ledger
from tests.factories import AgencyFactory, RegionFactory, member, pushed_issue

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def cast(carol, city_commission, our_agency, other_agency, alice, bob, city):
    district = RegionFactory(code="test-district", name="测试区", level=Level.DISTRICT, parent=city)
    third = AgencyFactory(code="district-bureau", name="区应急管理局", region=district)
    audit = AgencyFactory(
        code="audit",
        name="审计局",
        region=city,
        kind=AgencyKind.SUPERVISORY,
        supervision_class=SupervisionClass.AUDIT,
    )
    return {
        "commission": city_commission,
        "carol": carol,
        "cora": member(city_commission, role=Role.LEADER, username="cora"),
        "audit": audit,
        "auditor": member(audit, username="auditor"),
        "audit_leader": member(audit, role=Role.LEADER, username="audit-leader"),
        "handlers": [(our_agency, alice), (other_agency, bob), (third, member(third, username="thea"))],
    }


spec = st.fixed_dictionaries(
    {
        "by_audit": st.booleans(),
        "lead": st.integers(0, 2),
        "co": st.sampled_from([None, 0, 1, 2]),
        "stage": st.integers(0, 4),  # pushed, signed, reported, closed, withdrawn
        "pushed_days_ago": st.integers(0, 120),
        "deadline": st.one_of(st.none(), st.integers(-40, 40)),
        "sign_hours": st.integers(1, 300),
        "close_days": st.integers(0, 60),
    }
)


def make_issue(cast, s):
    initiator, user, leader = (
        (cast["audit"], cast["auditor"], cast["audit_leader"])
        if s["by_audit"]
        else (cast["commission"], cast["carol"], cast["cora"])
    )
    lead, lead_user = cast["handlers"][s["lead"]]
    co = [] if s["co"] is None or s["co"] == s["lead"] else [cast["handlers"][s["co"]]]
    issue = pushed_issue(user, initiator, lead, co_handlers=[a for a, _ in co])
    handlers = {a.pk: u for a, u in [(lead, lead_user), *co]}
    stage = s["stage"]
    if stage == 4:
        workflow.withdraw(acting_user=leader, agency=initiator, issue=issue, reason="撤回")
    for assignment in issue.assignments.all() if stage in (1, 2, 3) else []:
        handler = handlers[assignment.agency_id]
        workflow.sign(acting_user=handler, agency=assignment.agency, issue=issue, assignment=assignment)
        if stage >= 2:
            workflow.report(
                acting_user=handler,
                agency=assignment.agency,
                issue=issue,
                assignment=assignment,
                text="已整改",
            )
        if stage >= 3:
            workflow.accept_report(acting_user=user, agency=initiator, issue=issue, assignment=assignment)
    if stage == 3:
        workflow.close(acting_user=user, agency=initiator, issue=issue, summary="销号")
    # Spread the timestamps: the actions above all happened "now".
    pushed = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10))) - dt.timedelta(
        days=s["pushed_days_ago"]
    )
    deadline = None if s["deadline"] is None else TODAY + dt.timedelta(days=s["deadline"])
    issue.refresh_from_db()
    finished = issue.state in (IssueState.CLOSED, IssueState.WITHDRAWN)
    Issue.objects.filter(pk=issue.pk).update(
        pushed_at=pushed,
        deadline=deadline,
        due_date=None if finished else deadline,
        closed_at=pushed + dt.timedelta(days=s["close_days"]) if issue.state == IssueState.CLOSED else None,
    )
    Assignment.objects.filter(issue=issue).update(created_at=pushed, deadline=deadline)
    Assignment.objects.filter(issue=issue, signed_at__isnull=False).update(
        signed_at=pushed + dt.timedelta(hours=s["sign_hours"])
    )
    # The rows above were moved back in time behind the actions' backs: write the issue's
    # ledger lines again, as the next action on it would.
    ledger_lines.refresh([issue.pk])


def visible_ids(agency):
    return set(Participant.objects.filter(agency=agency).values_list("issue_id", flat=True))


def recount(agency, dimension):
    """The issues ledger, counted one Python object at a time from the issues and assignments."""
    counts = defaultdict(lambda: defaultdict(set))  # key -> metric -> the issues counted
    sign = defaultdict(list)
    close = defaultdict(list)
    per_handler = dimension in ("agency", "district")
    for issue in Issue.objects.filter(pk__in=visible_ids(agency)).exclude(state="draft"):
        live = [a for a in issue.assignments.select_related("agency") if a.state in LIVE_ASSIGNMENT_STATES]
        if dimension == "agency":
            units = [(a.agency_id, [a]) for a in live]
        elif dimension == "district":
            units = [(a.agency.region_id, [a]) for a in live]
        elif dimension == "class":
            units = [(issue.initiator.supervision_class, live)]
        else:
            units = [(timezone.localtime(issue.pushed_at).strftime("%Y-%m"), live)]
        is_open = issue.state in OPEN_ISSUE_STATES
        for key, assignments in units:
            sign[key] += [
                working_days_between(timezone.localdate(a.created_at), timezone.localdate(a.signed_at))
                for a in assignments
                if a.signed_at
            ]
            c = counts[key]
            if issue.state == IssueState.CLOSED:  # each handler's share, or the issue once
                pushed, closed = timezone.localdate(issue.pushed_at), timezone.localdate(issue.closed_at)
                close[key].append(working_days_between(pushed, closed))
                late = issue.deadline is not None and timezone.localdate(issue.closed_at) > issue.deadline
                c["late" if late else "on_time"].add(issue.pk)
            c["total"].add(issue.pk)
            c[issue.state].add(issue.pk)
            if per_handler:
                (a,) = assignments
                overdue = is_open and a.state in OPEN_ASSIGNMENT_STATES and a.deadline and a.deadline < TODAY
            else:
                overdue = is_open and issue.due_date and issue.due_date < TODAY
            if overdue:
                c["overdue"].add(issue.pk)
    return {key: {m: len(ids) for m, ids in c.items()} for key, c in counts.items()}, sign, close


def mean(values):
    return round(sum(values) / len(values), 1) if values else None


def row_key(ledger_, row):
    if ledger_.dimension.slug == "month":
        return row.key.strftime("%Y-%m")  # the first day of the month
    return row.key


@pytest.mark.django_db
@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(spec, min_size=1, max_size=6))
def test_issue_ledger_equals_a_recount(cast, specs):
    for s in specs:
        make_issue(cast, s)
    carol, commission = cast["carol"], cast["commission"]
    for dimension in ("agency", "district", "class", "month"):
        result = ledger(carol, commission, LedgerFilters(), "issues", dimension, today=TODAY)
        counts, sign, close = recount(commission, dimension)
        assert {row_key(result, r) for r in result.rows} == set(counts)
        for row in result.rows:
            key = row_key(result, row)
            for metric in result.metrics:
                expected = counts[key].get(metric.slug, 0)
                assert row.values[metric.slug] == expected, (dimension, key, metric.slug)
            assert row.averages["sign_days"] == pytest.approx(mean(sign[key]), abs=0.11)
            assert row.averages["close_days"] == pytest.approx(mean(close[key]), abs=0.11)
            on_time, late = counts[key].get("on_time", 0), counts[key].get("late", 0)
            expected_rate = round(100 * on_time / (on_time + late), 1) if on_time + late else None
            assert row.on_time_rate == expected_rate


@pytest.fixture
def spread(cast):
    for lead in (0, 1, 0, 2):
        for stage, deadline in ((0, -5), (3, 3), (1, 10)):
            make_issue(
                cast,
                {
                    "by_audit": False,
                    "lead": lead,
                    "co": None,
                    "stage": stage,
                    "pushed_days_ago": 10,
                    "deadline": deadline,
                    "sign_hours": 5,
                    "close_days": 4,
                },
            )
    return cast


def test_a_department_counts_only_its_own_issues(spread, alice, our_agency):
    result = ledger(alice, our_agency, LedgerFilters(), "issues", "agency", today=TODAY)
    ours = visible_ids(our_agency)
    assert result.totals["total"] == len(ours) == 6
    assert [row.key for row in result.rows] == [our_agency.pk]


def test_bob_outside_the_commission_sees_zeros(spread, bob, our_agency):
    result = ledger(bob, our_agency, LedgerFilters(), "issues", "agency", today=TODAY)
    assert result.rows == [] and set(result.totals.values()) == {0}


@pytest.mark.parametrize("dimension", ["agency", "district", "class", "month"])
def test_drill_down_lists_exactly_the_counted_issues(spread, dimension):
    carol, commission = spread["carol"], spread["commission"]
    result = ledger(carol, commission, LedgerFilters(), "issues", dimension, today=TODAY)
    from issues.reading.ledgers import key_text

    for row in result.rows:
        for metric in result.metrics:
            listed = drill_issues(
                carol,
                commission,
                LedgerFilters(),
                "issues",
                dimension,
                metric.slug,
                key_text(result.dimension, row.key),
                today=TODAY,
            )
            assert listed.count() == row.values[metric.slug], (row.label, metric.slug)


def test_overdue_and_urges_ledgers(spread, our_agency):
    carol, commission, cora = spread["carol"], spread["commission"], spread["cora"]
    assignment = Assignment.objects.filter(agency=our_agency, state="pending").first()
    workflow.urge(
        acting_user=cora,
        agency=commission,
        issue=assignment.issue,
        assignment=assignment,
        text="请加快办理",
        due_date=timezone.localdate(),
    )
    later = timezone.localdate() + dt.timedelta(days=2)
    urges = ledger(carol, commission, LedgerFilters(), "urges", "agency", today=later)
    assert [(r.key, r.values["total"], r.values["past_due"]) for r in urges.rows] == [(our_agency.pk, 1, 1)]
    overdue = ledger(carol, commission, LedgerFilters(), "overdue", "agency")
    expected = Assignment.objects.filter(
        state__in=["pending", "signed"], deadline__lt=timezone.localdate()
    ).count()
    assert overdue.totals["total"] == expected > 0


def test_filters_narrow_to_a_handler_and_dates(spread, our_agency):
    carol, commission = spread["carol"], spread["commission"]
    only_ours = ledger(carol, commission, LedgerFilters(agency=our_agency), "issues", "class", today=TODAY)
    assert only_ours.totals["total"] == len(visible_ids(our_agency))
    future = LedgerFilters(date_from=TODAY + dt.timedelta(days=1))
    assert ledger(carol, commission, future, "issues", "agency", today=TODAY).rows == []


def test_ledger_page_and_drill_down_page(client, spread):
    client.force_login(spread["carol"])
    page = client.get(reverse("issues:ledger"), {"dimension": "agency"})
    assert page.status_code == 200
    assert 'id="ledger-table"' in page.content.decode()
    assert client.get(reverse("issues:ledger_dashboard")).status_code == 200
    listed = client.get(reverse("issues:ledger_issues"), {"dimension": "agency", "metric": "total"})
    assert listed.status_code == 200
    assert listed.content.decode().count('class="ledger-issue ') == 12

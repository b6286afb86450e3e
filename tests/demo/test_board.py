"""manage.py seed_demo puts about two hundred issues on the demo board, through the actions only.

Seeding takes a while, so the module seeds once and every test reads (and rolls back) what it made.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from demo import board as demo_board
from issues.deadlines.lights import Light, annotate_light
from issues.models import (
    Assignment,
    AssignmentState,
    Comment,
    Issue,
    IssueEvent,
    IssueState,
    Participant,
    PartyRole,
    Urge,
)
from issues.permissions import visible_issues

EVERY_ACTION = {
    "push", "sign", "assign", "copy", "consult", "transfer", "decline", "report", "approve_report",
    "accept_report", "reject_report", "close", "urge", "comment", "withdraw", "reopen",
}


@pytest.fixture(scope="module")
def board(django_db_setup, django_db_blocker):
    """The demo city and its board, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("demo.pages.seed_pages", lambda: None)  # the portal's own tests cover it
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def issues(board, db):
    return Issue.objects.filter(title__in=[title for title, _, _ in demo_board.plan()])


def test_it_puts_about_two_hundred_issues_on_the_board(board, issues):
    assert 190 <= issues.count() <= 230
    assert f"{issues.count()} issues on the board ({issues.count()} new)" in board


def test_every_issue_and_assignment_state_occurs(issues):
    assert set(issues.values_list("state", flat=True)) == set(IssueState.values) - {IssueState.DRAFT}
    states = set(Assignment.objects.filter(issue__in=issues).values_list("state", flat=True))
    assert states == set(AssignmentState.values)


def test_all_four_lights_show(issues):
    assert set(annotate_light(issues).values_list("light", flat=True)) == set(Light.values)


def test_every_action_is_on_the_record(issues):
    actions = set(IssueEvent.objects.filter(issue__in=issues).values_list("action", flat=True))
    assert actions == EVERY_ACTION
    assert Urge.objects.filter(issue__in=issues).exists()
    assert Comment.objects.filter(issue__in=issues).exists()
    roles = set(Participant.objects.filter(issue__in=issues).values_list("role", flat=True))
    assert {PartyRole.CONSULTEE, PartyRole.COPIED, PartyRole.CO_HANDLER, PartyRole.FORMER_HANDLER} <= roles


def test_the_history_spans_the_past_three_months(issues):
    now = timezone.now()
    events = IssueEvent.objects.filter(issue__in=issues)
    first = events.order_by("created_at").first().created_at
    assert now - dt.timedelta(days=100) < first < now - dt.timedelta(days=60)
    assert events.order_by("-created_at").first().created_at < now
    for issue in issues.filter(state=IssueState.CLOSED)[:20]:
        times = list(issue.events.order_by("seq").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert issue.closed_at == times[-1]


def test_titles_are_distinct(issues):
    titles = list(issues.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)


def test_the_record_verifies(issues):
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "events verified" in out.getvalue()


def test_every_demo_user_sees_issues_on_their_board(issues):
    users = User.objects.filter(memberships__isnull=False).distinct()
    assert users.count() > 40
    blind = [user.username for user in users if not visible_issues(user).filter(pk__in=issues).exists()]
    assert blind == []


def test_it_is_idempotent(board, issues):
    before = (issues.count(), IssueEvent.objects.count(), Assignment.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (issues.count(), IssueEvent.objects.count(), Assignment.objects.count()) == before
    assert f"{before[0]} issues on the board (0 new)" in out.getvalue()


@pytest.mark.parametrize("username", ["jw_liaison", "dh_liaison", "ws_liaison", "jt_liaison"])
def test_a_stationed_liaison_can_urge_every_supervised_issue_that_owes_work(issues, username):
    """On the liaison's "supervised" tab, every issue still being handled offers the urge button
    on a department of the group's; where the group's departments have all reported, the page
    says there is nothing to urge, instead of leaving the button out unexplained."""
    from agencies.models import Membership, Role
    from issues.permissions import supervisors_of
    from issues.reading.board import tab_queryset
    from issues.reading.pages import assignments_of, nothing_to_urge
    from issues.workflow.available import available_actions

    membership = Membership.objects.select_related("agency").get(user__username=username, role=Role.LIAISON)
    group = membership.agency
    supervised = tab_queryset(membership.user, group, "supervised")
    handled = supervised.filter(state__in=[IssueState.PUSHED, IssueState.IN_PROGRESS])
    assert handled.exists()
    urgeable = 0
    for issue in handled:
        assignments = assignments_of(issue)
        ours = [a for a in assignments if a.is_open and group in supervisors_of(a.agency)]
        assert ours, (username, issue.number)  # a group with no department left here has moved on
        available = available_actions(group, membership.role, issue, assignments)
        owing = [a for a in ours if a.state != AssignmentState.REPORTED]
        assert {a.pk for a in owing} == {
            pk for pk, actions in available.by_assignment.items() if "urge" in actions
        }, (username, issue.number)
        assert nothing_to_urge(group, membership.role, issue, available) == (not owing)
        urgeable += bool(owing)
    assert urgeable

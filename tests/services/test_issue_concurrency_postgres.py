"""Two people acting on one assignment at the same moment, in real concurrent transactions.

Each thread has its own PostgreSQL connection and transaction; a barrier releases both calls
together. The issue's row lock makes them take turns: one succeeds, the other finds the state
moved and gets ``Conflict``, and nothing of the loser is written.
"""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from agencies.models import Role
from issues import workflow
from issues.models import AssignmentState, Comment, IssueEvent
from tests.factories import AgencyFactory, commission, member, pushed_issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the calls in two threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test to judge
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def cast(city):
    jw = commission(city, code="race-jw")
    bureau = AgencyFactory(region=city, code="race-bureau")
    people = {
        "carol": member(jw),
        "cora": member(jw, role=Role.LEADER),
        "alice": member(bureau),
        "alan": member(bureau, role=Role.LEADER),
    }
    issue = pushed_issue(people["carol"], jw, bureau)
    return issue, issue.assignments.get(), jw, bureau, people


def one_won(results):
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], workflow.Conflict), repr(lost[0])
    assert str(lost[0])  # a message for the user, not an empty error
    return won[0]


def test_two_staff_signing_at_once(cast):
    issue, assignment, _, bureau, people = cast

    def sign(user):
        return lambda: workflow.sign(
            acting_user=user, agency=bureau, issue=issue.pk, assignment=assignment.pk
        )

    one_won(race(sign(people["alice"]), sign(people["alan"])))
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SIGNED
    assert list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True)) == ["push", "sign"]


def test_accept_and_reject_of_one_report_at_once(cast):
    issue, assignment, jw, bureau, people = cast
    workflow.sign(acting_user=people["alice"], agency=bureau, issue=issue, assignment=assignment)
    workflow.report(
        acting_user=people["alice"], agency=bureau, issue=issue, assignment=assignment, text="已整改"
    )

    winner = one_won(
        race(
            lambda: workflow.accept_report(
                acting_user=people["carol"], agency=jw, issue=issue.pk, assignment=assignment.pk
            ),
            lambda: workflow.reject_report(
                acting_user=people["cora"],
                agency=jw,
                issue=issue.pk,
                assignment=assignment.pk,
                reason="缺材料",
            ),
        )
    )
    assignment.refresh_from_db()
    assert assignment.state == winner.state
    assert IssueEvent.objects.filter(issue=issue).count() == 4  # push, sign, report and the winner
    issue.refresh_from_db()
    assert issue.event_count == 4


def test_a_decline_and_a_transfer_of_one_assignment_at_once(cast, city):
    issue, assignment, _, bureau, people = cast
    elsewhere = AgencyFactory(region=city, code="race-elsewhere")
    one_won(
        race(
            lambda: workflow.decline(
                acting_user=people["alice"],
                agency=bureau,
                issue=issue.pk,
                assignment=assignment.pk,
                reason="非本局",
                suggested=None,
            ),
            lambda: workflow.transfer(
                acting_user=people["alan"],
                agency=bureau,
                issue=issue.pk,
                assignment=assignment.pk,
                to=elsewhere,
                reason="转办",
            ),
        )  # fmt: skip
    )
    # Either way the old assignment ended once, and at most one new handler exists.
    assert issue.assignments.exclude(pk=assignment.pk).count() <= 1
    assert IssueEvent.objects.filter(issue=issue).count() == 2


def test_comments_at_once_both_land_on_one_unbroken_chain(cast):
    """Not every pair conflicts: two comments take turns and both are recorded, in sequence."""
    issue, _, jw, bureau, people = cast
    results = race(
        lambda: workflow.comment(acting_user=people["carol"], agency=jw, issue=issue.pk, text="甲"),
        lambda: workflow.comment(acting_user=people["alice"], agency=bureau, issue=issue.pk, text="乙"),
    )
    assert all(isinstance(r, Comment) for r in results), results
    assert list(IssueEvent.objects.filter(issue=issue).order_by("seq").values_list("seq", flat=True)) == [
        1,
        2,
        3,
    ]
    call_command("audit_verify", stdout=StringIO())

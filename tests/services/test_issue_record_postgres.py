"""On PostgreSQL the record refuses UPDATE and DELETE at the database itself (DESIGN §5)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from issues import workflow
from issues.models import IssueEvent
from issues.workflow import record
from tests.factories import AgencyFactory, commission, member, pushed_issue

pytestmark = pytest.mark.postgres


@pytest.fixture
def closed(city):
    """An issue pushed, signed, reported, accepted and closed: five events on the record."""
    jw = commission(city, code="pg-jw")
    bureau = AgencyFactory(region=city, code="pg-bureau")
    carol, alice = member(jw), member(bureau)
    issue = pushed_issue(carol, jw, bureau)
    assignment = issue.assignments.get()
    workflow.sign(acting_user=alice, agency=bureau, issue=issue, assignment=assignment)
    workflow.report(acting_user=alice, agency=bureau, issue=issue, assignment=assignment, text="已整改")
    workflow.accept_report(acting_user=carol, agency=jw, issue=issue, assignment=assignment)
    workflow.close(acting_user=carol, agency=jw, issue=issue, summary="整改到位")
    return issue


def test_the_trigger_refuses_update_through_the_orm(closed):
    event = closed.events.get(seq=2)
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        IssueEvent.objects.filter(pk=event.pk).update(reason="改写")
    event.refresh_from_db()
    assert event.reason == ""


def test_the_trigger_refuses_delete_even_in_raw_sql(closed):
    refused = pytest.raises(DatabaseError, match="append-only: DELETE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM issues_issueevent WHERE issue_id = %s", [closed.pk])
    assert closed.events.count() == 5


def test_the_trigger_fires_before_each_row_is_updated_or_deleted(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_manipulation, action_timing, action_orientation FROM information_schema.triggers"
            " WHERE trigger_name = 'issues_event_append_only' ORDER BY event_manipulation"
        )
        assert cursor.fetchall() == [("DELETE", "BEFORE", "ROW"), ("UPDATE", "BEFORE", "ROW")]


def test_the_chain_holds_on_postgresql(closed):
    """JSON and timestamps read back from PostgreSQL hash as they did when written."""
    assert record.verify(IssueEvent.objects.order_by("issue_id", "seq")) is None
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue() == "The record holds: 5 events verified.\n"

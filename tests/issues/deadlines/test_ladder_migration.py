"""The reminder ladder's move from the notifications app to the issues app (issues migration 0009,
notifications migration 0006) changes Django's idea of the models only: on a database populated
before the move, every ladder row is there afterwards, read through the issues app's models,
from the same tables, and the admin permissions go with the models.

The same test runs on PostgreSQL (tests/services/test_ladder_migration_postgres.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from issues.deadlines.models import ReminderFiring, ReminderStep
from issues.models import Assignment
from tests.factories import commission, member, pushed_issue

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("issues", "0008_corrections_comment_revisions_report_read"),
    ("notifications", "0005_saved_search_notifications"),
]
AFTER = [
    ("issues", "0009_reminder_ladder_from_notifications"),
    ("notifications", "0006_reminder_ladder_to_issues"),
]
LADDER_TABLES = {"notifications_reminderstep", "notifications_reminderfiring"}


def migrate(targets):
    """Migrate to ``targets``; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def latest():
    """Whatever a test migrates to, the database is left fully migrated for the next one."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_ladder_keeps_its_rows_and_tables(city, our_agency, alice, latest):
    jw = commission(city, code="migration-jw")
    issue = pushed_issue(member(jw, username="pusher"), jw, our_agency)
    assignment = Assignment.objects.get(issue=issue)

    old = migrate(BEFORE)
    # The database as the notifications app left it: its ladder, a firing, its admin permission.
    OldStep = old.get_model("notifications", "ReminderStep")
    OldFiring = old.get_model("notifications", "ReminderFiring")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    ContentType.objects.filter(model__in=["reminderstep", "reminderfiring"]).delete()
    step_type = ContentType.objects.create(app_label="notifications", model="reminderstep")
    permission = Permission.objects.create(
        content_type=step_type, codename="change_reminderstep", name="Can change reminder step"
    )
    OldStep.objects.all().delete()
    step = OldStep.objects.create(code="migration-day", offset_working_days=0, kind="urge", to_handler=True)
    fired_at = dt.datetime(2026, 3, 13, 2, 0, tzinfo=dt.UTC)
    firing = OldFiring.objects.create(
        assignment_id=assignment.pk, step=step, fired_at=fired_at, skipped="why"
    )

    new = migrate(AFTER)
    assert set(connection.introspection.table_names()) >= LADDER_TABLES
    moved = new.get_model("issues", "ReminderStep").objects.get()
    assert (moved.pk, moved.code, moved.kind, moved.to_handler) == (step.pk, "migration-day", "urge", True)
    moved_firing = new.get_model("issues", "ReminderFiring").objects.get()
    assert moved_firing.pk == firing.pk
    assert (moved_firing.assignment_id, moved_firing.step_id) == (assignment.pk, step.pk)
    assert moved_firing.fired_at == fired_at and moved_firing.skipped == "why"
    with pytest.raises(LookupError):
        new.get_model("notifications", "ReminderStep")
    moved_permission = new.get_model("auth", "Permission").objects.get(pk=permission.pk)
    assert moved_permission.content_type.app_label == "issues"

    # And today's models read the same rows.
    assert ReminderStep.objects.get().pk == step.pk
    assert ReminderFiring.objects.get().assignment_id == assignment.pk

    # Back again, should the move have to be undone: nothing but the state moves either way.
    undone = migrate(BEFORE)
    assert undone.get_model("notifications", "ReminderFiring").objects.get().pk == firing.pk
    undone_type = undone.get_model("contenttypes", "ContentType").objects.get(pk=step_type.pk)
    assert undone_type.app_label == "notifications"

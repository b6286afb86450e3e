"""The reminder ladder's move to the issues app on PostgreSQL: the test of
tests/issues/deadlines/test_ladder_migration.py, on the real database (its foreign keys and
constraints are PostgreSQL's own, and the migration must keep them as they are)."""

from __future__ import annotations

import pytest

from tests.issues.deadlines.test_ladder_migration import latest, test_the_ladder_keeps_its_rows_and_tables

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

__all__ = ["latest", "test_the_ladder_keeps_its_rows_and_tables"]

"""Changing the record as an attacker with database access would, for tests that prove it shows."""

from __future__ import annotations

import contextlib

from django.db import connection


@contextlib.contextmanager
def tampering():
    """Let the test change the record as an attacker with database access would.

    On PostgreSQL the append-only trigger stands in the way; disabling it is transactional, so
    the test's rollback restores it. ALTER TABLE refuses while deferred foreign-key checks of
    the rows just written are pending, so those run first.
    """
    _switch_trigger("DISABLE")
    yield
    _switch_trigger("ENABLE")


def _switch_trigger(how: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE issues_issueevent {how} TRIGGER issues_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

"""The PostgreSQL trigger that makes a table refuse UPDATE and DELETE, for the migrations that
make one append-only (0004 the search log, 0014 warning model versions, 0016 warnings' triage
history). Django's migration loader skips modules named with a leading underscore."""

from django.db import migrations


def refusing_changes(table: str) -> migrations.RunPython:
    """A migration operation adding (and on the way back, dropping) the trigger on ``table``.

    ``save`` and ``delete`` refuse in Python; the trigger holds against raw SQL too. TRUNCATE stays
    possible: it needs table ownership, and test databases are emptied with it. SQLite gets no
    trigger: Django empties its test databases between transactional tests with DELETE."""
    guard = f"{table}_append_only"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # No placeholders in these statements: the % is PL/pgSQL's.
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {guard}() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{table} is append-only: % refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; "
            "END; $$ LANGUAGE plpgsql",
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {guard} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {guard}()",
            params=None,
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {guard} ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {guard}()", params=None)

    return migrations.RunPython(forwards, backwards)

"""On PostgreSQL the access record refuses UPDATE and DELETE at the database itself (DESIGN §7).

``AccessLog.save`` and ``delete`` already refuse in Python; the trigger holds against raw SQL
too, as the board's record does (issues migration 0002). TRUNCATE stays possible: it needs table
ownership, and test databases are emptied with it. SQLite gets no such trigger: Django empties
its test databases between transactional tests with DELETE, which a trigger would refuse.
"""

from django.db import migrations

TABLE = "search_accesslog"
GUARD = f"{TABLE}_append_only"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No placeholders in these statements: the % is PL/pgSQL's.
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger AS $$ BEGIN "
        f"RAISE EXCEPTION '{TABLE} is append-only: % refused', TG_OP "
        "USING ERRCODE = 'insufficient_privilege'; "
        "END; $$ LANGUAGE plpgsql",
        params=None,
    )
    schema_editor.execute(
        f"CREATE TRIGGER {GUARD} BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {GUARD}()",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {GUARD} ON {TABLE}", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {GUARD}()", params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_embedded_fulltext")]
    operations = [migrations.RunPython(forwards, backwards)]

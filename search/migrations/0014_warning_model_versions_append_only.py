"""On PostgreSQL a warning model's stored versions refuse UPDATE and DELETE at the database
itself, as the search log does (0004): ``WarningModelVersion.save`` and ``delete`` refuse in
Python, the trigger against raw SQL too. TRUNCATE stays possible (test databases are emptied
with it); SQLite gets no trigger, as Django empties its test databases with DELETE."""

from django.db import migrations

TABLE = "search_warningmodelversion"
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
    dependencies = [("search", "0013_warning_models")]
    operations = [migrations.RunPython(forwards, backwards)]

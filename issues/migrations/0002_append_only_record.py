"""On PostgreSQL the record refuses UPDATE and DELETE at the database itself (DESIGN §5).

TRUNCATE stays possible: it needs table ownership, and test databases are emptied with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION issues_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'issues_issueevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_event_append_only
    BEFORE UPDATE OR DELETE ON issues_issueevent
    FOR EACH ROW EXECUTE FUNCTION issues_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS issues_event_append_only ON issues_issueevent;
DROP FUNCTION IF EXISTS issues_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no placeholders: the % is PL/pgSQL's


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

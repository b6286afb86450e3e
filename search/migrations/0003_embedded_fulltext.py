"""The embedded search backend's full-text table (DESIGN §4, §7): SQLite FTS5 with trigrams.

One row per indexed record, its rowid the record's id. Only SQLite gets it: on PostgreSQL the
embedded backend scans the records table itself (search/index/_embedded.py), and with Elasticsearch
the table is not used at all.
"""

from django.db import migrations

CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_record_fts USING fts5(
    title, body, names, credit_codes, id_numbers, phones, tokenize = 'trigram'
)
"""
DROP = "DROP TABLE IF EXISTS search_record_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_governance_investigations_clues")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

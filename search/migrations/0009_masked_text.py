"""The masked text a reader without the right to identifiers searches (search/index/masked_text.py).

A table of the masked title, text and names of the records whose masking changes them, on every
database, and on SQLite its trigram and short-term indexes; filled from the records already
stored, so that an existing database answers masked readers from the masked text at once. With
Elasticsearch the table is not used and not filled (the index has the masked text in its own
fields, after ``manage.py search_reindex``); a database that moves to the embedded backend later
runs ``search_reindex`` then, which fills it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from search.index import masked_text


def create_indexes_and_fill(apps, schema_editor):
    full_text = schema_editor.connection.vendor == "sqlite"
    if full_text:
        schema_editor.execute(masked_text.CREATE_FTS)
        schema_editor.execute(masked_text.CREATE_CHARS)
    if settings.SEARCH_BACKEND == "embedded":
        with schema_editor.connection.cursor() as cursor:
            masked_text.fill(cursor, full_text=full_text)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {masked_text.CHARS_TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {masked_text.FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_ingest_duplicates")]

    operations = [
        migrations.CreateModel(
            name="MaskedText",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="+",
                        serialize=False, to="search.record",
                    ),
                ),
                ("title", models.TextField()),
                ("body", models.TextField()),
                ("names", models.TextField()),
                ("numbers", models.TextField()),
            ],
            options={"db_table": "search_record_masked"},
        ),
        migrations.RunPython(create_indexes_and_fill, drop_indexes, elidable=False),
    ]

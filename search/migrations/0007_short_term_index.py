"""The embedded backend's index of one- and two-character words on SQLite (search/index/short_terms.py).

Made beside the trigram table of migration 0003 and filled from it, so a database holding
records answers short words from the index at once. Only SQLite gets it, as the trigram table.
"""

from django.db import migrations

from search.index import short_terms

DROP = f"DROP TABLE IF EXISTS {short_terms.TABLE}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(short_terms.CREATE)
        with schema_editor.connection.cursor() as cursor:
            short_terms.fill_from_trigram_table(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_synonyms")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""On PostgreSQL a warning model's stored versions refuse UPDATE and DELETE at the database
itself, as the search log does (0004): ``WarningModelVersion.save`` and ``delete`` refuse in
Python, the trigger against raw SQL too."""

from django.db import migrations

from ._append_only import refusing_changes


class Migration(migrations.Migration):
    dependencies = [("search", "0013_warning_models")]
    operations = [refusing_changes("search_warningmodelversion")]

"""On PostgreSQL a warning's triage history refuses UPDATE and DELETE at the database itself, as
the search log (0004) and warning model versions (0014) do: ``WarningEvent.save`` and ``delete``
refuse in Python, the trigger against raw SQL too."""

from django.db import migrations

from ._append_only import refusing_changes


class Migration(migrations.Migration):
    dependencies = [("search", "0015_warning_triage")]
    operations = [refusing_changes("search_warningevent")]

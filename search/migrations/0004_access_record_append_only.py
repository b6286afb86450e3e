"""On PostgreSQL the access record refuses UPDATE and DELETE at the database itself (DESIGN §7).

``AccessLog.save`` and ``delete`` already refuse in Python; the trigger holds against raw SQL
too, as the board's record does (issues migration 0002). TRUNCATE stays possible: it needs table
ownership, and test databases are emptied with it. SQLite gets no such trigger: Django empties
its test databases between transactional tests with DELETE, which a trigger would refuse.
"""

from django.db import migrations

from ._append_only import refusing_changes


class Migration(migrations.Migration):
    dependencies = [("search", "0003_embedded_fulltext")]
    operations = [refusing_changes("search_accesslog")]

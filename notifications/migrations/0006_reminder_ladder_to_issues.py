"""The reminder ladder's models moved to the issues app (issues migration 0009): they leave
this app's state only; their tables stay as they are, now owned by the issues app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0005_saved_search_notifications"),
        ("issues", "0009_reminder_ladder_from_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReminderFiring"),
                migrations.DeleteModel(name="ReminderStep"),
            ],
            database_operations=[],
        ),
    ]

"""The reminder ladder's models move here from the notifications app (DESIGN §3: deadlines
belong to the board). Only Django's idea of them moves: the tables keep their names
(``db_table``) and their rows, so nothing is rebuilt or copied. The content types (and with them
the admin permissions and log entries) are moved over to the issues app as well.
"""

import django.db.models.deletion
from django.db import migrations, models

LADDER_MODELS = ("reminderstep", "reminderfiring")


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in LADDER_MODELS:
        # A database migrated while the models were already here may have the new type too.
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def to_issues(apps, schema_editor):
    _relabel(apps, schema_editor, "notifications", "issues")


def to_notifications(apps, schema_editor):
    _relabel(apps, schema_editor, "issues", "notifications")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("issues", "0008_corrections_comment_revisions_report_read"),
        ("notifications", "0005_saved_search_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReminderStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(help_text='Shown on the record as the rule that acted, for example deadline-day.', max_length=60, unique=True, verbose_name='rule')),
                        ('offset_working_days', models.SmallIntegerField(help_text='Negative before the deadline, 0 on the deadline day, positive after it.', verbose_name='working days from the deadline')),
                        ('kind', models.CharField(choices=[('remind', 'Reminder'), ('alert', 'Yellow alert'), ('urge', 'Red alert and automatic urge'), ('escalate', 'Escalation to the commission one level up')], max_length=10, verbose_name='kind')),
                        ('to_handler', models.BooleanField(default=False, verbose_name="notify the handler's staff")),
                        ('to_leader', models.BooleanField(default=False, verbose_name="notify the handler's leaders")),
                        ('to_liaison', models.BooleanField(default=False, verbose_name="notify the stationed group's liaisons")),
                        ('to_commission', models.BooleanField(default=False, verbose_name='notify the commission one level up')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'reminder step',
                        'verbose_name_plural': 'reminder steps',
                        'db_table': 'notifications_reminderstep',
                        'ordering': ['offset_working_days', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='ReminderFiring',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fired_at', models.DateTimeField(verbose_name='fired')),
                        ('skipped', models.CharField(blank=True, max_length=200, verbose_name='skipped because')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='issues.assignment', verbose_name='assignment')),
                        ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='issues.reminderstep', verbose_name='step')),
                    ],
                    options={
                        'verbose_name': 'reminder fired',
                        'verbose_name_plural': 'reminders fired',
                        'db_table': 'notifications_reminderfiring',
                        'constraints': [models.UniqueConstraint(fields=('assignment', 'step'), name='one_firing_per_step')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_issues, to_notifications),
    ]

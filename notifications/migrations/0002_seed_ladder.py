from django.db import migrations

# The ladder of DESIGN §5; administrators change it in the admin (notifications › reminder steps).
LADDER = [
    # code, offset, kind, handler, leader, liaison, commission
    ("deadline-before-3", -3, "remind", True, False, False, False),
    ("deadline-before-1", -1, "alert", True, True, False, False),
    ("deadline-day", 0, "urge", True, True, True, False),
    ("deadline-after-3", 3, "escalate", False, True, True, True),
]


def seed(apps, schema_editor):
    ReminderStep = apps.get_model("notifications", "ReminderStep")
    for code, offset, kind, handler, leader, liaison, commission in LADDER:
        ReminderStep.objects.get_or_create(
            code=code,
            defaults=dict(
                offset_working_days=offset, kind=kind, to_handler=handler, to_leader=leader,
                to_liaison=liaison, to_commission=commission,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

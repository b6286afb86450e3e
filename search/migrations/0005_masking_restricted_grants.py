"""The first default grants opened restricted systems to every commission member of the staff
role, masked; a restricted system is now read only by the commission's leaders (README, "Who
reads what"). This removes exactly that earlier default grant from installations seeded with it.
An administrator who wants staff to read a restricted system grants it again, to whom it
should be."""

from django.db import migrations


def forwards(apps, schema_editor):
    SystemGrant = apps.get_model("search", "SystemGrant")
    SystemGrant.objects.filter(
        system__sensitivity="secret", agency__isnull=True, supervision_class="party",
        agency_kind="supervisory", role="staff", may_see_identifiers=False,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_access_record_append_only")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

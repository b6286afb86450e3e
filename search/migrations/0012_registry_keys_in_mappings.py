"""The record keys of the registry's systems, added to the field mappings of systems seeded before
there were keys (``seed_systems`` leaves an existing system as it is, as an administrator may
have changed it). A mapping that has keys already keeps them; a system the registry does not
know gets none. Going back removes only keys that are still the registry's."""

from django.db import migrations

from search.ingest.registry import BY_CODE


def add_registry_keys(apps, schema_editor):
    SourceSystem = apps.get_model("search", "SourceSystem")
    for system in SourceSystem.objects.filter(code__in=list(BY_CODE)):
        mapping = system.field_mapping
        if isinstance(mapping, dict) and "keys" not in mapping:
            system.field_mapping = {**mapping, "keys": BY_CODE[system.code].field_mapping["keys"]}
            system.save(update_fields=["field_mapping"])


def remove_registry_keys(apps, schema_editor):
    SourceSystem = apps.get_model("search", "SourceSystem")
    for system in SourceSystem.objects.filter(code__in=list(BY_CODE)):
        mapping = system.field_mapping
        if isinstance(mapping, dict) and mapping.get("keys") == BY_CODE[system.code].field_mapping["keys"]:
            system.field_mapping = {name: value for name, value in mapping.items() if name != "keys"}
            system.save(update_fields=["field_mapping"])


class Migration(migrations.Migration):
    dependencies = [("search", "0011_record_keys")]

    operations = [migrations.RunPython(add_registry_keys, remove_registry_keys)]

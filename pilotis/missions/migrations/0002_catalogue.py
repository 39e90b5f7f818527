"""The shipped catalogue of missions (see `pilotis.missions.catalogue`, which `load_demo` uses too)."""

from django.db import migrations

from pilotis.missions.catalogue import ensure_shipped_entries


def add_entries(apps, schema_editor):
    ensure_shipped_entries(apps.get_model("missions", "CatalogueEntry"))


def remove_entries(apps, schema_editor):
    apps.get_model("missions", "CatalogueEntry").objects.filter(academy__isnull=True, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]
    operations = [migrations.RunPython(add_entries, remove_entries)]

import re
import unicodedata

from django.db import migrations, models


def _key(text):
    # A frozen copy of territories.models.search_key: migrations never import app code.
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def fill_sort_name(apps, schema_editor):
    School = apps.get_model("territories", "School")
    batch = []
    for school in School.objects.only("pk", "name").iterator(chunk_size=2000):
        school.sort_name = _key(school.name)
        batch.append(school)
        if len(batch) == 2000:
            School.objects.bulk_update(batch, ["sort_name"])
            batch = []
    School.objects.bulk_update(batch, ["sort_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0002_school_search_text"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="school",
            options={
                "ordering": ["sort_name", "uai"],
                "verbose_name": "établissement",
                "verbose_name_plural": "établissements",
            },
        ),
        migrations.RemoveIndex(
            model_name="school",
            name="territories_name_d69d5d_idx",
        ),
        migrations.AddField(
            model_name="school",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=200, verbose_name="nom (tri)"),
        ),
        migrations.RunPython(fill_sort_name, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="school",
            index=models.Index(fields=["sort_name", "uai"], name="territories_sort_na_b978a7_idx"),
        ),
    ]

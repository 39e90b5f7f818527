"""Tables of the bench databases only (the app is installed by `benchmarks.settings` alone)."""

from django.db import models


class Dataset(models.Model):
    """Written last by `generate`: its presence says the bench data of this size is complete."""

    schools = models.PositiveIntegerField()
    generator = models.PositiveSmallIntegerField()  # GENERATOR_VERSION that wrote the data
    schema = models.CharField(max_length=64)  # common.schema_fingerprint() when it was written
    answers = models.PositiveBigIntegerField()
    seconds = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.schools} schools, generator {self.generator}"


class BareRow(models.Model):
    """The row the bare view upserts: one per user and slot."""

    user_id = models.BigIntegerField()
    slot = models.PositiveSmallIntegerField()
    value = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "slot"], name="bench_bare_row_unique")]

    def __str__(self):
        return f"{self.user_id}/{self.slot}: {self.value}"

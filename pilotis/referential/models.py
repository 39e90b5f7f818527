"""The SCHÉMATIC referential as versioned data: loaded from a file, never edited in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferentialVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    supersedes = models.ForeignKey(
        "self", verbose_name=_("remplace"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_file = models.CharField(_("fichier"), max_length=200)
    checksum = models.CharField(_("empreinte du contenu"), max_length=64)
    # Set when a campaign first uses the version: from then on its content may not change.
    locked_at = models.DateTimeField(_("figée le"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("chargée le"), auto_now=True)

    class Meta:
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")
        ordering = ["-version"]

    def __str__(self):
        return str(_("SCHÉMATIC version %(version)s") % {"version": self.version})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Level(models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("niveau"))
    title = models.CharField(_("intitulé"), max_length=300)

    class Meta:
        verbose_name = _("niveau")
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="level_unique_number")]

    def __str__(self):
        return str(_("Niveau %(n)d : %(title)s") % {"n": self.number, "title": self.title})


class Domain(models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("rang"))
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("domaine")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="domain_unique_code")]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="indicators")
    level = models.PositiveSmallIntegerField(_("niveau"))
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("rang"))
    statement = models.TextField(_("énoncé"))
    help = models.TextField(_("aide"), blank=True)

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["domain__position", "level", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicator_unique_code")]

    def __str__(self):
        return f"{self.code} — {self.statement[:80]}"


class CodeMapping(models.Model):
    """In a new version: an indicator of the superseded version whose answers carry over to one of this one."""

    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="code_mappings")
    old_code = models.CharField(_("ancien code"), max_length=20)
    new_code = models.CharField(_("nouveau code"), max_length=20)

    class Meta:
        verbose_name = _("correspondance de codes")
        constraints = [models.UniqueConstraint(fields=["version", "old_code"], name="code_mapping_unique_old")]

    def __str__(self):
        return f"{self.old_code} → {self.new_code}"

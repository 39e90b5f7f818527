"""The académie's news, from the DANE and the correspondents to the RUPN of their territory."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import Academy, Department


class NewsItem(models.Model):
    """A piece of news or a resource for the RUPN of an académie, of one of its départements, or
    of one type of school. The text is Markdown, rendered sanitised; once published, it is sent
    by e-mail and shown on the RUPN's page until read."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("département"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_kind = models.CharField(_("type d'établissement"), max_length=20, choices=SchoolKind.choices, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    link = models.URLField(_("lien vers la ressource"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    mailing = models.ForeignKey("core.Mailing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("actualité de l'académie")
        verbose_name_plural = _("actualités de l'académie")
        ordering = ["-published_at", "-created_at", "-id"]

    def __str__(self):
        return self.title


class NewsReading(models.Model):
    """When a person first read an item."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("lue le"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="news_read_once")]

    def __str__(self):
        return f"{self.item} — {self.read_at:%Y-%m-%d}"

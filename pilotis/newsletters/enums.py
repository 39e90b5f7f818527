import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsletterState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    TO_REVIEW = "to_review", _("À relire")
    PUBLISHED = "published", _("Publié")

    @classmethod
    def unpublished(cls) -> tuple[str, ...]:
        """A draft, whether or not its proof-reading was asked: it may still change."""
        return (cls.DRAFT, cls.TO_REVIEW)


class Rhythm(models.TextChoices):
    TERM = "term", _("Chaque trimestre")
    SIX_WEEKS = "six_weeks", _("Toutes les six semaines")
    NONE = "none", _("Aucun rappel")

    @property
    def interval(self) -> datetime.timedelta | None:
        """Time between two issues; None: no issue is ever expected."""
        return {"term": datetime.timedelta(weeks=13), "six_weeks": datetime.timedelta(weeks=6)}.get(self.value)

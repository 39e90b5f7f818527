from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerStatus(models.TextChoices):
    NOT_DONE = "non_realise", _("Non réalisé")
    IN_PROGRESS = "en_cours", _("En cours de réalisation")
    DONE = "realise", _("Réalisé")


class CampaignState(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class CampaignPhase(models.TextChoices):
    """What a campaign is for the schools, derived from its state and its opening date (never
    stored: see Campaign.phase)."""

    SCHEDULED = "scheduled", _("Programmée")
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("En cours de saisie")
    VALIDATED = "validated", _("Validé")

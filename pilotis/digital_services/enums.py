from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    ENT = "ent", _("ENT")
    PIX = "pix", _("Pix")
    WEBSITE = "website", _("Site de l’établissement")
    LEARNING = "learning", _("Plateforme d’apprentissage")
    SCHOOL_LIFE = "school_life", _("Logiciel de vie scolaire")
    STORAGE = "storage", _("Stockage en ligne")
    OTHER = "other", _("Autre")


# Suggestions offered for the support channel; any other line is accepted.
SUPPORT_CHANNELS = ["AMÉRANA", "Lycée connecté", "Département", "Éditeur", "DANE", "Rectorat"]

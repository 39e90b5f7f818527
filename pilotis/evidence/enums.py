from django.db import models
from django.utils.translation import gettext_lazy as _


class PieceKind(models.TextChoices):
    FILE = "file", _("Fichier")
    LINK = "link", _("Lien")


class Target(models.TextChoices):
    """What a piece is attached to; the value names the `Piece` column that points to it."""

    ANSWER = "answer", _("réponse à un indicateur")
    ACTION = "action", _("action du plan")
    MEETING = "meeting", _("réunion de la commission numérique")
    FICHE = "fiche", _("fiche d'usage")
    WORKSHOP = "workshop", _("atelier ou formation")

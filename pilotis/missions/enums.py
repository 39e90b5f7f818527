from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionHeading(models.TextChoices):
    """The three headings of the seed's proposed lettre de mission."""

    IMPLEMENTATION = "mise_en_oeuvre", _("Mise en œuvre du numérique dans l'établissement")
    ANIMATION = "animation", _("Animation / formation")
    COMMUNICATION = "communication", _("Communication")


class RupnFunction(models.TextChoices):
    """The RUPN's four functions (DANE de Bordeaux)."""

    ADVISE = "conseil", _("Conseil de l'équipe de direction dans le pilotage du numérique")
    ACCOMPANY = "accompagnement", _("Accompagnement des équipes pédagogiques")
    ADMINISTER = "administration", _("Administration des services numériques")
    LIAISE = "lien", _("Lien avec les services chargés de l'équipement et de la maintenance")


class MissionPriority(models.TextChoices):
    MAIN = "principale", _("Principale")
    SECONDARY = "secondaire", _("Secondaire")


class LetterState(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PROPOSED = "proposee", _("Proposée au RUPN")
    RETURNED = "renvoyee", _("Renvoyée par le RUPN")
    ACCEPTED = "acceptee", _("Acceptée par le RUPN")
    SIGNED = "signee", _("Signée")
    SUPERSEDED = "remplacee", _("Remplacée")

    @classmethod
    def editable(cls) -> frozenset[str]:
        """The direction may change the letter's content only before proposing it, or once sent back."""
        return frozenset({cls.DRAFT, cls.RETURNED})

    @classmethod
    def open(cls) -> frozenset[str]:
        """Not yet signed: at most one such letter per designation."""
        return frozenset({cls.DRAFT, cls.PROPOSED, cls.RETURNED, cls.ACCEPTED})

    @classmethod
    def final(cls) -> frozenset[str]:
        """Signed once: the letter can no longer change."""
        return frozenset({cls.SIGNED, cls.SUPERSEDED})

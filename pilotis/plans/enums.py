from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    POSTPONED = "postponed", _("Reportée")
    ABANDONED = "abandoned", _("Abandonnée")

    @classmethod
    def unfinished(cls) -> tuple[str, ...]:
        """The actions still to be carried: they count as overdue past their due date, and a new
        campaign asks for each one « Reporter » or « Abandonner »."""
        return (cls.TODO, cls.IN_PROGRESS)


class Payer(models.TextChoices):
    SCHOOL = "school", _("Établissement")
    COLLECTIVITY = "collectivity", _("Collectivité")
    STATE = "state", _("État")
    OTHER = "other", _("Autre")


class AdoptingBody(models.TextChoices):
    PEDAGOGICAL_COUNCIL = "pedagogical_council", _("Conseil pédagogique")
    BOARD = "board", _("Conseil d'administration")


# A plan covers one to three school years.
MAX_PLAN_YEARS = 3

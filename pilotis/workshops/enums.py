from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    TEACHERS = "teachers", _("Enseignants")
    PUPILS = "pupils", _("Élèves")
    PARENTS = "parents", _("Parents")
    STAFF = "staff", _("Personnels")


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", _("Atelier")
    TRAINING = "training", _("Formation")
    PRESENTATION = "presentation", _("Présentation")

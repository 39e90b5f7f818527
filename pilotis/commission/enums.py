from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberGroup(models.TextChoices):
    DIRECTION = "direction", _("Direction")
    RUPN = "rupn", _("RUPN")
    TEACHERS = "teachers", _("Enseignants")
    LIBRARIAN = "librarian", _("Documentaliste")
    SCHOOL_LIFE = "school_life", _("Vie scolaire")
    BURSAR = "bursar", _("Gestionnaire")
    PARENTS = "parents", _("Parents")
    PUPILS = "pupils", _("Élèves")
    COLLECTIVITY = "collectivity", _("Collectivité")
    DANE = "dane", _("DANE")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
    VALIDATED = "validated", _("Compte rendu validé")


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent")
    EXCUSED = "excused", _("Excusé")
    ABSENT = "absent", _("Absent")

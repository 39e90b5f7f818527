from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolKind(models.TextChoices):
    COLLEGE = "college", _("Collège")
    LYCEE_GT = "lycee_gt", _("Lycée général et technologique")
    LYCEE_PRO = "lycee_pro", _("Lycée professionnel")
    LYCEE_POLY = "lycee_poly", _("Lycée polyvalent")
    LYCEE = "lycee", _("Lycée (autre)")
    EREA = "erea", _("EREA")
    ECOLE = "ecole", _("École")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "prive", _("Privé sous contrat")


class PriorityEducation(models.TextChoices):
    NONE = "", _("Hors éducation prioritaire")
    REP = "rep", _("REP")
    REP_PLUS = "rep_plus", _("REP+")

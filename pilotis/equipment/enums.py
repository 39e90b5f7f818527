from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedCategory(models.TextChoices):
    COMPUTERS = "computers", _("Postes informatiques")
    DISPLAY = "display", _("Vidéoprojection et tableaux numériques")
    TABLETS = "tablets", _("Tablettes et classes mobiles")
    NETWORK = "network", _("Réseau et wifi")
    SOFTWARE = "software", _("Logiciels et ressources")
    OTHER = "other", _("Autre")


class Funder(models.TextChoices):
    """Who pays: the collège's Département, the lycée's Région, the school itself or the State."""

    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Région")
    SCHOOL = "school", _("Établissement")
    STATE = "state", _("État")


class NeedState(models.TextChoices):
    IDENTIFIED = "identified", _("Identifié")
    PRIORITISED = "prioritised", _("Priorisé")
    TRANSMITTED = "transmitted", _("Transmis")
    GRANTED = "granted", _("Accordé")
    REFUSED = "refused", _("Refusé")
    DELIVERED = "delivered", _("Livré")


class CollectivityKind(models.TextChoices):
    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Région")

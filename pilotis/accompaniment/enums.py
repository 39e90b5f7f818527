from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visite")
    VISIO = "visio", _("Visio")
    CALL = "call", _("Appel")
    TRAINING = "training", _("Formation")
    MESSAGE = "message", _("Message")

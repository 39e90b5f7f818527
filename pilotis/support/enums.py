from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelWay(models.TextChoices):
    """How a channel receives a request; each code has its module in `support/channels/`."""

    EMAIL = "email", _("courriel")
    GLPI = "glpi", _("GLPI")
    LINK = "link", _("lien")


class RequestCategory(models.TextChoices):
    ENT = "ent", _("ENT")
    NETWORK = "network", _("Réseau et wifi")
    DEVICES = "devices", _("Postes et matériel")
    ACADEMIC_APPS = "academic_apps", _("Applications académiques")
    SOFTWARE = "software", _("Logiciels et ressources")
    OTHER = "other", _("Autre")


class Urgency(models.TextChoices):
    LOW = "low", _("Faible")
    NORMAL = "normal", _("Normale")
    HIGH = "high", _("Haute")
    VERY_HIGH = "very_high", _("Très haute : le travail est bloqué")

    @property
    def glpi(self) -> int:
        """GLPI's urgency, 1 (very low) to 5 (very high): ours has no « très faible »."""
        return {"low": 2, "normal": 3, "high": 4, "very_high": 5}[self.value]


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SENT = "sent", _("Envoyée")
    TAKEN = "taken", _("Prise en charge")
    SOLVED = "solved", _("Résolue")
    CLOSED = "closed", _("Fermée")
    RETRY = "retry", _("À renvoyer")

    @classmethod
    def editable(cls) -> set[str]:
        """What was not received yet may still be changed."""
        return {cls.DRAFT, cls.RETRY}

    @classmethod
    def open(cls) -> set[str]:
        """Received by the channel and not closed: followed while in these states."""
        return {cls.SENT, cls.TAKEN, cls.SOLVED}

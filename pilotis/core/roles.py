"""Role codes, shared by the permission layer of every app (they travel in the request's Scope)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolRole(models.TextChoices):
    CHEF = "chef", _("Chef d'établissement")
    ADJOINT = "adjoint", _("Adjoint(e) au chef d'établissement")
    RUPN = "rupn", _("RUPN (référent numérique)")
    MEMBRE = "membre", _("Membre de l'équipe")

    @classmethod
    def direction(cls) -> frozenset[str]:
        """The équipe de direction: who validates, designates and manages members."""
        return frozenset({cls.CHEF, cls.ADJOINT})


class TerritoryRoleKind(models.TextChoices):
    CORRESPONDANT = "correspondant", _("Correspondant départemental")
    DANE = "dane", _("DANE académique")

from django.db import models
from django.utils.translation import gettext_lazy as _


class FicheState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class Visibility(models.TextChoices):
    """Who reads a published fiche: its school, or every user of its académie (the catalogue)."""

    SCHOOL = "school", _("Établissement")
    ACADEMY = "academy", _("Académie")


class Organisation(models.TextChoices):
    WHOLE_CLASS = "whole_class", _("Classe entière")
    GROUPS = "groups", _("Groupes")
    HYBRID = "hybrid", _("Hybride")


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa", _("CC BY-SA 4.0")
    CC_BY = "cc-by", _("CC BY 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa", _("CC BY-NC-SA 4.0")
    CC0 = "cc0", _("CC0 (domaine public)")


class TermKind(models.TextChoices):
    """The multi-valued descriptors of a fiche, each code checked against its data file (levels,
    disciplines, CRCN competences), the tags typed (tools) or the referential (indicators)."""

    LEVEL = "level", _("niveau")
    DISCIPLINE = "discipline", _("discipline")
    COMPETENCE = "competence", _("compétence du CRCN")
    TOOL = "tool", _("outil ou service")
    INDICATOR = "indicator", _("indicateur")

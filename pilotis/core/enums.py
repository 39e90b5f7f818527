from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOCKED_OUT = "locked_out", _("Compte bloqué temporairement")
    LOGOUT = "logout", _("Déconnexion")
    ACCESS_DENIED = "access_denied", _("Accès refusé")
    ROLE_GRANTED = "role_granted", _("Rôle attribué")
    ROLE_CHANGED = "role_changed", _("Rôle modifié")
    ROLE_REVOKED = "role_revoked", _("Rôle retiré")
    USER_INVITED = "user_invited", _("Utilisateur invité")
    USER_DEACTIVATED = "user_deactivated", _("Utilisateur désactivé")
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
    PASSWORD_CHANGED = "password_changed", _("Mot de passe changé")
    IMPORT = "import", _("Import de l'annuaire")
    CAMPAIGN_OPENED = "campaign_opened", _("Campagne ouverte")
    CAMPAIGN_CLOSED = "campaign_closed", _("Campagne close")
    ASSESSMENT_VALIDATED = "assessment_validated", _("Autodiagnostic validé")
    ASSESSMENT_REOPENED = "assessment_reopened", _("Autodiagnostic rouvert")
    REMINDERS_REQUESTED = "reminders_requested", _("Relance des établissements")

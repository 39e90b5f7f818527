"""The person's account and roles, for the download of their data (core.personal_data)."""

from django.utils.translation import gettext as _

from pilotis.accounts.models import ProConnectIdentity
from pilotis.core.personal_data import anonymiser, section, when


@section("account", lambda: _("Compte"), 10)
def account(user) -> list[dict]:
    return [
        {
            _("identifiant"): user.username,
            _("prénom"): user.first_name,
            _("nom"): user.last_name,
            _("adresse électronique"): user.email,
            _("compte actif"): user.is_active,
            _("créé le"): when(user.date_joined),
            _("dernière connexion"): when(user.last_login),
        }
    ]


@section("school_roles", lambda: _("Rôles dans les établissements"), 20)
def school_roles(user) -> list[dict]:
    return [
        {
            _("établissement"): m.school.name,
            _("UAI"): m.school.uai,
            _("rôle"): m.get_role_display(),
            _("depuis le"): when(m.created_at),
        }
        for m in user.school_memberships.select_related("school").order_by("created_at", "pk")
    ]


@section("territory_roles", lambda: _("Rôles territoriaux"), 30)
def territory_roles(user) -> list[dict]:
    return [
        {_("rôle"): r.get_kind_display(), _("territoire"): str(r.territory), _("depuis le"): when(r.created_at)}
        for r in user.territory_roles.select_related("department", "academy").order_by("created_at", "pk")
    ]


@section("proconnect", lambda: _("Identités ProConnect"), 40)
def proconnect_identities(user) -> list[dict]:
    return [
        {
            _("fournisseur d'identité"): i.idp_id,
            _("identifiant chez le fournisseur"): i.sub,
            _("adresse électronique donnée par ProConnect"): i.email,
            _("SIRET de l'organisation"): i.siret,
            _("lié le"): when(i.created_at),
            _("dernière connexion"): when(i.last_login_at),
        }
        for i in user.proconnect_identities.order_by("created_at", "pk")
    ]


@anonymiser("accounts.proconnect")
def forget_proconnect_identities(user) -> None:
    # An anonymised account must not be reached again by the identity that used it.
    ProConnectIdentity.objects.filter(user=user).delete()

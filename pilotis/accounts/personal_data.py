"""The person's account and roles, for the download of their data (core.personal_data)."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import section, when


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

"""The person's API tokens, for the download of their data (core.personal_data); anonymising the
account deletes them (a deactivated account's tokens are refused already)."""

from django.utils.translation import gettext as _

from pilotis.api.models import AccessToken
from pilotis.core.personal_data import anonymiser, section, when


@section("api_tokens", lambda: _("Jetons d’accès à l’API"), 90)
def api_tokens(user) -> list[dict]:
    return [
        {
            _("nom"): t.name,
            _("début du jeton"): t.prefix,
            _("créé le"): when(t.created_at),
            _("expire le"): when(t.expires_at),
            _("dernière utilisation"): when(t.last_used_at),
            _("révoqué le"): when(t.revoked_at),
        }
        for t in AccessToken.objects.for_user(user).order_by("pk")
    ]


@anonymiser("api")
def forget(user) -> None:
    AccessToken.objects.filter(user=user).delete()

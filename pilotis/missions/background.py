"""The referents' network as CSV, which a DANE's or the administrator's territory can take past a
few thousand rows, registered with `core.background_exports`: the worker rebuilds it as its owner,
from the page's filters (`Network.of` reads the user's territory, never the params')."""

from django.utils.translation import gettext as _

from pilotis.core import background_exports
from pilotis.core.background_exports import ExportUnavailable
from pilotis.missions.network import Network, NetworkExport
from pilotis.territories.perms import follows_territory


def network(user, params):
    if not follows_territory(user):
        raise ExportUnavailable(_("Vous ne suivez plus de territoire."))
    return NetworkExport(Network.of(user, background_exports.query_from(params)))


def register():
    background_exports.register("network", network)

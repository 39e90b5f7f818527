"""The follow-up's lists (« Prochaines étapes », « Sans contact »), which a DANE's or the
administrator's territory can take past a few thousand rows, registered with
`core.background_exports`: the worker rebuilds them as their owner, from the page's filters."""

from django.utils.translation import gettext as _

from pilotis.core import background_exports
from pilotis.core.background_exports import ExportUnavailable
from pilotis.territories.perms import follows_territory


def follow_up(user, params):
    from pilotis.accompaniment.views import FollowUp, follow_up_export

    which = params.get("which")
    if which not in ("due", "quiet"):
        raise ExportUnavailable(_("Cet export n’existe pas."))
    if not follows_territory(user):
        raise ExportUnavailable(_("Vous ne suivez plus de territoire."))
    return follow_up_export(FollowUp(user, background_exports.query_from(params)), which)


def register():
    background_exports.register("accompaniment", follow_up)

"""The dashboards' exports that can pass a few thousand rows, registered with
`core.background_exports`: the worker rebuilds each one as its owner, from the campaign's id
and the page's filters alone (`views.Board` with `user`: the campaign must still be in their
territory, the départements are those they follow now)."""

from django.utils.translation import gettext as _

from pilotis.core import background_exports
from pilotis.core.background_exports import ExportUnavailable
from pilotis.steering.forms import BoardForm


def _board(user, params, form_class):
    from pilotis.steering.views import Board  # the views import this module's registrations' users

    campaign = params.get("campaign")
    if not isinstance(campaign, int) or isinstance(campaign, bool):
        raise ExportUnavailable(_("Cet export n’existe pas."))
    return Board(None, campaign, form_class, user=user, data=background_exports.query_from(params))


def _pick(params, key, exports):
    which = params.get(key)
    if not isinstance(which, str) or which not in exports:
        raise ExportUnavailable(_("Cet export n’existe pas."))
    return exports[which]


def dashboard(user, params):
    from pilotis.steering.views import EXPORTS

    form_class, exporter_class = _pick(params, "board", EXPORTS)
    return exporter_class(_board(user, params, form_class))


def plans(user, params):
    from pilotis.steering.views_plans import EXPORTS

    return _pick(params, "table", EXPORTS)(_board(user, params, BoardForm))


def workshops(user, params):
    from pilotis.steering.views_workshops import EXPORTS

    return _pick(params, "listing", EXPORTS)(_board(user, params, BoardForm))


def register():
    background_exports.register("steering", dashboard)
    background_exports.register("steering_plans", plans)
    background_exports.register("steering_workshops", workshops)

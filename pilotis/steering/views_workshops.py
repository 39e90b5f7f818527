"""Pilotage's « Ateliers et formations »: the territory's workshops and trainings of the campaign's
school year — totals, themes most worked on, per school — and their exports.

Scoped as every dashboard (`views.Board`: the campaign among the user's, the départements they
follow); the figures are `steering.workshops'`."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pilotis.core import background_exports
from pilotis.core.guards import guarded
from pilotis.steering import workshops
from pilotis.steering.forms import BoardForm
from pilotis.steering.views import GUARD, Board, _page
from pilotis.steering.workshop_exports import WorkshopSchoolsExport, WorkshopThemesExport
from pilotis.territories.perms import follows_territory

BOARD = "workshops"


@require_GET
@guarded(GUARD, follows_territory)
def overview(request, campaign):
    board = Board(request, campaign, BoardForm)
    page = _page(request, workshops.schools(board.territory), count=board.territory.school_count)
    lines = workshops.school_lines(board.territory, list(page.object_list))
    return render(
        request,
        "steering/workshops.html",
        board.context(
            BOARD,
            totals=workshops.totals(board.territory),
            active_schools=workshops.schools_with_sessions(board.territory),
            page_obj=page,
            lines=lines,
        ),
    )


EXPORTS = {"schools": WorkshopSchoolsExport, "themes": WorkshopThemesExport}


@require_GET
@guarded(GUARD, follows_territory)
def export(request, campaign, listing, fmt):
    """The same figures as the page, département filter included, as CSV or ODS."""
    if listing not in EXPORTS or fmt not in ("csv", "ods"):
        raise Http404
    exporter = EXPORTS[listing](Board(request, campaign, BoardForm))
    page = reverse("steering:workshops", args=[campaign])
    return background_exports.answer(
        request,
        exporter,
        fmt,
        f"{exporter.filename}.{fmt}",
        kind="steering_workshops",
        params={"campaign": campaign, "listing": listing, "query": background_exports.query_params(request.GET)},
        back_url=page,
    )

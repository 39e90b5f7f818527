"""Pilotage's « Plans d'actions »: the share of schools with an adopted plan and the indicators the
plans aim at (`plans`), each school's actions and meetings (`plans_schools`), and their exports.

Scoped as every dashboard (`views.Board`: the campaign among the user's, the départements they
follow); the figures are `steering.plans`'.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pilotis.core import background_exports
from pilotis.core.guards import guarded
from pilotis.steering import plans
from pilotis.steering.exports import PlanAdoptionExport, PlanIndicatorsExport, PlanSchoolsExport
from pilotis.steering.forms import BoardForm
from pilotis.steering.views import GUARD, Board, _page
from pilotis.territories.perms import follows_territory

BOARD = "plans"


@require_GET
@guarded(GUARD, follows_territory)
def overview(request, campaign):
    board = Board(request, campaign, BoardForm)
    return render(
        request,
        "steering/plans.html",
        board.context(
            BOARD,
            adoption=plans.adoption(board.territory, board.departments),
            aimed=plans.aimed_indicators(board.territory),
            top=plans.TOP_INDICATORS,
            section="overview",
        ),
    )


@require_GET
@guarded(GUARD, follows_territory)
def schools(request, campaign):
    board = Board(request, campaign, BoardForm)
    page = _page(request, plans.schools(board.territory), count=board.territory.school_count)
    lines = plans.school_lines(board.territory, list(page.object_list))
    return render(
        request,
        "steering/plans_schools.html",
        board.context(BOARD, page_obj=page, lines=lines, section="schools"),
    )


EXPORTS = {
    "adoption": PlanAdoptionExport,
    "indicators": PlanIndicatorsExport,
    "schools": PlanSchoolsExport,
}


@require_GET
@guarded(GUARD, follows_territory)
def export(request, campaign, table, fmt):
    """The same figures as the pages, département filter included, as CSV or ODS."""
    if table not in EXPORTS or fmt not in ("csv", "ods"):
        raise Http404
    exporter = EXPORTS[table](Board(request, campaign, BoardForm))
    page = reverse("steering:plans" if table != "schools" else "steering:plans_schools", args=[campaign])
    return background_exports.answer(
        request,
        exporter,
        fmt,
        f"{exporter.filename}.{fmt}",
        kind="steering_plans",
        params={"campaign": campaign, "table": table, "query": background_exports.query_params(request.GET)},
        back_url=page,
    )

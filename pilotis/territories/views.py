from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pilotis.core.guards import guarded
from pilotis.core.panels import panels_for
from pilotis.core.roles import SchoolRole
from pilotis.territories.forms import SchoolFilterForm
from pilotis.territories.guards import school_view
from pilotis.territories.models import Department, School
from pilotis.territories.perms import follows_territory

PAGE_SIZE = 25


@require_GET
@guarded("school:browse", follows_territory)
def school_list(request):
    """The schools of the user's territory, searchable, filterable, paginated."""
    form = SchoolFilterForm(
        request.GET or None, departments=Department.objects.for_user(request.user).select_related("academy")
    )
    schools = School.objects.for_user(request.user).select_related("department")
    if form.is_bound:
        schools = form.filter(schools)
    paginator = Paginator(schools.order_by("sort_name", "uai"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return render(request, "territories/school_list.html", {"form": form, "page_obj": page})


@require_GET
@school_view("read")
def school_detail(request, school):
    # Reverse accessor only: territories does not import accounts (layers, see ARCHITECTURE.md).
    memberships = school.memberships.select_related("user").order_by("role", "user__last_name")
    direction = [m for m in memberships if m.role in SchoolRole.direction()]
    referents = [m for m in memberships if m.role == SchoolRole.RUPN]
    return render(
        request,
        "territories/school_detail.html",
        {
            "school": school,
            "abilities": request.abilities,
            "direction": direction,
            "referents": referents,
            "team_size": len(memberships),
            "panels": panels_for(request, school),
        },
    )

"""The territory's pages of the equipment needs, mounted at `pilotage/besoins/` (config/urls.py):
the needs counted, their export, and the collectivités' addresses (set by the DANE)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.core.exporters import attachment_response
from pilotis.core.forms import INVALID_FILTERS
from pilotis.core.guards import get_or_refuse, guarded
from pilotis.equipment import services, territory
from pilotis.equipment.enums import CollectivityKind, NeedState
from pilotis.equipment.forms import CollectivityForm, TerritoryFilterForm
from pilotis.equipment.models import Collectivity
from pilotis.equipment.perms import (
    can_follow_needs,
    can_manage_collectivities,
    can_read_collectivities,
)
from pilotis.territories.models import Academy, Department


def _filtered(request):
    departments = list(territory.territory_departments(request.user))
    form = TerritoryFilterForm(request.GET or None, departments=departments)
    department = form.departments.get(form.value("department") or "")
    result = territory.figures(
        request.user, department=department, category=form.value("category"), state=form.value("state")
    )
    return form, department, result


@require_GET
@guarded("needs:browse", can_follow_needs)
def overview(request):
    form, department, result = _filtered(request)
    return render(
        request,
        "equipment/territory.html",
        {
            "form": form,
            "department": department,
            "figures": result,
            "states": NeedState.choices,
            "query": request.GET.urlencode(),
            "notices": [INVALID_FILTERS] if form.is_bound and form.errors else [],
        },
    )


@require_GET
@guarded("needs:browse", can_follow_needs)
def export(request, fmt):
    if fmt not in ("csv", "ods"):
        raise Http404
    _form, _department, result = _filtered(request)
    exporter = territory.FiguresExport(result)
    content = exporter.as_csv() if fmt == "csv" else exporter.as_ods()
    return attachment_response(content, territory.export_filename(fmt))


@require_GET
@guarded("collectivity:read", can_read_collectivities)
def collectivities(request):
    academies = list(Academy.objects.for_user(request.user).order_by("name"))
    followed = set(Department.objects.for_user(request.user).values_list("pk", flat=True))
    known = {(c.kind, c.department_id or c.academy_id): c for c in Collectivity.objects.filter(academy__in=academies)}
    departments = Department.objects.filter(academy__in=academies, pk__in=followed).order_by("code")
    blocks = []
    for academy in academies:
        rows = [
            {
                "label": _("Région (lycées de l'académie)"),
                "collectivity": known.get((CollectivityKind.REGION, academy.pk)),
                "edit_url": reverse("territory_needs:collectivity_region", args=[academy.code]),
            }
        ]
        rows += [
            {
                "label": _("Département : %(code)s %(name)s") % {"code": d.short_code, "name": d.name},
                "collectivity": known.get((CollectivityKind.DEPARTMENT, d.pk)),
                "edit_url": reverse("territory_needs:collectivity_department", args=[d.code]),
            }
            for d in departments
            if d.academy_id == academy.pk
        ]
        blocks.append({"academy": academy, "rows": rows, "manage": can_manage_collectivities(request.user, academy.pk)})
    return render(request, "equipment/collectivities.html", {"blocks": blocks})


def _collectivity_page(request, academy, kind, department, default_name):
    existing = Collectivity.objects.filter(
        kind=kind, **({"department": department} if department else {"academy": academy})
    ).first()
    initial = {"name": existing.name, "email": existing.email} if existing else {"name": default_name}
    form = CollectivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_collectivity(
                academy,
                kind=kind,
                department=department,
                name=form.cleaned_data["name"],
                email=form.cleaned_data.get("email") or "",
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'adresse de la collectivité est enregistrée."))
            return redirect("territory_needs:collectivities")
    return render(
        request,
        "equipment/collectivity_form.html",
        {"form": form, "academy": academy, "department": department, "default_name": default_name},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@guarded("collectivity:manage", can_manage_collectivities)
def collectivity_department(request, code):
    department = get_or_refuse(
        request,
        Department.objects.filter(academy__in=Academy.objects.led_by(request.user)).select_related("academy"),
        what="collectivity",
        code=code[:3],
    )
    name = _("Département : %(name)s") % {"name": department.name}
    return _collectivity_page(request, department.academy, CollectivityKind.DEPARTMENT, department, name)


@require_http_methods(["GET", "POST"])
@guarded("collectivity:manage", can_manage_collectivities)
def collectivity_region(request, code):
    academy = get_or_refuse(request, Academy.objects.led_by(request.user), what="collectivity", code=code[:4])
    return _collectivity_page(request, academy, CollectivityKind.REGION, None, _("Région"))

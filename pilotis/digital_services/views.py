"""The school's register of digital services: the list (filtered by kind), its form, a deletion and
its spreadsheet for the handover.

Who may do what is in `perms`: the school's members read, its RUPN and direction write, anyone
else gets a 404 (the register is not the territory's). Every write goes through `services`,
which checks again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.accounts.models import SchoolMembership, User
from pilotis.core.confirm import Confirmation, carry_out, confirmation_page
from pilotis.core.exporters import attachment_response, safe_filename
from pilotis.core.forms import typed_again
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.digital_services import services
from pilotis.digital_services.enums import SUPPORT_CHANNELS
from pilotis.digital_services.exports import RegisterExport
from pilotis.digital_services.forms import KindFilterForm, ServiceForm, member_label
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.perms import can_read_services, can_write_services, services_abilities
from pilotis.territories.guards import school_action


def _not_a_member(request, school, *args, **kwargs):
    """Whoever is not a member of the school: the register does not exist for them (404)."""
    if not can_read_services(request.user, school):
        refuse(request, obj=school, what="digital_services")


def _service(request, school, pk):
    return get_or_refuse(request, DigitalService.objects.filter(school=school), what="digital_service", pk=pk)


def register_rows(school, queryset=None):
    """(service, [(administrator, still an active member)]) for each service, in two queries."""
    queryset = DigitalService.objects.filter(school=school) if queryset is None else queryset
    members = set(
        SchoolMembership.objects.filter(school=school, user__is_active=True).values_list("user_id", flat=True)
    )
    people = Prefetch("administrators", queryset=User.objects.order_by("last_name", "first_name", "pk"))
    rows = []
    for service in queryset.prefetch_related(people).order_by("kind", "name", "pk"):
        rows.append((service, [(user, user.pk in members) for user in service.administrators.all()]))
    return rows


@require_GET
@school_action("digital_services:read", can_read_services, found=_not_a_member)
def home(request, school):
    form = KindFilterForm(request.GET)
    kind = form.cleaned_data.get("nature") if form.is_valid() else ""
    queryset = DigitalService.objects.filter(school=school)
    if kind:
        queryset = queryset.filter(kind=kind)
    rows = register_rows(school, queryset)
    return render(
        request,
        "digital_services/home.html",
        {
            "school": school,
            "rows": rows,
            "filter_form": form,
            "kind": kind,
            "without": sum(1 for _s, admins in rows if not any(member for _u, member in admins)),
            "abilities": services_abilities(request.user, school),
        },
    )


def _form_page(request, school, service=None):
    people = [(m.user_id, member_label(m)) for m in services.school_members(school)]
    if service is None:
        initial = {}
    else:
        ids = list(service.administrators.values_list("pk", flat=True))
        initial = ServiceForm.initial_of(service, ids)
        # An administrator who has since left the school stays listed, and may stay ticked.
        known = {pk for pk, _label in people}
        people += [
            (user.pk, _("%(name)s — a quitté l’établissement") % {"name": user})
            for user in service.administrators.order_by("last_name", "first_name", "pk")
            if user.pk not in known
        ]

    def make_form(data=None):
        return ServiceForm(data, people=people, initial=initial)

    form = make_form(request.POST or None)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_service(
                school,
                form.service_input(),
                by=request.user,
                service=service,
                seen_revision=form.cleaned_data.get("seen_revision") if service else None,
            )
        except services.StaleService as exc:
            stale = True
            current = DigitalService.objects.get(pk=service.pk)
            form = typed_again(make_form, request.POST, current.revision, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if service is None:
                messages.success(request, _("Le service « %(name)s » est ajouté au registre.") % {"name": saved.name})
            else:
                messages.success(request, _("Le service « %(name)s » est modifié.") % {"name": saved.name})
            return redirect("digital_services:home", school.uai)
    return render(
        request,
        "digital_services/form.html",
        {"school": school, "service": service, "form": form, "stale": stale, "channels": SUPPORT_CHANNELS},
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@school_action("digital_services:write", can_write_services, found=_not_a_member)
def create(request, school):
    return _form_page(request, school)


@require_http_methods(["GET", "POST"])
@school_action("digital_services:write", can_write_services, found=_not_a_member)
def edit(request, school, pk):
    return _form_page(request, school, _service(request, school, pk))


@require_http_methods(["GET", "POST"])
@school_action("digital_services:write", can_write_services, found=_not_a_member)
def delete(request, school, pk):
    service = _service(request, school, pk)
    home_url = reverse("digital_services:home", args=[school.uai])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.delete_service(service, by=request.user),
            success=_("Le service « %(name)s » est retiré du registre.") % {"name": service.name},
            then=home_url,
        )
    consequences = [
        _("Le service « %(name)s » (%(kind)s) sera retiré du registre ; cela ne peut pas être annulé.")
        % {"name": service.name, "kind": service.get_kind_display()},
        _("Le journal garde la trace de ce qu’il était."),
    ]
    count = service.administrators.count()
    if count:
        consequences.append(
            _("%(n)s administrateur(s) nommé(s) ne figureront plus dans le registre pour ce service.") % {"n": count}
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Retirer « %(name)s » du registre") % {"name": service.name},
            action_label=_("Retirer le service"),
            cancel_url=home_url,
            consequences=consequences,
            danger=True,
        ),
    )


@require_GET
@school_action("digital_services:read", can_read_services, found=_not_a_member)
def export_ods(request, school):
    """The register as a spreadsheet, for the handover to the next RUPN."""
    export = RegisterExport(school, register_rows(school))
    filename = safe_filename("services-numeriques", school.uai, timezone.localdate().isoformat(), extension="ods")
    return attachment_response(export.as_ods(), filename)

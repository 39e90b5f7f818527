"""The académie's channels and routing table (`/assistance/`): the territory reads them, the DANE
of the académie sets them. GLPI credentials are shown as « configurés » or not, never more."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core.confirm import Confirmation, carry_out, confirmation_page
from pilotis.core.guards import get_or_refuse, guarded
from pilotis.support import services
from pilotis.support.channels import way_of
from pilotis.support.forms import ChannelForm, RouteForm
from pilotis.support.models import Channel, Route
from pilotis.support.perms import manages_academy_routing, manages_routing, reads_routing
from pilotis.territories.models import Academy, Department


@require_GET
@guarded("support_routing:read", reads_routing)
def home(request):
    academies = list(Academy.objects.for_user(request.user).order_by("name"))
    if len(academies) == 1:
        return redirect("support_routing:academy", academies[0].pk)
    return render(request, "support/routing_home.html", {"academies": academies})


def _route_form(academy, data=None):
    return RouteForm(
        data,
        departments=Department.objects.filter(academy=academy).order_by("code"),
        channels=Channel.objects.filter(academy=academy).order_by("name"),
    )


def _academy_page(request, academy, *, route_form=None, status=200):
    channels = list(Channel.objects.filter(academy=academy).order_by("name"))
    routes = list(
        Route.objects.filter(academy=academy)
        .select_related("department", "channel")
        .order_by("category", "department__code", "school_kind", "pk")
    )
    return render(
        request,
        "support/routing_academy.html",
        {
            "academy": academy,
            "channels": [(c, way_of(c).configured(c)) for c in channels],
            "routes": routes,
            "manage": manages_academy_routing(request.user, academy),
            "route_form": route_form or _route_form(academy),
        },
        status=status,
    )


@require_GET
@guarded("support_routing:read", reads_routing)
def academy(request, academy_id):
    academy = get_or_refuse(request, Academy.objects.for_user(request.user), what="academy", pk=academy_id)
    return _academy_page(request, academy)


def _led(request, academy_id):
    return get_or_refuse(request, Academy.objects.led_by(request.user), what="academy", pk=academy_id)


def _channel_page(request, academy, channel=None):
    form = ChannelForm(request.POST or None, initial=ChannelForm.initial_of(channel) if channel else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_channel(academy, form.channel_input(), by=request.user, channel=channel, http_request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le canal est enregistré."))
            return redirect("support_routing:academy", academy.pk)
    return render(
        request,
        "support/channel_form.html",
        {"academy": academy, "channel": channel, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@guarded("support_routing:manage", manages_routing)
def channel_create(request, academy_id):
    return _channel_page(request, _led(request, academy_id))


@require_http_methods(["GET", "POST"])
@guarded("support_routing:manage", manages_routing)
def channel_edit(request, academy_id, pk):
    academy = _led(request, academy_id)
    channel = get_or_refuse(request, Channel.objects.filter(academy=academy), what="support_channel", pk=pk)
    return _channel_page(request, academy, channel)


@require_POST
@guarded("support_routing:manage", manages_routing)
def route_add(request, academy_id):
    academy = _led(request, academy_id)
    form = _route_form(academy, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_route(
                academy,
                category=data["category"],
                department=Department.objects.filter(academy=academy, pk=data["department"]).first()
                if data.get("department")
                else None,
                school_kind=data.get("school_kind") or "",
                channel=Channel.objects.filter(pk=data["channel"]).select_related("academy").first(),
                by=request.user,
                http_request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La route est enregistrée."))
            return redirect(reverse("support_routing:academy", args=[academy.pk]) + "#routage")
    return _academy_page(request, academy, route_form=form, status=400)


@require_http_methods(["GET", "POST"])
@guarded("support_routing:manage", manages_routing)
def route_delete(request, academy_id, pk):
    academy = _led(request, academy_id)
    route = get_or_refuse(
        request,
        Route.objects.filter(academy=academy).select_related("academy", "department", "channel"),
        what="support_route",
        pk=pk,
    )
    back = reverse("support_routing:academy", args=[academy.pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.delete_route(route, by=request.user, http_request=request),
            success=_("La route est supprimée."),
            then=back,
        )
    where = route.department.name if route.department_id else _("tous les départements")
    kind = route.get_school_kind_display() if route.school_kind else _("tous les types d'établissement")
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer une route"),
            action_label=_("Supprimer la route"),
            cancel_url=back,
            consequences=[
                _(
                    "Les demandes « %(category)s » (%(where)s, %(kind)s) n'iront plus à %(channel)s ; une route plus générale les prendra, s'il y en a une."
                )
                % {
                    "category": route.get_category_display(),
                    "where": where,
                    "kind": kind,
                    "channel": route.channel.name,
                }
            ],
            danger=True,
        ),
    )

"""The DANE's channels and routing table."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.support.enums import ChannelWay, RequestCategory
from pilotis.support.models import Channel, Route
from pilotis.support.perms import manages_academy_routing
from pilotis.support.services.base import _text, require
from pilotis.territories.enums import SchoolKind

# --- Channels and routing (the DANE's) -----------------------------------------------------


@dataclass
class ChannelInput:
    name: str
    way: str
    email: str = ""
    glpi_url: str = ""
    glpi_credentials: str = ""
    portal_url: str = ""
    glpi_categories: dict | None = None


def _clean_channel(academy, data: ChannelInput, channel=None) -> dict:
    from django.core.validators import URLValidator, validate_email

    name = _text(data.name, _("le nom"), 120, required=True)
    if data.way not in ChannelWay.values:
        raise ValidationError(_("Choisissez une voie : courriel, GLPI ou lien."))
    same = Channel.objects.filter(academy=academy, name__iexact=name)
    if channel is not None:
        same = same.exclude(pk=channel.pk)
    if same.exists():
        raise ValidationError(_("L'académie a déjà un canal nommé « %(name)s ».") % {"name": name})
    values = {"name": name, "way": data.way, "email": "", "glpi_url": "", "glpi_credentials": "", "portal_url": ""}
    values["glpi_categories"] = {}
    if data.way == ChannelWay.EMAIL:
        email = (data.email or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Indiquez l'adresse électronique de l'assistance.")) from None
        values["email"] = email
    elif data.way == ChannelWay.GLPI:
        url = (data.glpi_url or "").strip()
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ValidationError(_("L'adresse de l'API GLPI n'est pas une adresse web.")) from None
        credentials = (data.glpi_credentials or "").strip()
        if not credentials or not credentials.replace("_", "").replace("-", "").isalnum() or len(credentials) > 40:
            raise ValidationError(
                _(
                    "Indiquez le nom des identifiants GLPI (lettres, chiffres, « - » ou « _ ») tel que l'hébergeur l'a configuré."
                )
            )
        values["glpi_url"] = url
        values["glpi_credentials"] = credentials.lower()
        categories = {}
        for code, value in (data.glpi_categories or {}).items():
            if code in RequestCategory.values and value not in (None, ""):
                if not isinstance(value, int) or value <= 0:
                    raise ValidationError(_("Un numéro de catégorie GLPI est un nombre entier positif."))
                categories[code] = value
        values["glpi_categories"] = categories
    else:
        url = (data.portal_url or "").strip()
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            raise ValidationError(_("Indiquez l'adresse du portail de l'assistance.")) from None
        values["portal_url"] = url
    return values


def _channel_values(channel) -> dict:
    # The credentials' name only: the tokens are never read here.
    return {
        "name": channel.name,
        "way": channel.way,
        "email": channel.email,
        "glpi_url": channel.glpi_url,
        "glpi_credentials": channel.glpi_credentials,
        "portal_url": channel.portal_url,
    }


def save_channel(academy, data: ChannelInput, *, by, channel=None, http_request=None) -> Channel:
    require(manages_academy_routing(by, academy))
    if channel is not None and channel.academy_id != academy.pk:
        raise PermissionDenied
    values = _clean_channel(academy, data, channel)
    with transaction.atomic():
        if channel is None:
            channel = Channel.objects.create(academy=academy, **values)
            before = None
        else:
            channel = Channel.objects.select_for_update().get(pk=channel.pk)
            before = _channel_values(channel)
            for name, value in values.items():
                setattr(channel, name, value)
            channel.revision += 1
            channel.save()
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED,
            actor=by,
            obj=channel,
            before=before,
            after=_channel_values(channel),
            request=http_request,
        )
    return channel


def _route_values(route) -> dict:
    return {
        "department": route.department.code if route.department_id else "",
        "school_kind": route.school_kind,
        "category": route.category,
        "channel": route.channel.name,
    }


def set_route(academy, *, category, channel, by, department=None, school_kind="", http_request=None) -> Route:
    """Sets the row (département or all) × (type or all) × category of the académie's table."""
    require(manages_academy_routing(by, academy))
    if category not in RequestCategory.values:
        raise ValidationError(_("Choisissez une catégorie de la liste."))
    if school_kind and school_kind not in SchoolKind.values:
        raise ValidationError(_("Choisissez un type d'établissement de la liste."))
    if department is not None and department.academy_id != academy.pk:
        raise ValidationError(
            _("Le département %(dept)s n'est pas dans l'académie de %(academy)s.")
            % {"dept": department.name, "academy": academy.name}
        )
    if channel is None:
        raise ValidationError(_("Choisissez un canal."))
    if channel.academy_id != academy.pk:
        raise ValidationError(
            _(
                "Le canal « %(channel)s » appartient à une autre académie (%(other)s) : les demandes de l'académie "
                "de %(academy)s ne peuvent être routées que vers ses propres canaux."
            )
            % {"channel": channel.name, "other": channel.academy.name, "academy": academy.name}
        )
    with transaction.atomic():
        route = (
            Route.objects.select_for_update(of=("self",))
            .filter(academy=academy, department=department, school_kind=school_kind, category=category)
            .order_by("pk")  # not the model's ordering, which joins the (nullable) département
            .first()
        )
        before = _route_values(route) if route else None
        if route is None:
            route = Route.objects.create(
                academy=academy, department=department, school_kind=school_kind, category=category, channel=channel
            )
        else:
            route.channel = channel
            route.save(update_fields=["channel"])
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED,
            actor=by,
            obj=route,
            before=before,
            after=_route_values(route),
            request=http_request,
        )
    return route


def delete_route(route, *, by, http_request=None):
    require(manages_academy_routing(by, route.academy))
    with transaction.atomic():
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED, actor=by, obj=route, before=_route_values(route), request=http_request
        )
        route.delete()

"""A school's demandes d'assistance: the list, a request's page, its form, its files, sending it
(confirmation naming the channel), marking it made on a portal, deleting a draft.

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core.confirm import Confirmation, carry_out, confirmation_page
from pilotis.core.guards import get_or_refuse
from pilotis.evidence import files
from pilotis.evidence.services import storage
from pilotis.evidence.uploads import SizeLimit
from pilotis.plans.models import Action
from pilotis.support import services
from pilotis.support.channels import way_of
from pilotis.support.enums import ChannelWay, RequestState
from pilotis.support.forms import AttachmentForm, PortalDoneForm, RequestForm
from pilotis.support.models import SupportAttachment, SupportRequest
from pilotis.support.perms import can_write_requests, request_abilities
from pilotis.territories.guards import school_action, school_view


def _request(request, school, pk):
    queryset = SupportRequest.objects.filter(school=school).select_related(
        "school__department", "channel", "requester", "action"
    )
    return get_or_refuse(request, queryset, what="support_request", pk=pk)


def _actions(school):
    return Action.objects.filter(school=school).order_by("title", "pk")


def max_label() -> str:
    return files.megabytes(settings.EVIDENCE_MAX_BYTES)


@require_GET
@school_view("read")
def home(request, school):
    requests = SupportRequest.objects.filter(school=school).select_related("channel", "requester")
    return render(
        request,
        "support/home.html",
        {"school": school, "requests": list(requests), "abilities": request_abilities(request.user, school)},
    )


def _form_page(request, school, support_request=None):
    initial = RequestForm.initial_of(support_request) if support_request else {}
    form = RequestForm(request.POST or None, actions=_actions(school), initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_request(
                school,
                form.request_input(),
                by=request.user,
                request=support_request,
                seen_revision=form.cleaned_data.get("seen_revision") if support_request else None,
                http_request=request,
            )
        except services.StaleRequest as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("La demande est enregistrée (brouillon). Relisez-la, joignez des fichiers, puis envoyez-la.")
            )
            return redirect("support:detail", school.uai, saved.pk)
    return render(
        request,
        "support/form.html",
        {"school": school, "support_request": support_request, "form": form, "stale": stale},
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@school_action("support:write", can_write_requests)
def create(request, school):
    return _form_page(request, school)


@require_http_methods(["GET", "POST"])
@school_action("support:write", can_write_requests)
def edit(request, school, pk):
    support_request = _request(request, school, pk)
    if not support_request.editable:
        messages.error(request, _("La demande a été reçue par l'assistance : elle ne se modifie plus."))
        return redirect("support:detail", school.uai, pk)
    return _form_page(request, school, support_request)


def _detail_context(request, school, support_request, **extra):
    channel = support_request.channel
    way = way_of(channel) if channel else None
    return {
        "school": school,
        "support_request": support_request,
        "abilities": request_abilities(request.user, school),
        "events": list(support_request.events.select_related("by")),
        "attachments": list(support_request.attachments.all()),
        "way": way,
        "is_link": channel is not None and channel.way == ChannelWay.LINK,
        "problem": services.sending_problem(support_request) if support_request.editable else "",
        "attachment_form": AttachmentForm(max_label=max_label()),
        "portal_form": PortalDoneForm(),
        "open_states": sorted(RequestState.open()),
        **extra,
    }


@require_GET
@school_view("read")
def detail(request, school, pk):
    support_request = _request(request, school, pk)
    return render(request, "support/detail.html", _detail_context(request, school, support_request))


@require_http_methods(["GET", "POST"])
@school_action("support:send", can_write_requests)
def send(request, school, pk):
    """« Envoyer »: a confirmation naming the channel, then the worker sends it."""
    support_request = _request(request, school, pk)
    back = reverse("support:detail", args=[school.uai, pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.ask_to_send(support_request, by=request.user, http_request=request),
            success=_("La demande part vers l'assistance : son état s'affiche ici dans un instant."),
            then=back,
        )
    channel = support_request.channel
    refusal = services.sending_problem(support_request)
    if not refusal and not way_of(channel).sends:
        refusal = _("Cette demande se fait sur le portail de l'assistance : suivez le lien de la page de la demande.")
    consequences = []
    if channel is not None and not refusal:
        where = {
            ChannelWay.EMAIL: _("par courriel à %(email)s") % {"email": channel.email},
            ChannelWay.GLPI: _("comme ticket dans son GLPI"),
        }.get(channel.way, "")
        consequences = [
            _("La demande « %(subject)s » sera envoyée à %(channel)s, %(where)s.")
            % {"subject": support_request.subject, "channel": channel.name, "where": where},
            _("Elle ne se modifiera plus ensuite ; l'assistance vous répondra, et son état s'affichera ici."),
        ]
        count = support_request.attachments.count()
        if count and channel.way == ChannelWay.EMAIL:
            consequences.append(_("%(n)d pièce(s) jointe(s) partiront avec le courriel.") % {"n": count})
        elif count:
            consequences.append(
                _("Les %(n)d pièce(s) jointe(s) restent dans Pilotis : le ticket indique qu'il y en a.") % {"n": count}
            )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Envoyer la demande « %(subject)s »") % {"subject": support_request.subject},
            action_label=_("Envoyer à %(channel)s") % {"channel": channel.name} if channel else _("Envoyer"),
            cancel_url=back,
            consequences=consequences,
            refusal=refusal,
        ),
    )


@require_POST
@school_action("support:send", can_write_requests)
def portal_done(request, school, pk):
    """« Faite sur le portail »: the request of a link channel was made there."""
    support_request = _request(request, school, pk)
    form = PortalDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("support:detail", school.uai, pk)
    return carry_out(
        request,
        lambda: services.mark_done_on_portal(
            support_request, by=request.user, reference=form.cleaned_data.get("reference") or "", http_request=request
        ),
        success=_("La demande est notée comme faite sur le portail."),
        then=reverse("support:detail", args=[school.uai, pk]),
    )


@csrf_exempt  # the upload handler goes in first; CSRF is checked right after (`_attach`)
@require_POST
@school_action("support:write", can_write_requests)
def attach(request, school, pk):
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _attach(request, school, pk, limit)


@csrf_protect
def _attach(request, school, pk, limit):
    support_request = _request(request, school, pk)
    form = AttachmentForm(request.POST, request.FILES, max_label=max_label())
    error = ""
    if limit.too_big:
        error = _("Le fichier dépasse %(max)s.") % {"max": max_label()}
    elif not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            services.attach(support_request, form.cleaned_data["file"], by=request.user, http_request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if error:
        context = _detail_context(request, school, support_request, attachment_error=error)
        return render(request, "support/detail.html", context, status=400)
    messages.success(request, _("Le fichier est joint à la demande."))
    return redirect("support:detail", school.uai, pk)


def _attachment(request, school, pk, attachment_pk):
    queryset = SupportAttachment.objects.filter(request__school=school, request_id=pk).select_related("request__school")
    return get_or_refuse(request, queryset, what="support_attachment", pk=attachment_pk)


@require_GET
@school_view("read")
def attachment(request, school, pk, attachment_pk):
    """The file, as an attachment: never shown by the browser, never sniffed, never cached."""
    joined = _attachment(request, school, pk, attachment_pk)
    try:
        with storage().open(joined.stored_name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=joined.content_type)
    except OSError as exc:
        raise Http404 from exc
    response["Content-Disposition"] = content_disposition_header(True, joined.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@school_action("support:write", can_write_requests)
def attachment_remove(request, school, pk, attachment_pk):
    joined = _attachment(request, school, pk, attachment_pk)
    return carry_out(
        request,
        lambda: services.remove_attachment(joined, by=request.user, http_request=request),
        success=_("Le fichier « %(name)s » est retiré de la demande.") % {"name": joined.name},
        then=reverse("support:detail", args=[school.uai, pk]),
    )


@require_http_methods(["GET", "POST"])
@school_action("support:write", can_write_requests)
def close(request, school, pk):
    """« Clore la demande »: settled for the school, whatever the channel says."""
    support_request = _request(request, school, pk)
    back = reverse("support:detail", args=[school.uai, pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.close_request(support_request, by=request.user, http_request=request),
            success=_("La demande est close."),
            then=back,
        )
    consequences = [
        _("La demande « %(subject)s » passera à l'état « Fermée » ; Pilotis ne suivra plus son état.")
        % {"subject": support_request.subject}
    ]
    if support_request.channel_id and support_request.reference:
        consequences.append(
            _("Le ticket n° %(ref)s de %(channel)s n'est pas fermé pour autant : prévenez l'assistance si besoin.")
            % {"ref": support_request.reference, "channel": support_request.channel.name}
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Clore la demande"),
            action_label=_("Clore la demande"),
            cancel_url=back,
            consequences=consequences,
            refusal=""
            if support_request.state in RequestState.open()
            else _("Seule une demande reçue par l'assistance, et pas encore fermée, se clôt."),
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action("support:write", can_write_requests)
def delete(request, school, pk):
    support_request = _request(request, school, pk)
    back = reverse("support:detail", args=[school.uai, pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.delete_draft(support_request, by=request.user, http_request=request),
            success=_("Le brouillon est supprimé."),
            then=reverse("support:home", args=[school.uai]),
            failed_then=back,
        )
    count = support_request.attachments.count()
    consequences = [
        _("Le brouillon « %(subject)s » sera effacé ; cela ne peut pas être annulé.")
        % {"subject": support_request.subject}
    ]
    if count:
        consequences.append(_("Ses %(n)d pièce(s) jointe(s) seront effacées aussi.") % {"n": count})
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer le brouillon"),
            action_label=_("Supprimer le brouillon"),
            cancel_url=back,
            consequences=consequences,
            danger=True,
            refusal=""
            if support_request.state == "draft" and not support_request.queued_at
            else _("Seul un brouillon qui n'est pas en cours d'envoi se supprime."),
        ),
    )

"""The académie's news: its readers' list and an item's page (which records the first reading);
its authors' list, form with preview, publication (confirmed), sending progress and withdrawal.

Who may do what is in `audience` (through `perms`); every write goes through `services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core import outbox
from pilotis.core.confirm import Confirmation, Link, carry_out, confirmation_page
from pilotis.core.guards import guarded, refuse
from pilotis.core.markdown import render as render_markdown
from pilotis.core.models import Delivery
from pilotis.core.roles import SchoolRole
from pilotis.core.scope import scope_of
from pilotis.news import audience, services
from pilotis.news.forms import NewsForm
from pilotis.news.guards import item_action
from pilotis.news.models import NewsReading
from pilotis.news.perms import can_manage_item, can_read_news, can_write_news, news_abilities
from pilotis.territories.models import School

# How often the sending page asks for news of the mailing while it is under way (seconds).
POLL_SECONDS = 3


def _read_at(user):
    return Subquery(NewsReading.objects.filter(item=OuterRef("pk"), user=user).values("read_at")[:1])


@require_GET
@guarded("news:read", can_read_news)
def index(request):
    """The news for the RUPN and the direction: unread first, then the latest."""
    items = list(
        audience.items_for(request.user)
        .select_related("academy", "department")
        .annotate(read_at=_read_at(request.user))
        .order_by("-published_at", "-pk")
    )
    items.sort(key=lambda item: item.read_at is not None)  # stable: unread first, each latest first
    return render(
        request,
        "news/index.html",
        {"items": items, "unread": sum(item.read_at is None for item in items), "writes": can_write_news(request.user)},
    )


def _progress_by_mailing(items) -> dict:
    ids = [item.mailing_id for item in items if item.mailing_id]
    rows = (
        Delivery.objects.filter(mailing_id__in=ids)
        .values("mailing_id")
        .annotate(sent=Count("pk", filter=Q(sent_at__isnull=False)), refused=Count("pk", filter=~Q(refused="")))
    )
    return {row["mailing_id"]: row for row in rows}


@require_GET
@guarded("news:write", can_write_news)
def manage(request):
    """The items of the author's territory: drafts, published with their sending, withdrawn."""
    items = list(
        audience.managed_by(request.user)
        .select_related("academy", "department", "mailing")
        .order_by("-created_at", "-pk")
    )
    figures = _progress_by_mailing(items)
    rows = [(item, figures.get(item.mailing_id)) for item in items]
    return render(request, "news/manage.html", {"rows": rows})


def _form_page(request, item=None):
    initial = NewsForm.initial_of(item) if item else {}
    form = NewsForm(request.POST or None, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                saved = services.save_draft(form.news_input(), by=request.user, item=item)
            except PermissionDenied:
                refuse(request, obj=item, what="news:write", status=403)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Le brouillon est enregistré. Relisez-le, puis publiez-le."))
                return redirect("news:item", saved.pk)
    return render(
        request,
        "news/form.html",
        {"form": form, "item": item, "preview": preview},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@guarded("news:write", can_write_news)
def create(request):
    return _form_page(request)


@require_http_methods(["GET", "POST"])
@item_action("news:write", can_manage_item)
def edit(request, item):
    if item.published_at:
        messages.error(request, _("Cette actualité est publiée : elle ne peut plus être modifiée."))
        return redirect("news:item", item.pk)
    return _form_page(request, item)


def _take_news_links(request, item) -> list[tuple[School, str]]:
    """« Reprendre dans le prochain flash'infos »: one button per school where the user is RUPN and
    the item reaches (the flash'infos are the RUPN's to write)."""
    ids = [pk for pk, role in scope_of(request.user).school_roles.items() if role == SchoolRole.RUPN]
    links = []
    for school in School.objects.filter(pk__in=ids).select_related("department").order_by("sort_name", "uai"):
        if not audience.reaches(item, school):
            continue
        links.append((school, reverse("newsletters:take_news", args=[school.uai, item.pk])))
    return links


@require_GET
@item_action("news:read")
def item(request, item):
    """The item's page: its readers' (whose first visit is recorded as their reading) and its
    authors' (with its state and what they may do)."""
    abilities = news_abilities(request.user, item)
    reading = services.mark_read(item, request.user) if abilities["read"] else None
    progress = outbox.progress(item.mailing) if abilities["manage"] and item.mailing else None
    return render(
        request,
        "news/item.html",
        {
            "item": item,
            "html_body": render_markdown(item.body),
            "abilities": abilities,
            "reading": reading,
            "progress": progress,
            "take_news": _take_news_links(request, item) if abilities["read"] else [],
        },
    )


@require_http_methods(["GET", "POST"])
@item_action("news:publish", can_manage_item)
def publish(request, item):
    cancel = reverse("news:item", args=[item.pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.publish(item, by=request.user, request=request),
            success=_("L’actualité est publiée ; son envoi par courriel est en cours."),
            then=reverse("news:sending", args=[item.pk]),
            failed_then=cancel,
        )
    target = services.plan(item)
    refusal = ""
    if item.published_at:
        refusal = _("Cette actualité est déjà publiée.")
    elif not target.rupn:
        refusal = _("Aucun RUPN n’est désigné dans les établissements visés : personne ne recevrait cette actualité.")
    consequences = [
        ngettext(
            "Cette actualité sera envoyée par courriel à %(n)s RUPN de %(m)s établissement.",
            "Cette actualité sera envoyée par courriel à %(n)s RUPN de %(m)s établissements.",
            target.schools,
        )
        % {"n": len(target.addresses), "m": target.schools},
        _("Elle s’affichera aussi sur leur page d’accueil, jusqu’à ce qu’ils l’aient lue."),
        _(
            "Un courriel envoyé ne peut pas être rappelé : vous pourrez retirer l’actualité des pages, pas des boîtes aux lettres."
        ),
    ]
    warnings = []
    if target.without_address:
        names = ", ".join(target.without_address[:10]) + ("…" if len(target.without_address) > 10 else "")
        warnings.append(
            ngettext(
                "%(n)s RUPN n’a pas d’adresse électronique et ne recevra pas le courriel (il verra l’actualité dans Pilotis) : %(names)s",
                "%(n)s RUPN n’ont pas d’adresse électronique et ne recevront pas le courriel (ils verront l’actualité dans Pilotis) : %(names)s",
                len(target.without_address),
            )
            % {"n": len(target.without_address), "names": names}
        )
    if target.schools_without_rupn:
        warnings.append(
            ngettext(
                "%(n)s établissement visé n’a pas de RUPN : personne ne l’y lira.",
                "%(n)s établissements visés n’ont pas de RUPN : personne ne l’y lira.",
                target.schools_without_rupn,
            )
            % {"n": target.schools_without_rupn}
        )

    return confirmation_page(
        request,
        Confirmation(
            title=_("Publier « %(title)s »") % {"title": item.title},
            action_label=_("Publier et envoyer"),
            cancel_url=cancel,
            consequences=consequences,
            warnings_title=_("Ce qui manque"),
            warnings=[Link(label) for label in warnings],
            refusal=refusal,
        ),
    )


@require_GET
@item_action("news:sending", can_manage_item)
def sending(request, item):
    """Where the mailing stands; its block alone for the polling (htmx or `core/poll.js`)."""
    context = {
        "item": item,
        "progress": outbox.progress(item.mailing) if item.mailing else None,
        "poll_seconds": POLL_SECONDS,
    }
    if getattr(request, "htmx", False):
        return render(request, "news/_progress.html", context)
    return render(request, "news/sending.html", context)


@require_POST
@item_action("news:sending", can_manage_item)
def resume(request, item):
    return carry_out(
        request,
        lambda: services.resume_sending(item, by=request.user, request=request),
        success=_("L’envoi reprend."),
        then=reverse("news:sending", args=[item.pk]),
    )


@require_http_methods(["GET", "POST"])
@item_action("news:withdraw", can_manage_item)
def withdraw(request, item):
    cancel = reverse("news:item", args=[item.pk])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.withdraw(item, by=request.user, request=request),
            success=_("L’actualité est retirée : elle ne s’affiche plus aux RUPN."),
            then=reverse("news:item", args=[item.pk]),
        )
    refusal = ""
    if not item.published_at:
        refusal = _("Cette actualité n’est pas publiée.")
    elif item.withdrawn_at:
        refusal = _("Cette actualité est déjà retirée.")
    consequences = [
        _("L’actualité ne s’affichera plus aux RUPN ni à la direction des établissements, ni sur leur page d’accueil."),
        _("Les courriels déjà envoyés ne peuvent pas être rappelés."),
    ]
    if item.mailing and not item.mailing.finished_at:
        pending = outbox.progress(item.mailing).pending
        consequences.append(
            ngettext(
                "L’envoi n’est pas terminé : le courriel qui reste à envoyer partira quand même.",
                "L’envoi n’est pas terminé : les %(n)s courriels qui restent à envoyer partiront quand même.",
                pending,
            )
            % {"n": pending}
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Retirer « %(title)s »") % {"title": item.title},
            action_label=_("Retirer l’actualité"),
            cancel_url=cancel,
            consequences=consequences,
            danger=True,
            refusal=refusal,
        ),
    )

"""The académie's catalogue (`/fiches/`, namespace `fiche_catalogue`): the list with its search and
filters, a fiche's page, the DANE's curation (put forward, take down), the Atom feed and the
exports.

Who reads: every signed-in user of an académie (`catalogue.reads_catalogue`), the fiches of the
académies they belong to; a fiche out of their reach does not exist (404). Who curates: the DANE
of the fiche's académie (`perms.can_curate_catalogue`; 403 for the other readers).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.exporters import CONTENT_TYPES
from pilotis.core.guards import get_or_refuse, guarded, name_guard, refuse
from pilotis.fiches import catalogue as catalogue_module
from pilotis.fiches import curation
from pilotis.fiches.catalogue import Catalogue, reads_catalogue
from pilotis.fiches.exports import CatalogueCsv, catalogue_json, export_filename
from pilotis.fiches.feeds import CatalogueFeed
from pilotis.fiches.models import Fiche
from pilotis.fiches.pages import fiche_context, with_page_relations
from pilotis.fiches.perms import can_curate_catalogue, in_catalogue, is_member

READ = "fiche_catalogue:read"
CURATE = "fiche_catalogue:curate"


def _readable(user):
    """The fiches this user reads (`Fiche.objects.for_user`), with what their page shows."""
    return Fiche.objects.for_user(user).select_related("school__department", "academy")


def curated(name):
    """A curation of one fiche: the fiche within the reader's reach (404 otherwise), then the
    DANE of its académie (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            fiche = get_or_refuse(request, _readable(request.user), what="fiche", pk=pk)
            if not can_curate_catalogue(request.user, fiche.academy_id):
                refuse(request, obj=fiche, what=name, status=403)
            return view(request, fiche, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator


@require_GET
@guarded(READ, reads_catalogue)
def catalogue(request):
    shown = Catalogue(request.user, request.GET)
    page = shown.page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": shown.form,
        "criteria": shown.criteria,
        "page_obj": page,
        "query": query.urlencode(),
        "notices": shown.notices,
        # « 1 000 », with the French narrow no-break space between thousands.
        "count_cap": f"{catalogue_module.COUNT_CAP:,}".replace(",", "\u202f"),
    }
    return render(request, "fiches/catalogue.html", context)


@require_GET
@guarded(READ, reads_catalogue)
def fiche(request, pk):
    """The catalogue's page of a fiche: the same body as the school's page (`fiches.pages`), with
    its school named, and the DANE's curation."""
    item = get_or_refuse(request, with_page_relations(_readable(request.user)), what="fiche", pk=pk)
    context = {
        **fiche_context(request, item),
        "listed": in_catalogue(item),
        "member": is_member(request.user, item.school),
        "curates": can_curate_catalogue(request.user, item.academy_id),
    }
    return render(request, "fiches/catalogue_fiche.html", context)


@require_POST
@curated(CURATE)
def feature(request, fiche):
    try:
        curation.feature_fiche(fiche, by=request.user, request=request)
    except PermissionDenied:
        refuse(request, obj=fiche, what=CURATE, status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La fiche est mise en avant : elle apparaît en tête du catalogue."))
    return redirect("fiche_catalogue:fiche", fiche.pk)


@require_POST
@curated(CURATE)
def unfeature(request, fiche):
    try:
        curation.unfeature_fiche(fiche, by=request.user, request=request)
    except PermissionDenied:
        refuse(request, obj=fiche, what=CURATE, status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La fiche n'est plus mise en avant."))
    return redirect("fiche_catalogue:fiche", fiche.pk)


def _take_down_confirmation(fiche, recipients, refusal="") -> Confirmation:
    consequences = [
        _(
            "La fiche « %(title)s » (%(school)s) quittera le catalogue de l'académie : ses utilisateurs ne la "
            "trouveront plus, ni dans la recherche, ni dans le flux, ni dans les exports."
        )
        % {"title": fiche.title, "school": fiche.school.name},
        _("Elle restera publiée pour l'équipe de son établissement."),
    ]
    if recipients:
        consequences.append(
            ngettext(
                "Un courriel donnant le motif sera envoyé à ses auteurs (%(n)d adresse).",
                "Un courriel donnant le motif sera envoyé à ses auteurs (%(n)d adresses).",
                len(recipients),
            )
            % {"n": len(recipients)}
        )
    else:
        consequences.append(_("Aucun auteur de la fiche n'a d'adresse électronique : personne ne sera prévenu."))
    return Confirmation(
        title=_("Retirer cette fiche du catalogue ?"),
        action_label=_("Retirer du catalogue"),
        cancel_url=reverse("fiche_catalogue:fiche", args=[fiche.pk]),
        consequences=consequences,
        danger=True,
        refusal=refusal,
    )


@require_http_methods(["GET", "POST"])
@curated(CURATE)
def take_down(request, fiche):
    recipients = curation.take_down_recipients(fiche)
    refusal = "" if in_catalogue(fiche) else _("Cette fiche n'est pas au catalogue de l'académie.")
    reason, error = "", ""
    if request.method == "POST" and not refusal:
        reason = request.POST.get("reason", "")
        try:
            curation.take_down_fiche(fiche, reason=reason, by=request.user, request=request)
        except PermissionDenied:
            refuse(request, obj=fiche, what=CURATE, status=403)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            fiche.refresh_from_db()
            if not in_catalogue(fiche):
                refusal = error
        else:
            messages.success(request, _("La fiche est retirée du catalogue ; ses auteurs en sont informés."))
            return redirect("fiche_catalogue:list")
    context = {"fiche": fiche, "reason": reason, "reason_error": error, "reason_max": curation.REASON_MAX}
    status = 400 if request.method == "POST" else 200
    return confirmation_page(
        request,
        _take_down_confirmation(fiche, recipients, refusal),
        template="fiches/catalogue_take_down.html",
        context=context,
        status=status,
    )


@require_GET
@guarded(READ, reads_catalogue)
def feed(request):
    return CatalogueFeed()(request)


@require_GET
@guarded(READ, reads_catalogue)
def export(request, fmt):
    """The catalogue, filtered as on the page, streamed: CSV (`;`, BOM, cells neutralised) or
    JSON (stable field names, `fiches.exports`)."""
    if fmt not in ("csv", "json"):
        raise Http404
    shown = Catalogue(request.user, request.GET)
    content = CatalogueCsv(shown).iter_csv() if fmt == "csv" else catalogue_json(shown, request)
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, export_filename(fmt))
    response["X-Content-Type-Options"] = "nosniff"
    return response

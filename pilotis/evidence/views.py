"""The evidence's pages: add a file or a link to a thing of the school, remove a piece (a confirm
page), and download a file — the only way a stored file leaves the storage.

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.assessments.models import Answer
from pilotis.commission.models import Meeting
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.formats import day
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.evidence import files, services
from pilotis.evidence.enums import PieceKind, Target
from pilotis.evidence.forms import FileForm, LinkForm, TargetForm
from pilotis.evidence.guards import piece_view
from pilotis.evidence.models import Piece
from pilotis.evidence.perms import can_attach, frozen_reason, may_attach_in
from pilotis.evidence.uploads import SizeLimit
from pilotis.fiches.models import Fiche
from pilotis.plans.models import Action
from pilotis.territories.guards import school_action
from pilotis.workshops.models import Workshop

# Past this size a download is streamed from the storage; below, read at once.
STREAM_FROM_BYTES = 2 * 1024 * 1024

# Where each kind of target is looked up: always within the school of the URL.
LOOKUPS = {
    Target.ANSWER: lambda school: Answer.objects.filter(assessment__school=school).select_related(
        "assessment__campaign", "indicator"
    ),
    Target.ACTION: lambda school: Action.objects.filter(school=school),
    Target.MEETING: lambda school: Meeting.objects.filter(school=school),
    Target.FICHE: lambda school: Fiche.objects.filter(school=school).prefetch_related("authors"),
    Target.WORKSHOP: lambda school: Workshop.objects.filter(school=school),
}


def find_target(request, school, target: str, target_id):
    obj = get_or_refuse(request, LOOKUPS[target](school), what=f"evidence:{target}", pk=target_id)
    if target == Target.ANSWER:
        obj.assessment.school = school
    else:
        obj.school = school
    return obj


def describe(target: str, obj) -> str:
    """The thing, in words: « la réponse à l'indicateur PIL.1.06 »."""
    if target == Target.ANSWER:
        return _("la réponse à l'indicateur %(code)s") % {"code": obj.indicator.code}
    if target == Target.ACTION:
        return _("l'action « %(title)s »") % {"title": obj.title}
    if target == Target.MEETING:
        return _("la réunion de la commission numérique du %(day)s") % {"day": day(obj.starts_at)}
    if target == Target.FICHE:
        return _("la fiche d'usage « %(title)s »") % {"title": obj.title}
    return _("l'atelier « %(title)s »") % {"title": obj.title}


def target_url(target: str, obj, school) -> str:
    """The page of the thing, where its block of pieces is."""
    try:
        if target == Target.ANSWER:
            return reverse(
                "assessments:history", args=[school.uai, obj.assessment.campaign.school_year, obj.indicator.code]
            )
        if target == Target.ACTION:
            return reverse("plans:action", args=[school.uai, obj.pk])
        if target == Target.MEETING:
            return reverse("commission:meeting", args=[school.uai, obj.pk])
        if target == Target.FICHE:
            return reverse("fiches:detail", args=[school.uai, obj.pk])
        return reverse("workshops:detail", args=[school.uai, obj.pk])
    except NoReverseMatch:
        return reverse("territories:school_detail", args=[school.uai])


def _back(request, target, obj, school, next_url=""):
    if next_url and next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return next_url
    return target_url(target, obj, school)


def max_label() -> str:
    return files.megabytes(settings.EVIDENCE_MAX_BYTES)


@csrf_exempt  # the upload handler goes in first; CSRF is checked right after (`_add`)
@require_http_methods(["GET", "POST"])
@school_action("piece:add", may_attach_in)
def add(request, school):
    """GET: the form alone (for the page's block without its inline form). POST: a file or a link.
    A refusal shows the form again with the sentence, the link's typed values kept."""
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _add(request, school, limit)


@csrf_protect
def _add(request, school, limit):
    source = request.POST if request.method == "POST" else request.GET
    refusal = _("Le fichier dépasse %(max)s.") % {"max": max_label()} if limit.too_big else ""
    head = TargetForm(source)
    if not head.is_valid():
        refuse(request, obj=school, what="evidence:target")
    target, target_id = head.cleaned_data["target"], head.cleaned_data["target_id"]
    obj = find_target(request, school, target, target_id)
    if not can_attach(request.user, target, obj):
        refuse(request, obj=school, what="piece:add", status=403)
    next_url = _back(request, target, obj, school, head.cleaned_data.get("next") or "")
    initial = {"target": target, "target_id": target_id, "next": next_url}
    kind = head.cleaned_data["kind"] or PieceKind.FILE
    file_form = FileForm(initial={**initial, "kind": PieceKind.FILE}, max_label=max_label())
    link_form = LinkForm(initial={**initial, "kind": PieceKind.LINK})
    status = 200
    if request.method == "POST":
        status = 400
        if refusal:
            try:
                services.record_refusal(
                    files.Refused(refusal, reason="too_big"), target=target, obj=obj, by=request.user, request=request
                )
            except ValidationError as exc:  # frozen meanwhile: say that instead
                refusal = " ".join(exc.messages)
            file_form = FileForm(request.POST, request.FILES, max_label=max_label())
            file_form.is_valid()
            file_form.errors["file"] = file_form.error_class([refusal])
        elif kind == PieceKind.FILE:
            file_form = FileForm(request.POST, request.FILES, max_label=max_label())
            if file_form.is_valid():
                uploaded = file_form.cleaned_data["file"]
                try:
                    piece = services.add_file(target, obj, uploaded, by=request.user, request=request)
                except PermissionDenied:
                    refuse(request, obj=school, what="piece:add", status=403)
                except ValidationError as exc:
                    file_form.add_error("file", exc)
                else:
                    sent = files.clean_name(uploaded.name)
                    messages.success(
                        request,
                        _("« %(name)s » est jointe à %(what)s.") % {"name": piece.name, "what": describe(target, obj)},
                    )
                    if sent != uploaded.name.strip():
                        messages.info(
                            request,
                            _("Le nom du fichier a été nettoyé (chemin ou caractères invisibles retirés)."),
                        )
                    return redirect(next_url)
        else:
            link_form = LinkForm(request.POST)
            if link_form.is_valid():
                try:
                    piece = services.add_link(
                        target,
                        obj,
                        url=link_form.cleaned_data["url"],
                        title=link_form.cleaned_data["title"],
                        by=request.user,
                        request=request,
                    )
                except PermissionDenied:
                    refuse(request, obj=school, what="piece:add", status=403)
                except ValidationError as exc:
                    link_form.add_error("url" if exc.code in ("scheme", "invalid", "required") else None, exc)
                else:
                    messages.success(
                        request,
                        _("Le lien « %(name)s » est joint à %(what)s.")
                        % {"name": piece.name, "what": describe(target, obj)},
                    )
                    return redirect(next_url)
    return render(
        request,
        "evidence/add.html",
        {
            "school": school,
            "what": describe(target, obj),
            "back": next_url,
            "file_form": file_form,
            "link_form": link_form,
            "kind": kind if request.method == "POST" else "",
            "add_url": reverse("evidence:add", args=[school.uai]),
            "frozen": frozen_reason(target, obj),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@school_action("piece:remove", may_attach_in)
def remove(request, school, pk):
    piece = get_or_refuse(request, Piece.objects.filter(school=school, removed_at__isnull=True), what="piece", pk=pk)
    target = piece.target
    obj = find_target(request, school, target, piece.target_id)
    if not can_attach(request.user, target, obj):
        refuse(request, obj=piece, what="piece:remove", status=403)
    back = _back(request, target, obj, school, request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "GET":
        what = describe(target, obj)
        consequences = [
            _("« %(name)s » ne sera plus jointe à %(what)s.") % {"name": piece.name, "what": what},
            _("Le fichier sera effacé : personne ne pourra plus le télécharger.")
            if piece.is_file
            else _("Le lien ne sera plus proposé."),
            _("L'historique des pièces gardera son nom, la date et le nom de la personne qui l'a retirée."),
        ]
        return confirmation_page(
            request,
            Confirmation(
                title=_("Retirer la pièce « %(name)s »") % {"name": piece.name},
                action_label=_("Retirer la pièce"),
                cancel_url=back,
                consequences=consequences,
                danger=True,
                hidden={"next": back},
                refusal=frozen_reason(target, obj),
            ),
        )
    try:
        services.remove_piece(piece, by=request.user, request=request)
    except PermissionDenied:
        refuse(request, obj=piece, what="piece:remove", status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("La pièce « %(name)s » est retirée.") % {"name": piece.name})
    return redirect(back)


PER_PAGE = 50


@require_GET
@school_action("piece:list", may_attach_in)
def school_list(request, school):
    """The school's live pieces, newest first, each with what it is attached to: where its members
    see what takes the room of the quota. Members only: they read every target of their school (a
    draft fiche's included); the territory reads the pieces on the pages of what it reads."""
    pieces = (
        Piece.objects.live()
        .filter(school=school)
        .select_related("answer__indicator", "answer__assessment__campaign", "action", "meeting", "fiche", "workshop")
        .order_by("-added_at", "-pk")
    )
    paginator = Paginator(pieces, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    rows = []
    for piece in page.object_list:
        target, obj = piece.target, getattr(piece, piece.target)
        if target == Target.ANSWER:
            obj.assessment.school = school
        else:
            obj.school = school
        rows.append({"piece": piece, "what": describe(target, obj), "url": target_url(target, obj, school)})
    return render(
        request,
        "evidence/school_list.html",
        {
            "school": school,
            "rows": rows,
            "page_obj": page,
            "used": files.megabytes(Piece.objects.bytes_used(school)),
            "quota": files.megabytes(settings.EVIDENCE_SCHOOL_QUOTA_BYTES),
        },
    )


@require_GET
@piece_view("piece:read")
def download(request, piece):
    """The file, as an attachment: never shown by the browser, never sniffed, never cached by a
    shared cache, sandboxed should a browser open it anyway."""
    storage = services.storage()
    try:
        if piece.size <= STREAM_FROM_BYTES:
            # A small file (most evidence) is read at once and its handle closed at once.
            with storage.open(piece.stored_name, "rb") as handle:
                response = HttpResponse(handle.read(), content_type=piece.content_type)
            response["Content-Disposition"] = content_disposition_header(True, piece.name)
        else:
            response = FileResponse(
                storage.open(piece.stored_name, "rb"),
                as_attachment=True,
                filename=piece.name,
                content_type=piece.content_type,
            )
    except OSError as exc:  # FileNotFoundError included: the row outlived its file
        raise Http404 from exc
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

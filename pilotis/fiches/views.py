"""A school's usage fiches: its list, the form, the fiche's page, the author's consent to be named,
and the publish / take back / delete confirmations.

The fiches a user reads are `Fiche.objects.for_user` (a territory user reads only those in the
catalogue); who may do what is in `perms`; every write goes through `services`, which checks
again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.accounts.models import SchoolMembership
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.forms import RevisionField
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.core.school_years import current_school_year
from pilotis.fiches import services
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.forms import FicheForm, initial_of
from pilotis.fiches.models import Fiche
from pilotis.fiches.pages import fiche_context, with_page_relations
from pilotis.fiches.perms import can_edit_fiche, can_publish_fiche, can_write_fiches
from pilotis.territories.guards import school_action, school_view
from pilotis.territories.perms import can_write_school

PAGE_SIZE = 20
STATES = {"": gettext_lazy("Toutes"), "draft": gettext_lazy("Brouillons"), "published": gettext_lazy("Publiées")}


def _fiches(request, school):
    """The school's fiches this user reads (for_user: the territory reads the catalogue's only)."""
    return Fiche.objects.for_user(request.user).filter(school=school)


def _fiche(request, school, pk):
    return get_or_refuse(request, with_page_relations(_fiches(request, school)), what="fiche", pk=pk)


# --- The list -----------------------------------------------------------------------------------------


@require_GET
@school_view("read")
def home(request, school):
    state = request.GET.get("etat", "")
    if state not in STATES:
        state = ""
    fiches = Fiche.objects.listed_for(request.user, school)
    counts = fiches.aggregate(
        all=Count("pk"),
        draft=Count("pk", filter=Q(state=FicheState.DRAFT)),
        published=Count("pk", filter=Q(state=FicheState.PUBLISHED)),
    )
    if state:
        fiches = fiches.filter(state=state)
    paginator = Paginator(fiches.order_by("-updated_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return render(
        request,
        "fiches/home.html",
        {
            "school": school,
            "page_obj": page,
            "fiches": list(page.object_list),
            "state": state,
            "filters": [(code, label, counts[code or "all"]) for code, label in STATES.items()],
            "can_create": can_write_fiches(request.user, school),
        },
    )


# --- The form -----------------------------------------------------------------------------------------


def _form_choices(school):
    members = list(
        SchoolMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return {
        "school": school,
        "members": members,
        "actions": list(services.school_actions(school)),
        "indicators": list(services.allowed_indicators(school)),
        "current_year": current_school_year(),
    }


def _form_page(request, school, form, fiche=None, *, stale=False, status=200):
    return render(
        request,
        "fiches/fiche_form.html",
        {"school": school, "form": form, "fiche": fiche, "stale": stale},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@school_action("fiche:write", can_write_fiches)
def create(request, school):
    choices = _form_choices(school)
    me = next((m.pk for m in choices["members"] if m.user_id == request.user.pk), None)
    form = FicheForm(request.POST or None, initial={"authors": [me] if me else []}, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            fiche = services.create_fiche(school, by=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("La fiche « %(title)s » est enregistrée en brouillon : seule l'équipe de l'établissement la lit.")
                % {"title": fiche.title},
            )
            return redirect("fiches:detail", school.uai, fiche.pk)
    return _form_page(request, school, form, status=400 if form.is_bound else 200)


def _edit_guard(request, school, pk):
    """The fiche within what the user reads (404), then may they change it (403)."""
    fiche = _fiche(request, school, pk)
    if not can_edit_fiche(request.user, fiche):
        refuse(request, obj=fiche, what="fiche:edit", status=403)
    return fiche


@require_http_methods(["GET", "POST"])
@school_action("fiche:write", can_write_fiches)
def edit(request, school, pk):
    fiche = _edit_guard(request, school, pk)
    choices = _form_choices(school)
    if request.method == "POST":
        form = FicheForm(request.POST, fiche=fiche, **choices)
    else:
        form = FicheForm(initial=initial_of(fiche, choices["members"]), fiche=fiche, **choices)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_fiche(
                fiche, by=request.user, data=form.to_input(), seen_revision=form.cleaned_data.get("seen_revision")
            )
        except services.StaleFiche as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La fiche est enregistrée."))
            return redirect("fiches:detail", school.uai, fiche.pk)
    return _form_page(request, school, form, fiche, stale=stale, status=400 if form.is_bound else 200)


# --- The fiche's page and the author's consent --------------------------------------------------------


@require_GET
@school_view("read")
def detail(request, school, pk):
    fiche = _fiche(request, school, pk)
    context = fiche_context(request, fiche)
    context.update(
        {
            "school": school,
            "missing": services.missing_for_publication(fiche) if fiche.state == FicheState.DRAFT else [],
        }
    )
    return render(request, "fiches/fiche_detail.html", context)


@require_POST
@school_action("fiche:consent", can_write_fiches)
def consent(request, school, pk):
    """« J'accepte d'être nommé·e » / « Je retire mon accord »: an author's own act."""
    fiche = _fiche(request, school, pk)
    named = request.POST.get("named") == "1"
    try:
        services.set_named(fiche, by=request.user, named=named)
    except PermissionDenied:
        refuse(request, obj=fiche, what="fiche:consent", status=403)
    if named:
        messages.success(request, _("Votre nom figure désormais sur la fiche pour tous ses lecteurs."))
    else:
        messages.success(
            request, _("En dehors de l'établissement, la fiche vous désigne désormais comme « Un membre de l'équipe ».")
        )
    return redirect("fiches:detail", school.uai, fiche.pk)


# --- Publishing, taking back, deleting ------------------------------------------------------------------


def _publish_guard(request, school, pk):
    fiche = _fiche(request, school, pk)
    if not can_publish_fiche(request.user, fiche):
        refuse(request, obj=fiche, what="fiche:publish", status=403)
    return fiche


def audience(visibility) -> str:
    if visibility == Visibility.ACADEMY:
        return _(
            "tous les utilisateurs de l'académie : les équipes de ses établissements, les correspondants "
            "et la DANE, dans le catalogue des fiches"
        )
    return _("l'équipe de l'établissement")


@require_http_methods(["GET", "POST"])
@school_action("fiche:publish", can_write_school)
def publish(request, school, pk):
    fiche = _publish_guard(request, school, pk)
    visibility = request.POST.get("visibility") or request.GET.get("diffusion") or fiche.visibility
    if visibility not in Visibility.values:
        visibility = fiche.visibility
    if request.method == "POST":
        try:
            seen = RevisionField(required=False).clean(request.POST.get("seen_revision"))
            services.publish(fiche, by=request.user, visibility=visibility, seen_revision=seen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("La fiche est publiée. La lisent désormais %(who)s.") % {"who": audience(visibility)}
            )
            return redirect("fiches:detail", school.uai, fiche.pk)
    missing = services.missing_for_publication(fiche)
    edit_url = reverse("fiches:edit", args=[school.uai, fiche.pk])
    other = Visibility.SCHOOL if visibility == Visibility.ACADEMY else Visibility.ACADEMY
    consequences = [
        _("La fiche « %(title)s » sera lue par %(who)s.") % {"title": fiche.title, "who": audience(visibility)},
    ]
    if visibility == Visibility.ACADEMY:
        authors = list(fiche.authors.all())
        named = [str(a.user) for a in authors if a.named]
        unnamed = [str(a.user) for a in authors if not a.named]
        if named:
            consequences.append(_("Nommés, car ils l'ont accepté : %(names)s.") % {"names": ", ".join(named)})
        if unnamed:
            consequences.append(
                _("Désignés comme « Un membre de l'équipe », faute de leur accord : %(names)s.")
                % {"names": ", ".join(unnamed)}
            )
        consequences.append(_("Les brouillons et les autres fiches de l'établissement restent dans l'établissement."))
    if fiche.taken_down_at:
        consequences.append(_("La DANE l'a retirée du catalogue : elle n'y reviendra pas par cette publication."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Publier la fiche « %(title)s »") % {"title": fiche.title},
            action_label=_("Publier pour l'académie")
            if visibility == Visibility.ACADEMY
            else _("Publier pour l'établissement"),
            cancel_url=reverse("fiches:detail", args=[school.uai, fiche.pk]),
            consequences=consequences,
            warnings_title=_("Il manque à la fiche, pour être publiée :") if missing else "",
            warnings=[Link(what, edit_url) for what in missing],
            hidden={"visibility": visibility, "seen_revision": fiche.revision},
            refusal=_("Complétez la fiche avant de la publier.") if missing else "",
        ),
        template="fiches/publish_confirm.html",
        context={
            "other_url": reverse("fiches:publish", args=[school.uai, fiche.pk]) + f"?diffusion={other}",
            "other_label": _("Publier plutôt pour l'académie")
            if other == Visibility.ACADEMY
            else _("Publier plutôt pour l'établissement seulement"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@school_action("fiche:publish", can_write_school)
def unpublish(request, school, pk):
    fiche = _publish_guard(request, school, pk)
    if request.method == "POST":
        try:
            services.unpublish(fiche, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("La fiche est repassée en brouillon : seule l'équipe de l'établissement la lit.")
            )
        return redirect("fiches:detail", school.uai, fiche.pk)
    consequences = [_("La fiche redeviendra un brouillon, lu par l'équipe de l'établissement seulement.")]
    if fiche.visibility == Visibility.ACADEMY:
        consequences.append(_("Elle quittera le catalogue des fiches de l'académie, et sa mise en avant éventuelle."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Repasser en brouillon la fiche « %(title)s »") % {"title": fiche.title},
            action_label=_("Repasser en brouillon"),
            cancel_url=reverse("fiches:detail", args=[school.uai, fiche.pk]),
            consequences=consequences,
            refusal="" if fiche.state == FicheState.PUBLISHED else _("Cette fiche n'est pas publiée."),
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action("fiche:write", can_write_fiches)
def delete(request, school, pk):
    fiche = _edit_guard(request, school, pk)
    if request.method == "POST":
        try:
            services.delete_fiche(fiche, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("fiches:detail", school.uai, fiche.pk)
        messages.success(request, _("La fiche « %(title)s » est supprimée.") % {"title": fiche.title})
        return redirect("fiches:home", school.uai)
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer la fiche « %(title)s »") % {"title": fiche.title},
            action_label=_("Supprimer la fiche"),
            cancel_url=reverse("fiches:detail", args=[school.uai, fiche.pk]),
            consequences=[
                _("Le brouillon, ses descripteurs et ses auteurs seront effacés ; cela ne peut pas être annulé."),
                _("Le journal de l'établissement garde la trace de la suppression."),
            ],
            danger=True,
            refusal=services.deletion_refusal(fiche),
        ),
    )

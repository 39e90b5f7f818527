"""The RUPN's mission in a school: designations, lettres de mission and their workflow, the catalogue.

Who may do what is in `perms`; every write goes through `services`. A letter's page answers 404 to
whoever may not read it (a draft is the direction's and the RUPN's business only).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core import formats
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.exporters import attachment_response
from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.core.school_years import school_year_of
from pilotis.core.scope import scope_of
from pilotis.missions import services
from pilotis.missions.enums import MissionPriority
from pilotis.missions.forms import (
    CatalogueEntryAddForm,
    CatalogueEntryChangeForm,
    DesignationChangeForm,
    DesignationEndForm,
    DesignationForm,
    LetterForm,
    PresentationsForm,
    RevisionForm,
    SendBackForm,
)
from pilotis.missions.models import CatalogueEntry, Designation, MissionLetter
from pilotis.missions.perms import (
    can_manage_catalogue,
    can_manage_mission,
    can_read_catalogue,
    can_read_letter,
    can_see_imp,
    letter_abilities,
)
from pilotis.missions.review import review_rows
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_view
from pilotis.territories.models import Academy


def mission_manager(view):
    """Guard `missions:manage`: the school within the user's scope (404), then its direction only (403)."""

    @school_view("read")
    @wraps(view)
    def wrapper(request, school, *args, **kwargs):
        if not can_manage_mission(request.user, school):
            refuse(request, obj=school, what="missions:manage", status=403)
        return view(request, school, *args, **kwargs)

    wrapper.guard = "missions:manage"
    return wrapper


# --- The school's page: its RUPN across the years -------------------------------------------------


@require_GET
@school_view("read")
def school_mission(request, school):
    designations = list(
        Designation.objects.filter(school=school)
        .select_related("school__department", "user")
        .prefetch_related(Prefetch("letters", queryset=MissionLetter.objects.order_by("-created_at", "-pk")))
        .order_by("-school_year", "starts_on", "user_label")
    )
    years = {}
    today = timezone.localdate()
    manage = can_manage_mission(request.user, school)
    for designation in designations:
        designation.show_imp = can_see_imp(request.user, designation)
        designation.visible_letters = [
            letter for letter in designation.letters.all() if can_read_letter(request.user, _with(letter, designation))
        ]
        # A designation still running, without any letter yet, takes its first one from its own row; once
        # it has one, each letter's row carries the moves of that letter (a new version of a signed one).
        running = not designation.ended_early and designation.ends_on >= today
        designation.can_start_letter = manage and running and not designation.letters.all()
        under_way = any(not letter.is_final for letter in designation.letters.all())
        for letter in designation.visible_letters:
            letter.abilities = letter_abilities(request.user, letter)
            # One letter under way per designation: a new version is offered once, while the year runs.
            letter.abilities["supersede"] &= running and not under_way
        years.setdefault(designation.school_year, []).append(designation)
    return render(
        request,
        "missions/school.html",
        {
            "school": school,
            "years": list(years.items()),
            "current_year": school_year_of(today),
            "today": today,
            "manage": manage,
        },
    )


def _with(letter, designation):
    """The letter with its designation and school already in hand (no query per row)."""
    letter.designation = designation
    letter.school = designation.school
    return letter


@require_http_methods(["GET", "POST"])
@mission_manager
def designate(request, school):
    today = timezone.localdate()
    form = DesignationForm(request.POST or None, school=school, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = data["member"]
        try:
            services.designate(
                school,
                user=member.user if member else None,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                school_year=data["school_year"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                imp_amount=data["imp_amount"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le RUPN est désigné pour %(year)s.") % {"year": data["school_year"]})
            return redirect("missions:school", school.uai)
    status = 400 if form.is_bound else 200
    return render(request, "missions/designate.html", {"school": school, "form": form}, status=status)


def _designation(request, school, pk):
    return get_or_refuse(
        request,
        Designation.objects.filter(school=school).select_related("user", "school__department"),
        what="designation",
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@mission_manager
def designation_change(request, school, pk):
    designation = _designation(request, school, pk)
    initial = {"starts_on": designation.starts_on, "ends_on": designation.ends_on, "imp_amount": designation.imp_amount}
    form = DesignationChangeForm(request.POST or None, initial=initial)
    end_form = DesignationEndForm(initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_designation(designation, **form.cleaned_data, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La désignation est modifiée."))
            return redirect("missions:school", school.uai)
    context = {
        "school": school,
        "designation": designation,
        "form": form,
        "end_form": end_form,
        "today": timezone.localdate(),
    }
    return render(request, "missions/designation.html", context, status=400 if form.is_bound else 200)


@require_POST
@mission_manager
def designation_end(request, school, pk):
    designation = _designation(request, school, pk)
    form = DesignationEndForm(request.POST)
    if form.is_valid():
        try:
            services.end_designation(designation, on=form.cleaned_data["ends_on"], by=request.user, request=request)
        except ValidationError as exc:
            form.add_error("ends_on", exc)
        else:
            messages.success(request, _("La désignation de %(name)s a pris fin.") % {"name": designation.user_label})
            return redirect("missions:school", school.uai)
    change_form = DesignationChangeForm(
        initial={
            "starts_on": designation.starts_on,
            "ends_on": designation.ends_on,
            "imp_amount": designation.imp_amount,
        }
    )
    context = {
        "school": school,
        "designation": designation,
        "form": change_form,
        "end_form": form,
        "today": timezone.localdate(),
    }
    return render(request, "missions/designation.html", context, status=400)


@require_POST
@mission_manager
def letter_start(request, school, pk):
    designation = _designation(request, school, pk)
    try:
        letter = services.start_letter(designation, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:school", school.uai)
    return redirect("missions:letter_edit", school.uai, letter.pk)


# --- One letter ------------------------------------------------------------------------------------


def _letter(request, school, pk):
    """The letter, if this user may read it; otherwise it does not exist for them."""
    letter = get_or_refuse(
        request,
        MissionLetter.objects.filter(school=school).select_related(
            "designation__user", "designation__school__department", "school__department__academy"
        ),
        what="letter",
        pk=pk,
    )
    if not can_read_letter(request.user, letter):
        refuse(request, obj=school, what="letter")
    return letter


def _letter_page(request, school, letter, *, send_back_form=None, presentations_form=None, status=200):
    abilities = letter_abilities(request.user, letter)
    revision = {"seen_revision": letter.revision}
    missions = list(letter.missions.all())
    context = {
        "school": school,
        "letter": letter,
        "designation": letter.designation,
        "period": letter.period,
        "abilities": abilities,
        "missions": missions,
        "revision_form": RevisionForm(initial=revision),
        "send_back_form": send_back_form or SendBackForm(initial=revision),
        "presentations_form": presentations_form
        or PresentationsForm(
            initial={
                **revision,
                "pedagogical_council_on": letter.presented_pedagogical_council_on,
                "board_on": letter.presented_board_on,
            }
        ),
        "review": review_rows(letter),
    }
    return render(request, "missions/letter.html", context, status=status)


@require_GET
@school_view("read")
def letter_detail(request, school, pk):
    return _letter_page(request, school, _letter(request, school, pk))


def _letter_form(letter, data=None):
    entries = CatalogueEntry.objects.for_academy(letter.school.department.academy_id)
    kept = set(letter.missions.values_list("entry_id", flat=True))
    entries = [e for e in entries if e.is_active or e.pk in kept]
    version_id = services.latest_referential_id(letter.school)
    chosen = list(letter.indicators.all())
    if version_id is None and chosen:
        version_id = chosen[0].version_id
    indicators = Indicator.objects.filter(version_id=version_id).select_related("domain")
    initial = {name: getattr(letter, name) for name in LetterForm.CONTENT}
    initial["seen_revision"] = letter.revision
    initial["indicators"] = [i.pk for i in chosen]
    for mission in letter.missions.all():
        initial[f"mission_{mission.entry_id}"] = mission.priority
    return LetterForm(data, initial=initial, entries=entries, indicators=indicators)


@require_http_methods(["GET", "POST"])
@mission_manager
def letter_edit(request, school, pk):
    letter = _letter(request, school, pk)
    if not letter.is_editable:
        messages.error(request, _("Cette lettre n'est plus modifiable dans son état actuel."))
        return redirect("missions:letter", school.uai, letter.pk)
    form = _letter_form(letter, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_letter(
                letter,
                fields=form.content(),
                missions=form.chosen_missions(),
                indicators=form.cleaned_data["indicators"],
                seen_revision=form.cleaned_data["seen_revision"],
                by=request.user,
            )
        except ValidationError as exc:
            # The person's input stays in the form: nothing they typed is lost.
            form.add_error(None, exc)
        else:
            messages.success(request, _("La lettre est enregistrée."))
            return redirect("missions:letter", school.uai, letter.pk)
    context = {"school": school, "letter": letter, "designation": letter.designation, "form": form}
    return render(request, "missions/letter_edit.html", context, status=400 if form.is_bound else 200)


def _transition(request, school, pk, action, form_class=RevisionForm):
    """Runs one move of the workflow with the revision the page showed. Returns (letter, form, result);
    result is None when the move was refused, the reason told in a message or in the form's errors."""
    letter = _letter(request, school, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        if "seen_revision" in form.errors:  # not something the person typed: the page itself is wrong
            messages.error(request, _("La demande est incomplète : rechargez la page et recommencez."))
        return letter, form, None
    data = dict(form.cleaned_data)
    seen = data.pop("seen_revision")
    try:
        return letter, form, action(letter, by=request.user, seen_revision=seen, request=request, **data)
    except PermissionDenied:
        refuse(request, obj=letter, what=f"letter:{action.__name__}", status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return letter, form, None


def _move(request, school, pk, action, message, form_class=RevisionForm, form_name=None):
    """A move answered by the letter's page: with the person's input and its errors if refused for them,
    otherwise redirected back to it."""
    letter, form, result = _transition(request, school, pk, action, form_class)
    if result is None and form_name and form.errors and "seen_revision" not in form.errors:
        return _letter_page(request, school, letter, **{form_name: form}, status=400)
    if result is not None:
        messages.success(request, message)
    return redirect("missions:letter", school.uai, pk)


@require_POST
@mission_manager
def letter_propose(request, school, pk):
    return _move(
        request,
        school,
        pk,
        services.propose_letter,
        _("La lettre est proposée au RUPN, qui en est averti par courriel."),
    )


@require_POST
@mission_manager
def letter_withdraw(request, school, pk):
    return _move(request, school, pk, services.withdraw_letter, _("La lettre est reprise : vous pouvez la modifier."))


@require_POST
@school_view("read")
def letter_accept(request, school, pk):
    return _move(request, school, pk, services.accept_letter, _("Vous avez accepté la lettre de mission."))


@require_POST
@school_view("read")
def letter_send_back(request, school, pk):
    message = _("La lettre est renvoyée à la direction avec votre commentaire.")
    return _move(request, school, pk, services.send_back_letter, message, SendBackForm, "send_back_form")


@require_http_methods(["GET", "POST"])
@mission_manager
def letter_sign(request, school, pk):
    """GET: what signing does and what the letter lacks; the POST signs it, with the revision shown."""
    if request.method == "GET":
        return confirmation_page(request, _sign_confirmation(request, school, _letter(request, school, pk)))
    return _move(request, school, pk, services.sign_letter, _("La lettre de mission est signée."))


def _sign_confirmation(request, school, letter) -> Confirmation:
    letter_url = reverse("missions:letter", args=[school.uai, letter.pk])
    designation = letter.designation
    refusal = ""
    if not letter_abilities(request.user, letter)["sign"]:
        refusal = (
            _("La désignation de %(name)s a pris fin : cette lettre ne peut plus être signée.")
            % {"name": designation.user_label}
            if designation.ended_early
            else _("La lettre doit avoir été acceptée par le RUPN avant d'être signée (elle est « %(state)s »).")
            % {"state": letter.get_state_display()}
        )
    start, end = letter.period
    consequences = [
        _(
            "La lettre ne pourra plus changer : pour la faire évoluer, il faudra en préparer une nouvelle "
            "version, que le RUPN acceptera à son tour."
        ),
        _(
            "%(name)s et l'équipe de l'établissement pourront la lire, ainsi que le correspondant "
            "départemental et la DANE."
        )
        % {"name": designation.user_label},
        _("Vous signez une IMP annuelle de %(imp)s, pour la période %(period)s.")
        % {"imp": formats.euros(letter.imp_amount), "period": formats.period(start, end)},
    ]
    if letter.supersedes_id:
        replaced = letter.supersedes
        consequences.append(
            _("Elle remplacera la lettre signée le %(day)s.") % {"day": formats.day(replaced.signed_at)}
        )
    return Confirmation(
        title=_("Signer la lettre de mission %(year)s de %(name)s")
        % {"year": designation.school_year, "name": designation.user_label},
        action_label=_("Signer la lettre"),
        cancel_url=letter_url,
        consequences=consequences,
        warnings_title=_(
            "Ce que la lettre ne dit pas (pour le compléter, reprenez-la : le RUPN devra l'accepter à nouveau)"
        ),
        warnings=[Link(label, f"{letter_url}#{anchor}") for label, anchor in _letter_gaps(letter)],
        hidden={"seen_revision": letter.revision},
        refusal=refusal,
    )


def _letter_gaps(letter) -> list[tuple[str, str]]:
    """What a letter about to be signed leaves out: (sentence, the anchor of its section on the page)."""
    gaps = []
    missions = list(letter.missions.all())
    if not missions:
        gaps.append((_("Aucune mission n'est choisie."), "missions"))
    elif not any(m.priority == MissionPriority.MAIN for m in missions):
        gaps.append((_("Aucune mission n'est principale."), "missions"))
    if not (letter.means_time or letter.means_equipment or letter.means_room):
        gaps.append((_("Aucun moyen n'est précisé (temps dégagé, équipement, salle)."), "moyens"))
    elif not letter.means_time:
        gaps.append((_("Le temps dégagé n'est pas précisé."), "moyens"))
    if not letter.training:
        gaps.append((_("Aucune formation n'est prévue."), "moyens"))
    if not letter.indicators.exists():
        gaps.append((_("Aucun indicateur SCHÉMATIC n'est choisi : le bilan de fin d'année sera vide."), "indicateurs"))
    return gaps


@require_http_methods(["GET", "POST"])
@mission_manager
def letter_delete(request, school, pk):
    """A draft may be thrown away, after a confirmation page; never a letter proposed or signed."""
    letter = _letter(request, school, pk)
    if request.method == "GET":
        return confirmation_page(request, _delete_confirmation(request, school, letter))
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La demande est incomplète : rechargez la page et recommencez."))
        return redirect("missions:letter_delete", school.uai, letter.pk)
    try:
        services.delete_letter(
            letter, by=request.user, seen_revision=form.cleaned_data["seen_revision"], request=request
        )
    except PermissionDenied:
        refuse(request, obj=letter, what="letter:delete_letter", status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:letter", school.uai, letter.pk)
    messages.success(
        request,
        _("Le brouillon de lettre de mission de %(name)s est supprimé.") % {"name": letter.designation.user_label},
    )
    return redirect("missions:school", school.uai)


def _delete_confirmation(request, school, letter) -> Confirmation:
    designation = letter.designation
    refusal = ""
    if not letter_abilities(request.user, letter)["delete"]:
        refusal = _(
            "Seul un brouillon peut être supprimé ; cette lettre est « %(state)s » et reste dans l'historique "
            "de l'établissement."
        ) % {"state": letter.get_state_display()}
    missions = letter.missions.count()
    consequences = [
        ngettext(
            "Le brouillon et sa %(count)s mission choisie seront effacés ; cela ne peut pas être annulé.",
            "Le brouillon et ses %(count)s missions choisies seront effacés ; cela ne peut pas être annulé.",
            missions,
        )
        % {"count": missions}
        if missions
        else _("Le brouillon sera effacé ; cela ne peut pas être annulé."),
        _("La désignation de %(name)s reste ; vous pourrez rédiger une autre lettre.")
        % {"name": designation.user_label},
    ]
    if letter.supersedes_id:
        consequences.append(_("La lettre signée que ce brouillon devait remplacer reste en vigueur."))
    return Confirmation(
        title=_("Supprimer le brouillon de lettre de mission %(year)s de %(name)s")
        % {"year": designation.school_year, "name": designation.user_label},
        action_label=_("Supprimer le brouillon"),
        cancel_url=reverse("missions:letter", args=[school.uai, letter.pk]),
        consequences=consequences,
        danger=True,
        hidden={"seen_revision": letter.revision},
        refusal=refusal,
    )


@require_POST
@mission_manager
def letter_presentations(request, school, pk):
    message = _("Les dates de présentation sont enregistrées.")
    return _move(request, school, pk, services.record_presentations, message, PresentationsForm, "presentations_form")


@require_POST
@mission_manager
def letter_supersede(request, school, pk):
    _letter_obj, _form, draft = _transition(request, school, pk, services.supersede_letter)
    if draft is None:
        return redirect("missions:letter", school.uai, pk)
    messages.success(
        request,
        _(
            "Une nouvelle version de la lettre est en préparation ; elle remplacera la lettre signée une fois "
            "signée à son tour."
        ),
    )
    return redirect("missions:letter_edit", school.uai, draft.pk)


@require_GET
@school_view("read")
def letter_pdf(request, school, pk):
    from pilotis.missions.documents import letter_filename, render_letter_pdf

    letter = _letter(request, school, pk)
    show_imp = can_see_imp(request.user, letter.designation)
    return attachment_response(render_letter_pdf(letter, show_imp=show_imp), letter_filename(letter, "pdf"))


@require_GET
@school_view("read")
def letter_odt(request, school, pk):
    from pilotis.missions.documents import letter_filename, render_letter_odt

    letter = _letter(request, school, pk)
    show_imp = can_see_imp(request.user, letter.designation)
    return attachment_response(render_letter_odt(letter, show_imp=show_imp), letter_filename(letter, "odt"))


# --- The catalogue of missions -----------------------------------------------------------------------


def _managed_academies(user):
    scope = scope_of(user)
    return Academy.objects.all() if scope.everything else Academy.objects.filter(pk__in=scope.academy_ids)


@require_http_methods(["GET", "POST"])
@guarded("missions:catalogue", can_read_catalogue)
def catalogue(request):
    """Everyone signed in reads the catalogue; the DANE adds its académie's missions."""
    academies = list(_managed_academies(request.user).order_by("name"))
    form = CatalogueEntryAddForm(request.POST or None, academies=academies) if academies else None
    if request.method == "POST":
        if form is None:
            refuse(request, what="missions:catalogue:add", status=403)
        if form.is_valid():
            data = form.cleaned_data
            entry = services.add_catalogue_entry(
                data["academy"],
                heading=data["heading"],
                function=data["function"],
                text=data["text"],
                by=request.user,
                request=request,
            )
            messages.success(
                request,
                _("La mission est ajoutée au catalogue de l'académie de %(name)s.") % {"name": entry.academy.name},
            )
            return redirect("missions:catalogue")
    entries = CatalogueEntry.objects.for_user(request.user).select_related("academy")
    managed = {a.pk for a in academies}
    rows = [(entry, entry.academy_id in managed) for entry in entries]
    context = {"rows": rows, "form": form, "academy": academies[0] if len(academies) == 1 else None}
    return render(
        request, "missions/catalogue.html", context, status=400 if form is not None and form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
@guarded("missions:catalogue", can_read_catalogue)
def catalogue_entry(request, pk):
    entry = get_or_refuse(request, CatalogueEntry.objects.for_user(request.user), what="catalogue_entry", pk=pk)
    if entry.academy_id is None or not can_manage_catalogue(request.user, entry.academy_id):
        refuse(request, obj=entry, what="missions:catalogue:change", status=403)
    initial = {"heading": entry.heading, "function": entry.function, "text": entry.text, "is_active": entry.is_active}
    form = CatalogueEntryChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_catalogue_entry(entry, **form.cleaned_data, by=request.user, request=request)
        messages.success(
            request, _("La mission du catalogue est modifiée ; les lettres déjà rédigées gardent leur texte.")
        )
        return redirect("missions:catalogue")
    return render(
        request, "missions/catalogue_entry.html", {"entry": entry, "form": form}, status=400 if form.is_bound else 200
    )

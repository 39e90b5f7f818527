"""One lettre de mission: its page, its edition, the moves of its workflow and its documents.

Each move is guarded by its own name (`letter:<action>`, `missions.guards`); the service checks
again, and a refusal it raises is answered as the guard's. A letter the user may not read does
not exist for them (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core import formats
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.exporters import attachment_response
from pilotis.core.guards import refuse
from pilotis.core.panels import review_panels_for
from pilotis.missions import services
from pilotis.missions.enums import MissionPriority
from pilotis.missions.forms import LetterForm, PresentationsForm, RevisionForm, SendBackForm
from pilotis.missions.guards import letter_action, letter_in_scope
from pilotis.missions.models import CatalogueEntry
from pilotis.missions.perms import answers_letter, can_manage_mission, can_see_imp, letter_abilities
from pilotis.missions.review import review_period, review_rows
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_action, school_view


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
        # What the apps above add to the review (the workshops the RUPN ran in the period).
        "review_panels": review_panels_for(request, letter, *review_period(letter)),
    }
    return render(request, "missions/letter.html", context, status=status)


@require_GET
@school_view("read")
def letter_detail(request, school, pk):
    return _letter_page(request, school, letter_in_scope(request, school, pk))


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
@school_action("letter:edit", can_manage_mission)
def letter_edit(request, school, pk):
    letter = letter_in_scope(request, school, pk)
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
    letter = letter_in_scope(request, school, pk)
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
        refuse(request, obj=letter, what=f"letter:{action.__name__.removesuffix('_letter')}", status=403)
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
@school_action("letter:propose", can_manage_mission)
def letter_propose(request, school, pk):
    return _move(
        request,
        school,
        pk,
        services.propose_letter,
        _("La lettre est proposée au RUPN, qui en est averti par courriel."),
    )


@require_POST
@school_action("letter:withdraw", can_manage_mission)
def letter_withdraw(request, school, pk):
    return _move(request, school, pk, services.withdraw_letter, _("La lettre est reprise : vous pouvez la modifier."))


@require_POST
@letter_action("letter:accept", answers_letter)
def letter_accept(request, school, pk):
    return _move(request, school, pk, services.accept_letter, _("Vous avez accepté la lettre de mission."))


@require_POST
@letter_action("letter:send_back", answers_letter)
def letter_send_back(request, school, pk):
    message = _("La lettre est renvoyée à la direction avec votre commentaire.")
    return _move(request, school, pk, services.send_back_letter, message, SendBackForm, "send_back_form")


@require_http_methods(["GET", "POST"])
@school_action("letter:sign", can_manage_mission)
def letter_sign(request, school, pk):
    """GET: what signing does and what the letter lacks; the POST signs it, with the revision shown."""
    if request.method == "GET":
        return confirmation_page(request, _sign_confirmation(request, school, letter_in_scope(request, school, pk)))
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
@school_action("letter:delete", can_manage_mission)
def letter_delete(request, school, pk):
    """A draft may be thrown away, after a confirmation page; never a letter proposed or signed."""
    letter = letter_in_scope(request, school, pk)
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
        refuse(request, obj=letter, what="letter:delete", status=403)
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
@school_action("letter:record_presentations", can_manage_mission)
def letter_presentations(request, school, pk):
    message = _("Les dates de présentation sont enregistrées.")
    return _move(request, school, pk, services.record_presentations, message, PresentationsForm, "presentations_form")


@require_POST
@school_action("letter:supersede", can_manage_mission)
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

    letter = letter_in_scope(request, school, pk)
    show_imp = can_see_imp(request.user, letter.designation)
    return attachment_response(
        render_letter_pdf(letter, show_imp=show_imp, request=request), letter_filename(letter, "pdf")
    )


@require_GET
@school_view("read")
def letter_odt(request, school, pk):
    from pilotis.missions.documents import letter_filename, render_letter_odt

    letter = letter_in_scope(request, school, pk)
    show_imp = can_see_imp(request.user, letter.designation)
    return attachment_response(render_letter_odt(letter, show_imp=show_imp), letter_filename(letter, "odt"))

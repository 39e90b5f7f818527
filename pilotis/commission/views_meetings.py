"""The meetings of the commission numérique: preparation and agenda, minutes and decisions (a
decision made an action of the plan), convocation, validation by the direction, reopening,
deletion.

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.commission import services
from pilotis.commission.enums import MeetingState
from pilotis.commission.forms import (
    DecisionFormSet,
    ItemFormSet,
    MeetingForm,
    MinutesForm,
    RevisionForm,
)
from pilotis.commission.models import AgendaItem, Attendance, CommissionMember, Decision, Meeting
from pilotis.commission.perms import can_run_commission, can_validate_minutes, commission_abilities
from pilotis.core import formats
from pilotis.core.confirm import Confirmation, Link, carry_out, confirmation_page
from pilotis.core.guards import get_or_refuse
from pilotis.core.panels import attached_panels_for
from pilotis.territories.guards import school_action, school_view

# --- Meetings ---------------------------------------------------------------------------------------


def _meeting(request, school, pk, *, full=False):
    queryset = Meeting.objects.filter(school=school).select_related("school__department")
    if full:
        queryset = queryset.prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.prefetch_related("indicators", "actions")),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member").order_by("member__group", "member__name"),
            ),
            Prefetch("decisions", queryset=Decision.objects.select_related("action")),
        )
    return get_or_refuse(request, queryset, what="meeting", pk=pk)


def _meeting_url(school, meeting):
    return reverse("commission:meeting", args=[school.uai, meeting.pk])


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def meeting_create(request, school):
    """A new meeting; its agenda starts with « Suivi du plan », filled from the plan and the answers."""
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                school,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                visio_url=data["visio_url"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "La réunion est créée. Son ordre du jour commence par « Suivi du plan » : complétez-le, puis envoyez la convocation."
                ),
            )
            return redirect("commission:meeting_edit", school.uai, meeting.pk)
    return render(
        request,
        "commission/meeting_create.html",
        {"school": school, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
@school_view("read")
def meeting_detail(request, school, pk):
    meeting = _meeting(request, school, pk, full=True)
    abilities = commission_abilities(request.user, school)
    return render(
        request,
        "commission/meeting.html",
        {
            "school": school,
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "attendances": list(meeting.attendances.all()),
            "decisions": list(meeting.decisions.all()),
            "abilities": abilities,
            "can_edit": abilities["run"] and not meeting.is_locked,
            "can_convene": abilities["run"] and meeting.state == MeetingState.PLANNED,
            "can_delete": abilities["run"] and not services.deletion_refusal(meeting),
            "is_past": meeting.starts_at <= timezone.now(),
            # What is attached to the minutes (the evidence): blocks of the apps above.
            "attached": attached_panels_for(request, "meeting", meeting),
        },
    )


def _locked_redirect(request, school, meeting):
    messages.error(
        request,
        _(
            "Le compte rendu de cette réunion est validé : il ne peut plus être modifié, sauf si la direction le rouvre."
        ),
    )
    return redirect("commission:meeting", school.uai, meeting.pk)


def _choices(school):
    indicators = [(i.pk, f"{i.code} — {i.statement[:90]}") for i in services.allowed_indicators(school)]
    actions = [(a.pk, a.title[:120]) for a in services.school_actions(school)]
    return indicators, actions


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def meeting_edit(request, school, pk):
    """The meeting's date, place and agenda. Two people editing it: the second is told, and finds
    what they typed on the page again."""
    meeting = _meeting(request, school, pk, full=True)
    if meeting.is_locked:
        return _locked_redirect(request, school, meeting)
    indicator_choices, action_choices = _choices(school)
    kwargs = {
        "form_kwargs": {"indicator_choices": indicator_choices, "action_choices": action_choices},
        "prefix": "items",
    }
    if request.method == "POST":
        form = MeetingForm(request.POST)
        items = ItemFormSet(request.POST, **kwargs)
    else:
        local = timezone.localtime(meeting.starts_at)
        form = MeetingForm(
            initial={
                "seen_revision": meeting.revision,
                "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
                "ends_time": timezone.localtime(meeting.ends_at).strftime("%H:%M") if meeting.ends_at else None,
                "place": meeting.place,
                "visio_url": meeting.visio_url,
            }
        )
        items = ItemFormSet(
            initial=[
                {
                    "item": item.pk,
                    "title": item.title,
                    "notes": item.notes,
                    "indicators": [i.pk for i in item.indicators.all()],
                    "actions": [a.pk for a in item.actions.all()],
                }
                for item in meeting.items.all()
            ],
            **kwargs,
        )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        by_pk = {
            "indicators": {i.pk: i for i in services.allowed_indicators(school)},
            "actions": {a.pk: a for a in services.school_actions(school)},
        }
        typed = [
            services.ItemInput(
                pk=f.cleaned_data.get("item"),
                title=f.cleaned_data["title"],
                notes=f.cleaned_data.get("notes") or "",
                indicators=[by_pk["indicators"][i] for i in f.cleaned_data.get("indicators", [])],
                actions=[by_pk["actions"][a] for a in f.cleaned_data.get("actions", [])],
            )
            for f in items.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.update_meeting(
                meeting,
                by=request.user,
                seen_revision=data.get("seen_revision"),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                visio_url=data["visio_url"],
                items=typed,
            )
        except services.MinutesLocked:
            return _locked_redirect(request, school, meeting)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La réunion et son ordre du jour sont enregistrés."))
            return redirect("commission:meeting", school.uai, meeting.pk)
    return render(
        request,
        "commission/meeting_edit.html",
        {"school": school, "meeting": meeting, "form": form, "items": items},
        status=400 if form.is_bound else 200,
    )


def _sitting(meeting):
    """The members sitting on the meeting's day, and those already marked in its attendance."""
    day = timezone.localtime(meeting.starts_at).date()
    marked = [a.member_id for a in meeting.attendances.all()]
    sitting = Q(from_date__lte=day) & (Q(to_date__isnull=True) | Q(to_date__gte=day))
    return list(
        CommissionMember.objects.filter(sitting | Q(pk__in=marked), school_id=meeting.school_id).order_by(
            "group", "name", "pk"
        )
    )


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def meeting_minutes(request, school, pk):
    """Attendance, minutes and decisions."""
    meeting = _meeting(request, school, pk, full=True)
    if meeting.is_locked:
        return _locked_redirect(request, school, meeting)
    members = _sitting(meeting)
    if request.method == "POST":
        form = MinutesForm(request.POST, members=members)
        decisions = DecisionFormSet(request.POST, prefix="decisions")
    else:
        presence = {a.member_id: a.presence for a in meeting.attendances.all()}
        form = MinutesForm(
            members=members,
            initial={
                "seen_revision": meeting.revision,
                "minutes": meeting.minutes,
                **{f"presence_{pk}": value for pk, value in presence.items()},
            },
        )
        decisions = DecisionFormSet(
            prefix="decisions", initial=[{"decision": d.pk, "text": d.text} for d in meeting.decisions.all()]
        )
    if request.method == "POST" and form.is_valid() and decisions.is_valid():
        typed = [
            services.DecisionInput(pk=f.cleaned_data.get("decision"), text=f.cleaned_data["text"])
            for f in decisions.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.record_minutes(
                meeting,
                by=request.user,
                seen_revision=form.cleaned_data.get("seen_revision"),
                attendance=form.attendance(),
                minutes=form.cleaned_data.get("minutes") or "",
                decisions=typed,
            )
        except services.MinutesLocked:
            return _locked_redirect(request, school, meeting)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le compte rendu est enregistré."))
            return redirect("commission:meeting", school.uai, meeting.pk)
    return render(
        request,
        "commission/meeting_minutes.html",
        {"school": school, "meeting": meeting, "form": form, "decisions": decisions},
        status=400 if form.is_bound else 200,
    )


@require_POST
@school_action("commission:run", can_run_commission)
def decision_action(request, school, pk, decision_pk):
    """« En faire une action »: one click."""
    meeting = _meeting(request, school, pk)
    decision = get_or_refuse(
        request,
        Decision.objects.filter(meeting=meeting).select_related("meeting__school"),
        what="decision",
        pk=decision_pk,
    )
    try:
        action = services.decision_to_action(decision, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if services.current_plan(school) is None:
            messages.info(
                request,
                _("Le plan d'actions de l'établissement se prépare sur sa page : %(url)s")
                % {"url": reverse("territories:school_detail", args=[school.uai]) + "plan/"},
            )
    else:
        messages.success(
            request, _("La décision est devenue l'action « %(title)s » du plan.") % {"title": action.title}
        )
    return redirect("commission:meeting", school.uai, meeting.pk)


# --- Convocation, validation, deletion ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def meeting_convene(request, school, pk):
    meeting = _meeting(request, school, pk, full=True)
    if request.method == "POST":
        try:
            sent, missing = services.convene(meeting, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "La convocation est envoyée à %(n)s membre.",
                    "La convocation est envoyée à %(n)s membres.",
                    len(sent),
                )
                % {"n": len(sent)},
            )
        return redirect("commission:meeting", school.uai, meeting.pk)
    reachable, unreachable = services.convocation_members(meeting)
    subject, body = services.convocation_text(meeting, sender_name=str(request.user))
    refusal = ""
    if meeting.state != MeetingState.PLANNED:
        refusal = _("La réunion a déjà eu lieu : sa convocation ne peut plus être envoyée.")
    elif not reachable:
        refusal = _("Aucun membre de la commission n'a d'adresse électronique : personne ne peut être convoqué.")
    consequences = [
        ngettext(
            "%(n)s membre recevra la convocation par courriel, avec une invitation à ajouter à son agenda (.ics).",
            "%(n)s membres recevront la convocation par courriel, avec une invitation à ajouter à leur agenda (.ics).",
            len(reachable),
        )
        % {"n": len(reachable)}
    ]
    if meeting.convocation_sequence:
        consequences.append(
            _("Une convocation a déjà été envoyée le %(day)s : celle-ci la remplacera dans les agendas.")
            % {"day": formats.moment(meeting.convened_at)}
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Envoyer la convocation à la commission du %(day)s") % {"day": formats.moment(meeting.starts_at)},
            action_label=_("Envoyer la convocation"),
            cancel_url=_meeting_url(school, meeting),
            consequences=consequences,
            warnings_title=_("Sans adresse électronique (à convoquer autrement)"),
            warnings=[Link(f"{m.name} ({m.get_group_display()})") for m in unreachable],
            refusal=refusal,
        ),
        template="commission/convene_confirm.html",
        context={"subject": subject, "body": body, "recipients": reachable},
    )


@require_http_methods(["GET", "POST"])
@school_action("minutes:validate", can_validate_minutes)
def meeting_validate(request, school, pk):
    meeting = _meeting(request, school, pk, full=True)
    if request.method == "POST":
        form = RevisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("La demande est incomplète : rechargez la page et recommencez."))
            return redirect("commission:meeting", school.uai, meeting.pk)
        return carry_out(
            request,
            lambda: services.validate_minutes(
                meeting, by=request.user, seen_revision=form.cleaned_data.get("seen_revision")
            ),
            success=_("Le compte rendu est validé : il ne peut plus être modifié."),
            then=_meeting_url(school, meeting),
        )
    refusal = ""
    if meeting.is_locked:
        refusal = _("Le compte rendu de cette réunion est déjà validé.")
    elif meeting.starts_at > timezone.now():
        refusal = _("La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être validé.")
    warnings = []
    if not meeting.minutes.strip():
        warnings.append(
            Link(_("Le compte rendu est vide."), reverse("commission:meeting_minutes", args=[school.uai, meeting.pk]))
        )
    if not meeting.attendances.all():
        warnings.append(
            Link(
                _("Les présences ne sont pas renseignées."),
                reverse("commission:meeting_minutes", args=[school.uai, meeting.pk]),
            )
        )
    decisions = len(meeting.decisions.all())
    return confirmation_page(
        request,
        Confirmation(
            title=_("Valider le compte rendu de la commission du %(day)s") % {"day": formats.moment(meeting.starts_at)},
            action_label=_("Valider le compte rendu"),
            cancel_url=_meeting_url(school, meeting),
            consequences=[
                _(
                    "Le compte rendu, les présences, les décisions et l'ordre du jour ne pourront plus être modifiés, "
                    "par personne, sauf si la direction rouvre le compte rendu."
                ),
                ngettext("Il consigne %(n)s décision.", "Il consigne %(n)s décisions.", decisions) % {"n": decisions},
            ],
            warnings_title=_("Ce que le compte rendu ne dit pas"),
            warnings=warnings,
            hidden={"seen_revision": meeting.revision},
            refusal=refusal,
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action("minutes:reopen", can_validate_minutes)
def meeting_reopen(request, school, pk):
    meeting = _meeting(request, school, pk)
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.reopen_minutes(meeting, by=request.user),
            success=_("Le compte rendu est rouvert : il peut de nouveau être modifié."),
            then=_meeting_url(school, meeting),
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Rouvrir le compte rendu de la commission du %(day)s") % {"day": formats.moment(meeting.starts_at)},
            action_label=_("Rouvrir le compte rendu"),
            cancel_url=_meeting_url(school, meeting),
            consequences=[
                _(
                    "Le compte rendu, les présences, les décisions et l'ordre du jour pourront de nouveau être modifiés."
                ),
                _("La réouverture est inscrite au journal ; il faudra valider de nouveau le compte rendu."),
            ],
            danger=True,
            refusal="" if meeting.is_locked else _("Le compte rendu de cette réunion n'est pas validé."),
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def meeting_delete(request, school, pk):
    meeting = _meeting(request, school, pk)
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.delete_meeting(meeting, by=request.user),
            success=_("La réunion est supprimée."),
            then=reverse("commission:home", args=[school.uai]),
            failed_then=_meeting_url(school, meeting),
        )
    consequences = [_("La réunion et son ordre du jour seront effacés ; cela ne peut pas être annulé.")]
    if meeting.convocation_sequence:
        consequences.append(_("Une convocation a été envoyée : prévenez les membres que la réunion n'aura pas lieu."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer la réunion du %(day)s") % {"day": formats.moment(meeting.starts_at)},
            action_label=_("Supprimer la réunion"),
            cancel_url=_meeting_url(school, meeting),
            consequences=consequences,
            danger=True,
            refusal=services.deletion_refusal(meeting),
        ),
    )

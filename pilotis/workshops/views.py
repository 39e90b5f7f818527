"""The school's workshops and trainings: the year's list and summary, a session's page, its form,
its attendance, its deletion and its attendance sheet (PDF).

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.core import formats
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.exporters import attachment_response, safe_filename
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.core.panels import attached_panels_for
from pilotis.core.school_years import current_school_year, is_school_year
from pilotis.territories.guards import school_action, school_view
from pilotis.workshops import services, summary
from pilotis.workshops.enums import Audience
from pilotis.workshops.forms import AttendanceForm, SchoolYearForm, WorkshopForm, member_label
from pilotis.workshops.models import Participant, Workshop
from pilotis.workshops.perms import can_write_workshops, workshop_abilities


def _participants():
    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("user").order_by("user__last_name", "user__first_name", "pk"),
    )


def _workshop(request, school, pk, *, full=False):
    queryset = Workshop.objects.filter(school=school).select_related("school__department")
    if full:
        queryset = queryset.prefetch_related(_participants())
    return get_or_refuse(request, queryset, what="workshop", pk=pk)


def _years(school, year) -> list[str]:
    """The school years that have sessions, the current one and the one shown, latest first."""
    years = set(Workshop.objects.filter(school=school).order_by().values_list("school_year", flat=True).distinct())
    return sorted(years | {current_school_year(), year}, reverse=True)


@require_GET
@school_view("read")
def home(request, school):
    form = SchoolYearForm(request.GET)
    year = current_school_year()
    if form.is_valid() and form.cleaned_data.get("annee") and is_school_year(form.cleaned_data["annee"]):
        year = form.cleaned_data["annee"]
    workshops = summary.year_of(Workshop.objects.filter(school=school), year)
    sessions = list(workshops.prefetch_related(_participants()))
    return render(
        request,
        "workshops/home.html",
        {
            "school": school,
            "year": year,
            "years": _years(school, year),
            "figures": summary.summarise(workshops),
            "sessions": [(w, *summary.attendance(w)) for w in sessions],
            "abilities": workshop_abilities(request.user, school),
            "today": timezone.localdate(),
        },
    )


def _form_page(request, school, workshop=None):
    people = [(m.user_id, member_label(m)) for m in services.school_members(school)]
    if workshop is None:
        initial = {"held_on": timezone.localdate(), "duration_minutes": 60}
    else:
        ids = [p.user_id for p in workshop.participants.all()]
        initial = WorkshopForm.initial_of(workshop, ids)
        # A participant who has since left the school stays listed, and may stay ticked.
        known = {pk for pk, _label in people}
        people += [
            (p.user_id, _("%(name)s — a quitté l'établissement") % {"name": p.user})
            for p in workshop.participants.all()
            if p.user_id not in known
        ]
    form = WorkshopForm(request.POST or None, people=people, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_workshop(
                school,
                form.workshop_input(),
                by=request.user,
                workshop=workshop,
                seen_revision=form.cleaned_data.get("seen_revision") if workshop else None,
            )
        except services.StaleWorkshop as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if workshop is None:
                messages.success(request, _("La séance est enregistrée. Vous pouvez imprimer sa feuille d'émargement."))
            else:
                messages.success(request, _("La séance est modifiée."))
            return redirect("workshops:detail", school.uai, saved.pk)
    return render(
        request,
        "workshops/form.html",
        {"school": school, "workshop": workshop, "form": form, "stale": stale},
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@school_action("workshop:write", can_write_workshops)
def create(request, school):
    return _form_page(request, school)


@require_http_methods(["GET", "POST"])
@school_action("workshop:write", can_write_workshops)
def edit(request, school, pk):
    return _form_page(request, school, _workshop(request, school, pk, full=True))


@require_GET
@school_view("read")
def detail(request, school, pk):
    workshop = _workshop(request, school, pk, full=True)
    participants = list(workshop.participants.all())
    abilities = workshop_abilities(request.user, school)
    return render(
        request,
        "workshops/detail.html",
        {
            "school": school,
            "workshop": workshop,
            "participants": participants,
            "present": sum(p.present for p in participants),
            "audience_labels": [Audience(code).label for code in workshop.audiences if code in Audience.values],
            "abilities": abilities,
            "is_past": workshop.held_on <= timezone.localdate(),
            "attached_panels": attached_panels_for(request, "workshop", workshop),
        },
    )


@require_http_methods(["GET", "POST"])
@school_action("workshop:write", can_write_workshops)
def attendance(request, school, pk):
    """After the session: the members expected who came, and how many others."""
    workshop = _workshop(request, school, pk, full=True)
    participants = list(workshop.participants.all())
    if workshop.held_on > timezone.localdate():
        messages.error(
            request,
            _("La séance n'a pas encore eu lieu : les présences se relèvent à partir du %(day)s.")
            % {"day": formats.day(workshop.held_on)},
        )
        return redirect("workshops:detail", school.uai, workshop.pk)
    initial = {
        "seen_revision": workshop.revision,
        "present": [p.user_id for p in participants if p.present],
        "participant_count": workshop.participant_count,
    }
    form = AttendanceForm(request.POST or None, participants=participants, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_attendance(
                workshop,
                by=request.user,
                present_ids=form.cleaned_data["present"],
                participant_count=form.cleaned_data.get("participant_count"),
                seen_revision=form.cleaned_data.get("seen_revision"),
            )
        except services.StaleWorkshop as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect("workshops:detail", school.uai, workshop.pk)
    return render(
        request,
        "workshops/attendance.html",
        {"school": school, "workshop": workshop, "form": form, "stale": stale, "participants": participants},
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@school_action("workshop:write", can_write_workshops)
def delete(request, school, pk):
    workshop = _workshop(request, school, pk)
    if request.method == "POST":
        try:
            services.delete_workshop(workshop, by=request.user)
        except PermissionDenied:
            refuse(request, obj=workshop, what="workshop:write", status=403)
        messages.success(request, _("La séance est supprimée."))
        return redirect(reverse("workshops:home", args=[school.uai]) + f"?annee={workshop.school_year}")
    expected = workshop.participants.count()
    consequences = [
        _(
            "La séance « %(title)s » du %(day)s sera effacée, avec sa liste de participants ; cela ne peut pas être annulé."
        )
        % {"title": workshop.title, "day": formats.day(workshop.held_on)},
        _("Elle ne comptera plus dans le bilan de l'année ni dans celui de la lettre de mission."),
    ]
    if expected:
        consequences.append(
            _("%(n)s participant(s) inscrit(s) disparaîtront de la liste ; le journal garde la trace de la séance.")
            % {"n": expected}
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer la séance du %(day)s") % {"day": formats.day(workshop.held_on)},
            action_label=_("Supprimer la séance"),
            cancel_url=reverse("workshops:detail", args=[school.uai, workshop.pk]),
            consequences=consequences,
            danger=True,
        ),
    )


@require_GET
@school_view("read")
def sheet_pdf(request, school, pk):
    """The attendance sheet to print before the session (« feuille d'émargement »)."""
    from pilotis.workshops.documents import render_sheet_pdf

    workshop = _workshop(request, school, pk, full=True)
    filename = safe_filename("feuille-emargement", school.uai, workshop.held_on.isoformat(), extension="pdf")
    return attachment_response(render_sheet_pdf(workshop), filename)

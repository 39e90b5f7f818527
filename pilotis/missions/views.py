"""The RUPN's mission in a school: its page, the designations, and the catalogue of missions; one
letter and its workflow are in `views_letters`.

Who may do what is in `perms`, the guards in `missions.guards`; every write goes through `services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.core.school_years import school_year_of
from pilotis.missions import services
from pilotis.missions.forms import (
    CatalogueEntryAddForm,
    CatalogueEntryChangeForm,
    DesignationChangeForm,
    DesignationEndForm,
    DesignationForm,
)
from pilotis.missions.guards import catalogue_entry_action
from pilotis.missions.models import CatalogueEntry, Designation, MissionLetter
from pilotis.missions.perms import (
    can_manage_mission,
    can_read_catalogue,
    can_read_letter,
    can_see_imp,
    letter_abilities,
)
from pilotis.territories.guards import school_action, school_view
from pilotis.territories.models import Academy
from pilotis.territories.perms import is_dane

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
@school_action("mission:manage", can_manage_mission)
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
@school_action("mission:manage", can_manage_mission)
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
@school_action("mission:manage", can_manage_mission)
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
@school_action("letter:start", can_manage_mission)
def letter_start(request, school, pk):
    designation = _designation(request, school, pk)
    try:
        letter = services.start_letter(designation, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("missions:school", school.uai)
    return redirect("missions:letter_edit", school.uai, letter.pk)


# --- The catalogue of missions -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@guarded("catalogue:read", can_read_catalogue)
@guarded("catalogue:add", is_dane, status=403, methods={"POST"})
def catalogue(request):
    """Everyone signed in reads the catalogue; the DANE adds its académie's missions."""
    academies = list(Academy.objects.led_by(request.user).order_by("name"))
    form = CatalogueEntryAddForm(request.POST or None, academies=academies) if academies else None
    if request.method == "POST":
        if form is None:
            refuse(request, what="catalogue:add", status=403)  # an administrator before any académie
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
            return redirect("catalogue:list")
    entries = CatalogueEntry.objects.for_user(request.user).select_related("academy")
    managed = {a.pk for a in academies}
    rows = [(entry, entry.academy_id in managed) for entry in entries]
    context = {"rows": rows, "form": form, "academy": academies[0] if len(academies) == 1 else None}
    return render(
        request, "missions/catalogue.html", context, status=400 if form is not None and form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
@catalogue_entry_action("catalogue:manage")
def catalogue_entry(request, entry):
    initial = {"heading": entry.heading, "function": entry.function, "text": entry.text, "is_active": entry.is_active}
    form = CatalogueEntryChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_catalogue_entry(entry, **form.cleaned_data, by=request.user, request=request)
        messages.success(
            request, _("La mission du catalogue est modifiée ; les lettres déjà rédigées gardent leur texte.")
        )
        return redirect("catalogue:list")
    return render(
        request, "missions/catalogue_entry.html", {"entry": entry, "form": form}, status=400 if form.is_bound else 200
    )

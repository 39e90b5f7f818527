"""The commission numérique of one school: its page and its members. Its meetings (preparation,
minutes, convocation, validation, deletion) are in `views_meetings`, the relevé de décisions in
`views_documents`.

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.commission import services
from pilotis.commission.enums import MeetingState, MemberGroup
from pilotis.commission.forms import (
    MemberForm,
)
from pilotis.commission.models import Attendance, CommissionMember, Meeting
from pilotis.commission.perms import can_run_commission, commission_abilities
from pilotis.commission.records import year_record
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.core.school_years import current_school_year
from pilotis.territories.guards import school_action, school_view

GROUP_ORDER = {group: index for index, group in enumerate(MemberGroup.values)}


def _by_group(members) -> list:
    """Members in the order of their groups (direction, RUPN, teachers… parents, pupils), then by name."""
    return sorted(members, key=lambda m: (GROUP_ORDER.get(m.group, len(GROUP_ORDER)), m.name.lower(), m.pk))


# --- The commission's page --------------------------------------------------------------------------


@require_GET
@school_view("read")
def home(request, school):
    today = timezone.localdate()
    members = list(
        CommissionMember.objects.filter(school=school).select_related("user").order_by("group", "name", "pk")
    )
    current = [m for m in members if m.to_date is None or m.to_date >= today]
    past = [m for m in members if m.to_date is not None and m.to_date < today]
    meetings = list(Meeting.objects.filter(school=school).order_by("-starts_at", "-pk"))
    now = timezone.now()
    year = current_school_year()
    record = year_record(school, year)
    return render(
        request,
        "commission/home.html",
        {
            "school": school,
            "current_members": current,
            "past_members": past,
            "planned": sorted((m for m in meetings if m.state == MeetingState.PLANNED), key=lambda m: m.starts_at),
            "held": [m for m in meetings if m.state != MeetingState.PLANNED],
            "record": record,
            "record_sentence": record.sentence(this_year_words=_("cette année")),
            "year": year,
            "now": now,
            "abilities": commission_abilities(request.user, school),
            "has_account": {m.pk for m in members if m.user_id},
        },
    )


# --- Members ----------------------------------------------------------------------------------------


def _member(request, school, pk):
    return get_or_refuse(
        request,
        CommissionMember.objects.filter(school=school).select_related("user", "school"),
        what="commission_member",
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def member_add(request, school):
    form = MemberForm(request.POST or None, school=school, initial={"from_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = data.get("membership")
        try:
            member = services.add_member(
                school,
                by=request.user,
                user=membership.user if membership else None,
                name=data.get("name") or "",
                email=data.get("email") or "",
                group=data["group"],
                from_date=data["from_date"],
                to_date=data.get("to_date"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s est membre de la commission numérique.") % {"name": member.name})
            return redirect("commission:home", school.uai)
    return render(
        request,
        "commission/member_form.html",
        {"school": school, "form": form, "title": _("Ajouter un membre")},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def member_edit(request, school, pk):
    member = _member(request, school, pk)
    initial = {
        "name": member.name,
        "email": member.email,
        "group": member.group,
        "from_date": member.from_date,
        "to_date": member.to_date,
    }
    form = MemberForm(request.POST or None, school=school, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_member(
                member,
                by=request.user,
                group=data["group"],
                from_date=data["from_date"],
                to_date=data.get("to_date"),
                name=data.get("name"),
                email=data.get("email"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Les informations de %(name)s sont enregistrées.") % {"name": member.name})
            return redirect("commission:home", school.uai)
    return render(
        request,
        "commission/member_form.html",
        {
            "school": school,
            "form": form,
            "member": member,
            "title": _("Modifier un membre : %(name)s") % {"name": member.name},
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@school_action("commission:run", can_run_commission)
def member_delete(request, school, pk):
    """Only a member who attended no meeting; the others' membership is ended with a date."""
    member = _member(request, school, pk)
    attended = Attendance.objects.filter(member=member).exists()
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Retirer %(name)s de la commission numérique") % {"name": member.name},
                action_label=_("Retirer de la commission"),
                cancel_url=reverse("commission:home", args=[school.uai]),
                consequences=[
                    _("%(name)s sera effacé de la liste des membres ; cela ne peut pas être annulé.")
                    % {"name": member.name},
                    _("Pour garder trace de sa participation passée, indiquez plutôt une date de fin."),
                ],
                danger=True,
                refusal=_(
                    "%(name)s figure dans les présences d'une réunion : on ne peut pas le retirer, mais on peut "
                    "indiquer la fin de sa participation (« Modifier »)."
                )
                % {"name": member.name}
                if attended
                else "",
            ),
        )
    try:
        services.delete_member(member, by=request.user)
    except PermissionDenied:
        refuse(request, obj=member, what="commission:run", status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("commission:member_edit", school.uai, member.pk)
    messages.success(request, _("%(name)s ne fait plus partie de la commission.") % {"name": member.name})
    return redirect("commission:home", school.uai)

"""One action of the plan: its page with its journal, its creation and edition (the writers), its
status (the writers and the member named responsible), its deletion, and the new campaign's
« Reporter » / « Abandonner ».

An action out of the school does not exist (404); its status is guarded by `action:update_status`:
the school's readers reach the view, and `perms.can_update_status` refuses the others (403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.accounts.models import SchoolMembership
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.forms import typed_again
from pilotis.core.guards import get_or_refuse
from pilotis.core.panels import attached_panels_for
from pilotis.plans import loop, services
from pilotis.plans.forms import ActionForm, CarryOverForm, StatusForm
from pilotis.plans.guards import action_in_school, action_move
from pilotis.plans.models import Plan
from pilotis.plans.perms import can_update_status, can_write_plan
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_action, school_view


def _action(request, school, pk):
    return action_in_school(request, school, pk)


def _action_found(request, school, pk, *args, **kwargs):
    _action(request, school, pk)


def _plan_found(request, school, pk, *args, **kwargs):
    get_or_refuse(request, Plan.objects.filter(school=school), what="plan", pk=pk)


def _members(school):
    """The school's people, for the responsible's select and the contributors' checkboxes."""
    return [
        membership.user
        for membership in SchoolMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ]


def _form(request, plan, *, initial=None, data=None):
    indicators = (
        Indicator.objects.filter(version_id=plan.referential_id)
        .select_related("domain")
        .order_by("domain__position", "level", "position")
    )
    return ActionForm(
        data,
        initial=initial,
        objectives=list(plan.objectives.order_by("position", "pk")),
        members=_members(plan.school),
        indicators=indicators,
    )


def _edit_page(request, school, plan, form, action=None, *, stale=False, status=200):
    context = {"school": school, "plan": plan, "form": form, "action": action, "stale": stale}
    return render(request, "plans/action_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@school_action("action:write", can_write_plan, found=_plan_found)
def action_add(request, school, pk):
    plan = get_or_refuse(request, Plan.objects.filter(school=school).select_related("school"), what="plan", pk=pk)
    objective = request.GET.get("objectif", "")
    form = _form(
        request,
        plan,
        data=request.POST or None,
        initial={"objective": objective if objective.isdigit() else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                plan,
                by=request.user,
                indicators=data["indicators"],
                contributors=data["contributors"],
                **form.content(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'action est ajoutée au plan."))
            return redirect("plans:action", school.uai, action.pk)
    return _edit_page(request, school, plan, form, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@school_action("action:write", can_write_plan, found=_action_found)
def action_edit(request, school, pk):
    action = _action(request, school, pk)
    plan = action.plan
    plan.school = school
    if request.method == "GET":
        return _edit_page(request, school, plan, _form(request, plan, initial=ActionForm.initial_for(action)), action)
    form = _form(request, plan, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_action(
                action,
                by=request.user,
                seen_revision=data["seen_revision"],
                indicators=data["indicators"],
                contributors=data["contributors"],
                **form.content(),
            )
        except services.StaleAction as exc:
            action.refresh_from_db()
            form = typed_again(lambda typed: _form(request, plan, data=typed), request.POST, action.revision, exc)
            return _edit_page(request, school, plan, form, action, stale=True, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect("plans:action", school.uai, action.pk)
    return _edit_page(request, school, plan, form, action, status=400)


def _action_page(request, school, action, *, status_form=None, status=200):
    user = request.user
    events = list(action.events.order_by("at", "pk"))
    may_update = can_update_status(user, action)
    if may_update and status_form is None:
        status_form = StatusForm(initial={"status": action.status, "seen_revision": action.revision})
    context = {
        "school": school,
        "plan": action.plan,
        "action": action,
        "indicators": list(
            action.indicators.select_related("domain").order_by("domain__position", "level", "position")
        ),
        "contributors": list(action.contributors.order_by("last_name", "first_name")),
        "events": events,
        "status_form": status_form if may_update else None,
        "write": can_write_plan(user, school),
        # Once done, the indicators it serves, each a click away from « Réalisé » (never by itself).
        "proposals": loop.proposals(action, user),
        # What is attached to it (the evidence): blocks of the apps above.
        "attached": attached_panels_for(request, "action", action),
    }
    return render(request, "plans/action.html", context, status=status)


@require_GET
@school_view("read", guard="plan:read")
def action_detail(request, school, pk):
    action = _action(request, school, pk)
    action.school = school
    return _action_page(request, school, action)


@require_POST
@action_move("action:update_status", can_update_status)
def action_status(request, school, action):
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(
                action, by=request.user, status=data["status"], note=data["note"], seen_revision=data["seen_revision"]
            )
        except services.StaleAction:
            action.refresh_from_db()
            form = StatusForm(
                initial={"status": data["status"], "note": data["note"], "seen_revision": action.revision}
            )
            messages.warning(
                request,
                _(
                    "L'action a été modifiée depuis l'affichage de cette page : son état n'a pas changé. "
                    "Votre note est reprise ci-dessous ; vérifiez la fiche, puis enregistrez à nouveau."
                ),
            )
            return _action_page(request, school, action, status_form=form, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'état de l'action est enregistré dans son journal."))
            return redirect("plans:action", school.uai, action.pk)
    return _action_page(request, school, action, status_form=form, status=400)


@require_http_methods(["GET", "POST"])
@school_action("action:delete", can_write_plan, found=_action_found)
def action_delete(request, school, pk):
    action = _action(request, school, pk)
    action.school = school
    plan_url = reverse("plans:detail", args=[school.uai, action.plan_id])
    if request.method == "GET":
        count = action.events.count()
        return confirmation_page(
            request,
            Confirmation(
                title=_("Supprimer l'action « %(title)s »") % {"title": action.title},
                action_label=_("Supprimer l'action"),
                cancel_url=reverse("plans:action", args=[school.uai, action.pk]),
                consequences=[
                    _("L'action sera retirée du plan."),
                    ngettext("Son journal (%(n)d entrée) sera perdu.", "Son journal (%(n)d entrées) sera perdu.", count)
                    % {"n": count},
                    _("Les versions déjà adoptées du plan la gardent telle qu'elle était."),
                ],
                danger=True,
            ),
        )
    services.delete_action(action, by=request.user)
    messages.success(request, _("L'action est supprimée."))
    return redirect(plan_url)


@require_POST
@school_action("action:carry_over", can_write_plan, found=_action_found)
def action_carry_over(request, school, pk):
    """« Reporter » (a new due date and a note) or « Abandonner » (a note), from the plan's page."""
    action = _action(request, school, pk)
    action.school = school
    plan_url = reverse("plans:detail", args=[school.uai, action.plan_id])
    form = CarryOverForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == CarryOverForm.POSTPONE:
                services.postpone_action(
                    action,
                    by=request.user,
                    due_on=data["due_on"],
                    note=data["note"],
                    seen_revision=data["seen_revision"],
                )
                messages.success(request, _("« %(title)s » est reportée.") % {"title": action.title})
            else:
                services.abandon_action(action, by=request.user, note=data["note"], seen_revision=data["seen_revision"])
                messages.success(request, _("« %(title)s » est abandonnée.") % {"title": action.title})
            return redirect(plan_url + "#nouvelle-campagne")
        except ValidationError as exc:
            form.add_error(None, exc)
    errors = [error for errors in form.errors.values() for error in errors]
    messages.error(
        request,
        _("« %(title)s » n'a pas changé : %(errors)s Votre note : %(note)s")
        % {"title": action.title, "errors": " ".join(errors), "note": request.POST.get("note", "")[:2000] or "—"},
    )
    return redirect(plan_url + "#nouvelle-campagne")

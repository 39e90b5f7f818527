"""The school's action plan: its page, its preparation from the self-assessment, its years, its
objectives, its adoption and the versions adopted. One action's pages are in `views_actions`.

Readers of the school read the plan (guard `plan:read`); its writers (`perms.can_write_plan`) change
it (`plan:write`); the direction adopts it (`plan:adopt`). Every write goes through `services`,
which checks its author again.
"""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.formats import day
from pilotis.core.guards import get_or_refuse
from pilotis.core.school_years import current_school_year
from pilotis.plans import services
from pilotis.plans.enums import ActionStatus
from pilotis.plans.forms import AdoptForm, ObjectiveForm, PlanForm, PrepareForm
from pilotis.plans.models import Action, Objective, ObjectiveTarget, Plan, PlanVersion, SuggestedAction
from pilotis.plans.pages import adoption_state, carried_over, current_plan, latest_validated
from pilotis.plans.perms import can_adopt_plan, can_write_plan
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_action, school_view

# Past this many priorities the page says that two or three make a plan that can be carried.
MANY_PRIORITIES = 5


def plan_abilities(user, school) -> dict[str, bool]:
    return {"write": can_write_plan(user, school), "adopt": can_adopt_plan(user, school)}


def _plan(request, school, pk):
    return get_or_refuse(request, Plan.objects.filter(school=school), what="plan", pk=pk)


def _objective(request, school, pk):
    return get_or_refuse(
        request, Objective.objects.filter(plan__school=school).select_related("plan"), what="objective", pk=pk
    )


def _plan_found(request, school, pk, *args, **kwargs):
    _plan(request, school, pk)


def _objective_found(request, school, pk, *args, **kwargs):
    _objective(request, school, pk)


def _plan_page(request, school, plan):
    user = request.user
    abilities = plan_abilities(user, school)
    others = list(Plan.objects.filter(school=school).exclude(pk=plan.pk).order_by("-first_year"))
    objectives = list(
        plan.objectives.prefetch_related(
            Prefetch(
                "targets", queryset=ObjectiveTarget.objects.select_related("indicator").order_by("indicator__code")
            )
        ).order_by("position", "pk")
    )
    actions = list(plan.actions.order_by("position", "pk"))
    by_objective = defaultdict(list)
    for action in actions:
        by_objective[action.objective_id].append(action)
    groups = [(objective, by_objective.get(objective.pk, [])) for objective in objectives]
    loose = by_objective.get(None, [])
    versions = list(plan.versions.order_by("-number"))
    latest = versions[0] if versions else None
    campaign, carry = carried_over(plan, actions, school)
    today = timezone.localdate()
    counts = {
        "done": sum(1 for a in actions if a.status == ActionStatus.DONE),
        "in_progress": sum(1 for a in actions if a.status == ActionStatus.IN_PROGRESS),
        "overdue": sum(1 for a in actions if a.is_overdue),
    }
    context = {
        "school": school,
        "plan": plan,
        "years": services.plan_years(plan),
        "groups": groups,
        "loose": loose,
        "actions": actions,
        "counts": counts,
        "versions": versions,
        "adoption": adoption_state(plan, latest),
        "others": others,
        "abilities": abilities,
        "carry_campaign": campaign,
        "carry": carry,
        "today": today,
    }
    return render(request, "plans/home.html", context)


@require_GET
@school_view("read", guard="plan:read")
def home(request, school):
    plan = current_plan(school)
    if plan is not None:
        return _plan_page(request, school, plan)
    assessment = latest_validated(school)
    context = {
        "school": school,
        "assessment": assessment,
        "abilities": plan_abilities(request.user, school),
    }
    return render(request, "plans/empty.html", context)


@require_GET
@school_view("read", guard="plan:read")
def detail(request, school, pk):
    return _plan_page(request, school, _plan(request, school, pk))


# --- Preparing the plan from the self-assessment ------------------------------------------------


def priority_rows(school, assessment):
    """The indicators not yet Réalisé in the assessment, in the referential's order (domain, level,
    position: Niveau 1 first in each domain), each with its status and the catalogue's suggestions."""
    indicators = list(
        Indicator.objects.filter(version_id=assessment.campaign.referential_id)
        .select_related("domain")
        .order_by("domain__position", "level", "position")
    )
    statuses = dict(Answer.objects.filter(assessment=assessment).values_list("indicator_id", "status"))
    open_ones = [i for i in indicators if statuses.get(i.pk) != AnswerStatus.DONE]
    suggestions = defaultdict(list)
    for suggestion in SuggestedAction.objects.for_academy(school.department.academy_id).filter(
        is_active=True, indicator_code__in=[i.code for i in open_ones]
    ):
        suggestions[suggestion.indicator_code].append(suggestion)
    labels = dict(AnswerStatus.choices)
    return [
        {
            "indicator": indicator,
            "status": labels.get(statuses.get(indicator.pk) or "", _("Sans réponse")),
            "suggestions": suggestions.get(indicator.code, []),
        }
        for indicator in open_ones
    ]


def _domains(rows):
    groups = {}
    for row in rows:
        groups.setdefault(row["indicator"].domain, []).append(row)
    return list(groups.items())


@require_http_methods(["GET", "POST"])
@school_action("plan:write", can_write_plan)
def prepare(request, school):
    assessment = latest_validated(school)
    year = current_school_year()
    plan = Plan.objects.filter(school=school).covering(year).first()
    if assessment is None:
        return render(
            request,
            "plans/empty.html",
            {"school": school, "assessment": None, "abilities": plan_abilities(request.user, school)},
        )
    rows = priority_rows(school, assessment)
    if plan is not None:
        # What the plan already serves is said, so that a priority is not added twice unknowingly.
        served = set(Action.indicators.through.objects.filter(action__plan=plan).values_list("indicator_id", flat=True))
        for row in rows:
            row["in_plan"] = row["indicator"].pk in served
    form = PrepareForm(request.POST or None, rows=rows, new_plan=plan is None, current_year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.prepare_plan(
                school,
                by=request.user,
                assessment=assessment,
                priorities=form.chosen(),
                plan=plan,
                first_year=data.get("first_year", ""),
                duration=data.get("duration", 1),
                title=data.get("title", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = len(form.chosen())
            messages.success(
                request,
                ngettext(
                    "%(n)d action ajoutée au plan : complétez-la (responsable, échéance, moyens).",
                    "%(n)d actions ajoutées au plan : complétez-les (responsables, échéances, moyens).",
                    count,
                )
                % {"n": count},
            )
            if form.indicator_count() > MANY_PRIORITIES:
                messages.warning(
                    request,
                    _(
                        "Vous avez retenu %(n)d priorités. Un plan qui en compte deux ou trois se conduit mieux : "
                        "vous pouvez en supprimer ou les regrouper sous des objectifs."
                    )
                    % {"n": form.indicator_count()},
                )
            return redirect("plans:detail", school.uai, plan.pk)
    chosen = set(form["priorities"].value() or ())
    for row in rows:
        pk = row["indicator"].pk
        keys = [(f"{pk}-{suggestion.pk}", suggestion) for suggestion in row["suggestions"]] + [(f"{pk}-0", None)]
        row["options"] = [(key, suggestion, key in chosen) for key, suggestion in keys]
    context = {
        "school": school,
        "assessment": assessment,
        "plan": plan,
        "form": form,
        "domains": _domains(rows),
        "many": MANY_PRIORITIES,
    }
    return render(request, "plans/prepare.html", context, status=400 if form.is_bound else 200)


# --- The plan's years and title ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_action("plan:write", can_write_plan, found=_plan_found)
def edit(request, school, pk):
    plan = _plan(request, school, pk)
    years = services.plan_years(plan)
    initial = {"title": plan.title, "first_year": plan.first_year, "duration": len(years)}
    form = PlanForm(
        request.POST or None, initial=initial, current_year=current_school_year(), first_year=plan.first_year
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_plan(
                plan, by=request.user, title=data["title"], first_year=data["first_year"], duration=data["duration"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le plan est modifié."))
            return redirect("plans:detail", school.uai, plan.pk)
    return render(
        request,
        "plans/plan_edit.html",
        {"school": school, "plan": plan, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Objectives ----------------------------------------------------------------------------------


def _objective_page(request, school, plan, objective):
    indicators = list(
        Indicator.objects.filter(version_id=plan.referential_id).order_by("domain__position", "level", "position")
    )
    targets = list(objective.targets.select_related("indicator")) if objective else []
    rows = max(3, len(targets) + 2)
    initial = ObjectiveForm.initial_for(objective, targets) if objective else {}
    form = ObjectiveForm(
        request.POST or None, initial=initial, indicators=indicators, years=services.plan_years(plan), rows=rows
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_objective(
                plan,
                by=request.user,
                title=data["title"],
                description=data["description"],
                targets=data["targets"],
                objective=objective,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'objectif est enregistré."))
            return redirect(reverse("plans:detail", args=[school.uai, plan.pk]) + "#objectifs")
    context = {"school": school, "plan": plan, "objective": objective, "form": form}
    return render(request, "plans/objective.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@school_action("plan:write", can_write_plan, found=_plan_found)
def objective_add(request, school, pk):
    return _objective_page(request, school, _plan(request, school, pk), None)


@require_http_methods(["GET", "POST"])
@school_action("plan:write", can_write_plan, found=_objective_found)
def objective_edit(request, school, pk):
    objective = _objective(request, school, pk)
    return _objective_page(request, school, objective.plan, objective)


@require_http_methods(["GET", "POST"])
@school_action("plan:write", can_write_plan, found=_objective_found)
def objective_delete(request, school, pk):
    objective = _objective(request, school, pk)
    plan_url = reverse("plans:detail", args=[school.uai, objective.plan_id])
    if request.method == "GET":
        count = objective.actions.count()
        return confirmation_page(
            request,
            Confirmation(
                title=_("Supprimer l'objectif « %(title)s »") % {"title": objective.title},
                action_label=_("Supprimer l'objectif"),
                cancel_url=plan_url,
                consequences=[
                    _("L'objectif et ses indicateurs visés seront supprimés."),
                    ngettext(
                        "Son action reste dans le plan, « Sans objectif ».",
                        "Ses %(n)d actions restent dans le plan, « Sans objectif ».",
                        count,
                    )
                    % {"n": count},
                ],
                danger=True,
            ),
        )
    services.delete_objective(objective, by=request.user)
    messages.success(request, _("L'objectif est supprimé."))
    return redirect(plan_url)


# --- Adoption and versions -----------------------------------------------------------------------


def _adopt_confirmation(request, school, plan, form):
    plan_url = reverse("plans:detail", args=[school.uai, plan.pk])
    objectives = plan.objectives.count()
    actions = list(plan.actions.order_by("position", "pk"))
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    warnings = []
    for action in actions:
        missing = []
        if not action.responsible_id and not action.responsible_label:
            missing.append(_("sans responsable"))
        if not action.due_on:
            missing.append(_("sans échéance"))
        if missing:
            warnings.append(
                Link(
                    f"{action.title} : {', '.join(missing)}",
                    reverse("plans:action_edit", args=[school.uai, action.pk]),
                )
            )
    if not objectives:
        warnings.insert(
            0, Link(_("Le plan n'a aucun objectif."), reverse("plans:objective_add", args=[school.uai, plan.pk]))
        )
    refusal = ""
    if not actions:
        refusal = _("Le plan n'a encore aucune action : il n'y a rien à adopter.")
    elif plan.adopted_revision == plan.revision:
        refusal = _("Cette version du plan est déjà adoptée ; toute modification en préparera une nouvelle.")
    confirmation = Confirmation(
        title=_("Valider le plan « %(title)s » (version %(number)d)") % {"title": plan.title, "number": number},
        action_label=_("Valider le plan"),
        cancel_url=plan_url,
        consequences=[
            _(
                "Le plan, avec ses %(objectives)s et ses %(actions)s, sera adopté tel qu'il est à cet instant (version %(number)d)."
            )
            % {
                "objectives": ngettext("%(n)d objectif", "%(n)d objectifs", objectives) % {"n": objectives},
                "actions": ngettext("%(n)d action", "%(n)d actions", len(actions)) % {"n": len(actions)},
                "number": number,
            },
            _(
                "Cette version restera lisible telle quelle ; une modification ultérieure du plan en préparera "
                "une nouvelle, à adopter à son tour."
            ),
            _("La validation est enregistrée à votre nom, avec l'instance et sa date."),
        ],
        warnings_title=_("Ce que le plan ne dit pas encore"),
        warnings=warnings,
        refusal=refusal,
    )
    return confirmation_page(
        request,
        confirmation,
        template="plans/adopt.html",
        context={"form": form, "school": school, "plan": plan},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@school_action("plan:adopt", can_adopt_plan, found=_plan_found)
def adopt(request, school, pk):
    plan = _plan(request, school, pk)
    if request.method == "GET":
        form = AdoptForm(initial={"adopted_on": timezone.localdate(), "seen_revision": plan.revision})
        return _adopt_confirmation(request, school, plan, form)
    form = AdoptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.adopt_plan(
                plan,
                by=request.user,
                body=data["body"],
                adopted_on=data["adopted_on"],
                seen_revision=data["seen_revision"],
            )
        except services.StalePlan as exc:
            plan.refresh_from_db()
            form = AdoptForm(initial={**data, "seen_revision": plan.revision})
            form.is_bound = False
            messages.warning(request, " ".join(exc.messages))
            return _adopt_confirmation(request, school, plan, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le plan est validé : version %(number)d.") % {"number": version.number})
            return redirect("plans:detail", school.uai, plan.pk)
    return _adopt_confirmation(request, school, plan, form)


@require_GET
@school_view("read", guard="plan:read")
def versions(request, school, pk):
    plan = _plan(request, school, pk)
    rows = list(plan.versions.order_by("-number"))
    return render(request, "plans/versions.html", {"school": school, "plan": plan, "versions": rows})


@require_GET
@school_view("read", guard="plan:read")
def version(request, school, pk, number):
    plan = _plan(request, school, pk)
    adopted = get_or_refuse(request, PlanVersion.objects.filter(plan=plan), what="plan_version", number=number)
    snapshot = adopted.snapshot
    by_objective = defaultdict(list)
    for action in snapshot.get("actions", []):
        due = action.get("due_on")
        action["due_on_day"] = day(datetime.date.fromisoformat(due)) if due else ""
        by_objective[action.get("objective")].append(action)
    groups = [(objective, by_objective.get(objective["key"], [])) for objective in snapshot.get("objectives", [])]
    context = {
        "school": school,
        "plan": plan,
        "version": adopted,
        "snapshot": snapshot,
        "groups": groups,
        "loose": by_objective.get(None, []),
    }
    return render(request, "plans/version.html", context)

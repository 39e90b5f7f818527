"""The loop's pages: the indicators an action serves, and the one click that passes one of them to
« Réalisé » in the open campaign (`plans.loop`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilotis.core.forms import PilotisForm, RevisionField
from pilotis.core.guards import get_or_refuse
from pilotis.plans import loop
from pilotis.plans.models import Action
from pilotis.territories.guards import school_action, school_view


class ApplyForm(PilotisForm):
    """The answer's revision the page showed (a stale page is refused), and where to come back."""

    seen_revision = RevisionField()
    back = forms.ChoiceField(choices=[("updates", "updates"), ("action", "action")], required=False)


def _action(request, school, pk):
    """The school's action (404 for any other), with its school as the guard read it."""
    action = get_or_refuse(
        request, Action.objects.filter(school=school).select_related("plan__referential"), what="action", pk=pk
    )
    action.school = school
    return action


def _action_found(request, school, pk, code):
    """The action the URL names exists in the school, said before a refusal (404 before 403)."""
    _action(request, school, pk)


@require_GET
@school_view("read", guard="plan:read")
def indicator_updates(request, school, pk):
    """The indicators the action serves, each with its answer in the open campaign and, once the
    action is done, « Passer à Réalisé » for who fills in the self-assessment."""
    action = _action(request, school, pk)
    return render(
        request,
        "plans/loop_indicator_updates.html",
        {
            "school": school,
            "action": action,
            "action_url": loop.action_path(action),
            "plan_url": loop.plan_home_path(school),
            "proposals": loop.proposals(action, request.user),
            "back": "updates",
        },
    )


@require_POST
@school_action("assessment:fill", loop.may_apply, found=_action_found)
def apply_indicator(request, school, pk, code):
    """One click, one indicator: it passes to « Réalisé », its history saying it came from the
    action. A refusal (campaign closed, self-assessment validated, answer changed since the page)
    says why, and nothing is written."""
    action = _action(request, school, pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Demande invalide : rien n’a été enregistré. Rechargez la page."))
    else:
        try:
            loop.apply(action, code, by=request.user, seen_revision=form.cleaned_data["seen_revision"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(code)s est passé à « Réalisé » ; son historique indique qu’il vient de cette action.")
                % {"code": code[:20]},
            )
    if form.is_valid() and form.cleaned_data["back"] == "action":
        return redirect(loop.action_path(action))
    return redirect(reverse("plans:indicator_updates", args=[school.uai, action.pk]))

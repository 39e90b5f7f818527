"""What the plan says beside an indicator and in the synthesis (core.panels registries): the actions
that serve each indicator, and the actions done since the previous campaign. It informs; it never
answers for the school."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.models import Assessment
from pilotis.assessments.services import previous_assessment
from pilotis.core.formats import day
from pilotis.core.panels import IndicatorNote, Panel, indicator_notes, synthesis_panel
from pilotis.core.school_years import current_school_year
from pilotis.plans.enums import ActionStatus
from pilotis.plans.loop import action_path, plan_home_path, plan_page, served_actions, translations
from pilotis.plans.models import Action, Plan
from pilotis.plans.perms import can_read_plan, can_write_plan
from pilotis.referential.cache import domains_of, indicators_of


def action_state(action, today=None) -> str:
    """« En cours, échéance le 15 mars 2027 — en retard », « Réalisée le 3 février 2027 »: the state
    in words, the lateness said in text (never by colour alone)."""
    today = today or timezone.localdate()
    if action.status == ActionStatus.DONE:
        return _("Réalisée le %(day)s") % {"day": day(action.done_on)} if action.done_on else _("Réalisée")
    state = action.get_status_display()
    if action.due_on is None:
        return state
    text = _("%(state)s, échéance le %(day)s") % {"state": state, "day": day(action.due_on)}
    if action.status in ActionStatus.unfinished() and action.due_on < today:
        text += " — " + _("En retard")
    return text


@indicator_notes("plans", order=10)
def actions_serving(request, school, campaign, indicators) -> dict[str, list[IndicatorNote]]:
    """Under each indicator of the self-assessment's page, the actions of the school's plan that
    serve it, each linked to its page."""
    if campaign is None or not can_read_plan(request.user, school):
        return {}
    today = timezone.localdate()
    notes = {}
    for code, actions in served_actions(school, campaign, [i.code for i in indicators]).items():
        notes[code] = [
            IndicatorNote(
                _("Action « %(title)s » du plan d’actions — %(state)s")
                % {"title": action.title, "state": action_state(action, today)},
                links=((_("Voir l’action"), action_path(action)),),
            )
            for action in actions
        ]
    return notes


def done_since(campaign, school) -> tuple[datetime.date | None, str]:
    """Since when the synthesis counts the actions done: the validation of the school's previous
    self-assessment, else its campaign's opening (None: no previous campaign, every action done),
    with the sentence that says so."""
    previous = previous_assessment(campaign, school)
    if previous is None:
        return None, _("Aucun autodiagnostic d’une année précédente : toutes les actions réalisées du plan.")
    if previous.is_validated and previous.validated_at:
        since = timezone.localtime(previous.validated_at).date()
        return since, _("Depuis la validation de l’autodiagnostic %(year)s, le %(day)s.") % {
            "year": previous.campaign.school_year,
            "day": day(since),
        }
    since = previous.campaign.opens_on
    return since, _("Depuis l’ouverture de la campagne %(year)s, le %(day)s.") % {
        "year": previous.campaign.school_year,
        "day": day(since),
    }


@synthesis_panel("plans", order=10)
def actions_done(request, school, campaign) -> Panel | None:
    """« Actions réalisées depuis la campagne précédente », per domain of the campaign's
    referential; and, once the self-assessment is validated and no plan covers the current school
    year, « Préparer le plan d'actions » for who writes the plan. Nothing when the school has no
    plan and nothing to prepare."""
    user = request.user
    if campaign is None or not can_read_plan(user, school):
        return None
    since, since_text = done_since(campaign, school)
    until = timezone.localdate()
    if campaign.is_closed and campaign.closed_at:
        until = min(until, timezone.localtime(campaign.closed_at).date())
    done = Action.objects.filter(school=school, status=ActionStatus.DONE, done_on__lte=until)
    if since is not None:
        done = done.filter(done_on__gte=since)
    done = {a.pk: a for a in done.select_related("plan__referential", "school").order_by("done_on", "pk")}
    for action in done.values():
        action.page_url = action_path(action)
    catalogue = indicators_of(campaign.referential)
    by_domain: dict[int, dict] = {}  # domain pk → {action pk: (action, [codes])}
    placed, cache = set(), {}
    links = Action.indicators.through.objects.filter(action_id__in=done).values_list("action_id", "indicator__code")
    for action_id, code in links.order_by("action__done_on", "action_id", "indicator__code"):
        action = done[action_id]
        rename = translations(action.plan.referential, campaign.referential, cache)
        indicator = catalogue.get(code if rename is None else rename.get(code, ""))
        if indicator is None:
            continue
        row = by_domain.setdefault(indicator.domain_id, {}).setdefault(action_id, (action, []))
        row[1].append(indicator.code)
        placed.add(action_id)
    domains = [(domain, list(by_domain.get(domain.pk, {}).values())) for domain in domains_of(campaign.referential)]
    elsewhere = [action for pk, action in done.items() if pk not in placed]
    assessment = Assessment.objects.filter(campaign=campaign, school=school).only("state").first()
    prepare = ""
    if (
        assessment is not None
        and assessment.is_validated
        and can_write_plan(user, school)
        and not Plan.objects.filter(school=school).covering(current_school_year()).exists()
    ):
        prepare = plan_page("plans:prepare", school)
    if not done and not prepare and not Plan.objects.filter(school=school).exists():
        return None
    return Panel(
        "plans/loop_synthesis_panel.html",
        {
            "domains": domains,
            "elsewhere": elsewhere,
            "count": len(done),
            "since": since,
            "since_text": since_text,
            "prepare_url": prepare,
            "plan_url": plan_home_path(school),
        },
    )

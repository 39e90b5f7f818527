"""The demo's action plans. The Landes collège's plan goes through the services, as its RUPN and its
direction would build it from last year's validated self-assessment: three objectives, eight
actions in every state with their journals, adopted by the conseil d'administration last year. The
other schools that validated last year get seeded plans in bulk (no audit rows), so that the
territory's figures have something to count."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.core.school_years import current_school_year
from pilotis.plans import services
from pilotis.plans.enums import ActionStatus, AdoptingBody, Payer
from pilotis.plans.models import Action, ActionEvent, Objective, ObjectiveTarget, Plan, PlanVersion, SuggestedAction
from pilotis.referential.models import Indicator
from pilotis.steering import plan_tallies

# Titles used when the catalogue of suggestions has nothing for an indicator.
FALLBACK_TITLES = [
    "Réunir la commission numérique chaque trimestre",
    "Former l'équipe aux outils de l'ENT",
    "Rédiger la charte d'usage du numérique avec les élèves",
    "Équiper deux salles de vidéoprojecteurs interactifs",
    "Mettre en place un parcours de formation aux compétences numériques (Pix)",
    "Informer les familles sur l'ENT et les usages responsables",
    "Inventorier le parc informatique avec la collectivité",
    "Ouvrir un espace de mutualisation des ressources pédagogiques",
]


def _at(day: datetime.date, hour=17):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _title(code, suggestions, n):
    """The indicator's next suggestion not used yet (two actions on one indicator are two different
    actions), else a title of our own."""
    offered = suggestions.get(code) or []
    if offered:
        found = offered.pop(0)
        return found.title, found
    return FALLBACK_TITLES[n % len(FALLBACK_TITLES)], None


@transaction.atomic
def load_plans(users, college, stdout) -> None:
    year = current_school_year()
    start = int(year[:4])
    last_year = f"{start - 1}-{start}"
    previous = Campaign.objects.filter(academy_id=college.department.academy_id, school_year=last_year).first()
    if previous is None or Plan.objects.filter(school=college).exists():
        return
    assessment = Assessment.objects.get(campaign=previous, school=college, state=AssessmentState.VALIDATED)
    rupn, direction, teacher = users["rupn"], users["direction"], users.get("enseignant")
    indicators = {i.code: i for i in Indicator.objects.filter(version_id=previous.referential_id)}
    open_codes = [
        code
        for code, status in Answer.objects.filter(assessment=assessment)
        .order_by("indicator__domain__position", "indicator__level", "indicator__position")
        .values_list("indicator__code", "status")
        if status != AnswerStatus.DONE
    ]
    suggestions = {}
    for suggestion in SuggestedAction.objects.for_academy(college.department.academy_id).filter(is_active=True):
        suggestions.setdefault(suggestion.indicator_code, []).append(suggestion)

    plan = services.create_plan(
        college,
        by=rupn,
        first_year=last_year,
        duration=2,
        title=_("Volet numérique du projet d'établissement"),
        assessment=assessment,
    )
    # Three objectives, each on the first open indicators of a domain.
    by_domain = {}
    for code in open_codes:
        by_domain.setdefault(code.split(".")[0], []).append(code)
    objectives = []
    for domain, title in [
        ("PIL", _("Piloter le numérique avec la communauté éducative")),
        ("PED", _("Développer les usages pédagogiques du numérique")),
        ("INF", _("Fiabiliser l'équipement et le réseau")),
    ]:
        codes = by_domain.get(domain, [])[:2] or open_codes[:1]
        objectives.append(
            (
                services.save_objective(
                    plan,
                    by=rupn,
                    title=title,
                    targets=[(indicators[code], AnswerStatus.DONE, year) for code in codes],
                ),
                codes,
            )
        )
    first_day = datetime.date(start - 1, 10, 1)
    people = [rupn, direction, teacher or rupn, None]
    # (objective index, status, days from 1 October last year to the due date, cost, payer)
    rows = [
        (0, ActionStatus.DONE, 60, None, ""),
        (0, ActionStatus.IN_PROGRESS, 400, Decimal("0"), Payer.SCHOOL),
        (0, ActionStatus.TODO, 120, None, ""),
        (1, ActionStatus.DONE, 150, Decimal("1200"), Payer.STATE),
        (1, ActionStatus.IN_PROGRESS, 240, Decimal("350"), Payer.SCHOOL),
        (1, ActionStatus.POSTPONED, 200, Decimal("800"), Payer.OTHER),
        (2, ActionStatus.ABANDONED, 90, Decimal("15000"), Payer.COLLECTIVITY),
        (2, ActionStatus.TODO, 500, Decimal("4800"), Payer.COLLECTIVITY),
    ]
    steps = {
        ActionStatus.DONE: [(ActionStatus.IN_PROGRESS, 20, "Lancée en équipe."), (ActionStatus.DONE, 55, "Terminée.")],
        ActionStatus.IN_PROGRESS: [(ActionStatus.IN_PROGRESS, 30, "Premier point d'étape fait.")],
        ActionStatus.POSTPONED: [
            (ActionStatus.IN_PROGRESS, 40, "Devis demandé."),
            (ActionStatus.POSTPONED, 150, "Reportée : le budget sera voté l'an prochain."),
        ],
        ActionStatus.ABANDONED: [
            (ActionStatus.ABANDONED, 80, "Abandonnée : la collectivité équipe la salle elle-même.")
        ],
        ActionStatus.TODO: [],
    }
    for n, (objective_index, status, due_in, cost, payer) in enumerate(rows):
        objective, codes = objectives[objective_index]
        code = codes[n % len(codes)] if codes else None
        title, suggestion = _title(code, suggestions, n)
        person = people[n % len(people)]
        action = services.create_action(
            plan,
            by=rupn,
            title=title,
            indicators=[indicators[code]] if code else [],
            note=_("Action retenue à partir de l'autodiagnostic."),
            objective=objective,
            responsible=person,
            responsible_label="" if person else _("gestionnaire"),
            starts_on=first_day,
            due_on=first_day + datetime.timedelta(days=due_in),
            cost=cost,
            payer=payer,
            means=suggestion.means if suggestion else _("Temps de concertation et ressources de la DANE."),
            success_criteria=suggestion.success_criteria
            if suggestion
            else _("Un bilan présenté en conseil pédagogique."),
            suggestion=suggestion,
            position=n + 1,
        )
        if teacher and n % 3 == 0:
            action.contributors.set([teacher])
        moments = [first_day - datetime.timedelta(days=10)]
        for after, days, note in steps[status]:
            if after != action.status:
                action = services.change_status(action, by=person or rupn, status=after, note=note)
            moments.append(first_day + datetime.timedelta(days=days))
        # The journal and the dates say last year, as they happened.
        for event, day in zip(action.events.order_by("pk"), moments, strict=False):
            ActionEvent.objects.filter(pk=event.pk).update(at=_at(day))
        Action.objects.filter(pk=action.pk).update(
            created_at=_at(moments[0]),
            updated_at=_at(moments[-1]),
            done_on=moments[-1] if status == ActionStatus.DONE else None,
        )
    plan.refresh_from_db()
    services.adopt_plan(
        plan,
        by=direction,
        body=AdoptingBody.BOARD,
        adopted_on=datetime.date(start - 1, 11, 20),
        seen_revision=plan.revision,
    )
    moment = _at(datetime.date(start - 1, 11, 20))
    PlanVersion.objects.filter(plan=plan).update(adopted_at=moment)
    Plan.objects.filter(pk=plan.pk).update(created_at=_at(first_day - datetime.timedelta(days=10)), updated_at=moment)
    stdout.write(_("  Plan d'actions du collège : %(year)s, adopté, 8 actions") % {"year": last_year})
    count = seed_plans(previous, exclude=[college.pk], by_year=year)
    plan_tallies.rebuild()  # the seeded plans are bulk-written: no service moved the counters
    stdout.write(_("  Plans d'actions : %(count)d autres établissements") % {"count": count})


def seed_plans(campaign, *, exclude=(), by_year, seed=5) -> int:
    """Plans for the schools that validated `campaign`: three objectives and eight actions each, their
    statuses spread deterministically, two in three adopted. Bulk writes: no audit, no services."""
    rng = random.Random(seed)
    start = int(campaign.school_year[:4])
    today = timezone.localdate()
    assessments = list(
        Assessment.objects.filter(campaign=campaign, state=AssessmentState.VALIDATED)
        .exclude(school_id__in=exclude)
        .exclude(school_id__in=Plan.objects.values("school_id"))
        .order_by("school_id")
        .values_list("pk", "school_id")
    )
    if not assessments:
        return 0
    open_by_assessment = {}
    for assessment_id, indicator_id in (
        Answer.objects.filter(assessment__campaign=campaign, assessment_id__in=[a for a, _s in assessments])
        .exclude(status=AnswerStatus.DONE)
        .order_by("assessment_id", "indicator__domain__position", "indicator__level", "indicator__position")
        .values_list("assessment_id", "indicator_id")
    ):
        open_by_assessment.setdefault(assessment_id, []).append(indicator_id)
    fallback = list(
        Indicator.objects.filter(version_id=campaign.referential_id)
        .order_by("level", "pk")
        .values_list("pk", flat=True)
    )
    created = timezone.make_aware(datetime.datetime(start, 10, 1, 12))
    plans = Plan.objects.bulk_create(
        Plan(
            school_id=school_id,
            referential_id=campaign.referential_id,
            campaign=campaign,
            title=_("Plan d'actions numérique"),
            first_year=campaign.school_year,
            last_year=by_year,
            revision=1,
            adopted_revision=1 if n % 3 else None,
            created_at=created,
            updated_at=created,
        )
        for n, (_a, school_id) in enumerate(assessments)
    )
    PlanVersion.objects.bulk_create(
        PlanVersion(
            plan=plan,
            number=1,
            plan_revision=1,
            body=AdoptingBody.BOARD if n % 2 else AdoptingBody.PEDAGOGICAL_COUNCIL,
            adopted_on=datetime.date(start, 11, 15),
            adopted_by_label=_("Direction"),
            adopted_at=created,
            snapshot={"title": plan.title, "first_year": plan.first_year, "last_year": plan.last_year},
        )
        for n, plan in enumerate(plans)
        if plan.adopted_revision
    )
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, title=title, position=k + 1)
        for plan in plans
        for k, title in enumerate(
            [_("Piloter le numérique"), _("Développer les usages pédagogiques"), _("Améliorer l'équipement")]
        )
    )
    objectives_of = {}
    for objective in objectives:
        objectives_of.setdefault(objective.plan_id, []).append(objective)
    statuses = [
        ActionStatus.DONE,
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
        ActionStatus.IN_PROGRESS,
        ActionStatus.TODO,
        ActionStatus.TODO,
        ActionStatus.POSTPONED,
        ActionStatus.ABANDONED,
    ]
    actions, chosen, targets = [], [], []
    for plan, (assessment_id, _school) in zip(plans, assessments, strict=True):
        pool = open_by_assessment.get(assessment_id) or fallback
        picks = pool[: 4 + rng.randrange(4)] or fallback[:4]
        for k, objective in enumerate(objectives_of[plan.pk]):
            targets.append(ObjectiveTarget(objective=objective, indicator_id=picks[k % len(picks)], by_year=by_year))
        offset = rng.randrange(len(statuses))
        for k in range(8):
            status = statuses[(k + offset) % len(statuses)]
            due = datetime.date(start, 10, 1) + datetime.timedelta(days=60 + 45 * k + rng.randrange(30))
            actions.append(
                Action(
                    plan=plan,
                    school_id=plan.school_id,
                    objective=objectives_of[plan.pk][k % 3],
                    title=FALLBACK_TITLES[(k + offset) % len(FALLBACK_TITLES)],
                    responsible_label=_("RUPN") if k % 2 else _("Direction"),
                    starts_on=datetime.date(start, 10, 1),
                    due_on=due,
                    status=status,
                    done_on=min(due, today) if status == ActionStatus.DONE else None,
                    cost=Decimal(rng.choice([0, 150, 600, 2400])),
                    payer=rng.choice(list(Payer.values)),
                    position=k + 1,
                    created_at=created,
                    updated_at=created,
                )
            )
            chosen.append(picks[k % len(picks)])
    ObjectiveTarget.objects.bulk_create(targets, ignore_conflicts=True)
    actions = Action.objects.bulk_create(actions, batch_size=2000)
    Action.indicators.through.objects.bulk_create(
        (
            Action.indicators.through(action_id=action.pk, indicator_id=indicator_id)
            for action, indicator_id in zip(actions, chosen, strict=True)
        ),
        batch_size=2000,
    )
    ActionEvent.objects.bulk_create(
        (ActionEvent(action=action, at=created, by_label=_("RUPN"), status_after=action.status) for action in actions),
        batch_size=2000,
    )
    return len(plans)

"""The loop from the plan back to the self-assessment, never silent.

When an action becomes « Réalisée », Pilotis proposes to pass each indicator it serves to « Réalisé »
in the school's open campaign: one click each (`apply`), which goes through the self-assessment's
one save path (`assessments.services.save_answer`) with the action named as the change's source,
so that the indicator's history says where it came from. Nothing changes an answer by itself.

An action's indicators are those of its plan's referential; the campaign may run on a later
version, whose code map (`assessments.services.code_translation`) carries each code over.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from pilotis.assessments import services as assessment_services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.assessments.perms import can_fill
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action
from pilotis.plans.perms import can_read_plan
from pilotis.referential.cache import indicators_of


def may_apply(user, school) -> bool:
    """Who fills in the self-assessment (the RUPN and the direction, `assessments.perms.can_fill`)
    and reads the plan updates an indicator from an action; the team member named responsible, who
    marked the action done, sees the proposals and asks them."""
    return can_fill(user, school) and can_read_plan(user, school)


def plan_page(name: str, school, *args) -> str:
    """A page of the plan by its URL name; the plan's home path while that page is not there."""
    try:
        return reverse(name, args=[school.uai, *args])
    except NoReverseMatch:
        return f"/etablissements/{school.uai}/plan/"


def plan_home_path(school) -> str:
    return plan_page("plans:home", school)


def action_path(action) -> str:
    """The action's page (the plan's home while it is not there)."""
    return plan_page("plans:action", action.school, action.pk)


def source_of(action) -> str:
    """Where the indicator's change came from, as its history says it: « depuis l'action « … » du
    plan d'actions »."""
    return _("l’action « %(title)s » du plan d’actions") % {"title": Truncator(action.title).chars(200)}


def translations(plan_referential, campaign_referential, cache: dict | None = None) -> dict[str, str] | None:
    """Plan code → campaign code, or None when both are one version (codes are the same). `cache`
    keeps one translation per version for a page that reads several plans."""
    if plan_referential.pk == campaign_referential.pk:
        return None
    if cache is not None and plan_referential.pk in cache:
        return cache[plan_referential.pk]
    result = assessment_services.code_translation(plan_referential, campaign_referential)
    if cache is not None:
        cache[plan_referential.pk] = result
    return result


@dataclass
class Proposal:
    """One indicator the action serves, as it stands in the open campaign."""

    served_code: str  # its code in the plan's referential
    indicator: object  # the campaign's indicator; None when its referential no longer has it
    status: str = ""
    comment: str = ""
    revision: int = 0

    @property
    def code(self) -> str:
        return self.indicator.code if self.indicator is not None else self.served_code

    @property
    def is_done(self) -> bool:
        return self.status == AnswerStatus.DONE

    @property
    def status_label(self) -> str:
        return AnswerStatus(self.status).label if self.status else _("Pas encore de réponse")

    @property
    def renamed(self) -> bool:
        return self.indicator is not None and self.indicator.code != self.served_code


class Proposals(list):
    """The proposals for one action (`Proposal`s), with what the block says around them: the
    campaign, why no answer may change (`refusal`), and whether this user may apply them."""

    def __init__(self, items=(), *, action, campaign=None, refusal="", can_apply=False):
        super().__init__(items)
        self.action = action
        self.campaign = campaign
        self.refusal = refusal
        self.can_apply = can_apply

    @property
    def shown(self) -> bool:
        """Whether the block is shown at all: once the action is done."""
        return self.action.status == ActionStatus.DONE

    @property
    def to_apply(self) -> list[Proposal]:
        return [p for p in self if p.indicator is not None and not p.is_done]


def open_campaign_of(school) -> tuple[Campaign | None, Assessment | None, str]:
    """The school's current campaign, its assessment, and why its answers may not change ("" if
    they may): no campaign this year, a closed campaign, a validated self-assessment."""
    campaign = Campaign.objects.select_related("referential").current_for(school.department.academy_id)
    if campaign is None:
        return (
            None,
            None,
            _("Aucune campagne SCHÉMATIC n’est ouverte cette année : il n’y a pas d’indicateur à mettre à jour."),
        )
    if not campaign.is_open:
        return (
            campaign,
            None,
            _("La campagne SCHÉMATIC %(year)s est close : ses réponses ne peuvent plus changer.")
            % {"year": campaign.school_year},
        )
    assessment = Assessment.objects.filter(campaign=campaign, school=school).first()
    if assessment is not None and assessment.is_validated:
        return (
            campaign,
            assessment,
            _(
                "L’autodiagnostic %(year)s est validé : ses réponses ne changent plus. Pour y reporter "
                "cette action, la direction doit d’abord le rouvrir (« Rouvrir » sur son accueil)."
            )
            % {"year": campaign.school_year},
        )
    return campaign, assessment, ""


def _items(action, campaign, assessment) -> list[Proposal]:
    """The action's indicators in the campaign's referential, each with its current answer."""
    served = list(action.indicators.order_by("domain__position", "level", "position").values_list("code", flat=True))
    rename = translations(action.plan.referential, campaign.referential)
    catalogue = indicators_of(campaign.referential)
    items = []
    for code in served:
        target = code if rename is None else rename.get(code)
        items.append(Proposal(served_code=code, indicator=catalogue.get(target) if target else None))
    if assessment is not None:
        wanted = [p.indicator.pk for p in items if p.indicator is not None]
        answers = {
            row[0]: row[1:]
            for row in Answer.objects.filter(assessment=assessment, indicator_id__in=wanted).values_list(
                "indicator_id", "status", "comment", "revision"
            )
        }
        for proposal in items:
            if proposal.indicator is not None and proposal.indicator.pk in answers:
                proposal.status, proposal.comment, proposal.revision = answers[proposal.indicator.pk]
    return items


def proposals(action, user) -> Proposals:
    """What the action's page proposes once the action is « Réalisée »: each indicator it serves,
    its answer in the open campaign and, for who fills in the self-assessment, one button each. An
    action not done proposes nothing; a closed campaign or a validated self-assessment, nothing,
    with the reason."""
    school = action.school
    if action.status != ActionStatus.DONE or not can_read_plan(user, school):
        return Proposals(action=action)
    campaign, assessment, refusal = open_campaign_of(school)
    if refusal:
        return Proposals(action=action, campaign=campaign, refusal=refusal)
    return Proposals(
        _items(action, campaign, assessment), action=action, campaign=campaign, can_apply=may_apply(user, school)
    )


class StaleAnswer(ValidationError):
    """The answer changed since the page showed it: nothing was written."""


def apply(action, code, *, by, seen_revision: int) -> assessment_services.SaveResult:
    """One click: the indicator `code` (of the campaign's referential), which the action serves,
    passes to « Réalisé » in the school's open campaign, its comment kept as it is, its history
    saying the change came from the action. `seen_revision`: the answer's revision the page showed;
    if it moved since, nothing is written (`StaleAnswer`). Refused, with the reason and nothing
    written, when the action is not done, the campaign closed or the self-assessment validated."""
    school = action.school
    if not may_apply(by, school):
        raise PermissionDenied
    if action.status != ActionStatus.DONE:
        raise ValidationError(
            _(
                "L’action n’est pas réalisée : les indicateurs qu’elle sert ne sont mis à jour qu’une fois l’action réalisée."
            )
        )
    campaign, assessment, refusal = open_campaign_of(school)
    if refusal:
        raise ValidationError(refusal)
    proposal = next((p for p in _items(action, campaign, assessment) if p.indicator and p.code == code), None)
    if proposal is None:
        raise ValidationError(
            _("L’indicateur %(code)s n’est pas servi par cette action dans l’autodiagnostic %(year)s.")
            % {"code": code[:20], "year": campaign.school_year}
        )
    stale = StaleAnswer(
        _(
            "La réponse à %(code)s a changé depuis l’affichage de cette page : rien n’a été enregistré. "
            "Voici la réponse actuelle ; passez-la à « Réalisé » si c’est toujours juste."
        )
        % {"code": proposal.code}
    )
    if seen_revision != proposal.revision:
        raise stale
    if proposal.is_done:
        raise ValidationError(_("%(code)s est déjà « Réalisé » : rien à changer.") % {"code": proposal.code})
    with transaction.atomic():
        result = assessment_services.save_answer(
            campaign,
            school,
            proposal.indicator,
            status=AnswerStatus.DONE,
            comment=proposal.comment,
            by=by,
            seen_revision=seen_revision,
            source=source_of(action),
        )
        # Checked again under the save's lock: a save that came in between rolls this one back.
        if result.overwrote_newer:
            raise stale
        audit.record(
            AuditAction.ANSWER_FROM_ACTION,
            actor=by,
            obj=result.answer,
            before={"indicator": proposal.code, "status": proposal.status},
            after={
                "indicator": proposal.code,
                "status": AnswerStatus.DONE.value,
                "action": action.pk,
                "action_title": action.title[:200],
                "campaign": campaign.school_year,
            },
        )
    return result


def served_actions(school, campaign, codes) -> dict[str, list[Action]]:
    """Campaign code → the actions of the school's plans covering the campaign's year that serve it
    (abandoned ones left out), in the plan's order. Three queries, whatever the number of actions
    (one more per other referential version a plan is on)."""
    year = campaign.school_year
    actions = {
        action.pk: action
        for action in Action.objects.filter(school=school, plan__first_year__lte=year, plan__last_year__gte=year)
        .exclude(status=ActionStatus.ABANDONED)
        .select_related("plan__referential", "school")
    }
    if not actions:
        return {}
    links = (
        Action.indicators.through.objects.filter(action_id__in=actions)
        .order_by("action__plan_id", "action__position", "action_id")
        .values_list("action_id", "indicator__code")
    )
    wanted, cache, found = set(codes), {}, {}
    for action_id, code in links:
        action = actions[action_id]
        rename = translations(action.plan.referential, campaign.referential, cache)
        target = code if rename is None else rename.get(code)
        if target in wanted:
            found.setdefault(target, []).append(action)
    return found

"""The self-assessment's block on the school's page (core.panels): where the year's SCHÉMATIC
stands and what this user can do next."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.assessments.models import Assessment, Campaign
from pilotis.assessments.perms import assessment_abilities, audience
from pilotis.assessments.services import changed_since_ready
from pilotis.core.panels import Panel, school_panel
from pilotis.referential.cache import domains_of, indicators_of


@school_panel("assessments", order=10)
def schematic(request, school) -> Panel:
    # The current campaign, else the latest that has opened: what the school is working on or last
    # did. A campaign scheduled for later is nobody's yet.
    campaign = (
        Campaign.objects.filter(academy_id=school.department.academy_id).started().select_related("referential").first()
    )
    if campaign is None:
        return Panel("assessments/panel.html", {"campaign": None})
    assessment = Assessment.objects.filter(campaign=campaign, school=school).first()
    abilities = assessment_abilities(request.user, school, campaign, assessment)
    indicators = indicators_of(campaign.referential)
    total = len(indicators)
    answered = assessment.answered_count if assessment else 0
    levels = assessment.domain_levels if assessment else {}
    who = audience(request.user, school)
    return Panel(
        "assessments/panel.html",
        {
            "campaign": campaign,
            "assessment": assessment,
            "answered": answered,
            "total": total,
            "top_level": max((i.level for i in indicators.values()), default=0),
            "levels": [(domain, levels.get(domain.code, 0)) for domain in domains_of(campaign.referential)],
            "next_step": _next_step(who, campaign, assessment, answered, total),
            "changed_since_ready": changed_since_ready(assessment),
            "audience": who,
            "abilities": abilities,
        },
    )


def _next_step(who, campaign, assessment, answered, total) -> str:
    """The next step, written for who reads it: the direction validates, the RUPN fills in and
    tells the direction, a member of the team and the territory read."""
    if assessment is not None and assessment.is_validated:
        return ""
    if not campaign.is_open:
        return _("La campagne est close sans que l’autodiagnostic ait été validé.")
    missing = total - answered
    if who == "direction":
        if not answered:
            return _("L’autodiagnostic de l’année n’est pas commencé : ouvrez-le pour le renseigner avec le RUPN.")
        if not missing:
            return _("Tous les indicateurs sont renseignés : vous pouvez valider l’autodiagnostic.")
        return ngettext(
            "%(n)d indicateur reste sans réponse : faites-le renseigner, puis validez l’autodiagnostic.",
            "%(n)d indicateurs restent sans réponse : faites-les renseigner, puis validez l’autodiagnostic.",
            missing,
        ) % {"n": missing}
    if who == "filler":
        if not answered:
            return _("L’autodiagnostic de l’année n’est pas commencé : ouvrez-le pour le renseigner.")
        if assessment.ready_at:
            return _("Vous avez signalé à la direction que l’autodiagnostic est prêt : elle le validera.")
        if not missing:
            return _("Tous les indicateurs sont renseignés : signalez à la direction qu’il est prêt à valider.")
        return _("Renseignez les indicateurs restants, puis signalez à la direction que l’autodiagnostic est prêt.")
    if who == "member":
        return (
            _("L’équipe renseigne les indicateurs ; la direction validera ensuite.")
            if answered
            else _("L’autodiagnostic de l’année n’est pas encore commencé.")
        )
    return (
        _("L’établissement renseigne son autodiagnostic ; sa direction le validera.")
        if answered
        else _("L’établissement n’a pas encore commencé son autodiagnostic.")
    )

"""The self-assessment's block on the school's page (core.panels): where the year's SCHÉMATIC
stands and what this user can do next."""

from django.utils.translation import gettext as _

from pilotis.assessments.models import Assessment, Campaign
from pilotis.assessments.perms import assessment_abilities
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
    if assessment is not None and assessment.is_validated:
        next_step = ""
    elif abilities["validate"] and answered == total:
        next_step = _("Tous les indicateurs sont renseignés : la direction peut valider l’autodiagnostic.")
    elif abilities["fill"]:
        next_step = (
            _("L’équipe renseigne les indicateurs ; la direction validera ensuite.")
            if answered
            else _("L’autodiagnostic de l’année n’est pas commencé : ouvrez-le pour le renseigner.")
        )
    else:
        next_step = ""
    return Panel(
        "assessments/panel.html",
        {
            "campaign": campaign,
            "assessment": assessment,
            "answered": answered,
            "total": total,
            "top_level": max((i.level for i in indicators.values()), default=0),
            "levels": [(domain, levels.get(domain.code, 0)) for domain in domains_of(campaign.referential)],
            "next_step": next_step,
            "abilities": abilities,
        },
    )

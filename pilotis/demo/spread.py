"""Plausible answers for the demo académie's other schools, so that the dashboards have figures to
show. Seeded, so every `make demo` gives the same académie; written in bulk (hundreds of schools)
and then counted once by `tallies.rebuild`, as a bulk load must be."""

import random

from django.db import transaction
from django.utils import timezone

from pilotis.assessments import tallies
from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.assessments.levels import level_reached
from pilotis.assessments.models import Answer, Assessment
from pilotis.referential.models import Indicator

DONE, IN_PROGRESS, NOT_DONE = AnswerStatus.DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.NOT_DONE
# How far each domain tends to be: infrastructure ahead, training behind (as the DANE reports).
DOMAIN_BIAS = {"PIL": 0.2, "PED": -0.1, "FOR": -0.4, "RES": 0.0, "INF": 0.4}


def _status(rng, indicator_level, target):
    if indicator_level <= target:
        return DONE if rng.random() < 0.97 else IN_PROGRESS
    if indicator_level == target + 1:
        return rng.choices([DONE, IN_PROGRESS, NOT_DONE, ""], [0.35, 0.35, 0.25, 0.05])[0]
    return rng.choices([DONE, IN_PROGRESS, NOT_DONE, ""], [0.1, 0.25, 0.5, 0.15])[0]


@transaction.atomic
def fill_campaign(campaign, schools, *, seed, maturity, started, validated, progress, by=None) -> int:
    """Answers for a share of `schools`: `started` of them answer, `validated` of those answer
    everything and are validated, the others answer `progress` of the indicators. `maturity` is
    the mean level aimed at. Returns how many schools answered."""
    rng = random.Random(seed)
    indicators = list(Indicator.objects.filter(version=campaign.referential).select_related("domain"))
    by_domain = {}
    for indicator in indicators:
        by_domain.setdefault(indicator.domain.code, {})[indicator.code] = indicator.level
    now = timezone.now()
    answered = 0
    for school in schools:
        if rng.random() >= started:
            continue
        is_validated = rng.random() < validated
        share = 1 if is_validated else progress
        school_maturity = rng.gauss(maturity, 0.8)
        statuses = {}
        for indicator in indicators:
            if rng.random() > share:
                continue
            target = round(school_maturity + DOMAIN_BIAS.get(indicator.domain.code, 0) + rng.gauss(0, 0.4))
            statuses[indicator] = _status(rng, indicator.level, max(0, min(3, target)))
        codes = {i.code: s for i, s in statuses.items()}
        assessment = Assessment.objects.create(
            campaign=campaign,
            school=school,
            state=AssessmentState.VALIDATED if is_validated else AssessmentState.DRAFT,
            validated_by_label="Direction de l'établissement" if is_validated else "",
            validated_at=now if is_validated else None,
            last_activity_at=now,
            domain_levels={code: level_reached(levels, codes) for code, levels in by_domain.items()},
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, indicator=i, status=s, revision=1, updated_by=by, updated_at=now)
            for i, s in statuses.items()
        )
        answered += 1
    tallies.rebuild(campaign)  # also sets every assessment's answered_count
    return answered

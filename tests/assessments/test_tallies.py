"""The stored counters of the dashboards agree with a recount from the raw answers."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotis.assessments import services, tallies
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.levels import level_reached
from pilotis.assessments.models import Answer, Assessment, CampaignTally, IndicatorTally, LevelTally
from pilotis.referential.models import Indicator
from pilotis.territories.models import School
from pilotis.territories.signals import schools_regrouped

STATUSES = ["", *AnswerStatus.values]

# One step: (school index, indicator index, status) for a save; ("validate"|"reopen", school
# index); ("close_or_open", school index): the annuaire closes the school, or opens it again.
save_step = st.tuples(st.integers(0, 1), st.integers(0, 11), st.sampled_from(STATUSES))
state_step = st.tuples(st.sampled_from(["validate", "reopen", "close_or_open"]), st.integers(0, 1))


def _toggle_open(school) -> None:
    """What the annuaire import does to a school it finds closed (or open again)."""
    school.is_open = not school.is_open
    School.objects.filter(pk=school.pk).update(is_open=school.is_open)
    schools_regrouped.send(sender=School, school_ids=[school.pk])


def _levels_from_answers(assessment) -> dict[str, int]:
    """Each domain's level recomputed from the stored answers (DESIGN.md's rule)."""
    indicators = Indicator.objects.filter(version=assessment.campaign.referential).select_related("domain")
    statuses = dict(Answer.objects.filter(assessment=assessment).values_list("indicator__code", "status"))
    levels = {}
    for domain in {i.domain.code for i in indicators}:
        of_domain = {i.code: i.level for i in indicators if i.domain.code == domain}
        levels[domain] = level_reached(of_domain, statuses)
    return levels


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.one_of(save_step, state_step), max_size=40))
def test_counters_follow_any_sequence_of_saves(world, campaign, steps):
    schools = [world.school_a, world.school_b]
    # Level-1 and level-2 indicators of two domains, so that levels move too.
    indicators = list(
        Indicator.objects.filter(version=campaign.referential, domain__code__in=["PIL", "FOR"], level__lte=2)
        .select_related("domain")
        .order_by("domain__code", "level", "position")[:12]
    )
    for step in steps:
        if step[0] == "close_or_open":
            _toggle_open(schools[step[1]])
            continue
        if step[0] in ("validate", "reopen"):
            assessment = Assessment.objects.filter(campaign=campaign, school=schools[step[1]]).first()
            if assessment is None:
                continue
            try:
                if step[0] == "validate":
                    services.validate_assessment(assessment, by=world.chef_a)
                else:
                    services.reopen_assessment(assessment, by=world.chef_a)
            except ValidationError:
                pass  # validating twice, reopening a draft: refused, counters untouched
            continue
        school, indicator, status = schools[step[0]], indicators[step[1]], step[2]
        with contextlib.suppress(services.AssessmentClosed):  # validated meanwhile: refused, nothing counted
            services.save_answer(campaign, school, indicator, status=status, comment="", by=world.rupn_a)
    assert tallies.stored(campaign) == tallies.compute(campaign)
    # The counters are built on each assessment's stored levels: those must be the answers' own.
    for assessment in Assessment.objects.filter(campaign=campaign).select_related("campaign__referential"):
        stored = {code: level for code, level in assessment.domain_levels.items() if level}
        recomputed = {code: level for code, level in _levels_from_answers(assessment).items() if level}
        assert stored == recomputed


def test_counters_of_a_school_that_starts_then_clears_its_answers(world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    row = CampaignTally.objects.get(campaign=campaign, department=world.landes)
    assert (row.started, row.validated) == (1, 0)
    counts = IndicatorTally.objects.get(campaign=campaign, department=world.landes, indicator=indicator)
    assert (counts.done, counts.in_progress, counts.not_done) == (1, 0, 0)
    # One level-1 indicator done is not level 1: the school is at level 0 in every domain.
    assert LevelTally.objects.filter(campaign=campaign, department=world.landes, level=0, schools=1).count() == 5

    services.save_answer(campaign, world.school_a, indicator, status="", comment="", by=world.rupn_a)
    row.refresh_from_db()
    assert row.started == 0
    assert not LevelTally.objects.filter(campaign=campaign, schools__gt=0).exists()
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_rebuild_restores_counters_that_went_wrong(world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    services.save_answer(campaign, world.school_b, indicator, status=AnswerStatus.NOT_DONE, comment="", by=world.rupn_b)
    expected = tallies.compute(campaign)
    IndicatorTally.objects.filter(campaign=campaign).update(done=42)
    Assessment.objects.filter(campaign=campaign).update(answered_count=0)
    assert tallies.stored(campaign) != expected

    tallies.rebuild(campaign)

    assert tallies.stored(campaign) == expected
    assert set(Assessment.objects.filter(campaign=campaign).values_list("answered_count", flat=True)) == {1}


def test_rebuild_command(world, campaign, indicator):
    from io import StringIO

    from django.core.management import call_command

    services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    IndicatorTally.objects.all().delete()
    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "1 autodiagnostics commencés" in out.getvalue()
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_a_level_move_after_a_rebuild_that_left_level_rows_out(world, campaign):
    """`rebuild` writes only the level rows it counts: the next move of a school from one level to
    another finds one of its two rows missing, and must neither lose nor double a count."""
    pil_1 = list(
        Indicator.objects.filter(version=campaign.referential, domain__code="PIL", level=1).select_related("domain")
    )
    for indicator in pil_1[:-1]:
        services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    last = pil_1[-1]  # answered too, so that its own counter row survives the rebuild
    services.save_answer(campaign, world.school_a, last, status=AnswerStatus.IN_PROGRESS, comment="", by=world.rupn_a)
    tallies.rebuild(campaign)  # the school at level 0 in PIL: no row for level 1
    assert not LevelTally.objects.filter(campaign=campaign, domain=pil_1[0].domain, level=1).exists()
    services.save_answer(campaign, world.school_a, last, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    assert Assessment.objects.get().domain_levels["PIL"] == 1
    assert tallies.stored(campaign) == tallies.compute(campaign)
    services.save_answer(campaign, world.school_a, last, status=AnswerStatus.NOT_DONE, comment="", by=world.rupn_a)
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_a_closed_school_leaves_the_figures_and_comes_back_when_reopened(world, campaign, indicator):
    """The dashboards' totals are the territory's open schools: a school closed by the annuaire
    after it started must leave the counters, or a tile would count a school no list shows."""
    services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    assert CampaignTally.objects.get(campaign=campaign, department=world.landes).started == 1

    _toggle_open(world.school_a)
    assert tallies.stored(campaign) == tallies.compute(campaign)
    assert not CampaignTally.objects.filter(campaign=campaign, department=world.landes, started__gt=0).exists()
    assert not IndicatorTally.objects.filter(campaign=campaign, done__gt=0).exists()
    # A save on the closed school's page is kept (it is still the school's work) but not counted.
    other = Indicator.objects.filter(version=campaign.referential).exclude(pk=indicator.pk).first()
    services.save_answer(campaign, world.school_a, other, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    assert tallies.stored(campaign) == tallies.compute(campaign)
    assert not IndicatorTally.objects.filter(campaign=campaign, done__gt=0).exists()

    _toggle_open(world.school_a)
    assert tallies.stored(campaign) == tallies.compute(campaign)
    assert CampaignTally.objects.get(campaign=campaign, department=world.landes).started == 1
    assert set(IndicatorTally.objects.filter(campaign=campaign, done=1).values_list("indicator", flat=True)) == {
        indicator.pk,
        other.pk,
    }

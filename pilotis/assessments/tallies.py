"""The territory's figures of a campaign, kept per département as the answers change.

The dashboards of the DANE and the correspondents must not count answers at request time (60,000
schools × 81 indicators): the services of this app call `answer_changed` and `validation_changed`
inside their transaction, which move a few counters with `UPDATE … SET n = n + 1`. Those updates
are atomic on every database, so concurrent saves in one département cannot lose a count.

Only open schools are counted: the dashboards compare the figures with the territory's open
schools, so a closed school's assessment (still readable on its own page) leaves them, and
closing or reopening a school recounts its campaigns like a move of département does.

`compute` recomputes the same figures from the raw answers, `rebuild` replaces the stored ones
with them (after a bulk load, or should a school move, close or reopen), and the tests check
after random sequences of saves that the two agree.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.assessments.models import Answer, Assessment, Campaign, CampaignTally, IndicatorTally, LevelTally
from pilotis.core import sql
from pilotis.referential.models import Domain, Indicator

STATUS_FIELDS = {
    AnswerStatus.DONE: "done",
    AnswerStatus.IN_PROGRESS: "in_progress",
    AnswerStatus.NOT_DONE: "not_done",
}


def _ensure_rows(campaign_id: int, department_id: int) -> None:
    """Creates the département's zeroed counters for the campaign (idempotent, race-safe)."""
    referential_id = Campaign.objects.values_list("referential_id", flat=True).get(pk=campaign_id)
    CampaignTally.objects.bulk_create(
        [CampaignTally(campaign_id=campaign_id, department_id=department_id)], ignore_conflicts=True
    )
    IndicatorTally.objects.bulk_create(
        [
            IndicatorTally(campaign_id=campaign_id, department_id=department_id, indicator_id=pk)
            for pk in Indicator.objects.filter(version_id=referential_id).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    top = max(Indicator.objects.filter(version_id=referential_id).values_list("level", flat=True), default=0)
    LevelTally.objects.bulk_create(
        [
            LevelTally(campaign_id=campaign_id, department_id=department_id, domain_id=pk, level=level)
            for pk in Domain.objects.filter(version_id=referential_id).values_list("pk", flat=True)
            for level in range(top + 1)
        ],
        ignore_conflicts=True,
    )


def _bump(model, campaign_id: int, department_id: int, deltas: Mapping[str, int], **key) -> None:
    """Adds the deltas to one counters' row (`key` names its other columns by attname)."""
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if not deltas:
        return
    where = {"campaign_id": campaign_id, "department_id": department_id, **key}
    # core.sql rather than the ORM: this runs on every autosave (see core/sql.py).
    if sql.update(model, where=where, add=deltas) == 0:
        _ensure_rows(campaign_id, department_id)
        sql.update(model, where=where, add=deltas)


@cache
def _move_statement(using: str = "default") -> str:
    def col(attname):
        return sql.column(LevelTally, attname, using=using)

    # `sign` * (-1 on the old level's row, +1 on the new one's): one UPDATE moves the school.
    return (
        f"UPDATE {sql.table(LevelTally, using)} "  # noqa: S608 (names from _meta)
        f"SET {col('schools')} = {col('schools')} + %s * CASE WHEN {col('level')} = %s THEN -1 ELSE 1 END "
        f"WHERE {col('campaign_id')} = %s AND {col('department_id')} = %s AND {col('domain_id')} = %s "
        f"AND {col('level')} IN (%s, %s)"
    )


def _move_school(campaign_id: int, department_id: int, domain_id: int, old_level: int, new_level: int) -> None:
    """One school from one level of a domain to another: one UPDATE of both rows (the autosave's
    path: a status that makes or unmakes a level moves them)."""

    def move(sign: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                _move_statement(), [sign, old_level, campaign_id, department_id, domain_id, old_level, new_level]
            )
            return cursor.rowcount

    moved = move(+1)
    if moved != 2:  # rows missing (their first use): undo what moved, create them, move again
        if moved:
            move(-1)
        _ensure_rows(campaign_id, department_id)
        move(+1)


def answer_changed(
    assessment,
    school,
    indicator,
    *,
    old_status: str,
    new_status: str,
    old_levels: Mapping[str, int],
    new_levels: Mapping[str, int],
    old_answered: int,
    new_answered: int,
) -> None:
    """Moves the counters for one answer's change (call it in the saving transaction)."""
    if not school.is_open:
        return
    campaign_id, department_id = assessment.campaign_id, school.department_id
    if old_status != new_status:
        deltas = Counter()
        if old_status:
            deltas[STATUS_FIELDS[old_status]] -= 1
        if new_status:
            deltas[STATUS_FIELDS[new_status]] += 1
        _bump(IndicatorTally, campaign_id, department_id, deltas, indicator_id=indicator.pk)
    was_started, is_started = old_answered > 0, new_answered > 0
    if was_started and is_started:
        code, domain_id = indicator.domain.code, indicator.domain_id
        old_level, new_level = old_levels.get(code, 0), new_levels.get(code, 0)
        if old_level != new_level:
            _move_school(campaign_id, department_id, domain_id, old_level, new_level)
    elif was_started != is_started:
        # Starting (or clearing every answer) adds (or takes away) the school in every domain.
        delta, levels = (1, new_levels) if is_started else (-1, old_levels)
        _bump(CampaignTally, campaign_id, department_id, {"started": delta})
        for domain_id, code in Domain.objects.filter(version=indicator.version_id).values_list("pk", "code"):
            _bump(
                LevelTally,
                campaign_id,
                department_id,
                {"schools": delta},
                domain_id=domain_id,
                level=levels.get(code, 0),
            )


def validation_changed(assessment, school, delta: int) -> None:
    """Validating (+1) or reopening (-1): levels cannot change while validated, so the
    assessment's stored levels are the ones to count."""
    if not school.is_open:
        return
    campaign_id, department_id = assessment.campaign_id, school.department_id
    _bump(CampaignTally, campaign_id, department_id, {"validated": delta})
    referential_id = assessment.campaign.referential_id
    for domain_id, code in Domain.objects.filter(version=referential_id).values_list("pk", "code"):
        level = assessment.domain_levels.get(code, 0)
        _bump(LevelTally, campaign_id, department_id, {"validated": delta}, domain_id=domain_id, level=level)


def validated_means(campaign, department_ids=None) -> tuple[int, dict[str, float]]:
    """(validated schools, mean level per domain code) over the campaign's validated
    assessments, in the given départements or the whole académie; read from the counters."""
    rows = LevelTally.objects.filter(campaign=campaign)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    totals: dict[str, list[int]] = {}
    for code, level, n in rows.filter(validated__gt=0).values_list("domain__code", "level", "validated"):
        entry = totals.setdefault(code, [0, 0])
        entry[0] += n
        entry[1] += n * level
    schools = max((n for n, _ in totals.values()), default=0)
    return schools, {code: weighted / n for code, (n, weighted) in totals.items() if n}


@dataclass
class Figures:
    """One campaign's figures per département, stored or recomputed, in a comparable shape."""

    campaigns: dict[int, tuple[int, int]] = field(default_factory=dict)  # dept → (started, validated)
    indicators: dict[tuple[int, int], tuple[int, int, int]] = field(default_factory=dict)  # (dept, ind)
    # (dept, domain, level) → (started schools, validated schools) at that level
    levels: dict[tuple[int, int, int], tuple[int, int]] = field(default_factory=dict)

    def without_zeros(self) -> "Figures":
        return Figures(
            {k: v for k, v in self.campaigns.items() if any(v)},
            {k: v for k, v in self.indicators.items() if any(v)},
            {k: v for k, v in self.levels.items() if any(v)},
        )


def stored(campaign) -> Figures:
    return Figures(
        {
            d: (s, v)
            for d, s, v in CampaignTally.objects.filter(campaign=campaign).values_list(
                "department_id", "started", "validated"
            )
        },
        {
            (d, i): (a, b, c)
            for d, i, a, b, c in IndicatorTally.objects.filter(campaign=campaign).values_list(
                "department_id", "indicator_id", "done", "in_progress", "not_done"
            )
        },
        {
            (d, dom, lvl): (n, v)
            for d, dom, lvl, n, v in LevelTally.objects.filter(campaign=campaign).values_list(
                "department_id", "domain_id", "level", "schools", "validated"
            )
        },
    ).without_zeros()


def compute(campaign) -> Figures:
    """The same figures, from the raw answers and the assessments' stored levels."""
    assessments = Assessment.objects.filter(campaign=campaign, school__is_open=True)
    started = Q(answered_count__gt=0)
    campaigns = {
        row["school__department_id"]: (row["started"], row["validated"])
        for row in assessments.values("school__department_id").annotate(
            started=Count("pk", filter=started),
            validated=Count("pk", filter=Q(state=AssessmentState.VALIDATED)),
        )
    }
    indicators = {
        (row["assessment__school__department_id"], row["indicator_id"]): (row["d"], row["p"], row["n"])
        for row in Answer.objects.filter(assessment__campaign=campaign, assessment__school__is_open=True)
        .exclude(status="")
        .values("assessment__school__department_id", "indicator_id")
        .annotate(
            d=Count("pk", filter=Q(status=AnswerStatus.DONE)),
            p=Count("pk", filter=Q(status=AnswerStatus.IN_PROGRESS)),
            n=Count("pk", filter=Q(status=AnswerStatus.NOT_DONE)),
        )
    }
    domains = dict(Domain.objects.filter(version=campaign.referential_id).values_list("code", "pk"))
    started_levels, validated_levels = Counter(), Counter()
    is_validated = Q(state=AssessmentState.VALIDATED)
    for department_id, domain_levels, answered, state in assessments.filter(started | is_validated).values_list(
        "school__department_id", "domain_levels", "answered_count", "state"
    ):
        for code, domain_id in domains.items():
            key = (department_id, domain_id, domain_levels.get(code, 0))
            started_levels[key] += answered > 0
            validated_levels[key] += state == AssessmentState.VALIDATED
    levels = {key: (started_levels[key], validated_levels[key]) for key in started_levels | validated_levels}
    return Figures(campaigns, indicators, levels).without_zeros()


def schools_regrouped(school_ids) -> list:
    """Schools changed département, closed or reopened: the campaigns they have an assessment in
    are recounted. A campaign is one académie's (a few hundred to 1,500 schools: a fraction of a
    second); such a change is rare (the annuaire's yearly import, the admin), so exactness beats
    a cleverer update."""
    campaigns = list(Campaign.objects.filter(assessments__school_id__in=school_ids).distinct().order_by("pk"))
    for campaign in campaigns:
        rebuild(campaign)
    return campaigns


@transaction.atomic
def rebuild(campaign) -> Figures:
    """Recounts every assessment's answers, then replaces the campaign's counters by `compute`."""
    answered = (
        Answer.objects.filter(assessment=OuterRef("pk"))
        .exclude(status="")
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Assessment.objects.filter(campaign=campaign).update(answered_count=Coalesce(Subquery(answered), 0))
    figures = compute(campaign)
    for model in (CampaignTally, IndicatorTally, LevelTally):
        model.objects.filter(campaign=campaign).delete()
    CampaignTally.objects.bulk_create(
        CampaignTally(campaign=campaign, department_id=d, started=s, validated=v)
        for d, (s, v) in figures.campaigns.items()
    )
    IndicatorTally.objects.bulk_create(
        (
            IndicatorTally(campaign=campaign, department_id=d, indicator_id=i, done=a, in_progress=b, not_done=c)
            for (d, i), (a, b, c) in figures.indicators.items()
        ),
        batch_size=2000,
    )
    LevelTally.objects.bulk_create(
        (
            LevelTally(campaign=campaign, department_id=d, domain_id=dom, level=lvl, schools=n, validated=v)
            for (d, dom, lvl), (n, v) in figures.levels.items()
        ),
        batch_size=2000,
    )
    return figures


@dataclass(frozen=True)
class Progress:
    """Where open schools stand in a campaign, read from the counters: the dashboards' tiles and
    the confirmation of a campaign's closing say the same."""

    schools: int
    started: int
    validated: int

    @property
    def not_started(self) -> int:
        return max(self.schools - self.started, 0)

    @property
    def filling(self) -> int:
        return max(self.started - self.validated, 0)


def progress_sums(campaign, department_ids=None) -> tuple[int, int]:
    """(started, validated) in the campaign, over the given départements or all of them."""
    tallies = CampaignTally.objects.filter(campaign=campaign)
    if department_ids is not None:
        tallies = tallies.filter(department_id__in=department_ids)
    sums = tallies.aggregate(started=Sum("started"), validated=Sum("validated"))
    return sums["started"] or 0, sums["validated"] or 0

"""The dashboards' figures, read from the counters that `assessments.tallies` keeps per
département: each function runs a fixed number of queries over a few rows per département, so
its cost does not grow with the number of schools (a test counts the queries).

The small-cell rule: no share or mean is given over fewer than `MIN_SCHOOLS` schools; the
figure is then `None`, which every template and export shows as « — » with the reason.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from pilotis.assessments import tallies
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Campaign, IndicatorTally, LevelTally
from pilotis.assessments.synthesis import MIN_SCHOOLS_FOR_MEAN
from pilotis.referential.cache import domains_of, indicators_of
from pilotis.referential.models import CodeMapping, Domain, Indicator, ReferentialVersion
from pilotis.territories.models import School

MIN_SCHOOLS = MIN_SCHOOLS_FOR_MEAN


def share(count: int, total: int) -> float | None:
    """`count / total`, or None under the small-cell rule."""
    if total < MIN_SCHOOLS:
        return None
    return count / total


@dataclass
class Territory:
    """What one user follows of one campaign: some or all départements of its académie."""

    campaign: Campaign
    department_ids: list[int]
    school_count: int

    @classmethod
    def of(cls, campaign, departments) -> "Territory":
        territory = cls(campaign, [d.pk for d in departments], 0)
        territory.school_count = territory.schools().count()
        return territory

    def schools(self):
        """The territory's open schools (the directory's current state)."""
        return School.objects.filter(department_id__in=self.department_ids, is_open=True)

    def for_campaign(self, campaign) -> "Territory":
        """The same départements in another campaign of the académie (the trends)."""
        return Territory(campaign, self.department_ids, self.school_count)


@dataclass(frozen=True)
class Progress(tallies.Progress):
    """The counters' progress, with its shares under the small-cell rule."""

    @property
    def shares(self) -> dict[str, float | None]:
        return {
            "not_started": share(self.not_started, self.schools),
            "filling": share(self.filling, self.schools),
            "validated": share(self.validated, self.schools),
            "started": share(self.started, self.schools),
        }


def progress(territory: Territory) -> Progress:
    return Progress(territory.school_count, *tallies.progress_sums(territory.campaign, territory.department_ids))


@dataclass
class IndicatorFigures:
    indicator: Indicator
    schools: int
    done: int
    in_progress: int
    not_done: int

    @property
    def unanswered(self) -> int:
        return max(self.schools - self.done - self.in_progress - self.not_done, 0)

    @property
    def shares(self) -> dict[str, float | None]:
        # Under the rule counts stay (the territory's own schools, which the user can list); shares go.
        return {
            str(AnswerStatus.DONE): share(self.done, self.schools),
            str(AnswerStatus.IN_PROGRESS): share(self.in_progress, self.schools),
            str(AnswerStatus.NOT_DONE): share(self.not_done, self.schools),
            "unanswered": share(self.unanswered, self.schools),
        }


def indicators(territory: Territory) -> list[IndicatorFigures]:
    """Every indicator of the campaign's referential, in the referential's order."""
    sums = {
        row["indicator_id"]: row
        for row in IndicatorTally.objects.filter(
            campaign=territory.campaign, department_id__in=territory.department_ids
        )
        .values("indicator_id")
        .annotate(d=Sum("done"), p=Sum("in_progress"), n=Sum("not_done"))
    }
    out = []
    catalogue = indicators_of(territory.campaign.referential).values()  # read once per process
    for indicator in sorted(catalogue, key=lambda i: (i.domain.position, i.level, i.position)):
        row = sums.get(indicator.pk, {})
        out.append(
            IndicatorFigures(indicator, territory.school_count, row.get("d", 0), row.get("p", 0), row.get("n", 0))
        )
    return out


# Over which self-assessments the levels are counted. A school that has answered half its
# indicators sits at level 0 until it has finished: mixed with the validated ones, an open
# campaign's mean reads as a collapse. So the figures are over the validated ones by default, and
# the ones still being filled in are shown apart, never mixed in.
OVER_VALIDATED = "validated"
OVER_FILLING = "filling"


@dataclass
class DomainDistribution:
    domain: Domain
    schools: int  # the denominator: the schools counted (validated, or still filling in)
    counts: list[int] = field(default_factory=list)  # schools at level 0, 1, 2, 3
    over: str = OVER_VALIDATED

    @property
    def shares(self) -> list[float | None]:
        return [share(n, self.schools) for n in self.counts]

    @property
    def mean(self) -> float | None:
        if self.schools < MIN_SCHOOLS:
            return None
        return sum(level * n for level, n in enumerate(self.counts)) / self.schools


def level_distribution(
    territory: Territory, over: str = OVER_VALIDATED, done: Progress | None = None
) -> list[DomainDistribution]:
    """Per domain, how many of the validated self-assessments (`over="validated"`) or of those
    still being filled in (`over="filling"`) reach each level; read from `LevelTally`, which keeps
    the validated ones beside all the started ones."""
    if done is None:
        done = progress(territory)
    filling = over == OVER_FILLING
    schools = done.filling if filling else done.validated
    top = max((i.level for i in indicators_of(territory.campaign.referential).values()), default=0)
    counts = defaultdict(lambda: [0] * (top + 1))
    for row in (
        LevelTally.objects.filter(campaign=territory.campaign, department_id__in=territory.department_ids)
        .values("domain_id", "level")
        .annotate(started=Sum("schools"), validated=Sum("validated"))
    ):
        if row["level"] <= top:
            n = row["started"] - row["validated"] if filling else row["validated"]
            counts[row["domain_id"]][row["level"]] = max(n, 0)
    return [
        DomainDistribution(domain, schools, counts[domain.pk], over)
        for domain in domains_of(territory.campaign.referential)
    ]


@dataclass
class CampaignSummary:
    campaign: Campaign
    progress: Progress
    distribution: list[DomainDistribution]
    # By indicator code, in the latest campaign's referential (code maps followed), to line up
    # across versions.
    indicators: dict[str, IndicatorFigures]

    @property
    def domains(self) -> dict[str, DomainDistribution]:
        """By domain code: the same domain may sit elsewhere in another version."""
        return {d.domain.code: d for d in self.distribution}


def code_translations(versions, target) -> dict[int, dict[str, str]]:
    """For each version older than `target` in its line (`supersedes`), old indicator code → its
    code in `target`, through the code maps of the versions between (absent: the code is kept).
    A version outside the line gets no entry: its codes are matched as they are."""
    if all(v.pk == target.pk for v in versions):
        return {}
    parent = dict(ReferentialVersion.objects.values_list("pk", "supersedes_id"))  # a handful of rows
    line = [target.pk]
    while parent.get(line[-1]) is not None and len(line) <= len(parent):
        line.append(parent[line[-1]])
    maps: dict[int, dict[str, str]] = defaultdict(dict)
    for version_id, old, new in CodeMapping.objects.filter(version_id__in=line).values_list(
        "version_id", "old_code", "new_code"
    ):
        maps[version_id][old] = new
    out = {}
    for version in versions:
        if version.pk == target.pk or version.pk not in line or version.pk in out:
            continue
        newer = list(reversed(line[: line.index(version.pk)]))  # from the next version up to `target`
        translation = {}
        for code in indicators_of(version):
            name = code
            for step in newer:
                name = maps[step].get(name, name)
            if name != code:
                translation[code] = name
        out[version.pk] = translation
    return out


def trends(territory: Territory) -> list[CampaignSummary]:
    """The territory's figures in each campaign of the académie up to this one, oldest first."""
    campaigns = list(
        Campaign.objects.filter(
            academy_id=territory.campaign.academy_id, school_year__lte=territory.campaign.school_year
        )
        .select_related("referential")
        .order_by("school_year")
    )
    translations = code_translations([c.referential for c in campaigns], territory.campaign.referential)
    summaries = []
    for campaign in campaigns:
        # The current number of schools stands for past years too: the directory keeps no history.
        past = territory.for_campaign(campaign)
        done = progress(past)
        rename = translations.get(campaign.referential_id, {})
        summaries.append(
            CampaignSummary(
                campaign,
                done,
                level_distribution(past, OVER_VALIDATED, done),  # validated beside validated
                {rename.get(f.indicator.code, f.indicator.code): f for f in indicators(past)},
            )
        )
    return summaries

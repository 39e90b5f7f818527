"""What the Accueil and Tableau synthétique tabs show, computed from the answers."""

from dataclasses import dataclass

from pilotis.assessments.levels import LevelProgress, answered_share, level_reached, progress_by_level


@dataclass
class DomainSummary:
    domain: object
    level: int
    max_level: int
    levels: list[LevelProgress]
    answered: int
    total: int

    @property
    def answered_share(self) -> float:
        return self.answered / self.total if self.total else 0.0


def summarise(referential, answers_by_code: dict[str, str]) -> list[DomainSummary]:
    """One summary per domain, in the referential's order (two queries, whatever the data)."""
    domains = list(referential.domains.all())
    indicators = {}
    for code, level, domain_id in referential.indicators.values_list("code", "level", "domain_id"):
        indicators.setdefault(domain_id, {})[code] = level
    summaries = []
    for domain in domains:
        levels = indicators.get(domain.pk, {})
        summaries.append(
            DomainSummary(
                domain=domain,
                level=level_reached(levels, answers_by_code),
                max_level=max(levels.values(), default=0),
                levels=progress_by_level(levels, answers_by_code),
                answered=round(answered_share(levels, answers_by_code) * len(levels)),
                total=len(levels),
            )
        )
    return summaries


def answers_of(assessment) -> dict[str, str]:
    if assessment is None:
        return {}
    return dict(assessment.answers.exclude(status="").values_list("indicator__code", "status"))


# Small-cell rule: a territory's mean is shown only over at least this many validated schools.
MIN_SCHOOLS_FOR_MEAN = 5


@dataclass
class Series:
    label: str
    levels: dict  # domain code -> level (a float for a mean)
    schools: int = 0  # how many schools a mean is over (0 for one school)
    kind: str = ""  # "previous", "department" or "academy"


def mean_levels(campaign, domain_codes, department_ids=None) -> Series | None:
    """The territory's mean level per domain over its validated assessments, read from the
    counters (`tallies`), or None under the small-cell rule."""
    from pilotis.assessments.tallies import validated_means

    schools, means = validated_means(campaign, department_ids)
    if schools < MIN_SCHOOLS_FOR_MEAN:
        return None
    return Series(label="", levels={code: means.get(code, 0.0) for code in domain_codes}, schools=schools)


def comparisons(campaign, school, assessment, domain_codes):
    """The series beside the school's own: its previous campaign, its département's and académie's means."""
    from django.utils.translation import gettext as _

    from pilotis.assessments.services import previous_assessment

    series = []
    previous = previous_assessment(campaign, school)
    if previous is not None and previous.domain_levels:
        series.append(
            Series(
                _("Campagne %(year)s") % {"year": previous.campaign.school_year},
                {code: previous.domain_levels.get(code, 0) for code in domain_codes},
                kind="previous",
            )
        )
    for kind, label, departments in [
        (
            "department",
            _("Moyenne du département (%(name)s)") % {"name": school.department.name},
            [school.department_id],
        ),
        ("academy", _("Moyenne de l'académie (%(name)s)") % {"name": campaign.academy.name}, None),
    ]:
        mean = mean_levels(campaign, domain_codes, departments)
        if mean is not None:
            mean.label, mean.kind = label, kind
            series.append(mean)
    return series


def synthesis_data(campaign, school, assessment) -> dict:
    """The Tableau synthétique's figures and radar chart; the Édition's PDF shows the same."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    from pilotis.assessments.charts import radar_svg

    summaries = summarise(campaign.referential, answers_of(assessment))
    codes = [s.domain.code for s in summaries]
    others = comparisons(campaign, school, assessment, codes)
    own = _("%(school)s, %(year)s") % {"school": school.name, "year": campaign.school_year}
    series = [(own, [s.level for s in summaries])] + [(o.label, [o.levels[c] for c in codes]) for o in others]
    chart = radar_svg(
        [s.domain.title for s in summaries],
        series,
        title=_("Niveau atteint par domaine"),
        description=_(
            "Graphique radar des niveaux atteints (0 à 3) dans les cinq domaines ; les mêmes valeurs figurent dans le tableau qui suit."
        ),
    )
    # A previous campaign's level is a whole number ("2"), a mean has its decimal ("1,4").
    rows = [
        {"summary": s, "comparisons": [(o.levels[s.domain.code], o.kind != "previous") for o in others]}
        for s in summaries
    ]
    # The note about the small-cell rule is for the means not shown, whatever else is.
    shown = {o.kind for o in others}
    missing_means = [kind for kind in ("department", "academy") if kind not in shown]
    return {
        "summaries": summaries,
        "others": others,
        "rows": rows,
        "missing_means": missing_means,
        "min_schools": MIN_SCHOOLS_FOR_MEAN,
        "chart": mark_safe(chart),  # noqa: S308 — built from escaped parts
    }

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

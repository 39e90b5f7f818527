"""The level rule of SCHÉMATIC, as pure functions (property-tested).

Level reached in a domain = the highest of the domain's levels n such that every indicator of
levels 1..n is "Réalisé" (0 if one of its lowest level is not); a level the domain lacks is
neither reached nor a gap. Each level also shows its progress: the share of its indicators
"Réalisé" and the share "En cours de réalisation" (an answer "Non réalisé" is neither).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pilotis.assessments.enums import AnswerStatus


@dataclass(frozen=True)
class LevelProgress:
    number: int
    total: int
    done: int
    in_progress: int

    @property
    def done_share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def in_progress_share(self) -> float:
        return self.in_progress / self.total if self.total else 0.0


def level_reached(indicator_levels: Mapping[str, int], answers: Mapping[str, str | None]) -> int:
    """`indicator_levels`: code → level of each indicator of the domain; `answers`: code → status."""
    levels = sorted(set(indicator_levels.values()))
    reached = 0
    for number in levels:
        codes = [code for code, level in indicator_levels.items() if level == number]
        if all(answers.get(code) == AnswerStatus.DONE for code in codes):
            reached = number
        else:
            break
    return reached


def progress_by_level(indicator_levels: Mapping[str, int], answers: Mapping[str, str | None]) -> list[LevelProgress]:
    out = []
    for number in sorted(set(indicator_levels.values())):
        codes = [code for code, level in indicator_levels.items() if level == number]
        statuses = [answers.get(code) for code in codes]
        out.append(
            LevelProgress(
                number=number,
                total=len(codes),
                done=sum(1 for s in statuses if s == AnswerStatus.DONE),
                in_progress=sum(1 for s in statuses if s == AnswerStatus.IN_PROGRESS),
            )
        )
    return out


def answered_share(codes: Iterable[str], answers: Mapping[str, str | None]) -> float:
    codes = list(codes)
    return sum(1 for c in codes if answers.get(c)) / len(codes) if codes else 0.0

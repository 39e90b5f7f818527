"""The figures of a set of workshops — sessions, hours, participants, themes — counted one way for
every page that shows them: the school's list, the mission letter's review, the notes beside the
Formation indicators, the territory's page and its exports.

The rule: a session counts once; its hours are its duration; its participants are the members
ticked present plus the number counted (pupils, parents… who are not members). Members expected
but not ticked do not count: before the attendance is marked, a session counts only its number.
Each function takes a queryset of `Workshop` and runs a fixed number of grouped queries,
whatever the number of sessions or schools."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.core import rounding
from pilotis.workshops import themes as theme_data
from pilotis.workshops.models import Participant


@dataclass(frozen=True)
class ThemeCount:
    code: str
    label: str
    sessions: int
    minutes: int = 0

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def hours_text(self) -> str:
        return hours_text(self.minutes)


@dataclass
class Figures:
    sessions: int = 0
    minutes: int = 0
    present: int = 0  # members ticked present
    counted: int = 0  # others, counted
    themes: list[ThemeCount] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return self.present + self.counted

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def hours_text(self) -> str:
        return hours_text(self.minutes)

    def sentence(self) -> str:
        """« 4 séances, 7,5 heures, 63 participants » — or that there was none."""
        if not self.sessions:
            return _("Aucun atelier ni formation enregistré.")
        return ", ".join(
            [
                ngettext("%(n)s séance", "%(n)s séances", self.sessions) % {"n": self.sessions},
                # French: « 1,5 heure », « 2 heures ».
                ngettext("%(n)s heure", "%(n)s heures", 1 if self.minutes < 120 else 2)
                % {"n": hours_text(self.minutes)},
                ngettext("%(n)s participant", "%(n)s participants", self.participants) % {"n": self.participants},
            ]
        )


def hours(minutes: int) -> Decimal:
    """Hours, rounded half up to one decimal (`core.rounding`): 50 minutes are 0.8 hour."""
    return rounding.half_up(Decimal(minutes or 0) / 60, 1)


def hours_text(minutes: int) -> str:
    """« 7,5 » — « 2 » for whole hours."""
    value = hours(minutes)
    return rounding.french(value, 0 if value == value.to_integral_value() else 1)


def year_of(queryset, school_year: str):
    return queryset.filter(school_year=school_year)


def between(queryset, first: datetime.date, last: datetime.date):
    return queryset.filter(held_on__gte=first, held_on__lte=last)


def _present(workshops, by_school=False):
    present = Participant.objects.filter(workshop__in=workshops.values("pk"), present=True).order_by()
    if by_school:
        return dict(
            present.values("workshop__school_id").annotate(n=Count("pk")).values_list("workshop__school_id", "n")
        )
    return present.count()


def theme_counts(workshops) -> list[ThemeCount]:
    """The themes worked on, most sessions first (then most hours, then label): one grouped query."""
    rows = (
        workshops.order_by()
        .values("theme")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
        .values_list("theme", "sessions", "minutes")
    )
    counts = [ThemeCount(code, theme_data.label(code), n, minutes or 0) for code, n, minutes in rows]
    return sorted(counts, key=lambda t: (-t.sessions, -t.minutes, t.label))


def summarise(workshops, *, with_themes=True) -> Figures:
    """The figures of the given sessions: three queries (two without the themes)."""
    totals = workshops.order_by().aggregate(
        sessions=Count("pk"), minutes=Sum("duration_minutes"), counted=Sum("participant_count")
    )
    figures = Figures(totals["sessions"], totals["minutes"] or 0, 0, totals["counted"] or 0)
    if figures.sessions:
        figures.present = _present(workshops)
        if with_themes:
            figures.themes = theme_counts(workshops)
    return figures


def per_school(workshops) -> dict[int, Figures]:
    """The same figures per school (without themes): two grouped queries for any number of schools."""
    rows = (
        workshops.order_by()
        .values("school_id")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"), counted=Sum("participant_count"))
        .values_list("school_id", "sessions", "minutes", "counted")
    )
    out = {school_id: Figures(n, minutes or 0, 0, counted or 0) for school_id, n, minutes, counted in rows}
    if out:
        for school_id, n in _present(workshops, by_school=True).items():
            out[school_id].present = n
    return out


def catalogue_presentations(workshops):
    """The sessions that presented the catalogue of usage fiches (PIL.1.06)."""
    return workshops.filter(presents_catalogue=True)


def attendance(workshop) -> tuple[int, int]:
    """(members ticked present, members expected) of one session whose participants are prefetched."""
    participants = list(workshop.participants.all())
    return sum(p.present for p in participants), len(participants)

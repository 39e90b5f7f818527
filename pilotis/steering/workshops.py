"""Pilotage's « Ateliers et formations »: per campaign (its school year), the workshops and trainings
the territory's RUPN ran — the totals, the themes most worked on (to shape the DANE's own training
offer) and per school its sessions, hours and participants. Figures only; the counting rule is
`workshops.summary`'s, the same as the school's page and the letter's review.

A fixed number of queries per page: the totals and themes are grouped queries over the territory's
sessions, the per-school list reads only its page's schools."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from pilotis.steering import plans
from pilotis.territories.models import School
from pilotis.workshops import summary
from pilotis.workshops.models import Workshop


def workshops_url(uai: str, year: str) -> str:
    """The school's list of the year, which the territory reads read-only."""
    return reverse("workshops:home", args=[uai]) + "?" + urlencode({"annee": year})


def territory_workshops(territory):
    """The sessions of the campaign's school year in the territory's open schools."""
    return Workshop.objects.filter(
        school__department_id__in=territory.department_ids,
        school__is_open=True,
        school_year=territory.campaign.school_year,
    )


def totals(territory) -> summary.Figures:
    """Sessions, hours, participants and themes of the whole territory (three queries)."""
    return summary.summarise(territory_workshops(territory))


def schools_with_sessions(territory) -> int:
    return territory_workshops(territory).order_by().values("school_id").distinct().count()


@dataclass
class SchoolWorkshops:
    school: School
    figures: summary.Figures = field(default_factory=summary.Figures)
    url: str = ""


def schools(territory):
    """The territory's open schools by name, as every per-school list of Pilotage."""
    return plans.schools(territory)


def school_lines(territory, schools_page) -> list[SchoolWorkshops]:
    """The figures of the given schools (a page, or an export's chunk): two grouped queries."""
    ids = [school.pk for school in schools_page]
    if not ids:
        return []
    year = territory.campaign.school_year
    figures = summary.per_school(Workshop.objects.filter(school_id__in=ids, school_year=year))
    return [
        SchoolWorkshops(school, figures.get(school.pk, summary.Figures()), workshops_url(school.uai, year))
        for school in schools_page
    ]

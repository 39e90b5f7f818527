"""The territory's action plans, per campaign: the share of schools with an adopted plan covering
the campaign's school year, the indicators the territory's plans aim at most, and per school its
actions and the commission's meetings — figures only, never what the plans or minutes say.

A fixed number of queries per page (a test counts them). The adoption and the indicators aimed
at read counters kept as the plans change (`steering.plan_tallies`), so their cost does not grow
with the territory's plans; `compute_adoption` and `compute_aimed_indicators` give the same
figures from the raw rows, for the tests to compare. The per-school list reads only its page's
schools, live (an action's status is not counted).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.commission.enums import MeetingState
from pilotis.commission.models import Meeting
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, ObjectiveTarget, Plan
from pilotis.referential.cache import indicators_of
from pilotis.referential.models import Indicator
from pilotis.steering import plan_tallies
from pilotis.steering.figures import share
from pilotis.territories.models import School

TOP_INDICATORS = 15


def plan_url(uai: str) -> str:
    """The school's plan page, which the territory reads read-only. The one place that names it."""
    return reverse("plans:home", args=[uai])


def year_bounds(school_year: str) -> tuple[datetime.datetime, datetime.datetime]:
    """1 September 00:00 to the next 1 September 00:00, local time, as aware datetimes."""
    start = int(school_year[:4])
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(start, 9, 1, tzinfo=zone),
        datetime.datetime(start + 1, 9, 1, tzinfo=zone),
    )


@dataclass
class AdoptionLine:
    """One département's (or the whole territory's) schools and those with a plan."""

    label: str
    code: str
    schools: int
    with_plan: int  # a plan covering the year, adopted or in preparation
    adopted: int

    @property
    def adopted_share(self) -> float | None:
        return share(self.adopted, self.schools)

    @property
    def plan_share(self) -> float | None:
        return share(self.with_plan, self.schools)


@dataclass
class Adoption:
    lines: list[AdoptionLine]
    total: AdoptionLine


def _covering(school_year: str):
    return Q(first_year__lte=school_year, last_year__gte=school_year)


def _school_counts(territory) -> dict[int, int]:
    return dict(
        School.objects.filter(department_id__in=territory.department_ids, is_open=True)
        .order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )


def _adoption(territory, departments, sums: dict[int, tuple[int, int]]) -> Adoption:
    schools = _school_counts(territory)
    lines = []
    for department in departments:
        if department.pk not in territory.department_ids:
            continue
        with_plan, adopted = sums.get(department.pk, (0, 0))
        lines.append(
            AdoptionLine(department.name, department.short_code, schools.get(department.pk, 0), with_plan, adopted)
        )
    total = AdoptionLine(
        _("Total du territoire"),
        "",
        sum(line.schools for line in lines),
        sum(line.with_plan for line in lines),
        sum(line.adopted for line in lines),
    )
    return Adoption(lines, total)


def adoption(territory, departments) -> Adoption:
    """Per département followed, the open schools with an adopted plan covering the campaign's
    year (`Plan.adopted_revision` set), and with any plan covering it; read from the counters."""
    return _adoption(
        territory, departments, plan_tallies.plan_sums(territory.campaign.school_year, territory.department_ids)
    )


def compute_adoption(territory, departments) -> Adoption:
    """`adoption` from the raw rows: one grouped query over the territory's plans."""
    year = territory.campaign.school_year
    sums = {
        row["school__department_id"]: (row["with_plan"], row["adopted"])
        for row in Plan.objects.filter(
            _covering(year), school__department_id__in=territory.department_ids, school__is_open=True
        )
        .order_by()
        .values("school__department_id")
        .annotate(
            with_plan=Count("school_id", distinct=True),
            adopted=Count("school_id", distinct=True, filter=Q(adopted_revision__isnull=False)),
        )
    }
    return _adoption(territory, departments, sums)


@dataclass
class AimedIndicator:
    code: str
    statement: str
    domain: str
    level: int | None
    schools: int  # schools whose plan aims at it (by an action or an objective), each once
    territory_schools: int

    @property
    def share(self) -> float | None:
        return share(self.schools, self.territory_schools)


def _pairs_sql(territory):
    """(school, indicator code) of every action's and objective's indicator of the territory's
    open schools' plans covering the year, as one UNION (duplicates removed)."""
    year = territory.campaign.school_year
    ids = territory.department_ids
    through = Action.indicators.through
    by_actions = (
        through.objects.filter(
            action__plan__first_year__lte=year,
            action__plan__last_year__gte=year,
            action__school__department_id__in=ids,
            action__school__is_open=True,
        )
        .order_by()
        .values(school=F("action__school_id"), code=F("indicator__code"))
    )
    by_objectives = (
        ObjectiveTarget.objects.filter(
            objective__plan__first_year__lte=year,
            objective__plan__last_year__gte=year,
            objective__plan__school__department_id__in=ids,
            objective__plan__school__is_open=True,
        )
        .order_by()
        .values(school=F("objective__plan__school_id"), code=F("indicator__code"))
    )
    return by_actions.union(by_objectives).query.sql_with_params()


def aimed_indicators(territory, limit: int = TOP_INDICATORS) -> list[AimedIndicator]:
    """The indicators the most schools' plans aim at (by an action serving it or an objective
    targeting it), by code — a plan may rest on an older referential than the campaign's —, most
    schools first, then by code; read from the counters."""
    counts = plan_tallies.top_codes(territory.campaign.school_year, territory.department_ids, limit)
    return _named(territory, counts)


def compute_aimed_indicators(territory, limit: int = TOP_INDICATORS) -> list[AimedIndicator]:
    """`aimed_indicators` from the raw rows: a UNION over the territory's plans' links."""
    inner, params = _pairs_sql(territory)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pairs.code, COUNT(*) FROM ({inner}) pairs "  # noqa: S608 — the ORM's SQL and its parameters
            "GROUP BY pairs.code ORDER BY COUNT(*) DESC, pairs.code LIMIT %s",
            [*params, limit],
        )
        counts = cursor.fetchall()
    return _named(territory, counts)


def _named(territory, counts) -> list[AimedIndicator]:
    """Named from the campaign's referential where it has the code."""
    known = {indicator.code: indicator for indicator in indicators_of(territory.campaign.referential).values()}
    missing = [code for code, _n in counts if code not in known]
    if missing:
        # An indicator the campaign's version no longer has: its latest statement.
        for indicator in (
            Indicator.objects.filter(code__in=missing).select_related("domain").order_by("code", "-version_id")
        ):
            known.setdefault(indicator.code, indicator)
    out = []
    for code, n in counts:
        indicator = known.get(code)
        out.append(
            AimedIndicator(
                code,
                indicator.statement if indicator else "",
                indicator.domain.title if indicator else "",
                indicator.level if indicator else None,
                n,
                territory.school_count,
            )
        )
    return out


@dataclass
class SchoolPlan:
    """One school's line: its plan covering the year, its actions and its commission's meetings."""

    school: School
    has_plan: bool = False
    adopted: bool = False
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    actions: int = 0
    meetings: int = 0
    url: str = field(default="")

    @property
    def plan_label(self) -> str:
        if self.adopted:
            return _("Adopté")
        if self.has_plan:
            return _("En préparation")
        return _("Aucun plan")


def schools(territory):
    """The territory's open schools by name, as `steering.schools` lists them."""
    return (
        School.objects.filter(department_id__in=territory.department_ids, is_open=True)
        .select_related("department")
        .order_by("sort_name", "uai")
    )


def school_lines(territory, schools_page, today=None) -> list[SchoolPlan]:
    """The figures of the given schools (a page, or an export's chunk): three grouped queries
    over those schools' rows, whatever their number of actions or meetings."""
    today = today or timezone.localdate()
    year = territory.campaign.school_year
    lines = {school.pk: SchoolPlan(school, url=plan_url(school.uai)) for school in schools_page}
    ids = list(lines)
    if not ids:
        return []
    for school_id, adopted_revision in Plan.objects.filter(_covering(year), school_id__in=ids).values_list(
        "school_id", "adopted_revision"
    ):
        line = lines[school_id]
        line.has_plan = True
        line.adopted = line.adopted or adopted_revision is not None
    unfinished = Q(status__in=ActionStatus.unfinished())
    for row in (
        Action.objects.filter(school_id__in=ids, plan__first_year__lte=year, plan__last_year__gte=year)
        .order_by()
        .values("school_id")
        .annotate(
            actions=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
            overdue=Count("pk", filter=unfinished & Q(due_on__lt=today)),
        )
    ):
        line = lines[row["school_id"]]
        line.actions, line.done, line.in_progress, line.overdue = (
            row["actions"],
            row["done"],
            row["in_progress"],
            row["overdue"],
        )
    start, end = year_bounds(year)
    for school_id, n in (
        Meeting.objects.filter(
            school_id__in=ids,
            state__in=[MeetingState.HELD, MeetingState.VALIDATED],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    ):
        lines[school_id].meetings = n
    return [lines[school.pk] for school in schools_page]

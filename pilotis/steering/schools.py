"""The lists of schools behind the dashboards: each school of the territory with its assessment of
the campaign (if any) joined in one query, so that a page of 50 costs the same at any scale."""

from django.db.models import Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from pilotis.accounts.models import SchoolMembership
from pilotis.assessments.enums import AssessmentState
from pilotis.assessments.models import Assessment
from pilotis.core.roles import SchoolRole
from pilotis.territories.models import School


def with_assessment(territory, schools=None):
    """The territory's open schools, each annotated with its assessment's state and figures."""
    if schools is None:
        schools = School.objects.all()
    return (
        schools.filter(department_id__in=territory.department_ids, is_open=True)
        .select_related("department")
        .annotate(
            current=FilteredRelation("assessments", condition=Q(assessments__campaign=territory.campaign)),
        )
        .annotate(
            assessment_state=F("current__state"),
            answered=Coalesce(F("current__answered_count"), Value(0)),
            levels=F("current__domain_levels"),
            last_activity=F("current__last_activity_at"),
            validated_at=F("current__validated_at"),
        )
    )


def in_state(schools, state: str, campaign):
    """`not_started`: no answer yet; `filling`: answers, not validated; `validated`.

    Written as (NOT) EXISTS rather than on the joined row: PostgreSQL then walks the schools in
    name order and stops at the page's 50 (an anti-join), instead of joining the whole territory
    (benchmarks/README.md has the figures)."""
    assessments = Assessment.objects.filter(school=OuterRef("pk"), campaign=campaign)
    started = assessments.filter(answered_count__gt=0)
    if state == "validated":
        return schools.filter(Exists(assessments.filter(state=AssessmentState.VALIDATED)))
    if state == "filling":
        return schools.filter(Exists(started.exclude(state=AssessmentState.VALIDATED)))
    return schools.exclude(Exists(started))


def priority_education_known(department_ids) -> bool:
    """Whether the directory gives an éducation prioritaire value to any open school of these
    départements (some directory files leave the column empty for every school)."""
    return School.objects.filter(department_id__in=department_ids, is_open=True).exclude(priority_education="").exists()


def heat_map(territory, form, domain_codes):
    """The heat map's schools, filtered and sorted as the page lists them, for the page and its
    export alike: (schools, sort). A form that does not validate filters nothing (the page says
    its filters were ignored); `form.filter` alone would answer no school at all then."""
    schools = with_assessment(territory)
    if form.narrows():
        schools = form.filter(schools)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or "name"
    return sorted_by(schools, sort, domain_codes), sort


def by_level(sort: str, domain_codes) -> bool:
    return sort.lstrip("-") in domain_codes


def sorted_by(schools, sort: str, domain_codes):
    """By name, or by a domain's level (schools that have not started come last either way)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if by_level(sort, domain_codes):
        # Schools that have not started come last in both directions.
        missing = Value(-1) if descending else Value(99)
        level = Coalesce(Cast(KeyTextTransform(key, "current__domain_levels"), IntegerField()), missing)
        schools = schools.annotate(sort_level=level)
        ordering = F("sort_level").desc() if descending else F("sort_level").asc()
        return schools.order_by(ordering, "sort_name", "uai")
    return schools.order_by(*(("-sort_name", "-uai") if descending else ("sort_name", "uai")))


class SortedIdsFirst:
    """A list of the territory's schools sorted by a domain's level, for a Paginator: it sorts
    the schools' ids alone, then reads the page's rows by id. No index gives that order, so every
    school of the territory is sorted, and sorting narrow rows (ids and the level) is cheaper than
    sorting their wide rows (every column of the school and of its assessment), the more so on a
    deep page (benchmarks/README.md). The order by name walks an index and stops at the page: it
    keeps the plain queryset."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        ids = list(self.queryset.values_list("pk", flat=True)[window])
        by_id = {school.pk: school for school in self.queryset.order_by().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids]


def referents_of(schools) -> dict[int, list[str]]:
    """The RUPN of each given school, by school id (one query for a page)."""
    out: dict[int, list[str]] = {}
    for membership in (
        SchoolMembership.objects.filter(school__in=[s.pk for s in schools], role=SchoolRole.RUPN)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        out.setdefault(membership.school_id, []).append(membership.user.get_full_name() or membership.user.username)
    return out

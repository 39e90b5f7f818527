"""The territory's plan figures, kept per school year and département as the plans change.

Pilotage's « Plans d'actions » overview must not scan every plan, action and target of the
territory at request time (benchmarks/README.md, « Plans d'actions »). `plans` sends
`plan_changed(school_id)` inside the transaction of every service that changes what the figures
read; `recount` then recomputes that one school's state per school year (`PlanSchoolState`: its
département, whether a plan covering the year is adopted, the indicator codes its plans aim at)
and moves the département's counters (`PlanTally`, `AimedTally`) by the difference between its
old and new state, with `UPDATE … SET n = n + delta`: atomic on every database, and the school's
row is locked first, so that two recounts of one school never both start from the same old state.

Only open schools count, as on the dashboards: closing, reopening or moving a school
(`territories.signals.schools_regrouped`) recounts it.

`compute` recomputes the same figures from the raw rows, `rebuild` replaces the stored ones with
them (after a bulk load: the demo's and the bench's seeded plans), and the tests check after
random sequences of changes that the two agree.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from pilotis.core import sql
from pilotis.plans.models import Action, ObjectiveTarget, Plan
from pilotis.plans.services import year_after
from pilotis.steering.models import AimedTally, PlanSchoolState, PlanTally
from pilotis.territories.models import School

# (school_id, school_year) → (department_id, adopted, sorted codes)
States = dict[tuple[int, str], tuple[int, bool, tuple[str, ...]]]


def _years(first_year: str, last_year: str) -> list[str]:
    return [year_after(first_year, n) for n in range(int(last_year[:4]) - int(first_year[:4]) + 1)]


def states(school_ids=None, school_years=None) -> States:
    """Each open school's state per school year its plans cover, from the raw rows (of the given
    schools, or all of them; of the given school years, or all of them). Three queries."""
    plans = Plan.objects.filter(school__is_open=True)
    links = Action.indicators.through.objects.filter(action__plan__school__is_open=True)
    targets = ObjectiveTarget.objects.filter(objective__plan__school__is_open=True)
    if school_ids is not None:
        plans = plans.filter(school_id__in=school_ids)
        links = links.filter(action__plan__school_id__in=school_ids)
        targets = targets.filter(objective__plan__school_id__in=school_ids)
    codes_of: dict[int, set[str]] = {}
    for plan_id, code in links.values_list("action__plan_id", "indicator__code"):
        codes_of.setdefault(plan_id, set()).add(code)
    for plan_id, code in targets.values_list("objective__plan_id", "indicator__code"):
        codes_of.setdefault(plan_id, set()).add(code)
    wanted = set(school_years) if school_years is not None else None
    merged: dict[tuple[int, str], list] = {}
    for plan_id, school_id, department_id, first_year, last_year, adopted_revision in plans.values_list(
        "pk", "school_id", "school__department_id", "first_year", "last_year", "adopted_revision"
    ):
        for year in _years(first_year, last_year):
            if wanted is not None and year not in wanted:
                continue
            entry = merged.setdefault((school_id, year), [department_id, False, set()])
            entry[1] = entry[1] or adopted_revision is not None
            entry[2] |= codes_of.get(plan_id, set())
    return {key: (dept, adopted, tuple(sorted(codes))) for key, (dept, adopted, codes) in merged.items()}


@dataclass
class Figures:
    """The counters' values, stored or recomputed, in a comparable shape (zeros left out)."""

    plans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)  # (year, dept) → (with, adopted)
    aimed: dict[tuple[str, int, str], int] = field(default_factory=dict)  # (year, dept, code) → schools

    def without_zeros(self) -> "Figures":
        return Figures(
            {k: v for k, v in self.plans.items() if any(v)},
            {k: v for k, v in self.aimed.items() if v},
        )


def figures_of(school_states: States) -> Figures:
    with_plan, adopted, aimed = Counter(), Counter(), Counter()
    for (_school, year), (department_id, is_adopted, codes) in school_states.items():
        with_plan[year, department_id] += 1
        adopted[year, department_id] += is_adopted
        for code in codes:
            aimed[year, department_id, code] += 1
    return Figures(
        {key: (with_plan[key], adopted[key]) for key in with_plan | adopted},
        dict(aimed),
    ).without_zeros()


def compute(school_years=None) -> Figures:
    return figures_of(states(school_years=school_years))


def stored(school_years=None) -> Figures:
    plans, aimed = PlanTally.objects.all(), AimedTally.objects.all()
    if school_years is not None:
        plans, aimed = plans.filter(school_year__in=school_years), aimed.filter(school_year__in=school_years)
    return Figures(
        {
            (year, dept): (n, a)
            for year, dept, n, a in plans.values_list(
                "school_year", "department_id", "schools_with_plan", "schools_adopted"
            )
        },
        {
            (year, dept, code): n
            for year, dept, code, n in aimed.values_list("school_year", "department_id", "code", "schools")
        },
    ).without_zeros()


def stored_states(school_ids=None) -> States:
    rows = PlanSchoolState.objects.all()
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    return {
        (school_id, year): (dept, adopted, tuple(codes))
        for school_id, year, dept, adopted, codes in rows.values_list(
            "school_id", "school_year", "department_id", "adopted", "codes"
        )
    }


def _bump(model, deltas: dict, **key) -> None:
    """Adds the deltas to one counters' row, created at its first use."""
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if not deltas:
        return
    if sql.update(model, where=key, add=deltas) == 0:
        model.objects.bulk_create([model(**key)], ignore_conflicts=True)
        sql.update(model, where=key, add=deltas)


@transaction.atomic
def recount(school_ids) -> None:
    """Recomputes these schools' states and moves the counters by the difference."""
    school_ids = sorted(set(school_ids))
    if not school_ids:
        return
    # Locking the schools (in one order) serialises two recounts of one school: the second reads
    # the state the first stored.
    list(School.objects.select_for_update().filter(pk__in=school_ids).order_by("pk").values_list("pk"))
    old, new = stored_states(school_ids), states(school_ids)
    if old == new:
        return
    before, after = figures_of(old), figures_of(new)
    for key in before.plans.keys() | after.plans.keys():
        was, now = before.plans.get(key, (0, 0)), after.plans.get(key, (0, 0))
        year, department_id = key
        _bump(
            PlanTally,
            {"schools_with_plan": now[0] - was[0], "schools_adopted": now[1] - was[1]},
            school_year=year,
            department_id=department_id,
        )
    for key in before.aimed.keys() | after.aimed.keys():
        year, department_id, code = key
        _bump(
            AimedTally,
            {"schools": after.aimed.get(key, 0) - before.aimed.get(key, 0)},
            school_year=year,
            department_id=department_id,
            code=code,
        )
    changed = [key for key in old.keys() | new.keys() if old.get(key) != new.get(key)]
    gone = [key for key in changed if key not in new]
    for school_id, year in gone:
        PlanSchoolState.objects.filter(school_id=school_id, school_year=year).delete()
    for key in changed:
        if key in new:
            (school_id, year), (department_id, adopted, codes) = key, new[key]
            PlanSchoolState.objects.update_or_create(
                school_id=school_id,
                school_year=year,
                defaults={"department_id": department_id, "adopted": adopted, "codes": list(codes)},
            )


@transaction.atomic
def rebuild(school_years=None) -> Figures:
    """Replaces the stored states and counters (of the given school years, or all) by `compute`."""
    school_states = states(school_years=school_years)
    figures = figures_of(school_states)
    for model in (PlanSchoolState, PlanTally, AimedTally):
        rows = model.objects.all()
        if school_years is not None:
            rows = rows.filter(school_year__in=school_years)
        rows.delete()
    PlanSchoolState.objects.bulk_create(
        (
            PlanSchoolState(
                school_id=school_id, school_year=year, department_id=dept, adopted=adopted, codes=list(codes)
            )
            for (school_id, year), (dept, adopted, codes) in school_states.items()
        ),
        batch_size=2000,
    )
    PlanTally.objects.bulk_create(
        (
            PlanTally(school_year=year, department_id=dept, schools_with_plan=n, schools_adopted=a)
            for (year, dept), (n, a) in figures.plans.items()
        ),
        batch_size=2000,
    )
    AimedTally.objects.bulk_create(
        (
            AimedTally(school_year=year, department_id=dept, code=code, schools=n)
            for (year, dept, code), n in figures.aimed.items()
        ),
        batch_size=2000,
    )
    return figures


def plan_sums(school_year: str, department_ids) -> dict[int, tuple[int, int]]:
    """Per département, (schools with a plan covering the year, schools with an adopted one)."""
    return {
        dept: (n, a)
        for dept, n, a in PlanTally.objects.filter(school_year=school_year, department_id__in=department_ids)
        .order_by()
        .values_list("department_id", "schools_with_plan", "schools_adopted")
    }


def top_codes(school_year: str, department_ids, limit: int) -> list[tuple[str, int]]:
    """The codes the most schools' plans aim at, most first, then by code."""
    return list(
        AimedTally.objects.filter(school_year=school_year, department_id__in=department_ids, schools__gt=0)
        .order_by()
        .values("code")
        .annotate(n=Sum("schools"))
        .order_by("-n", "code")
        .values_list("code", "n")[:limit]
    )

"""The territory's counters of equipment needs (`NeedTally`), which the territory's page sums.

Counting the needs of 60,000 schools on every request is slower than an analytical engine scanning
them (benchmarks/README.md, « Besoins d'équipement »); summing a few rows per département is not.
So each write of a need moves its counters in the same transaction: `moved(before, after)` takes
a need's `Key` before the write and after it (None for a creation or a deletion) and moves the
two rows by the difference. A need of a closed school counts nowhere. When schools change
département, close or reopen (`territories.signals.schools_regrouped`), `recount` counts their
départements again from the rows. `rebuild` counts everything again (the bench generator, a
repair); `tests/equipment/test_tallies.py` checks after each service that the counters equal a
count of the rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.dispatch import receiver

from pilotis.equipment.models import Need, NeedTally
from pilotis.territories.models import Department, School
from pilotis.territories.signals import schools_regrouped


@dataclass(frozen=True)
class Key:
    """What a need adds to the counters."""

    department_id: int
    category: str
    funder: str
    state: str
    quantity: int
    cost_cents: int


def key(need) -> Key | None:
    """The need's contribution, None when its school is closed (it counts nowhere)."""
    school = need.school
    if not school.is_open:
        return None
    cents = int((need.estimated_cost or Decimal(0)) * 100)
    return Key(school.department_id, need.category, need.funder, need.state, need.quantity, cents)


def moved(before: Key | None, after: Key | None) -> None:
    """Moves the counters from `before` to `after`, inside the caller's transaction."""
    if before == after:
        return
    if before is not None:
        _add(before, -1)
    if after is not None:
        _add(after, 1)


def _add(k: Key, sign: int) -> None:
    row = NeedTally.objects.filter(department_id=k.department_id, category=k.category, funder=k.funder, state=k.state)
    changes = {
        "needs": F("needs") + sign,
        "quantity": F("quantity") + sign * k.quantity,
        "cost_cents": F("cost_cents") + sign * k.cost_cents,
    }
    if row.update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint: another writer may create the row meanwhile
            NeedTally.objects.create(
                department_id=k.department_id,
                category=k.category,
                funder=k.funder,
                state=k.state,
                needs=sign,
                quantity=sign * k.quantity,
                cost_cents=sign * k.cost_cents,
            )
    except IntegrityError:
        row.update(**changes)


def recount(department_ids) -> None:
    """Counts these départements' counters again from the needs of their open schools."""
    ids = sorted({pk for pk in department_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        # One recount of a département at a time (PostgreSQL; SQLite has one writer anyway).
        list(Department.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        NeedTally.objects.filter(department_id__in=ids).delete()
        grouped = (
            Need.objects.filter(school__is_open=True, school__department_id__in=ids)
            .order_by()
            .values("school__department_id", "category", "funder", "state")
            .annotate(needs=Count("pk"), quantity=Sum("quantity"), cost=Sum("estimated_cost"))
        )
        NeedTally.objects.bulk_create(
            NeedTally(
                department_id=row["school__department_id"],
                category=row["category"],
                funder=row["funder"],
                state=row["state"],
                needs=row["needs"],
                quantity=row["quantity"] or 0,
                # SQLite sums decimals as floats: to cents by the string, as PostgreSQL gives them.
                cost_cents=int((Decimal(str(row["cost"] or 0)) * 100).quantize(Decimal(1))),
            )
            for row in grouped
        )


def rebuild() -> None:
    recount(Department.objects.values_list("pk", flat=True))


@receiver(schools_regrouped, dispatch_uid="equipment.schools_regrouped")
def recount_after_a_regrouping(sender, school_ids, **kwargs):
    # Their départements now, and the ones they left: the latter are no longer knowable here, so
    # every département that counts one of these schools' needs is recounted too.
    now = set(School.objects.filter(pk__in=school_ids).values_list("department_id", flat=True))
    counted = set(NeedTally.objects.values_list("department_id", flat=True).distinct())
    recount(now | (counted if _needs_of(school_ids) else set()))


def _needs_of(school_ids) -> bool:
    return Need.objects.filter(school_id__in=school_ids).exists()

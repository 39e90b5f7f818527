"""The territory's needs (« Besoins d'équipement du territoire », `/pilotage/besoins/`): the needs
of the open schools of the départements the user follows, counted by category × state and by
funder × state, with their quantities and estimated costs. The page and its exports read the same
`figures`, so that they always agree. One grouped query, whatever the number of schools."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import Column, Exporter, safe_filename
from pilotis.equipment.enums import Funder, NeedCategory, NeedState
from pilotis.equipment.models import NeedTally
from pilotis.territories.models import Department

CENT = Decimal("0.01")


@dataclass
class Cell:
    needs: int = 0
    quantity: int = 0
    cost: Decimal = Decimal("0")

    def add(self, needs, quantity, cost):
        self.needs += needs
        self.quantity += quantity or 0
        # SQLite sums decimals as floats: back to cents, as PostgreSQL gives them.
        self.cost = (self.cost + Decimal(str(cost or 0))).quantize(CENT)


@dataclass
class Row:
    code: str
    label: str
    states: dict = field(default_factory=lambda: {s: Cell() for s in NeedState.values})
    total: Cell = field(default_factory=Cell)

    def state_cells(self):
        return [self.states[s] for s in NeedState.values]


@dataclass
class Figures:
    by_category: list[Row]
    by_funder: list[Row]
    total: Row


def territory_departments(user):
    return Department.objects.for_user(user).select_related("academy").order_by("code")


def figures(user, *, department=None, category=None, state=None) -> Figures:
    """The counts of the needs of the user's territory (one département of it if given), filtered."""
    departments = Department.objects.for_user(user)
    if department is not None:
        departments = departments.filter(pk=department.pk)
    # The counters the services move (`equipment.tallies`), not the needs: a few rows per département.
    counters = NeedTally.objects.filter(department__in=departments)
    if category:
        counters = counters.filter(category=category)
    if state:
        counters = counters.filter(state=state)
    grouped = (
        counters.order_by()
        .values("category", "funder", "state")
        .annotate(n=Sum("needs"), quantity=Sum("quantity"), cents=Sum("cost_cents"))
        .filter(n__gt=0)
    )
    categories = {code: Row(code, label) for code, label in NeedCategory.choices}
    funders = {code: Row(code, label) for code, label in Funder.choices}
    total = Row("", _("Total"))
    for line in grouped:
        for row in (categories[line["category"]], funders[line["funder"]], total):
            cost = Decimal(line["cents"] or 0) / 100
            row.states[line["state"]].add(line["n"], line["quantity"], cost)
            row.total.add(line["n"], line["quantity"], cost)
    return Figures(list(categories.values()), list(funders.values()), total)


class FiguresExport(Exporter):
    """The page's two tables, one row per grouping × state (the same `figures`)."""

    title = gettext_lazy("Besoins d'équipement")
    columns = (
        Column("grouping", gettext_lazy("Regroupement")),
        Column("value", gettext_lazy("Catégorie ou financeur"), "7cm"),
        Column("state", gettext_lazy("État")),
        Column("needs", gettext_lazy("Besoins")),
        Column("quantity", gettext_lazy("Quantité")),
        Column("cost", gettext_lazy("Coût estimé (€)")),
    )

    def __init__(self, result: Figures):
        self.result = result

    def rows(self):
        groups = ((_("Catégorie"), self.result.by_category), (_("Financeur"), self.result.by_funder))
        for grouping, rows in groups:
            for row in rows:
                for code, label in NeedState.choices:
                    cell = row.states[code]
                    yield {
                        "grouping": grouping,
                        "value": str(row.label),
                        "state": str(label),
                        "needs": cell.needs,
                        "quantity": cell.quantity,
                        "cost": cell.cost,
                    }
                yield {
                    "grouping": grouping,
                    "value": str(row.label),
                    "state": _("Tous états"),
                    "needs": row.total.needs,
                    "quantity": row.total.quantity,
                    "cost": row.total.cost,
                }


def export_filename(fmt: str) -> str:
    return safe_filename("besoins-equipement", timezone.localdate().isoformat(), extension=fmt)

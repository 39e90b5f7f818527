from decimal import Decimal

import pytest

from pilotis.equipment import services
from pilotis.equipment.enums import CollectivityKind, Funder, NeedCategory


def need_input(**overrides):
    values = {
        "category": NeedCategory.DISPLAY,
        "object": "Vidéoprojecteur interactif",
        "quantity": 2,
        "funder": Funder.DEPARTMENT,
        "place": "Salles 12 et 14",
        "why": "Les salles n'ont pas d'affichage collectif.",
        "indicator_codes": [],
        "estimated_cost": Decimal("2400"),
    }
    values.update(overrides)
    return services.NeedInput(**values)


def record(world, by=None, school=None, **overrides):
    return services.record_need(school or world.school_a, need_input(**overrides), by=by or world.rupn_a)


def prioritised(world, **overrides):
    need = record(world, **overrides)
    return services.change_state(need, "prioritised", by=world.chef_a)


@pytest.fixture
def landes_collectivity(world):
    world.chef_a.email = "chef.alpha@example.org"
    world.chef_a.save()
    return services.set_collectivity(
        world.bordeaux,
        kind=CollectivityKind.DEPARTMENT,
        department=world.landes,
        name="Département des Landes",
        email="equipement@landes.example.org",
        by=world.dane,
    )

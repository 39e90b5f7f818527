"""Services of school A's register, recorded through the services."""

from pilotis.digital_services import services
from pilotis.digital_services.services import ServiceInput


def data(**overrides) -> ServiceInput:
    values = {"kind": "ent", "name": "ENT des Landes"}
    values.update(overrides)
    return ServiceInput(**values)


def record(world, school=None, by=None, **overrides):
    return services.record_service(school or world.school_a, data(**overrides), by=by or world.rupn_a)

"""The permission matrix's rows of `digital_services`: the members of school A read its register
and download it; its direction and RUPN add, change and delete services (403 for its other
members); everyone else, the territory included: 404."""

from pilotis.digital_services import services
from pilotis.digital_services.models import DigitalService


def _service(w):
    return services.record_service(
        w.school_a,
        services.ServiceInput(kind="ent", name="ENT des Landes", administrator_ids=[w.rupn_a.pk]),
        by=w.rupn_a,
    )


def service(w):
    return [w.school_a.uai, _service(w).pk]


def service_data(w):
    return {"kind": "pix", "name": "Pix", "since": "2020", "administrators": [w.member_a.pk]}


def edit_data(w):
    current = DigitalService.objects.filter(school=w.school_a).latest("pk")
    return {**service_data(w), "seen_revision": current.revision}


def snapshot():
    return (
        sorted(DigitalService.objects.values_list("pk", "name", "kind", "revision")),
        sorted(DigitalService.administrators.through.objects.values_list("digitalservice_id", "user_id")),
    )


def extend(matrix):
    statuses = matrix.statuses
    members = matrix.FILLERS_A | {"member_a"}
    writers = matrix.FILLERS_A
    read = statuses(404, s200=members)
    write = statuses(404, s302=writers, s403=members - writers)
    matrix.MATRIX.update(
        {
            "digital_services:home": ("get", matrix.school_a, None, read),
            "digital_services:export_ods": ("get", matrix.school_a, None, read),
            "digital_services:create": ("post", matrix.school_a, service_data, write),
            "digital_services:edit": ("post", service, edit_data, write),
            "digital_services:delete": ("post", service, None, write),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(["digital_services:home", "digital_services:export_ods"], ("digital_services:read",)),
            **dict.fromkeys(
                ["digital_services:create", "digital_services:edit", "digital_services:delete"],
                ("digital_services:write",),
            ),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)

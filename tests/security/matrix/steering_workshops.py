"""The permission matrix's rows of Pilotage's « Ateliers et formations » (`steering.views_workshops`):
read like every dashboard, by those who follow the campaign's territory; 404 for everyone else."""

from pilotis.workshops.models import Workshop


def _snapshot():
    # The pages only read: a refused request leaves the sessions as they were.
    return sorted(Workshop.objects.values_list("pk", "revision"))


def extend(matrix):
    steering = matrix.statuses(404, s200=matrix.BORDEAUX_STEERING)
    matrix.MATRIX.update(
        {
            "steering:workshops": ("get", matrix.bordeaux_campaign, None, steering),
            "steering:workshops_export": (
                "get",
                lambda w: [matrix.open_campaign(w).pk, "themes", "csv"],
                None,
                steering,
            ),
        }
    )
    matrix.GUARDS.update(dict.fromkeys(["steering:workshops", "steering:workshops_export"], ("steering:read",)))
    matrix.SNAPSHOTS.append(_snapshot)

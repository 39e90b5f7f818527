"""The permission matrix's rows of Pilotage's « Plans d'actions » (`steering.views_plans`): read
like every dashboard, by those who follow the campaign's territory; 404 for everyone else."""

from pilotis.plans.models import Action, Plan


def _plans_snapshot():
    # The pages only read: a refused request leaves the plans and their actions as they were.
    return (
        sorted(Plan.objects.values_list("pk", "revision", "adopted_revision")),
        sorted(Action.objects.values_list("pk", "status", "revision")),
    )


def extend(matrix):
    steering = matrix.statuses(404, s200=matrix.BORDEAUX_STEERING)
    matrix.MATRIX.update(
        {
            "steering:plans": ("get", matrix.bordeaux_campaign, None, steering),
            "steering:plans_schools": ("get", matrix.bordeaux_campaign, None, steering),
            "steering:plans_export": (
                "get",
                lambda w: [matrix.open_campaign(w).pk, "schools", "ods"],
                None,
                steering,
            ),
        }
    )
    matrix.GUARDS.update(
        dict.fromkeys(["steering:plans", "steering:plans_schools", "steering:plans_export"], ("steering:read",))
    )
    matrix.SNAPSHOTS.append(_plans_snapshot)

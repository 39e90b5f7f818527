"""The permission matrix's rows of the plan's loop back to the self-assessment (`plans.views_loop`):
`extend(matrix)` adds them (the matrix module is given, with its helpers)."""

from pilotis.assessments.models import AnswerChange
from pilotis.plans import services as plan_services
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, Plan
from pilotis.referential.models import Indicator


def done_action_of_a(matrix, w):
    """School A's done action serving PIL.1.01, in a plan on the matrix's campaign referential."""
    campaign = matrix.open_campaign(w)
    action = Action.objects.filter(school=w.school_a, title="Adopter la charte").first()
    if action is None:
        plan = Plan.objects.create(
            school=w.school_a, referential=campaign.referential, first_year=matrix.YEAR, last_year=matrix.YEAR
        )
        indicator = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
        action = plan_services.create_action(plan, by=w.rupn_a, title="Adopter la charte", indicators=[indicator])
        action = plan_services.change_status(action, by=w.rupn_a, status=ActionStatus.DONE)
    return action


def extend(matrix):
    readers, writers = matrix.SCHOOL_A_READERS, matrix.FILLERS_A

    def updates_args(w):
        return [w.school_a.uai, done_action_of_a(matrix, w).pk]

    def apply_args(w):
        return [*updates_args(w), "PIL.1.01"]

    matrix.MATRIX.update(
        {
            "plans:indicator_updates": ("get", updates_args, None, matrix.statuses(404, s200=readers)),
            # A refusal of the campaign's state is a message on the page the writer comes back to
            # (302): the role decides the status.
            "plans:apply_indicator": (
                "post",
                apply_args,
                lambda w: {"seen_revision": "0"},
                matrix.statuses(404, s302=writers, s403=readers - writers),
            ),
        }
    )
    matrix.GUARDS.update({"plans:indicator_updates": ("plan:read",), "plans:apply_indicator": ("assessment:fill",)})
    matrix.SNAPSHOTS.extend(
        [
            lambda: sorted(AnswerChange.objects.values_list("pk", "status_after", "source")),
            lambda: sorted(Action.objects.values_list("pk", "status", "revision")),
        ]
    )

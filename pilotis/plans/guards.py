"""View guards of the plan's actions, named `action:<move>`.

Most moves are the plan's writers' (`school_action(name, can_write_plan)`, refused before the action
is read). Changing an action's status is also its responsible member's: that rule is about one
action, so `action_move` reads the action first — another school's is a 404 — then asks the
predicate (403)."""

from functools import wraps

from pilotis.core.guards import get_or_refuse, refuse
from pilotis.plans.models import Action
from pilotis.territories.guards import school_view


def action_in_school(request, school, pk):
    """The school's action; another school's does not exist here (404)."""
    return get_or_refuse(
        request,
        Action.objects.filter(school=school).select_related("plan", "objective", "suggestion"),
        what="action",
        pk=pk,
    )


def action_move(name: str, predicate):
    """Guard `name` on a move of one action: the school within the user's scope and the action of
    that school (404), then `predicate(user, action)` (403). The view receives the action."""

    def decorator(view):
        @school_view("read", guard=name)
        @wraps(view)
        def wrapper(request, school, pk, *args, **kwargs):
            action = action_in_school(request, school, pk)
            action.school = school
            if not predicate(request.user, action):
                refuse(request, obj=school, what=name, status=403)
            return view(request, school, action, *args, **kwargs)

        return wrapper

    return decorator

"""The guard of an item's pages: the item within what the user may open (404 otherwise), then the
ability the view needs (403 otherwise)."""

from functools import wraps

from pilotis.core.guards import get_or_refuse, name_guard, refuse
from pilotis.news import audience


def item_action(name: str, predicate=None):
    """Guard `name`: the item among `audience.visible_to(user)` (404), then `predicate(user, item)`
    (403) when given. Passes the item to the view instead of its pk."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            queryset = audience.visible_to(request.user).select_related("academy", "department", "mailing")
            item = get_or_refuse(request, queryset, what=name, pk=pk)
            if predicate is not None and not predicate(request.user, item):
                refuse(request, obj=item, what=name, status=403)
            return view(request, item, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator

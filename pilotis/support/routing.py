"""Which channel a school's request goes to: its académie's routing table, the most precise row
first (département and type, then département, then type, then the académie as a whole)."""

from pilotis.support.models import Route


def propose(school, category):
    """The channel for this school and category, or None when the table has no row for it."""
    department = school.department
    routes = Route.objects.filter(academy_id=department.academy_id, category=category).select_related("channel")
    best, best_rank = None, -1
    for route in routes:
        if route.department_id not in (None, department.pk) or route.school_kind not in ("", school.kind):
            continue
        rank = (2 if route.department_id else 0) + (1 if route.school_kind else 0)
        if rank > best_rank:
            best, best_rank = route, rank
    return best.channel if best else None

"""The académie's news on the school's page (core.panels.school_panel), for its RUPN and its
direction: the items reaching the school that they have not read yet."""

from pilotis.core.panels import Panel, school_panel
from pilotis.core.scope import scope_of
from pilotis.news import audience
from pilotis.news.models import NewsReading

SHOWN = 5


@school_panel("news", order=12)
def news_block(request, school) -> Panel | None:
    if scope_of(request.user).school_roles.get(school.pk) not in audience.READER_ROLES:
        return None
    read = NewsReading.objects.filter(user=request.user).values("item_id")
    unread = audience.items_reaching(school).exclude(pk__in=read).order_by("-published_at", "-pk")
    items = list(unread[: SHOWN + 1])
    count = len(items) if len(items) <= SHOWN else unread.count()
    return Panel("news/panel.html", {"unread": items[:SHOWN], "count": count})

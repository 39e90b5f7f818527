"""What the académie's news hold about a person (core.personal_data): the items they read (and
when), those they wrote. An item keeps its author's name as text: the anonymiser replaces it."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.news.models import NewsItem, NewsReading


@section("news_read", lambda: _("Actualités de l’académie lues"), 80)
def read(user) -> list[dict]:
    return [
        {_("actualité"): r.item.title, _("lue le"): when(r.read_at)}
        for r in NewsReading.objects.filter(user=user).select_related("item").order_by("read_at", "pk")
    ]


@section("news_written", lambda: _("Actualités de l’académie écrites"), 81)
def written(user) -> list[dict]:
    return [
        {_("actualité"): i.title, _("créée le"): when(i.created_at), _("publiée le"): when(i.published_at)}
        for i in NewsItem.objects.filter(author=user).order_by("created_at", "pk")
    ]


@anonymiser("news")
def forget(user) -> None:
    NewsItem.objects.filter(author=user).update(author_label=str(ANONYMOUS_LABEL))

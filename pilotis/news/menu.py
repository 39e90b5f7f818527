"""The académie's news in the main menu's « Académie » group (`core.menu`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from pilotis.core.menu import menu_entry
from pilotis.news.perms import can_read_news, can_write_news


@menu_entry("academie", "news", order=20)
def read(request):
    return (_("Actualités de l’académie"), reverse("news:index")) if can_read_news(request.user) else None


@menu_entry("academie", "news_writing", order=30)
def write(request):
    return (_("Rédaction des actualités"), reverse("news:manage")) if can_write_news(request.user) else None

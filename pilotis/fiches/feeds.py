"""The Atom feed of the catalogue's new fiches (`/fiches/flux.atom`), with the page's filters kept
in its URL (the same query string), scoped to its reader.

The feed is read with the reader's session, like every page: Pilotis has no anonymous page and no
per-user token (a token in a URL leaks through logs and shared feed lists). A feed reader built
into the browser, or one that shares its cookies, follows it while the person is signed in;
others get the sign-in page.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from pilotis.fiches.catalogue import Catalogue, describe

FEED_SIZE = 30


class CatalogueFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return Catalogue(request.user, request.GET)

    def title(self, catalogue):
        return _("Pilotis — nouvelles fiches d'usage du catalogue de l'académie")

    def subtitle(self, catalogue):
        return _("Les dernières fiches publiées et partagées avec l'académie, selon les filtres choisis.")

    def link(self, catalogue):
        query = catalogue.form.data.urlencode() if catalogue.form.is_bound else ""
        return reverse("fiche_catalogue:list") + (f"?{query}" if query else "")

    def items(self, catalogue):
        return catalogue.latest(FEED_SIZE)

    def item_title(self, fiche):
        return fiche.title

    def item_description(self, fiche):
        shown = describe(fiche)
        facts = [fiche.school.name, fiche.school_year, *shown["level"], *shown["discipline"]]
        return " · ".join(facts) + ("\n\n" + fiche.summary if fiche.summary else "")

    def item_link(self, fiche):
        return reverse("fiche_catalogue:fiche", args=[fiche.pk])

    def item_pubdate(self, fiche):
        return fiche.published_at

    def item_updateddate(self, fiche):
        return fiche.published_at

    def item_author_name(self, fiche):
        return fiche.school.name

    def item_categories(self, fiche):
        shown = describe(fiche)
        return [*shown["discipline"], *shown["level"]]

from django.urls import reverse
from django.utils.translation import gettext as _

from pilotis.core.menu import entries_for
from pilotis.core.scope import scope_of
from pilotis.territories.perms import follows_territory, is_dane


def navigation(request):
    """The main menu, built only if the page shows it (an htmx fragment does not)."""
    return {"nav_items": lambda: _navigation_items(request)}


def menu_links(entries):
    """The menu's links, its groups opened: [{label, url, active}], in order."""
    for entry in entries:
        yield from entry.get("links", [entry])


def _navigation_items(request):
    """The main menu: what the user's roles give access to, and nothing else, in groups (a RUPN's
    school has a dozen sections; a flat bar would wrap). A group is a DSFR menu opened by a button;
    without JavaScript its links open on hover and focus (pilotis.css) and the group's own link
    leads to its first page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    groups: list[tuple[str, str, list]] = []  # (label, id, [(label, url)]); an id "" is a plain link
    sections = {}  # an item's address → the prefix of the pages it stands for, when they differ
    school = getattr(request, "current_school", None)
    if school:  # a lazy object (accounts.middleware): test its truth
        uai = school.uai
        # The school's current campaign in one click (the view picks it); every SCHÉMATIC page of
        # the school, past years' included, is under this item.
        schematic = reverse("assessments:current", args=[uai])
        sections[schematic] = reverse("assessments:school_assessments", args=[uai])
        groups.append(
            (
                _("Mon établissement"),
                "etablissement",
                [
                    (_("Accueil de l’établissement"), reverse("territories:school_detail", args=[uai])),
                    (_("Équipe"), reverse("members:list", args=[uai])),
                    (_("Mission du RUPN"), reverse("missions:school", args=[uai])),
                    (_("Services numériques"), reverse("digital_services:home", args=[uai])),
                    (_("Besoins d’équipement"), reverse("equipment:home", args=[uai])),
                    (_("Demandes d’assistance"), reverse("support:home", args=[uai])),
                ],
            )
        )
        groups.append(
            (
                _("Pilotage du numérique"),
                "pilotage-etablissement",
                [
                    (_("Autodiagnostic SCHÉMATIC"), schematic),
                    (_("Plan d’actions"), reverse("plans:home", args=[uai])),
                    (_("Commission numérique"), reverse("commission:home", args=[uai])),
                    (_("Fiches d’usage"), reverse("fiches:home", args=[uai])),
                    (_("Ateliers et formations"), reverse("workshops:home", args=[uai])),
                    (_("Flash’infos"), reverse("newsletters:home", args=[uai])),
                ],
            )
        )
    academy = []
    if scope_of(user).belongs_to_academy:
        academy.append((_("Catalogue des fiches"), reverse("fiche_catalogue:list")))
    academy.extend(entries_for(request, "academie"))  # the académie's news (`news.menu`)
    if follows_territory(user):
        groups.append(
            (
                _("Territoire"),
                "territoire",
                [
                    (_("Établissements du territoire"), reverse("schools:list")),
                    (_("Pilotage"), reverse("steering:index")),
                    (_("Suivi de l'accompagnement"), reverse("accompaniments:list")),
                    (_("Réseau des RUPN"), reverse("network:list")),
                    (_("Besoins d’équipement du territoire"), reverse("territory_needs:overview")),
                    (_("Canaux d’assistance"), reverse("support_routing:home")),
                ],
            )
        )
    if academy:
        groups.append((_("Académie"), "academie", academy))
    if is_dane(user):
        # The DANE: its campaigns, its people and its services.
        groups.append(
            (
                _("Administration académique"),
                "administration-academique",
                [
                    (_("Campagnes"), reverse("campaigns:list")),
                    (_("Rôles territoriaux"), reverse("accounts:territory_roles")),
                    (_("Catalogue des missions"), reverse("catalogue:list")),
                    (_("Adresses des collectivités"), reverse("territory_needs:collectivities")),
                ],
            )
        )
    groups.append((_("Référentiel"), "", [(_("Référentiel"), reverse("referential:version_list"))]))
    if user.is_staff:
        groups.append((_("Administration"), "", [(_("Administration"), reverse("admin:index"))]))
    groups.append((_("Mon compte"), "", [(_("Mon compte"), reverse("accounts:profile"))]))

    path = request.path
    urls = [url for _label, _id, items in groups for _item, url in items]
    # The one item whose address is the longest prefix of the page's is the current one.
    matches = [url for url in urls if path.startswith(sections.get(url, url))]
    current = max(matches, key=lambda url: len(sections.get(url, url)), default=None)
    entries = []
    for label, group_id, items in groups:
        links = [{"label": item, "url": url, "active": url == current} for item, url in items]
        if not group_id:
            entries.extend(links)
        else:
            entries.append(
                {
                    "label": label,
                    "id": group_id,
                    "links": links,
                    "url": links[0]["url"],
                    "active": any(link["active"] for link in links),
                }
            )
    return entries

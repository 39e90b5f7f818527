from django.urls import reverse
from django.utils.translation import gettext as _

from pilotis.core.scope import scope_of
from pilotis.territories.perms import follows_territory, is_dane


def navigation(request):
    """The main menu, built only if the page shows it (an htmx fragment does not)."""
    return {"nav_items": lambda: _navigation_items(request)}


def _navigation_items(request):
    """The main menu: what the user's roles give access to, and nothing else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    sections = {}  # an item's address → the prefix of the pages it stands for, when they differ
    school = getattr(request, "current_school", None)
    if school:  # a lazy object (accounts.middleware): test its truth
        items.append((_("Mon établissement"), reverse("territories:school_detail", args=[school.uai])))
        # The school's current campaign in one click (the view picks it); every SCHÉMATIC page of
        # the school, past years' included, is under this item.
        schematic = reverse("assessments:current", args=[school.uai])
        sections[schematic] = reverse("assessments:school_assessments", args=[school.uai])
        items.append((_("Autodiagnostic SCHÉMATIC"), schematic))
        items.append((_("Équipe"), reverse("members:list", args=[school.uai])))
        items.append((_("Mission du RUPN"), reverse("missions:school", args=[school.uai])))
        items.append((_("Plan d’actions"), reverse("plans:home", args=[school.uai])))
        items.append((_("Commission numérique"), reverse("commission:home", args=[school.uai])))
        items.append((_("Fiches d’usage"), reverse("fiches:home", args=[school.uai])))
        items.append((_("Ateliers et formations"), reverse("workshops:home", args=[school.uai])))
    if scope_of(user).belongs_to_academy:
        items.append((_("Catalogue des fiches"), reverse("fiche_catalogue:list")))
    if follows_territory(user):
        items.append((_("Établissements du territoire"), reverse("schools:list")))
        items.append((_("Pilotage"), reverse("steering:index")))
        items.append((_("Suivi de l'accompagnement"), reverse("accompaniments:list")))
        items.append((_("Réseau des RUPN"), reverse("network:list")))
    if is_dane(user):
        # The DANE: its campaigns and its people.
        items.append((_("Campagnes"), reverse("campaigns:list")))
        items.append((_("Rôles territoriaux"), reverse("accounts:territory_roles")))
        items.append((_("Catalogue des missions"), reverse("catalogue:list")))
    items.append((_("Référentiel"), reverse("referential:version_list")))
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    items.append((_("Mon compte"), reverse("accounts:profile")))
    path = request.path
    # The one item whose address is the longest prefix of the page's is the current one.
    matches = [url for _label, url in items if path.startswith(sections.get(url, url))]
    current = max(matches, key=lambda url: len(sections.get(url, url)), default=None)
    return [{"label": label, "url": url, "active": url == current} for label, url in items]

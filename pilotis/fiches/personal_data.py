"""What the usage fiches hold about a person (core.personal_data): the fiches they are an author
of, and whether they agreed to be named. The fiches name a person through their account only (no
name kept as text): once anonymised, the account's name is gone from them; their consent to be
named is withdrawn, since nobody is left to give it."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import anonymiser, section, when
from pilotis.fiches.models import FicheAuthor


@section("fiche_authors", lambda: _("Fiches d’usage dont vous êtes auteur"), 75)
def authored(user) -> list[dict]:
    return [
        {
            _("établissement"): author.fiche.school.name,
            _("fiche"): author.fiche.title,
            _("état"): str(author.fiche.get_state_display()),
            _("diffusion"): str(author.fiche.get_visibility_display()),
            _("nommé·e en dehors de l’établissement"): _("oui") if author.named else _("non"),
            _("créée le"): when(author.fiche.created_at),
        }
        for author in FicheAuthor.objects.filter(user=user)
        .select_related("fiche__school")
        .order_by("fiche__created_at", "pk")
    ]


@anonymiser("fiches")
def forget(user) -> None:
    FicheAuthor.objects.filter(user=user).update(named=False)

"""The demo's fiches, loaded into the tests' académie: the Landes collège's draft by its teacher,
published fiches shared with the académie, one put forward; loaded twice, nothing is duplicated."""

import io

from pilotis.demo.fiches import load_fiches
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche


def test_the_demo_fiches(world, referential):
    users = {"enseignant": world.member_a, "rupn": world.rupn_a, "direction": world.chef_a, "rupn64": world.rupn_b}
    out = io.StringIO()
    load_fiches(users, world.school_a, world.school_b, out)
    (draft,) = Fiche.objects.filter(state=FicheState.DRAFT)
    assert draft.school == world.school_a and draft.authors.get().user == world.member_a
    published = Fiche.objects.filter(state=FicheState.PUBLISHED)
    assert published.count() == 3 and "3 publiées" in out.getvalue()
    assert published.filter(school=world.school_b, visibility=Visibility.ACADEMY).exists()
    assert Fiche.objects.in_catalogue().filter(featured_at__isnull=False).count() == 1
    tni = Fiche.objects.get(title__startswith="Le tableau numérique")
    assert tni.authors.get(user=world.member_a).named and tni.visibility == Visibility.ACADEMY
    load_fiches(users, world.school_a, world.school_b, io.StringIO())
    assert Fiche.objects.count() == 4

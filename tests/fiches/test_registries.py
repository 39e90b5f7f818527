"""What the fiches register in core: the notes beside PIL.1.06, PIL.2.03 and PIL.3.04, the school's
panel, the person's data and the anonymiser."""

from django.urls import reverse

from pilotis.core.panels import notes_for
from pilotis.core.personal_data import anonymise, gather
from pilotis.fiches.enums import Visibility
from pilotis.fiches.models import FicheAuthor
from pilotis.fiches.notes import fiche_notes
from pilotis.fiches.panels import fiches as fiches_panel
from pilotis.referential.models import Indicator
from tests.fiches.helpers import draft, published


def _request(rf, user):
    request = rf.get("/")
    request.user = user
    return request


def test_the_notes_inform_beside_the_catalogue_indicators(world, rf, campaign, django_assert_max_num_queries):
    indicators = list(Indicator.objects.filter(version=campaign.referential))
    request = _request(rf, world.rupn_a)
    others = [i for i in indicators if i.code not in ("PIL.1.06", "PIL.2.03", "PIL.3.04")]
    with django_assert_max_num_queries(0):
        assert fiche_notes(request, world.school_a, campaign, others) == {}
    notes = fiche_notes(request, world.school_a, campaign, indicators)
    assert sorted(notes) == ["PIL.1.06", "PIL.2.03", "PIL.3.04"]
    assert notes["PIL.2.03"][0].text == "L’établissement n’a encore publié aucune fiche d’usage."
    shared = published(world, Visibility.ACADEMY, title="Partagée")
    published(world, Visibility.SCHOOL, title="Pour l'équipe")
    draft(world, title="Brouillon")
    with django_assert_max_num_queries(3):
        (note,) = fiche_notes(request, world.school_a, campaign, indicators)["PIL.3.04"]
    assert note.text == "2 fiches d’usage publiées par l’établissement, dont 1 partagée avec l’académie."
    assert [label for label, _url in note.links] == ["Pour l'équipe", "Partagée"]
    # The territory reads the count, and links only to what it may open.
    (note,) = fiche_notes(_request(rf, world.correspondant_40), world.school_a, campaign, indicators)["PIL.1.06"]
    assert note.links == (("Partagée", reverse("fiches:detail", args=[world.school_a.uai, shared.pk])),)
    # Registered: the self-assessment's pages find the note among the others.
    assert note in notes_for(_request(rf, world.correspondant_40), world.school_a, campaign, indicators)["PIL.1.06"]


def test_the_school_panel_counts_what_the_reader_reads(world, rf):
    published(world, Visibility.ACADEMY)
    published(world, Visibility.SCHOOL)
    draft(world)
    panel = fiches_panel(_request(rf, world.member_a), world.school_a)
    assert panel.data == {"published": 2, "shared": 1, "drafts": 1}
    panel = fiches_panel(_request(rf, world.correspondant_40), world.school_a)
    assert panel.data == {"published": 1, "shared": 1, "drafts": 0}


def test_personal_data_and_anonymisation(world):
    fiche = draft(world, title="Ma fiche", authors=[world.member_a])
    FicheAuthor.objects.filter(fiche=fiche).update(named=True)
    sections = {section["titre"]: section["lignes"] for section in gather(world.member_a)["sections"]}
    (row,) = sections["Fiches d’usage dont vous êtes auteur"]
    assert row["fiche"] == "Ma fiche" and row["nommé·e en dehors de l’établissement"] == "oui"
    anonymise(world.member_a)
    assert not FicheAuthor.objects.get(fiche=fiche).named

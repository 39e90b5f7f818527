"""The fiches' services: what they write, what they refuse (in French, writing nothing), who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.accounts.enums import SchoolRole
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.core.school_years import current_school_year
from pilotis.fiches import search, services
from pilotis.fiches.enums import FicheState, TermKind, Visibility
from pilotis.fiches.models import Fiche, FicheAuthor, FicheTerm
from pilotis.plans.models import Action, Plan
from tests.factories import MembershipFactory, UserFactory
from tests.fiches.helpers import draft, fiche_input, published


@pytest.fixture
def indexed(monkeypatch):
    calls = []
    monkeypatch.setattr(search, "index_fiche", lambda fiche: calls.append(fiche.pk))
    return calls


def terms(fiche, kind):
    return sorted(FicheTerm.objects.filter(fiche=fiche, kind=kind).values_list("code", flat=True))


def test_a_new_fiche_is_a_draft_of_its_school_and_academie(world, indexed):
    fiche = services.create_fiche(world.school_a, by=world.member_a, data=fiche_input(school_year=""))
    fiche.refresh_from_db()
    assert fiche.state == FicheState.DRAFT and fiche.visibility == Visibility.SCHOOL
    assert fiche.academy_id == world.bordeaux.pk and fiche.school_year == current_school_year()
    assert [a.user_id for a in fiche.authors.all()] == [world.member_a.pk]
    assert terms(fiche, TermKind.LEVEL) == ["5E"] and terms(fiche, TermKind.TOOL) == ["geogebra", "tni"]
    assert indexed == [fiche.pk]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"levels": ["7E"]}, "Codes inconnus pour les niveaux : 7E."),
        ({"disciplines": ["ASTROLOGIE"]}, "ASTROLOGIE"),
        ({"competences": ["6.1"]}, "compétences du CRCN"),
        ({"title": "  "}, "Le titre est obligatoire."),
        ({"school_year": "2026"}, "L'année scolaire s'écrit « 2025-2026 »."),
        ({"licence": "copyright"}, "Licence inconnue."),
        ({"visibility": "monde"}, "Diffusion inconnue."),
        ({"tools": [f"outil {n}" for n in range(11)]}, "au plus 10 outils"),
        ({"indicators": ["PIL.9.99"]}, "Ces indicateurs ne sont pas dans le référentiel : PIL.9.99."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(world, fields, message):
    with pytest.raises(ValidationError) as error:
        services.create_fiche(world.school_a, by=world.member_a, data=fiche_input(**fields))
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not Fiche.objects.exists() and not FicheTerm.objects.exists()


def test_authors_are_members_of_the_school(world):
    with pytest.raises(ValidationError) as error:
        services.create_fiche(
            world.school_a, by=world.member_a, data=fiche_input(authors=[world.member_a, world.rupn_b])
        )
    assert "n'en est pas" in " ".join(error.value.messages)
    assert not Fiche.objects.exists()


def test_actions_are_the_schools_own(world, mini_referential):
    from tests.factories import open_campaign

    campaign = open_campaign(world, mini_referential, "2026-2027")
    plan_b = Plan.objects.create(
        school=world.school_b,
        referential=campaign.referential,
        campaign=campaign,
        first_year="2026-2027",
        last_year="2026-2027",
    )
    foreign = Action.objects.create(plan=plan_b, school=world.school_b, title="Action de B")
    with pytest.raises(ValidationError):
        services.create_fiche(world.school_a, by=world.member_a, data=fiche_input(actions=[foreign]))
    assert not Fiche.objects.exists()


def test_indicators_are_codes_of_the_referential(world, mini_referential):
    from tests.factories import open_campaign

    open_campaign(world, mini_referential, "2026-2027")
    fiche = draft(world, indicators=["PIL.1.01"])
    assert terms(fiche, TermKind.INDICATOR) == ["PIL.1.01"]


def test_only_the_schools_members_write_fiches(world):
    for outsider in (world.correspondant_40, world.dane, world.rupn_b):
        with pytest.raises(PermissionDenied):
            services.create_fiche(world.school_a, by=outsider, data=fiche_input())
    assert not Fiche.objects.exists()


def test_tools_are_normalised_and_bounded():
    # One form for storing and for the catalogue's filter: lower case, spaces collapsed.
    assert services.parse_tools(" ENT ,  Pix  Orga, ent, , GeoGebra") == ["ent", "pix orga", "geogebra"]
    with pytest.raises(ValidationError, match="au plus 10"):
        services.parse_tools(",".join(f"outil {n}" for n in range(11)))
    with pytest.raises(ValidationError, match="40 caractères"):
        services.parse_tools("x" * 41)
    with pytest.raises(ValidationError, match="caractère non autorisé"):
        services.parse_tools("ENT\u202e")


def test_a_stale_update_writes_nothing(world, indexed):
    fiche = draft(world)
    services.update_fiche(fiche, by=world.member_a, data=fiche_input(title="Première"), seen_revision=0)
    with pytest.raises(services.StaleFiche):
        services.update_fiche(fiche, by=world.rupn_a, data=fiche_input(title="Seconde", levels=["6E"]), seen_revision=0)
    fiche.refresh_from_db()
    assert fiche.title == "Première" and fiche.revision == 1
    assert terms(fiche, TermKind.LEVEL) == ["5E"]


def test_update_changes_terms_and_authors_but_keeps_each_authors_consent(world):
    fiche = draft(world, authors=[world.member_a, world.rupn_a])
    services.set_named(fiche, by=world.member_a, named=True)
    services.update_fiche(
        fiche,
        by=world.rupn_a,
        data=fiche_input(levels=["6E", "3E"], tools=["Pix"], authors=[world.chef_a, world.member_a]),
        seen_revision=fiche.revision,
    )
    assert terms(fiche, TermKind.LEVEL) == ["3E", "6E"] and terms(fiche, TermKind.TOOL) == ["pix"]
    authors = list(FicheAuthor.objects.filter(fiche=fiche).order_by("position").values_list("user_id", "named"))
    assert authors == [(world.chef_a.pk, False), (world.member_a.pk, True)]


def test_who_may_change_a_fiche(world):
    fiche = draft(world)
    colleague = MembershipFactory(
        user=UserFactory(username="collegue"), school=world.school_a, role=SchoolRole.MEMBRE
    ).user
    with pytest.raises(PermissionDenied):
        services.update_fiche(fiche, by=colleague, data=fiche_input(title="Pris"), seen_revision=None)
    services.update_fiche(fiche, by=world.chef_a, data=fiche_input(title="Relu par la direction"), seen_revision=None)
    assert Fiche.objects.get().title == "Relu par la direction"


def test_consent_is_the_authors_own_act(world):
    fiche = draft(world, authors=[world.member_a, world.rupn_a])
    with pytest.raises(PermissionDenied):
        services.set_named(fiche, by=world.chef_a, named=True)
    services.set_named(fiche, by=world.rupn_a, named=True)
    assert dict(FicheAuthor.objects.values_list("user_id", "named")) == {
        world.member_a.pk: False,
        world.rupn_a.pk: True,
    }
    services.set_named(fiche, by=world.rupn_a, named=False)
    assert not FicheAuthor.objects.filter(named=True).exists()


def test_writing_a_fiche_and_consenting_are_journaled(world, indexed):
    fiche = services.create_fiche(world.school_a, by=world.member_a, data=fiche_input(title="Premier titre"))
    created = AuditEvent.objects.get(action=AuditAction.FICHE_CREATED)
    assert created.actor_id == world.member_a.pk and created.object_id == str(fiche.pk)
    assert created.after["title"] == "Premier titre" and created.after["authors"] == [world.member_a.pk]

    services.update_fiche(fiche, by=world.rupn_a, data=fiche_input(title="Second titre"), seen_revision=0)
    changed = AuditEvent.objects.get(action=AuditAction.FICHE_CHANGED)
    assert changed.actor_id == world.rupn_a.pk
    assert (changed.before["title"], changed.after["title"]) == ("Premier titre", "Second titre")

    services.set_named(fiche, by=world.member_a, named=True)
    named = AuditEvent.objects.get(action=AuditAction.FICHE_AUTHOR_NAMED)
    assert (named.actor_id, named.before, named.after) == (world.member_a.pk, {"named": False}, {"named": True})

    # A refused write journals nothing.
    with pytest.raises(services.StaleFiche):
        services.update_fiche(fiche, by=world.rupn_a, data=fiche_input(title="Troisième"), seen_revision=0)
    assert AuditEvent.objects.filter(action=AuditAction.FICHE_CHANGED).count() == 1


def test_publishing_needs_a_complete_fiche_and_the_rupn_or_direction(world, indexed):
    fiche = draft(world, summary="", course="", levels=[], disciplines=[])
    with pytest.raises(ValidationError) as error:
        services.publish(fiche, by=world.rupn_a, visibility=Visibility.ACADEMY)
    message = error.value.messages[0]
    for missing in ("un résumé", "le déroulement de l'activité", "au moins un niveau", "au moins une discipline"):
        assert missing in message
    assert Fiche.objects.get().state == FicheState.DRAFT
    complete = draft(world)
    with pytest.raises(PermissionDenied):
        services.publish(complete, by=world.member_a, visibility=Visibility.ACADEMY)
    fiche = services.publish(complete, by=world.chef_a, visibility=Visibility.ACADEMY)
    assert fiche.state == FicheState.PUBLISHED and fiche.visibility == Visibility.ACADEMY and fiche.published_at
    event = AuditEvent.objects.get(action=AuditAction.FICHE_PUBLISHED)
    assert event.after == {"state": "published", "visibility": "academy"} and event.actor == world.chef_a
    assert indexed[-1] == fiche.pk


def test_unpublishing_takes_it_out_of_the_catalogue(world):
    fiche = published(world)
    Fiche.objects.filter(pk=fiche.pk).update(featured_at=fiche.published_at)
    with pytest.raises(PermissionDenied):
        services.unpublish(fiche, by=world.member_a)
    services.unpublish(fiche, by=world.rupn_a)
    fiche.refresh_from_db()
    assert fiche.state == FicheState.DRAFT and fiche.published_at is None and fiche.featured_at is None
    assert not Fiche.objects.in_catalogue().exists()
    assert AuditEvent.objects.filter(action=AuditAction.FICHE_UNPUBLISHED).count() == 1
    with pytest.raises(ValidationError, match="n'est pas publiée"):
        services.unpublish(fiche, by=world.rupn_a)


def test_only_a_draft_is_deleted_and_the_journal_keeps_it(world):
    fiche = published(world, title="À garder")
    with pytest.raises(ValidationError, match="repassez-la d'abord en brouillon"):
        services.delete_fiche(fiche, by=world.rupn_a)
    assert Fiche.objects.filter(pk=fiche.pk).exists()
    doomed = draft(world, title="À effacer")
    services.delete_fiche(doomed, by=world.member_a)
    assert not Fiche.objects.filter(pk=doomed.pk).exists()
    assert not FicheTerm.objects.filter(fiche_id=doomed.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.FICHE_DELETED)
    assert event.before["title"] == "À effacer" and event.actor == world.member_a


def test_editing_a_published_fiche_never_changes_who_reads_it(world):
    fiche = published(world, Visibility.ACADEMY)
    services.update_fiche(fiche, by=world.member_a, data=fiche_input(visibility=Visibility.SCHOOL), seen_revision=None)
    fiche.refresh_from_db()
    assert fiche.visibility == Visibility.ACADEMY and fiche.state == FicheState.PUBLISHED

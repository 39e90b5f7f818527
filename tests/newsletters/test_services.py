"""The flash'infos' services: one draft at a time, stale edits, proof-reading that goes stale,
consecutive numbers, what is refused, the list of addresses, the académie's news taken in."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.core.models import AuditEvent, Mailing
from pilotis.newsletters import services
from pilotis.newsletters.enums import NewsletterState, Rhythm
from pilotis.newsletters.models import ListAddress, Newsletter, NewsletterSettings
from tests.newsletters.helpers import draft, news, published, with_list

pytestmark = pytest.mark.django_db


def test_preparing_drafts_once_and_starts_the_rhythm(world):
    issue = services.prepare_draft(world.school_a, by=world.rupn_a)
    assert issue.state == NewsletterState.DRAFT and issue.number is None
    assert NewsletterSettings.objects.get(school=world.school_a).rhythm == Rhythm.TERM
    with pytest.raises(ValidationError, match="déjà en préparation"):
        services.prepare_draft(world.school_a, by=world.chef_a)
    assert AuditEvent.objects.filter(action="newsletter_drafted").count() == 1


@pytest.mark.parametrize("persona", ["member_a", "rupn_b", "correspondant_40", "dane"])
def test_only_the_rupn_and_the_direction_write(world, persona):
    with pytest.raises(PermissionDenied):
        services.prepare_draft(world.school_a, by=world.persona(persona))
    assert not Newsletter.objects.exists()


def test_a_stale_edit_writes_nothing(world):
    issue = services.prepare_draft(world.school_a, by=world.rupn_a)
    services.save_draft(issue, by=world.chef_a, title="Premier", body="Texte du chef", seen_revision=0)
    with pytest.raises(services.StaleNewsletter):
        services.save_draft(issue, by=world.rupn_a, title="Second", body="Texte du RUPN", seen_revision=0)
    issue.refresh_from_db()
    assert (issue.title, issue.body, issue.revision) == ("Premier", "Texte du chef", 1)


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [("", "Texte", "Indiquez le titre"), ("Titre", "  ", "Indiquez le texte"), ("Ti\x07tre", "Texte", "interdit")],
)
def test_bad_input_is_refused_in_french(world, title, body, message):
    issue = services.prepare_draft(world.school_a, by=world.rupn_a)
    with pytest.raises(ValidationError, match=message):
        services.save_draft(issue, by=world.rupn_a, title=title, body=body, seen_revision=0)
    assert Newsletter.objects.get().revision == 0


def test_the_proofreading_is_the_direction_s_and_goes_stale_with_the_text(world):
    issue = draft(world)
    services.ask_proofreading(issue, by=world.rupn_a, base_url="https://pilotis.example")
    assert Newsletter.objects.get().state == NewsletterState.TO_REVIEW
    asked = Mailing.objects.get(kind="newsletter_review")  # the direction is told
    assert set(asked.deliveries.values_list("to", flat=True)) == {world.chef_a.email, world.adjoint_a.email}
    assert f"https://pilotis.example/etablissements/{world.school_a.uai}/flash-infos/{issue.pk}/relu/" in asked.body
    with pytest.raises(PermissionDenied):
        services.mark_proofread(issue, by=world.rupn_a)
    issue = services.mark_proofread(issue, by=world.chef_a, comment="Très bien.")
    assert issue.is_proofread and issue.proofread_by == world.chef_a
    issue = services.save_draft(issue, by=world.rupn_a, title="Autre", body="Autre texte", seen_revision=issue.revision)
    assert not issue.is_proofread and issue.proofread_at is not None


def test_numbers_are_given_at_publication_consecutively_per_school(world):
    first = published(world)
    second = published(world, title="Suivant")
    assert (first.number, second.number) == (1, 2)
    assert first.period_end == first.published_at == second.period_start
    assert first.mailing.kind == "newsletter" and first.mailing.total == 5  # four members and the list
    with pytest.raises(ValidationError, match="déjà publié"):
        services.save_draft(first, by=world.rupn_a, title="x", body="y", seen_revision=first.revision)
    with pytest.raises(ValidationError, match="déjà publié"):
        services.delete_draft(first, by=world.rupn_a)


def test_nothing_is_published_without_a_recipient(world):
    for user in (world.chef_a, world.adjoint_a, world.rupn_a, world.member_a):
        user.email = ""
        user.save()
    issue = draft(world)
    with pytest.raises(ValidationError, match="Personne n’a d’adresse"):
        services.publish(issue, by=world.rupn_a)
    issue.refresh_from_db()
    assert issue.state == NewsletterState.DRAFT and issue.number is None and not Mailing.objects.exists()


def test_a_stale_publication_is_refused(world):
    with_list(world)
    issue = draft(world)
    with pytest.raises(services.StaleNewsletter):
        services.publish(issue, by=world.rupn_a, seen_revision=issue.revision - 1)
    assert not Mailing.objects.exists()


def test_deleting_a_draft_keeps_the_numbers(world):
    published(world)
    issue = draft(world, title="Abandonné")
    services.delete_draft(issue, by=world.chef_a)
    assert published(world, title="Suivant").number == 2
    assert AuditEvent.objects.filter(action="newsletter_deleted").count() == 1


def test_list_addresses_refuse_a_bad_or_repeated_one(world):
    services.add_list_address(world.school_a, email="Parents@Example.org", label="Parents", by=world.chef_a)
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        services.add_list_address(world.school_a, email="parents@example.org", by=world.chef_a)
    with pytest.raises(ValidationError, match="n’est pas valide"):
        services.add_list_address(world.school_a, email="pas@valide@x", by=world.chef_a)
    assert list(ListAddress.objects.values_list("email", flat=True)) == ["parents@example.org"]
    with pytest.raises(PermissionDenied):
        services.add_list_address(world.school_a, email="cdi@example.org", by=world.member_a)


def test_taking_a_news_item_appends_it_to_the_draft_or_creates_one(world):
    item = news(world, title="Appel à projets", body="Déposez avant le 15.", link="https://example.org/ap")
    issue = services.take_news(world.school_a, item, by=world.rupn_a)
    assert "### Appel à projets\n\nDéposez avant le 15.\n\nEn savoir plus : https://example.org/ap" in issue.body
    again = services.take_news(world.school_a, news(world, title="Deuxième"), by=world.chef_a)
    assert again.pk == issue.pk and again.revision == issue.revision + 1 and "### Deuxième" in again.body


def test_a_news_item_for_another_audience_is_not_taken(world):
    item = news(world, department=world.pyrenees)
    with pytest.raises(PermissionDenied):
        services.take_news(world.school_a, item, by=world.rupn_a)
    assert not Newsletter.objects.exists()


def test_personal_data_lists_the_issues_and_the_anonymiser_forgets_the_names(world):
    from pilotis.core import personal_data

    issue = draft(world)
    services.mark_proofread(issue, by=world.chef_a)
    sections = {s["titre"]: s["lignes"] for s in personal_data.gather(world.chef_a)["sections"]}
    (row,) = sections["Flash'infos publiés ou relus"]
    assert row["titre"] == issue.title and row["relu le"]
    personal_data.anonymise(world.chef_a)
    assert Newsletter.objects.get().proofread_by_label == "Compte anonymisé"

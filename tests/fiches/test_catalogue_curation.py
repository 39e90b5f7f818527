"""The DANE's curation of its académie's catalogue: put forward, no longer, take down with a
reason e-mailed to the authors; only the académie's DANE (and the administrator)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.fiches import curation
from pilotis.fiches.models import Fiche
from pilotis.fiches.search import FicheListing, FicheWord
from tests.fiches.test_catalogue_support import make_fiche


@pytest.fixture
def shared(world):
    world.rupn_a.email = "rupn.a@example.org"
    world.rupn_a.save()
    world.member_a.email = ""
    world.member_a.save()
    return make_fiche(
        world.school_a,
        "Classe inversée en histoire",
        course="Capsules vidéo",
        authors=[(world.rupn_a, True), (world.member_a, False)],
        by=world.rupn_a,
    )


def url(name, fiche):
    return reverse(f"fiche_catalogue:{name}", args=[fiche.pk])


@pytest.mark.parametrize("persona", ["dane", "admin"])
def test_the_dane_puts_a_fiche_forward_and_back(client_for, world, shared, persona):
    client = client_for(persona)
    assert client.post(url("feature", shared)).status_code == 302
    shared.refresh_from_db()
    assert shared.featured_at is not None and FicheListing.objects.get(fiche=shared).featured
    event = AuditEvent.objects.get(action=AuditAction.FICHE_FEATURED, object_id=str(shared.pk))
    assert event.after == {"featured": True}
    page = client.get(reverse("fiche_catalogue:list")).content.decode()
    assert "Mise en avant" in page
    assert client.post(url("unfeature", shared)).status_code == 302
    shared.refresh_from_db()
    assert shared.featured_at is None and not FicheListing.objects.get(fiche=shared).featured
    assert AuditEvent.objects.filter(action=AuditAction.FICHE_FEATURED, after={"featured": False}).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("rupn_a", 403),
        ("chef_a", 403),
        ("rupn_b", 403),
        ("correspondant_40", 403),
        ("dane_rennes", 404),
        ("nobody", 404),
    ],
)
def test_only_the_academies_dane_curates(client_for, shared, persona, status):
    client = client_for(persona)
    for name in ("feature", "unfeature", "take_down"):
        assert client.post(url(name, shared), {"reason": "Non"}).status_code == status
    assert client.get(url("take_down", shared)).status_code == status
    shared.refresh_from_db()
    assert shared.featured_at is None and shared.taken_down_at is None
    assert not mail.outbox


def test_the_curation_buttons_are_the_danes_only(client_for, shared):
    assert "Retirer du catalogue" in client_for("dane").get(url("fiche", shared)).content.decode()
    assert "Retirer du catalogue" not in client_for("rupn_b").get(url("fiche", shared)).content.decode()


def test_taking_down_asks_first_then_tells_the_authors(client_for, world, shared, django_capture_on_commit_callbacks):
    client = client_for("dane")
    confirm = client.get(url("take_down", shared)).content.decode()
    assert "Retirer cette fiche du catalogue ?" in confirm and "1 adresse" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("take_down", shared), {"reason": "Des élèves sont reconnaissables\nsur les photos."})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.taken_down_at is not None and shared.taken_down_by == world.dane
    assert shared.taken_down_reason == "Des élèves sont reconnaissables\nsur les photos."
    assert (
        not FicheListing.objects.filter(fiche=shared).exists() and not FicheWord.objects.filter(fiche=shared).exists()
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rupn.a@example.org"]  # the other author has no address
    assert "Classe inversée en histoire" in message.subject
    assert "Des élèves sont reconnaissables" in message.body and f"/fiches/{shared.pk}/" in message.body
    event = AuditEvent.objects.get(action=AuditAction.FICHE_TAKEN_DOWN)
    assert event.after["told"] == 1 and "reconnaissables" in event.after["reason"]
    assert "Classe inversée" not in client_for("rupn_b").get(reverse("fiche_catalogue:list")).content.decode()


def test_a_take_down_without_reason_is_refused_and_keeps_the_fiche(client_for, shared):
    response = client_for("dane").post(url("take_down", shared), {"reason": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif du retrait" in response.content.decode()
    shared.refresh_from_db()
    assert shared.taken_down_at is None and FicheListing.objects.filter(fiche=shared).exists()
    assert not mail.outbox


def test_a_fiche_taken_down_leaves_the_danes_reach(client_for, world, shared):
    curation.take_down_fiche(shared, reason="Doublon", by=world.dane)
    assert client_for("dane").post(url("take_down", shared), {"reason": "Encore"}).status_code == 404
    assert Fiche.objects.get(pk=shared.pk).taken_down_reason == "Doublon"
    with pytest.raises(ValidationError):  # the service refuses it too
        curation.take_down_fiche(shared, reason="Encore", by=world.admin)


def test_the_services_check_the_rule_again(world, shared):
    with pytest.raises(PermissionDenied):
        curation.feature_fiche(shared, by=world.rupn_b)

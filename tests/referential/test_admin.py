"""The admin shows the referential but never changes it: no add, no change, and no delete of a
version a campaign uses, nor of its indicators."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pilotis.referential.loader import load_referential
from pilotis.referential.models import Domain, Indicator, ReferentialVersion
from tests.referential.test_loader import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, world):
    client.force_login(world.admin, backend="pilotis.accounts.backends.UsernameOrEmailBackend")
    return client


@pytest.fixture
def locked(world):
    """The bundled version, used by a campaign (opening it locks the version)."""
    from pilotis.assessments import services

    call_command("load_referential", verbosity=0)
    version = ReferentialVersion.objects.get(version="2021")
    services.open_campaign(
        academy=world.bordeaux,
        school_year="2026-2027",
        referential=version,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2027, 6, 30),
        by=world.dane,
    )
    version.refresh_from_db()
    assert version.is_locked
    return version


def counts():
    return (ReferentialVersion.objects.count(), Domain.objects.count(), Indicator.objects.count())


def test_an_indicator_of_a_locked_version_cannot_be_deleted(admin_client_for, locked):
    indicator = Indicator.objects.get(version=locked, code="PIL.1.06")  # no answer protects it
    url = reverse("admin:referential_indicator_delete", args=[indicator.pk])
    before = counts()
    assert admin_client_for.get(url).status_code == 403
    assert admin_client_for.post(url, {"post": "yes"}).status_code == 403
    change = admin_client_for.get(reverse("admin:referential_indicator_change", args=[indicator.pk]))
    assert change.status_code == 200 and ">Supprimer<" not in change.content.decode()
    assert counts() == before


def test_the_bulk_delete_action_spares_a_locked_versions_indicators(admin_client_for, locked):
    indicator = Indicator.objects.get(version=locked, code="PIL.1.06")
    before = counts()
    response = admin_client_for.post(
        reverse("admin:referential_indicator_changelist"),
        {"action": "delete_selected", "_selected_action": [indicator.pk], "post": "yes"},
    )
    assert response.status_code == 403  # the action asks each selected object, and one is locked
    assert counts() == before


def test_a_locked_version_cannot_be_deleted(admin_client_for, locked):
    url = reverse("admin:referential_referentialversion_delete", args=[locked.pk])
    before = counts()
    assert admin_client_for.get(url).status_code == 403
    assert admin_client_for.post(url, {"post": "yes"}).status_code == 403
    assert counts() == before


def test_an_unused_version_and_its_indicators_may_still_be_deleted(admin_client_for, world):
    """Control: the refusals above are about the lock. A version loaded by mistake and never
    used can go."""
    load_referential(MINI)
    version = ReferentialVersion.objects.get(version="test-1")
    assert version.locked_at is None
    indicator = Indicator.objects.get(version=version, code="INF.1.01")
    url = reverse("admin:referential_indicator_delete", args=[indicator.pk])
    assert admin_client_for.get(url).status_code == 200
    assert admin_client_for.post(url, {"post": "yes"}).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    url = reverse("admin:referential_referentialversion_delete", args=[version.pk])
    assert admin_client_for.post(url, {"post": "yes"}).status_code == 302
    assert not ReferentialVersion.objects.filter(version="test-1").exists()


def test_nothing_is_added_or_changed_here(admin_client_for, locked):
    indicator = Indicator.objects.get(version=locked, code="PIL.1.01")
    assert admin_client_for.get(reverse("admin:referential_indicator_add")).status_code == 403
    response = admin_client_for.post(
        reverse("admin:referential_indicator_change", args=[indicator.pk]), {"statement": "Autre chose"}
    )
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.statement.startswith("Intégration du numérique")
    assert ReferentialVersion.objects.filter(locked_at__lte=timezone.now()).count() == 1

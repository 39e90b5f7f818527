"""What the register shows elsewhere: the end-of-year review of the RUPN's lettre de mission (page
and PDF)."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.digital_services.panels import administered_review
from pilotis.missions import services as missions
from pilotis.missions.services import school_year_bounds
from tests.digital_services.conftest import record


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def letter(world):
    year = current_school_year()
    first, last = school_year_bounds(year)
    designation = missions.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=year,
        starts_on=first,
        ends_on=last,
        imp_amount=Decimal("1250.00"),
        by=world.chef_a,
    )
    return missions.start_letter(designation, by=world.chef_a)


def _services(world):
    record(world, name="ENT des Landes", administrator_ids=[world.rupn_a.pk], support_channel="Département")
    record(world, name="Pronote", kind="school_life", administrator_ids=[world.chef_a.pk])
    record(world, school=world.school_b, by=world.rupn_b, name="Ailleurs", administrator_ids=[world.rupn_b.pk])


def test_the_letters_review_lists_the_services_its_rupn_administers(world, client_for, letter):
    _services(world)
    address = reverse("missions:letter", args=[world.school_a.uai, letter.pk])
    page = flat(client_for("chef_a").get(address).content.decode())
    assert "Services numériques administrés par le RUPN" in page
    assert "ENT des Landes (ENT) — assistance : Département" in page
    assert "Pronote" not in page and "Ailleurs" not in page
    assert reverse("digital_services:home", args=[world.school_a.uai]) in page
    # Whoever reads the letter without being a member (the territory) gets no link to the register,
    # a page that would not exist for them.
    outsider = SimpleNamespace(user=world.correspondant_40)
    panel = administered_review(outsider, letter, None, None)
    assert [s.name for s in panel.data["services"]] == ["ENT des Landes"] and not panel.data["link"]


def test_the_letters_pdf_carries_the_services_in_its_review(world, client_for, letter):
    _services(world)
    response = client_for("chef_a").get(reverse("missions:letter_pdf", args=[world.school_a.uai, letter.pk]))
    assert response.status_code == 200
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert "Services numériques administrés par le RUPN" in text and "ENT des Landes" in text
    assert "Pronote" not in text

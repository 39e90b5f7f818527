"""A school that changes département takes its figures along, and a school that closes leaves
them: the dashboards' counters are kept per département over the open schools, and a move or a
closure (the annuaire import, the admin) recounts the campaigns concerned."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from pilotis.assessments import services, tallies
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment, CampaignTally
from pilotis.referential.models import Indicator
from pilotis.territories.models import Department, School
from tests.territories.test_import_annuaire import SAMPLE, damaged_copy, line_of

pytestmark = pytest.mark.django_db


def _answer(campaign, school, by, *, validate_by=None):
    for indicator in Indicator.objects.filter(version=campaign.referential, level=1):
        services.save_answer(campaign, school, indicator, status=AnswerStatus.DONE, comment="", by=by)
    if validate_by:
        services.validate_assessment(Assessment.objects.get(campaign=campaign, school=school), by=validate_by)


def _started(campaign, department) -> tuple[int, int]:
    row = CampaignTally.objects.filter(campaign=campaign, department=department).first()
    return (row.started, row.validated) if row else (0, 0)


def test_the_annuaire_import_moves_a_schools_figures_to_its_new_department(world, campaign, tmp_path):
    call_command("import_annuaire", str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    school = School.objects.get(uai="0400003L")
    assert school.department == world.landes and school.department.academy == world.bordeaux
    _answer(campaign, school, world.dane, validate_by=world.dane)
    assert _started(campaign, world.landes) == (1, 1)

    moved = damaged_copy(tmp_path, {line_of("0400003L"): {"Code_departement": "033", "Libelle_departement": "Gironde"}})
    call_command("import_annuaire", str(moved), stdout=io.StringIO(), stderr=io.StringIO())

    assert School.objects.get(uai="0400003L").department == world.gironde
    assert (_started(campaign, world.landes), _started(campaign, world.gironde)) == ((0, 0), (1, 1))
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_the_annuaire_import_closing_a_school_takes_it_out_of_the_figures(world, campaign, tmp_path):
    call_command("import_annuaire", str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    school = School.objects.get(uai="0400003L")
    _answer(campaign, school, world.dane, validate_by=world.dane)
    assert _started(campaign, world.landes) == (1, 1)

    closed = damaged_copy(tmp_path, {line_of("0400003L"): {"etat": "FERME"}})
    call_command("import_annuaire", str(closed), stdout=io.StringIO(), stderr=io.StringIO())
    assert not School.objects.get(uai="0400003L").is_open
    assert _started(campaign, world.landes) == (0, 0)
    assert tallies.stored(campaign) == tallies.compute(campaign)

    call_command("import_annuaire", str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())  # open again
    assert _started(campaign, world.landes) == (1, 1)
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_a_dry_run_or_an_unchanged_department_recounts_nothing(world, campaign, tmp_path, monkeypatch):
    call_command("import_annuaire", str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    _answer(campaign, School.objects.get(uai="0400003L"), world.dane)  # a campaign a move would recount
    recounted = []
    monkeypatch.setattr(tallies, "rebuild", recounted.append)
    moved = damaged_copy(tmp_path, {line_of("0400003L"): {"Code_departement": "033", "Libelle_departement": "Gironde"}})
    call_command("import_annuaire", str(moved), "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("import_annuaire", str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    assert recounted == []
    call_command("import_annuaire", str(moved), stdout=io.StringIO(), stderr=io.StringIO())
    assert recounted == [campaign]  # the same file, really moving the school: recounted once


def test_the_admin_moves_a_schools_figures_to_its_new_department(client, world, campaign):
    _answer(campaign, world.school_a, world.rupn_a)
    assert _started(campaign, world.landes) == (1, 0)
    client.force_login(world.admin, backend="pilotis.accounts.backends.UsernameOrEmailBackend")
    url = reverse("admin:territories_school_change", args=[world.school_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["department"] = Department.objects.get(code="064").pk
    data["is_open"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    assert (_started(campaign, world.landes), _started(campaign, world.pyrenees)) == ((0, 0), (1, 0))
    assert tallies.stored(campaign) == tallies.compute(campaign)

    data["is_open"] = ""  # the administrator closes it
    assert client.post(url, data).status_code == 302
    assert _started(campaign, world.pyrenees) == (0, 0)
    assert tallies.stored(campaign) == tallies.compute(campaign)

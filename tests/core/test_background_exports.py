"""Long exports in the background, end to end: the click, the job, the worker, the page, the
download by its owner only, the expiry and the purge; the failure; the scope, re-read as the user."""

import csv
import io
import json
import zipfile

import odfdo
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pilotis.accounts.models import TerritoryRole
from pilotis.core import background_exports
from pilotis.core.enums import AuditAction, ExportState
from pilotis.core.exporters import Column, Exporter
from pilotis.core.models import AuditEvent, BackgroundExport
from pilotis.core.tasks import run_background_export
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(world):
    """Twelve more collèges in the Landes, four in the Pyrénées-Atlantiques."""
    landes = [SchoolFactory(name=f"Collège Landais {n}", department=world.landes) for n in range(12)]
    pau = [SchoolFactory(name=f"Collège Béarnais {n}", department=world.pyrenees) for n in range(4)]
    return landes, pau


@pytest.fixture
def low_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 5


def _export_url(campaign, board="maturity", fmt="csv", **query):
    url = reverse("steering:export", args=[campaign.pk, board, fmt])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _offer_form(response) -> dict:
    """The hidden fields of the offer page's form, as a browser would post them."""
    html = response.content.decode()
    assert 'action="/telechargements/preparer/"' in html
    fields = {}
    for name in ("kind", "params", "fmt", "source_url"):
        marker = f'name="{name}" value="'
        start = html.index(marker) + len(marker)
        fields[name] = html[start : html.index('"', start)].replace("&quot;", '"').replace("&amp;", "&")
    return fields


def _start(client, campaign, django_capture_on_commit_callbacks, **kwargs):
    response = client.get(_export_url(campaign, **kwargs))
    assert response.status_code == 200
    assert "il sera préparé en arrière-plan" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("exports:start"), _offer_form(response))
    assert started.status_code == 302
    return BackgroundExport.objects.get(pk=started.url.rstrip("/").rsplit("/", 1)[-1])


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_a_small_export_is_answered_at_once(client_for, world, campaign, schools):
    response = client_for("correspondant_40").get(_export_url(campaign))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not BackgroundExport.objects.exists()


def test_click_worker_page_download_expiry_and_purge(
    client_for, world, campaign, schools, low_threshold, django_capture_on_commit_callbacks, settings
):
    client = client_for("correspondant_40")
    # The GET only offers: it creates nothing. Its « Retour » goes back to the page, filters kept.
    offer = client.get(_export_url(campaign, q="Landais")).content.decode()
    assert "Cet export compte 12 lignes" in offer
    assert f'href="/pilotage/{campaign.pk}/maturite/?q=Landais"' in offer
    assert not BackgroundExport.objects.exists()

    job = _start(client, campaign, django_capture_on_commit_callbacks)
    assert job.user == world.correspondant_40
    assert job.state == ExportState.QUEUED
    assert job.rows_total == 13  # school A and the twelve of the Landes
    assert DBTaskResult.objects.filter(task_path="pilotis.core.tasks.run_background_export").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_STARTED, object_id=str(job.pk)).exists()

    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "attend son tour" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript, the page refreshes itself
    fragment = client.get(reverse("exports:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="export-job" hx-get=')
    assert "<html" not in fragment

    assert run_background_export.call(str(job.pk)) == "done"
    job.refresh_from_db()
    assert (job.state, job.rows_done) == (ExportState.DONE, 13)
    assert job.expires_at == job.finished_at + timezone.timedelta(hours=24)

    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert 'id="export-download"' in page
    assert "13 lignes" in page
    assert 'http-equiv="refresh"' not in page and "hx-get" not in page

    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    content = download.content

    # The same rows as the immediate export, for the same user and filters.
    settings.EXPORT_BACKGROUND_ROWS = 5000
    immediate = client.get(_export_url(campaign)).content
    assert _csv_rows(content) == _csv_rows(immediate)
    assert len(_csv_rows(content)) == 14

    # Nobody else, not even the DANE or the administrator.
    for other in ("dane", "admin", "correspondant_64"):
        assert client_for(other).get(reverse("exports:download", args=[job.pk])).status_code == 404
        assert client_for(other).get(reverse("exports:job", args=[job.pk])).status_code == 404

    # 24 hours later: 404, saying it expired and how to run it again; the purge deletes the file.
    client = client_for("correspondant_40")
    stored = background_exports.storages["exports"]
    assert stored.exists(job.file_name)
    BackgroundExport.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    gone = client.get(reverse("exports:download", args=[job.pk]))
    assert gone.status_code == 404
    assert "a expiré" in gone.content.decode()
    assert _export_url(campaign) in gone.content.decode()  # « Relancer cet export »
    out = io.StringIO()
    call_command("purge_exports", stdout=out)
    assert "1 fichier" in out.getvalue()
    assert not stored.exists(job.file_name)
    job.refresh_from_db()
    assert job.file_name == ""
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    # A week later the row goes too.
    background_exports.purge_expired(now=timezone.now() + timezone.timedelta(days=8))
    assert not BackgroundExport.objects.filter(pk=job.pk).exists()


def test_the_ods_is_written_as_a_stream_and_reads_back(
    client_for, world, campaign, schools, low_threshold, django_capture_on_commit_callbacks
):
    client = client_for("dane")
    job = _start(client, campaign, django_capture_on_commit_callbacks, fmt="ods")
    background_exports.run(job.pk)
    download = client.get(reverse("exports:download", args=[job.pk]))
    content = download.content
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist()[0] == "mimetype"
    table = odfdo.Document(io.BytesIO(content)).body.get_table(0)
    names = [row.get_value(1) for row in table.traverse()][1:]
    assert len(names) == 1 + 12 + 4 + 1  # the académie: A, the Landes, Pau and school B
    assert world.school_c.name not in names


def test_the_worker_reads_the_scope_from_the_user_not_from_the_params(
    client_for, world, campaign, schools, low_threshold, django_capture_on_commit_callbacks
):
    landes, pau = schools
    client = client_for("correspondant_40")
    # The Pyrénées-Atlantiques asked for in the filters: not the correspondent's, the form ignores it.
    job = _start(client, campaign, django_capture_on_commit_callbacks, department=world.pyrenees.pk)
    background_exports.run(job.pk)
    names = {row[1] for row in _csv_rows(client.get(reverse("exports:download", args=[job.pk])).content)[1:]}
    assert world.school_a.name in names
    assert not names & {s.name for s in pau} and world.school_b.name not in names

    # Params forged to name another académie's campaign: refused at the click.
    forged = {"campaign": campaign.pk + 1000, "board": "maturity", "query": {}}
    response = client.post(reverse("exports:start"), {"kind": "steering", "params": json.dumps(forged), "fmt": "csv"})
    assert response.status_code == 404
    for bad in ({"kind": "nothing", "params": "{}", "fmt": "csv"}, {"kind": "steering", "params": "[", "fmt": "csv"}):
        assert client.post(reverse("exports:start"), bad).status_code == 404
    assert BackgroundExport.objects.count() == 1


def test_a_role_lost_before_the_worker_runs_fails_the_export(
    client_for, world, campaign, schools, low_threshold, django_capture_on_commit_callbacks
):
    client = client_for("correspondant_40")
    job = _start(client, campaign, django_capture_on_commit_callbacks)
    TerritoryRole.objects.filter(user=world.correspondant_40).delete()
    assert background_exports.run(job.pk) == ExportState.FAILED
    job.refresh_from_db()
    assert job.state == ExportState.FAILED
    assert job.error == "Cette campagne n’est plus dans votre territoire."
    assert not job.file_name
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "L’export a échoué" in page and "plus dans votre territoire" in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


class Boom(Exporter):
    title = "Explosif"
    columns = [Column("n", "N")]

    def rows(self):
        yield {"n": 1}
        raise RuntimeError("a bug")


def test_a_builder_that_breaks_fails_the_export_in_french(world, monkeypatch):
    monkeypatch.setitem(background_exports._REGISTRY, "test_boom", background_exports.Kind(lambda u, p: Boom()))
    job = BackgroundExport.objects.create(user=world.dane, kind="test_boom", label="Explosif (CSV)", format="csv")
    assert background_exports.run(job.pk) == ExportState.FAILED
    job.refresh_from_db()
    assert job.state == ExportState.FAILED
    assert job.error.startswith("L’export a échoué à cause d’une erreur de Pilotis")
    assert job.expires_at is not None
    # Run again (a task run twice): the job is left as it is.
    assert background_exports.run(job.pk) == "skipped"


class Counted(Exporter):
    title = "Compté"
    columns = [Column("n", "N")]

    def __init__(self, rows):
        self.count = rows

    def row_count(self):
        return self.count

    def rows(self):
        for n in range(self.count):
            yield {"n": n}


def test_progress_is_told_every_so_many_rows_and_at_the_end(world, monkeypatch):
    exporter = Counted(35)
    seen = []
    exporter.progress = seen.append
    exporter.progress_every = 10
    assert len(exporter.as_csv().splitlines()) == 36
    assert seen == [10, 20, 30, 35]

    monkeypatch.setattr(background_exports, "PROGRESS_EVERY", 10)
    job = BackgroundExport.objects.create(user=world.dane, kind="test_watched", label="Suivi (CSV)", format="csv")
    watched = Watched(35, job.pk)
    monkeypatch.setitem(background_exports._REGISTRY, "test_watched", background_exports.Kind(lambda u, p: watched))
    background_exports.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.size) == (ExportState.DONE, 35, len(Counted(35).as_csv()))
    # What the page read while the rows were written: every ten rows, not every row.
    assert watched.seen[:3] == [0, 0, 0] and watched.seen[10:12] == [10, 10] and watched.seen[34] == 30


class Watched(Counted):
    """Reads the job's progress before each row, as the page would."""

    def __init__(self, rows, job_pk):
        super().__init__(rows)
        self.job_pk = job_pk
        self.seen = []

    def rows(self):
        for row in super().rows():
            self.seen.append(BackgroundExport.objects.get(pk=self.job_pk).rows_done)
            yield row


def test_an_export_is_small_or_large_by_its_row_count(settings):
    settings.EXPORT_BACKGROUND_ROWS = 5000
    assert not background_exports.should_run_in_background(Counted(5000))
    assert background_exports.should_run_in_background(Counted(5001))
    assert not background_exports.should_run_in_background(Boom())  # no count: always small


def test_my_exports_lists_mine_only(client_for, world):
    BackgroundExport.objects.create(user=world.dane, kind="steering", label="Maturité du DANE (CSV)", format="csv")
    BackgroundExport.objects.create(
        user=world.correspondant_40, kind="steering", label="Avancement des Landes (ODS)", format="ods"
    )
    page = client_for("dane").get(reverse("exports:index")).content.decode()
    assert "Maturité du DANE" in page
    assert "Avancement des Landes" not in page


def test_the_follow_up_list_goes_to_the_background_as_well(
    client_for, world, campaign, schools, settings, django_capture_on_commit_callbacks
):
    landes, pau = schools
    client = client_for("correspondant_40")
    url = reverse("accompaniments:export", args=["quiet", "csv"])
    immediate = _csv_rows(client.get(url).content)
    settings.EXPORT_BACKGROUND_ROWS = 5
    offer = client.get(url)
    assert "Cet export compte 13 lignes" in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(reverse("exports:start"), _offer_form(offer)).url
    job = BackgroundExport.objects.get(kind="accompaniment")
    assert job_url == reverse("exports:job", args=[job.pk])
    background_exports.run(job.pk)
    rows = _csv_rows(client.get(reverse("exports:download", args=[job.pk])).content)
    assert rows == immediate
    names = {row[2] for row in rows[1:]}
    assert world.school_a.name in names and world.school_b.name not in names


def test_the_network_csv_goes_to_the_background_and_its_vcards_never(
    client_for, world, schools, settings, django_capture_on_commit_callbacks
):
    client = client_for("correspondant_40")
    url = reverse("network:export", args=["csv"])
    immediate = _csv_rows(client.get(url).content)
    settings.EXPORT_BACKGROUND_ROWS = 5
    assert client.get(reverse("network:export", args=["vcf"]))["Content-Disposition"].startswith("attachment")
    offer = client.get(url)
    assert "Cet export compte 13 lignes" in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:start"), _offer_form(offer))
    job = BackgroundExport.objects.get(kind="network")
    background_exports.run(job.pk)
    job.refresh_from_db()
    assert job.rows_total == job.rows_done == 13
    assert _csv_rows(client.get(reverse("exports:download", args=[job.pk])).content) == immediate


def test_a_job_its_worker_lost_is_said_failed_by_the_next_purge(client_for, world):
    now = timezone.now()
    lost = BackgroundExport.objects.create(
        user=world.dane, kind="steering", label="Perdu (CSV)", format="csv", state=ExportState.RUNNING,
        started_at=now - timezone.timedelta(hours=2),
    )  # fmt: skip
    running = BackgroundExport.objects.create(
        user=world.dane, kind="steering", label="En cours (CSV)", format="csv", state=ExportState.RUNNING,
        started_at=now - timezone.timedelta(minutes=5),
    )  # fmt: skip
    call_command("purge_exports", stdout=io.StringIO())
    lost.refresh_from_db()
    running.refresh_from_db()
    assert (lost.state, running.state) == (ExportState.FAILED, ExportState.RUNNING)
    assert "interrompue" in lost.error
    page = client_for("dane").get(reverse("exports:job", args=[lost.pk])).content.decode()
    assert "L’export a échoué" in page and "hx-get" not in page


def test_my_exports_are_in_my_data_and_go_with_my_anonymisation(
    client_for, world, campaign, schools, low_threshold, django_capture_on_commit_callbacks
):
    from pilotis.accounts.services import anonymise_user

    client = client_for("correspondant_40")
    job = _start(client, campaign, django_capture_on_commit_callbacks, q="Landais")
    background_exports.run(job.pk)
    job.refresh_from_db()
    data = client.get(reverse("accounts:my_data")).json()
    rows = next(s["lignes"] for s in data["sections"] if s["titre"].startswith("Exports préparés"))
    assert rows == [
        {"demandé le": rows[0]["demandé le"], "export": job.label, "état": "Prêt", "filtres": {"q": ["Landais"]}}
    ]
    stored = background_exports.storages["exports"]
    assert stored.exists(job.file_name)
    anonymise_user(world.correspondant_40, by=world.admin)
    assert not BackgroundExport.objects.exists()
    assert not stored.exists(job.file_name)

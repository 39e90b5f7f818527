import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Answer
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche, FicheAuthor
from pilotis.plans.models import Action, Plan
from pilotis.referential.models import Indicator
from pilotis.workshops.models import Workshop
from tests.factories import open_campaign

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def zipped(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else compression)
    return buffer.getvalue()


def odf(kind="text") -> bytes:
    return zipped(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}"),
            ("content.xml", "<office:document-content/>"),
            ("META-INF/manifest.xml", "<manifest/>"),
        ]
    )


def ooxml(folder="word/") -> bytes:
    return zipped([("[Content_Types].xml", "<Types/>"), (f"{folder}document.xml", "<w:document/>")])


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def stored(evidence_root):
    """The files in the evidence's storage now (a function: call it before and after)."""
    return lambda: sorted(str(p.relative_to(evidence_root)) for p in evidence_root.rglob("*") if p.is_file())


@pytest.fixture
def current(world, mini_referential):
    return open_campaign(world, mini_referential, "2026-2027")


@pytest.fixture
def answer(world, current):
    indicator = Indicator.objects.get(version=current.referential, code="PIL.1.01")
    assessment_services.save_answer(current, world.school_a, indicator, status="en_cours", comment="", by=world.rupn_a)
    return Answer.objects.select_related("assessment__campaign", "assessment__school", "indicator").get(
        assessment__school=world.school_a, indicator=indicator
    )


@pytest.fixture
def action(world, current):
    plan = Plan.objects.create(
        school=world.school_a,
        referential=current.referential,
        campaign=current,
        first_year="2026-2027",
        last_year="2027-2028",
    )
    return Action.objects.create(plan=plan, school=world.school_a, title="Former l'équipe à l'ENT")


def make_fiche(world, *, state=FicheState.DRAFT, visibility=Visibility.SCHOOL, author=None):
    fiche = Fiche.objects.create(
        school=world.school_a,
        academy=world.bordeaux,
        title="Carte mentale en 5e",
        school_year="2026-2027",
        state=state,
        visibility=visibility,
        published_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC) if state == FicheState.PUBLISHED else None,
    )
    if author is not None:
        FicheAuthor.objects.create(fiche=fiche, user=author, named=False)
    return fiche


@pytest.fixture
def workshop(world):
    return Workshop.objects.create(
        school=world.school_a,
        school_year="2026-2027",
        held_on=datetime.date(2026, 10, 12),
        title="Prise en main de l'ENT",
        theme="ENT",
        duration_minutes=90,
    )

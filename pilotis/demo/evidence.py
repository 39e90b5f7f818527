"""The demo's evidence: a few answers of the Landes collège's current self-assessment (a comment,
no status chosen yet), each with a piece — a small real PDF (WeasyPrint), a PNG (Pillow) and a
link —, added through the evidence's services as the RUPN would, so that the files are checked and
stored like any upload."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from pilotis.assessments import services as assessments
from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.evidence import services
from pilotis.evidence.models import Piece
from pilotis.referential.models import Indicator

# indicator code, comment. The RUPN has gathered evidence and noted where things stand, without
# choosing an answer yet: the collège has not started its self-assessment as the dashboards count
# it (`Assessment.answered_count`), which the demo's story of this year (and its reminders) keeps.
ANSWERS = [
    ("PIL.1.06", "Présentation de CARTOUN prévue au conseil pédagogique."),
    ("FOR.1.01", "Deux ateliers ENT et tableau numérique à la rentrée."),
    ("PED.1.01", "Vidéoprojecteurs dans toutes les salles depuis la rentrée."),
]


def _pdf(title: str, lines: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    return HTML(string=f"<html lang='fr'><body><h1>{title}</h1>{body}</body></html>").write_pdf()


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 270), (245, 245, 254))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 250), outline=(0, 0, 145), width=4)
    for row in range(3):
        draw.rectangle((50 + row * 140, 80, 160 + row * 140, 200), fill=(0, 0, 145 + row * 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def load_evidence(users, college, campaign_year, stdout) -> None:
    campaign = (
        Campaign.objects.filter(academy_id=college.department.academy_id, school_year=campaign_year)
        .select_related("referential")
        .first()
    )
    if campaign is None or Piece.objects.filter(school=college).exists():
        return
    rupn = users["rupn"]
    for code, comment in ANSWERS:
        indicator = Indicator.objects.get(version=campaign.referential, code=code)
        assessments.save_answer(campaign, college, indicator, status="", comment=comment, by=rupn)
    assessment = Assessment.objects.get(campaign=campaign, school=college)
    answers = {a.indicator.code: a for a in Answer.objects.filter(assessment=assessment).select_related("indicator")}
    for answer in answers.values():
        answer.assessment = assessment
    services.add_file(
        "answer",
        answers["PIL.1.06"],
        SimpleUploadedFile(
            "Ordre du jour conseil pédagogique.pdf",
            _pdf(
                "Conseil pédagogique",
                ["Ordre du jour", "1. Présentation du catalogue CARTOUN", "2. Fiches d'usage de l'équipe"],
            ),
            content_type="application/pdf",
        ),
        by=rupn,
    )
    services.add_link(
        "answer",
        answers["PIL.1.06"],
        url="https://www.education.gouv.fr/",
        title="Catalogue CARTOUN (présentation)",
        by=rupn,
    )
    services.add_file(
        "answer",
        answers["FOR.1.01"],
        SimpleUploadedFile(
            "Feuille d'émargement atelier ENT.pdf",
            _pdf("Atelier ENT", ["Feuille d'émargement", "12 participants"]),
            content_type="application/pdf",
        ),
        by=rupn,
    )
    services.add_file(
        "answer",
        answers["PED.1.01"],
        SimpleUploadedFile("Salle 12 vidéoprojecteur.png", _png(), content_type="image/png"),
        by=rupn,
    )
    stdout.write(_("  Pièces justificatives : 4 pièces sur 3 réponses de %(school)s") % {"school": college.name})

"""The Édition: the PDF report, the ODS and CSV answers, their neutralised cells (SECURITY.md,
« Export cells are neutralised ») and who may download them."""

import csv
import io
import re
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from odfdo import Document
from pypdf import PdfReader

from pilotis.assessments import services, views_edition
from pilotis.assessments.models import Answer, Assessment
from pilotis.core.exporters import Column, Exporter, neutralise

YEAR = "2026-2027"
BOM = b"\xef\xbb\xbf"
INDICATORS = 81  # in the bundled referential
DANGEROUS = ["=1+1", "+33", "-2", "@SUM(A1)", '=HYPERLINK("http://x")', "'déjà une apostrophe"]


def url(name, world):
    return reverse(f"assessments:{name}", args=[world.school_a.uai, YEAR])


def answer(campaign, world, referential, code, status, comment=""):
    indicator = referential.indicators.get(code=code)
    services.save_answer(campaign, world.school_a, indicator, status=status, comment=comment, by=world.rupn_a)


def undo(cell: str) -> str:
    """What a reader does to get the text back: drop the one leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


# --- The base: neutralisation and round trip ---------------------------------------------------


class Sample(Exporter):
    title = "Essai : [feuille]"
    columns = [Column("text", "Texte"), Column("number", "Nombre")]

    def __init__(self, texts):
        self.texts = texts

    def rows(self):
        for index, text in enumerate(self.texts):
            yield {"text": text, "number": -index}


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx", "\0=1", "'x"])
def test_every_formula_trigger_is_prefixed(text):
    assert neutralise(text).startswith("'")
    assert "\0" not in neutralise(text)


@pytest.mark.parametrize("text", ["Réalisé", "1 + 1 = 2", "", "a=b", " =espace"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


@given(st.text())
def test_neutralising_loses_nothing_but_nul(text):
    assert undo(neutralise(text)) == text.replace("\0", "")


def test_csv_of_the_base_neutralises_tab_cr_and_nul_and_round_trips():
    texts = ["\tx", "\rx", "\0=NUL", 'a;b "c"\nd', *DANGEROUS]
    content = Sample(texts).as_csv()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [row[0] for row in rows[1:]]
    assert all(cell.startswith("'") for cell in cells[:3] + cells[4:])
    assert [undo(cell) for cell in cells] == [t.replace("\0", "") for t in texts]
    assert [row[1] for row in rows[1:3]] == ["0", "-1"]  # numbers stay numbers


def test_ods_sheet_name_is_made_acceptable():
    document = Document(io.BytesIO(Sample(["x"]).as_ods()))
    assert document.body.get_table(0).name == "Essai feuille"


# --- The assessment's files -----------------------------------------------------------------------


@pytest.fixture
def filled(world, campaign, referential):
    """Level 1 of Pilotage done (so its level is 1), a few other answers with comments."""
    for indicator in referential.indicators.filter(domain__code="PIL", level=1):
        services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    answer(campaign, world, referential, "PIL.1.01", "realise", "Volet numérique voté en conseil d'administration")
    answer(campaign, world, referential, "FOR.1.01", "en_cours", "Plan de formation en cours ;\nvoir la DANE")
    answer(campaign, world, referential, "INF.1.01", "non_realise", '=HYPERLINK("http://x")')
    return Assessment.objects.get()


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split()), reader


CODE = re.compile(r"\b([A-Z]{2,10}\.\d\.\d{2}) ")
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def pdf_rows(text: str) -> dict[str, str]:
    """The domain tables' rows: each indicator's code → the text after it, up to the next code."""
    parts = CODE.split(text)
    return dict(zip(parts[1::2], (part.strip() for part in parts[2::2]), strict=True))


def words(text: str) -> str:
    return " ".join(text.split())


def french_date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def test_pdf_of_a_validated_assessment(client_for, world, campaign, referential, filled):
    services.validate_assessment(filled, by=world.chef_a)
    response = client_for("correspondant_40").get(url("export_pdf", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="schematic-{world.school_a.uai}-{YEAR}-rapport.pdf"'
    )
    text, reader = pdf_text(response.content)
    assert len(reader.pages) >= 3
    statement = referential.indicators.get(code="PIL.1.01").statement
    for expected in [
        world.school_a.name,
        world.school_a.uai,
        YEAR,
        f"Validé par {world.chef_a.get_full_name()}",
        " ".join(statement.split()),
        "Réalisé",
        "En cours de réalisation",
        "Volet numérique voté en conseil d'administration",
        "Non renseigné",
        "page 2 / ",
    ]:
        assert expected in text, expected
    assert "document de travail" not in text
    # The cover says who validated, and when.
    filled.refresh_from_db()
    assert f"Validé par {world.chef_a.get_full_name()} le {french_date(filled.validated_at)}" in text
    # Every indicator has its row, once, in the referential's order; each answered one shows its
    # statement, then its answer, then its comment (Pilotage, Formation and Infrastructure).
    rows = pdf_rows(text)
    ordered = referential.indicators.order_by("domain__position", "level", "position")
    assert list(rows) == [i.code for i in ordered]
    answers = Answer.objects.filter(assessment=filled).select_related("indicator")
    assert {a.indicator.domain.code for a in answers} == {"PIL", "FOR", "INF"}
    for answer in answers:
        label = {"realise": "Réalisé", "en_cours": "En cours de réalisation", "non_realise": "Non réalisé"}
        expected = words(f"{answer.indicator.statement} {label[answer.status]} {answer.comment}")
        assert rows[answer.indicator.code].startswith(expected), (answer.indicator.code, rows[answer.indicator.code])
    assert rows["PIL.1.01"].startswith(words(f"{statement} Réalisé Volet numérique voté en conseil"))
    assert rows["FOR.1.01"].endswith("En cours de réalisation Plan de formation en cours ; voir la DANE")
    assert rows["INF.1.01"].startswith(
        words(referential.indicators.get(code="INF.1.01").statement) + ' Non réalisé =HYPERLINK("http://x")'
    )
    # An indicator left unanswered says so in its own row.
    assert rows["PIL.2.01"].startswith(words(referential.indicators.get(code="PIL.2.01").statement) + " Non renseigné")
    # Fonts embedded from local files: nothing was fetched.
    fonts = {str(font.get("/BaseFont")) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Marianne" in font for font in fonts)


def test_pdf_of_a_draft_says_it_is_a_working_document(client_for, world, campaign, referential, filled):
    text, _reader = pdf_text(client_for("rupn_a").get(url("export_pdf", world)).content)
    assert "Non validé — document de travail" in text
    assert "Validé par" not in text


def test_pdf_without_any_answer_yet(client_for, world, campaign, referential):
    response = client_for("member_a").get(url("export_pdf", world))
    assert response.status_code == 200
    text, reader = pdf_text(response.content)
    assert len(reader.pages) >= 3 and world.school_a.name in text
    rows = pdf_rows(text)
    assert len(rows) == INDICATORS
    for indicator in referential.indicators.all():
        assert rows[indicator.code].startswith(words(indicator.statement) + " Non renseigné"), indicator.code
    # No answer anywhere: the answers' words appear only in the synthesis' caption.
    assert text.count("Réalisé") == text.count("« Réalisé »")


def laid_out_report(campaign, school, assessment):
    """The report's layout as WeasyPrint computes it (same template, fonts and fetcher as the PDF)."""
    from weasyprint import HTML

    from pilotis.assessments.exports import report_context
    from pilotis.core.pdf import font_faces, local_fetcher

    faces = font_faces()
    html = render_to_string(
        "assessments/pdf/report.html", {**report_context(campaign, school, assessment), "font_faces": faces}
    )
    return HTML(string=html, url_fetcher=local_fetcher({f["url"] for f in faces})).render()


def boxes_past_the_margin(document):
    """(page, text) of every box whose right edge goes past the page's right margin."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        limit = root.margin_width() - root.margin_right + 0.5  # in CSS px; half a pixel for rounding

        def walk(box, number=number, limit=limit):
            right = box.position_x + box.margin_width() - box.margin_right
            if getattr(box, "element_tag", "") not in ("html", "body") and right > limit:
                found.append((number, getattr(box, "text", None) or box.element_tag))
            for child in getattr(box, "children", ()):
                walk(child)

        for child in root.children:  # the page's content, not its margin boxes
            if type(child).__name__ not in ("MarginBox",):
                walk(child)
    return found


def test_the_synthesis_fits_the_page_with_a_previous_campaign_and_both_means(world, compared, referential):
    """Four comparison columns (previous campaign, the two means) and their long headers: the
    table must still fit A4, its caption on the same page."""
    for indicator in referential.indicators.filter(level=1):
        services.save_answer(compared, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    assessment = Assessment.objects.get(campaign=compared, school=world.school_a)
    document = laid_out_report(compared, world.school_a, assessment)
    assert boxes_past_the_margin(document) == []
    text, _reader = pdf_text(document.write_pdf())
    for header in [
        "Campagne 2025-2026",
        "Moyenne du département (Landes) (5 établissements)",
        "Moyenne de l'académie (Bordeaux) (5 établissements)",
    ]:
        assert header in text, header
    # Both means shown: no note about the small-cell rule.
    assert "apparaissent dès que" not in text and "apparaît dès que" not in text
    synthesis = next(page for page in document.pages if "Synthèse" in page_text(page))
    assert "Niveau atteint par domaine, et points de comparaison" in page_text(synthesis)
    assert "Avancement de chaque niveau, par domaine" in page_text(synthesis)


def page_text(page) -> str:
    texts = []

    def walk(box):
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    return words(" ".join(texts))


def test_a_caption_is_never_left_alone_at_the_foot_of_a_page():
    """Whatever the page holds before a table, its caption goes with it (its first rows at least):
    the report's style sheet alone, a filler growing until only the caption would fit."""
    from weasyprint import HTML

    styles = render_to_string("assessments/pdf/_report.css", {"font_faces": [], "assessment": None})
    rows = "".join(f"<tr><td>r{n}</td><td>x</td></tr>" for n in range(8))
    seen_moved = False
    for filler in range(225, 260, 3):  # mm, on a page of 259 mm inside its margins
        html = (
            f"<html><head><style>{styles}</style></head><body><section class='cover'></section>"
            f"<section><p style='height:{filler}mm;margin:0'>filler</p>"
            f"<table class='data'><caption>Légende</caption><thead><tr><th>a</th><th>b</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section></body></html>"
        )
        pages = [page_text(page) for page in HTML(string=html).render().pages[1:]]
        for text in pages:
            if "Légende" in text:
                assert "r0" in text, (filler, pages)
        seen_moved |= "Légende" not in pages[0]
    assert seen_moved  # control: the filler did push the table to the next page


def test_ods_has_one_row_per_indicator_and_no_formula(client_for, world, campaign, referential, filled):
    response = client_for("dane").get(url("export_ods", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert (
        response["Content-Disposition"] == f'attachment; filename="schematic-{world.school_a.uai}-{YEAR}-reponses.ods"'
    )
    table = Document(io.BytesIO(response.content)).body.get_table(0)
    assert table.name == f"Réponses SCHÉMATIC {YEAR}"
    rows = table.get_values()
    assert rows[0] == [
        "Domaine",
        "Niveau",
        "Code",
        "Indicateur",
        "Réponse",
        "Commentaire",
        "Modifié le",
        "Modifié par",
        "Reprise de l'année précédente",
    ]
    data = [row for row in rows[1:] if any(v not in (None, "") for v in row)]
    assert len(data) == INDICATORS
    by_code = {row[2]: row for row in data}
    assert by_code["PIL.1.01"][4:6] == ["Réalisé", "Volet numérique voté en conseil d'administration"]
    assert by_code["PIL.1.01"][1] == 1 and by_code["PIL.1.01"][7] == world.rupn_a.get_full_name()
    assert by_code["PIL.2.01"][4:9] == ["Non renseigné", "", None, "", ""]
    assert by_code["FOR.1.01"][5] == "Plan de formation en cours ;\nvoir la DANE"
    assert by_code["INF.1.01"][5] == '\'=HYPERLINK("http://x")'
    cells = [cell for row in table.traverse() for cell in row.traverse()]
    assert cells and all(cell.formula is None for cell in cells)
    assert table.get_cell("B2").type == "float" and table.get_cell("G2").type == "date"
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml")
    assert b"table:formula" not in content
    header_style = table.get_cell("A1").style
    assert header_style and b'fo:font-weight="bold"' in content


def test_csv_is_semicolon_separated_utf8_with_bom(client_for, world, campaign, referential, filled):
    response = client_for("chef_a").get(url("export_csv", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="schematic-{world.school_a.uai}-{YEAR}-reponses.csv"'
    )
    assert response.content.startswith(BOM)
    assert (
        response.content.split(b"\r\n", 1)[0]
        == BOM
        + "Domaine;Niveau;Code;Indicateur;Réponse;Commentaire;Modifié le;Modifié par;Reprise de l'année précédente".encode()
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 1 + INDICATORS and all(len(row) == 9 for row in rows)
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["PIL.1.01"][1] == "1" and by_code["PIL.1.01"][4] == "Réalisé"
    assert by_code["FOR.1.01"][5] == "Plan de formation en cours ;\nvoir la DANE"
    assert by_code["INF.1.01"][5] == '\'=HYPERLINK("http://x")'


def test_csv_neutralises_and_round_trips_what_was_stored(client_for, world, campaign, referential):
    comments = [*DANGEROUS, "\tx", "\rx", 'a;b "c"\r\nd', "Réalisé ; voté"]
    indicators = list(referential.indicators.order_by("domain__position", "level", "position")[: len(comments)])
    for indicator, comment in zip(indicators, comments, strict=True):
        services.save_answer(campaign, world.school_a, indicator, status="realise", comment=comment, by=world.rupn_a)
    stored = dict(Answer.objects.values_list("indicator__code", "comment"))
    content = client_for("rupn_a").get(url("export_csv", world)).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    exported = {row[2]: row[5] for row in rows[1:]}
    for code, comment in stored.items():
        assert undo(exported[code]) == comment
        if comment[:1] in {"=", "+", "-", "@", "\t", "\r", "'"}:
            assert exported[code] == "'" + comment
    assert {exported[i.code] for i in indicators[:4]} == {"'=1+1", "'+33", "'-2", "'@SUM(A1)"}


def test_the_edition_tab_links_the_three_files(client_for, world, campaign):
    page = client_for("member_a").get(url("edition", world)).content.decode()
    for name in ["export_pdf", "export_ods", "export_csv"]:
        assert f'href="{url(name, world)}"' in page
    assert 'aria-current="page">Édition<' in page
    assert "documents de travail" in page


def test_the_edition_tab_names_the_validator(client_for, world, campaign, filled):
    services.validate_assessment(filled, by=world.chef_a)
    page = client_for("dane").get(url("edition", world)).content.decode()
    assert f"Autodiagnostic validé par {world.chef_a.get_full_name()}" in page


def test_downloads_are_get_only(client_for, world, campaign):
    client = client_for("chef_a")
    for name in ["edition", "export_pdf", "export_ods", "export_csv"]:
        assert client.post(url(name, world)).status_code == 405


# --- Who may download ---------------------------------------------------------------------------

ROUTES = ["edition", "export_pdf", "export_ods", "export_csv"]
READERS = ["chef_a", "adjoint_a", "rupn_a", "member_a", "correspondant_40", "dane", "admin"]
OUTSIDERS = ["rupn_b", "correspondant_64", "chef_c", "dane_rennes", "nobody"]


@pytest.fixture
def quick_pdf(monkeypatch):
    """Access is decided before any rendering: a stub PDF keeps the matrix fast (the PDF is tested above)."""
    monkeypatch.setattr(views_edition, "render_pdf", lambda campaign, school, assessment: b"%PDF-1.7 stub")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("persona", READERS)
def test_readers_of_the_school_may_download(client_for, world, campaign, quick_pdf, route, persona):
    assert client_for(persona).get(url(route, world)).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_a_404_without_the_school_name(client_for, world, campaign, quick_pdf, route, persona):
    response = client_for(persona).get(url(route, world))
    assert response.status_code == 404
    assert world.school_a.name not in response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, world, campaign, route):
    response = client.get(url(route, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000/", "https://example.org/x.png", "file:///etc/passwd"])
def test_the_pdf_renderer_fetches_nothing_but_its_fonts(address):
    from pilotis.core.pdf import font_faces, local_fetcher

    fonts = {face["url"] for face in font_faces()}
    assert len(fonts) == 5
    fetcher = local_fetcher(fonts)
    with pytest.raises(ValueError, match="may not load"):
        fetcher.fetch(address)
    fetcher.fetch(sorted(fonts)[0]).close()

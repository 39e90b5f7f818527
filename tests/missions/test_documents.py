"""The lettre de mission as PDF and ODT: what they say, and the IMP only for those who may see it."""

import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse
from odfdo import Document
from pypdf import PdfReader

from pilotis.missions import services
from pilotis.missions.documents import letter_context, letter_filename, render_letter_odt, render_letter_pdf
from pilotis.missions.enums import MissionHeading
from pilotis.missions.models import CatalogueEntry
from pilotis.referential.models import Indicator
from pilotis.territories.models import School
from tests.missions.test_review import (
    FIRST_DAY,
    PAST_YEAR,
    answer,
    at,
    designate_member,
    letter_following,
    mini_campaign,  # noqa: F401 — a fixture
)

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
IMP_FORMS = ["1 250", "1250"]


def flat(text: str) -> str:
    """Whitespace as one space: PDFs break lines anywhere, and the amounts use no-break spaces."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return flat(" ".join(page.extract_text() for page in reader.pages)), reader


def odt_texts(content: bytes) -> tuple[str, str]:
    """The body's text, and the page header's."""
    document = Document(io.BytesIO(content))
    header = document.get_style("master-page", "Standard").get_page_header()
    return flat(document.body.text_recursive), flat(header.text_recursive)


@pytest.fixture
def entries():
    """Two missions of the first heading, one of each other: the first one is the main mission."""
    by_heading = [list(CatalogueEntry.objects.filter(academy__isnull=True, heading=h)[:2]) for h in MissionHeading]
    return by_heading[0] + [group[0] for group in by_heading[1:]]


@pytest.fixture
def draft_letter(world, mini_campaign, entries):  # noqa: F811
    School.objects.filter(pk=world.school_a.pk).update(
        address="12 rue des Écoles", postal_code="40100", phone="05 58 00 00 00", email="ce.collège@example.org"
    )
    indicators = Indicator.objects.filter(
        version=mini_campaign.referential, code__in=["PIL.1.01", "PIL.1.02", "INF.1.01"]
    )
    missions = [(entry, "principale" if n == 0 else "secondaire") for n, entry in enumerate(entries)]
    letter = letter_following(world, designate_member(world), indicators, missions)
    letter = services.update_letter(
        letter,
        fields={
            "means_time": "Une heure hebdomadaire inscrite à l'emploi du temps",
            "means_equipment": "Un ordinateur portable",
            "means_room": "Salle B12",
            "training": "Parcours M@gistère des référents numériques",
            "free_text": "Point d'étape avec la direction en janvier.\nBilan présenté en juin.",
        },
        missions=missions,
        indicators=indicators,
        seen_revision=letter.revision,
        by=world.chef_a,
    )
    answer(
        mini_campaign, world.school_a, "PIL.1.01", "en_cours", at(FIRST_DAY - datetime.timedelta(days=5)), world.chef_a
    )
    answer(mini_campaign, world.school_a, "PIL.1.01", "realise", at(datetime.date(2025, 3, 10)), world.member_a)
    answer(mini_campaign, world.school_a, "PIL.1.02", "non_realise", at(datetime.date(2025, 2, 1)), world.member_a)
    return letter


@pytest.fixture
def signed_letter(world, draft_letter):
    letter = services.propose_letter(draft_letter, by=world.chef_a, seen_revision=draft_letter.revision)
    letter = services.accept_letter(letter, by=world.member_a, seen_revision=letter.revision)
    return services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)


def expected_texts(world, letter) -> list[str]:
    return [
        world.school_a.name,
        world.school_a.uai,
        "12 rue des Écoles",
        str(world.member_a),
        PAST_YEAR,
        "Lettre de mission — référent pour les ressources et usages pédagogiques numériques (RUPN)",
        "décret n° 2015-475",
        *(flat(m.text) for m in letter.missions.all()),
        "principale",
        "secondaire",
        "Conseil de l'équipe de direction dans le pilotage du numérique",
        "Lien avec les services chargés de l'équipement et de la maintenance",
        "Une heure hebdomadaire inscrite à l'emploi du temps",
        "Salle B12",
        "Parcours M@gistère des référents numériques",
        "Bilan présenté en juin.",
        "Intégration du numérique au projet d'établissement",
        "Annexe — bilan de fin d’année",
        "du 1er septembre 2024 au 31 août 2025",
    ]


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_of_a_signed_letter(world, signed_letter):
    text, reader = pdf_text(render_letter_pdf(signed_letter, show_imp=True))
    for expected in expected_texts(world, signed_letter):
        assert expected in text, expected
    assert f"Acceptée par {world.member_a} le" in text
    assert f"Signée par {world.chef_a} le" in text
    assert "Projet" not in text
    # The annex: PIL.1.01 moved during the year, PIL.1.02 was answered during it, INF.1.01 never.
    assert "PIL.1.01 Intégration du numérique au projet d'établissement En cours de réalisation Réalisé" in text
    assert "PIL.1.02 Existence d'une charte d'usages Non renseigné Non réalisé" in text
    assert "INF.1.01 Réseau Wi-Fi dans les salles Non renseigné Non renseigné" in text
    assert "1 250 €" in text
    assert len(reader.pages) >= 2
    fonts = {str(font.get("/BaseFont")) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Marianne" in font for font in fonts)


def test_pdf_without_the_imp_does_not_contain_the_amount(world, signed_letter):
    text, _reader = pdf_text(render_letter_pdf(signed_letter, show_imp=False))
    assert world.school_a.name in text
    for form in IMP_FORMS:
        assert form not in text
    assert "IMP" not in text


def test_pdf_of_a_draft_says_it_is_a_project(world, draft_letter):
    text, _reader = pdf_text(render_letter_pdf(draft_letter, show_imp=True))
    assert "Projet — Non signée — état : Brouillon" in text
    assert "Non signée — état : Brouillon" in text.split("Signatures", 1)[1]
    assert "Acceptée par" not in text and "Signée par" not in text
    assert flat(draft_letter.missions.first().text) in text


# --- ODT --------------------------------------------------------------------------------------------


def test_odt_is_an_opendocument_text(signed_letter):
    content = render_letter_odt(signed_letter, show_imp=True)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype").decode() == ODT_MIMETYPE
        assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= set(archive.namelist())
    assert Document(io.BytesIO(content)).mimetype == ODT_MIMETYPE


def test_odt_headings_are_titles_not_numbered(signed_letter):
    document = Document(io.BytesIO(render_letter_odt(signed_letter, show_imp=True)))
    levels = document.styles.get_element("//text:outline-style").children
    assert levels and all(level.get_attribute("style:num-format") == "" for level in levels)


def test_odt_of_a_signed_letter(world, signed_letter):
    content = render_letter_odt(signed_letter, show_imp=True)
    body, header = odt_texts(content)
    assert world.school_a.name in header and world.school_a.uai in header
    assert "12 rue des Écoles" in header and "Tél. 05 58 00 00 00" in header
    for expected in expected_texts(world, signed_letter):
        if expected not in (world.school_a.uai, "12 rue des Écoles"):  # the letterhead, in the page header
            assert expected in body, expected
    assert f"Acceptée par {world.member_a}, référent, le" in body
    assert f"Signée par {world.chef_a}, pour le chef d’établissement, le" in body
    assert "Projet" not in body
    assert "1 250 €" in body
    table = Document(io.BytesIO(content)).body.get_table(name="Bilan")
    rows = [[flat(cell.text_recursive) for cell in row.traverse()] for row in table.traverse()]
    assert rows[0] == ["Code", "Indicateur", "Statut au début", "Statut à la fin"]
    assert rows[1][0] == "PIL.1.01" and rows[1][2:] == ["En cours de réalisation", "Réalisé"]
    assert rows[3] == ["INF.1.01", "Réseau Wi-Fi dans les salles", "Non renseigné", "Non renseigné"]


def test_odt_without_the_imp_does_not_contain_the_amount(signed_letter):
    body, header = odt_texts(render_letter_odt(signed_letter, show_imp=False))
    for form in IMP_FORMS:
        assert form not in body and form not in header
    assert "IMP" not in body


def test_odt_of_a_draft_says_it_is_a_project(draft_letter):
    body, _header = odt_texts(render_letter_odt(draft_letter, show_imp=False))
    assert "Projet — Non signée — état : Brouillon" in body
    assert "Signée par" not in body


def test_a_letter_just_started_renders_too(world, mini_campaign):  # noqa: F811
    """No mission, no indicator, no means, a school without address: every "nothing yet" branch."""
    letter = services.start_letter(designate_member(world), by=world.chef_a)
    text, _reader = pdf_text(render_letter_pdf(letter, show_imp=False))
    assert "Aucune mission n’a encore été choisie." in text and "La lettre ne suit aucun indicateur." in text
    body, header = odt_texts(render_letter_odt(letter, show_imp=False))
    assert "Aucune mission n’a encore été choisie." in body and world.school_a.uai in header


# --- The context and the file's name ------------------------------------------------------------------


def test_the_context_holds_the_imp_only_when_shown(signed_letter):
    assert letter_context(signed_letter, show_imp=True)["imp"] == "1\u00a0250\u00a0€"
    hidden = letter_context(signed_letter, show_imp=False)
    assert hidden["imp"] is None
    assert not any(form in repr(hidden) for form in [*IMP_FORMS, "1250.00"])


def test_the_context_groups_missions_by_heading_and_lists_the_four_functions(signed_letter, entries):
    context = letter_context(signed_letter, show_imp=False)
    assert [g["label"] for g in context["headings"]] == [str(h.label) for h in MissionHeading]
    assert [m["text"] for m in context["headings"][0]["missions"]] == [e.text for e in entries[:2]]
    assert [m["priority"] for m in context["headings"][0]["missions"]] == ["principale", "secondaire"]
    assert len(context["functions"]) == 4
    assert sum(len(f["missions"]) for f in context["functions"]) == len(entries)


def test_the_file_name_names_the_school_the_year_and_the_letter_never_a_person(world, signed_letter):
    name = letter_filename(signed_letter, "pdf")
    assert name == f"lettre-de-mission-{world.school_a.uai}-{PAST_YEAR}-{signed_letter.pk}.pdf"
    assert world.member_a.last_name not in name and world.chef_a.last_name not in name


def odt_part(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode()


def test_odt_headings_carry_their_styles_and_the_annex_starts_a_page(signed_letter):
    content = render_letter_odt(signed_letter, show_imp=True)
    document = Document(io.BytesIO(content))
    headings = document.body.get_elements("//text:h")
    styles = {(h.get_attribute("text:outline-level"), h.style) for h in headings}
    assert styles == {("1", "Pilotis_Heading_1"), ("2", "Pilotis_Heading_2"), ("1", "Pilotis_Annex")}
    annex = [h for h in headings if h.style == "Pilotis_Annex"]
    assert [flat(h.text_recursive) for h in annex] == ["Annexe — bilan de fin d’année"]
    # Read on the file itself: every text:h of content.xml names its style, and the styles exist.
    xml = odt_part(content, "content.xml")
    assert xml.count("<text:h ") == len(headings) > 10
    assert len(re.findall(r'<text:h [^>]*text:style-name="Pilotis_(?:Heading_1|Heading_2|Annex)"', xml)) == len(
        headings
    )
    annex_style = document.get_style("paragraph", "Pilotis_Annex")
    assert annex_style.get_element("style:paragraph-properties").get_attribute("fo:break-before") == "page"
    assert annex_style.get_attribute("style:parent-style-name") == "Pilotis_Heading_1"
    for name in ("Pilotis_Heading_1", "Pilotis_Heading_2"):
        assert document.get_style("paragraph", name) is not None


# --- The letter's period is its own --------------------------------------------------------------------


def test_a_signed_letters_period_does_not_move_with_the_designation(world, signed_letter):
    designation = signed_letter.designation
    services.change_designation(
        designation,
        starts_on=FIRST_DAY + datetime.timedelta(days=30),
        ends_on=designation.ends_on,
        imp_amount=designation.imp_amount,
        by=world.chef_a,
    )
    letter = type(signed_letter).objects.get(pk=signed_letter.pk)
    text, _reader = pdf_text(render_letter_pdf(letter, show_imp=True))
    body, _header = odt_texts(render_letter_odt(letter, show_imp=True))
    for rendered in (text, body):
        assert "du 1er septembre 2024 au 31 août 2025" in rendered
        assert "1er octobre 2024" not in rendered


def test_an_early_end_is_told_apart_from_the_letters_period(world, signed_letter):
    services.end_designation(signed_letter.designation, on=datetime.date(2025, 3, 1), by=world.chef_a)
    letter = type(signed_letter).objects.get(pk=signed_letter.pk)
    context = letter_context(letter, show_imp=False)
    assert context["designation"]["period"] == "du 1er septembre 2024 au 31 août 2025"
    assert context["review"]["period"] == "du 1er septembre 2024 au 1er mars 2025"
    text, _reader = pdf_text(render_letter_pdf(letter, show_imp=False))
    assert "du 1er septembre 2024 au 31 août 2025" in text
    assert "désignation terminée en cours d’année, le 1er mars 2025" in text
    body, _header = odt_texts(render_letter_odt(letter, show_imp=False))
    assert "du 1er septembre 2024 au 31 août 2025" in body
    assert "La désignation a pris fin en cours d’année, le 1er mars 2025." in body


# --- The files as served: the IMP only to those who may see it ------------------------------------------


def served_texts(client, school, letter) -> tuple[str, str]:
    """The PDF's text and the ODT's (body and page header), as downloaded."""
    pdf = client.get(reverse("missions:letter_pdf", args=[school.uai, letter.pk]))
    odt = client.get(reverse("missions:letter_odt", args=[school.uai, letter.pk]))
    assert (pdf.status_code, odt.status_code) == (200, 200)
    assert pdf["Content-Type"] == "application/pdf"
    odt_xml = " ".join(odt_part(odt.content, name) for name in ("content.xml", "styles.xml"))
    return pdf_text(pdf.content)[0], flat(re.sub(r"<[^>]+>", " ", odt_xml))


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("chef_a", True),
        ("adjoint_a", True),
        ("rupn_a", True),
        ("dane", True),
        ("member_a", False),
        ("correspondant_40", False),
    ],
)
def test_the_served_files_carry_the_imp_only_for_those_who_may_see_it(client_for, world, signed, persona, visible):
    pdf, odt = served_texts(client_for(persona), world.school_a, signed)
    for text in (pdf, odt):
        assert world.school_a.name in text and str(world.rupn_a) in text
        assert ("1 250 €" in text) is visible, persona
        assert ("Indemnité pour mission particulière" in text) is visible, persona
        if not visible:
            assert not any(form in text for form in [*IMP_FORMS, "1250.00", "IMP"])


def test_odt_bullets_stand_apart_from_their_text(signed_letter):
    """Every list's style indents its text after a tab stop: LibreOffice drew « •Conseiller » with odfdo's
    « List 1 », whose levels give no spacing at all."""
    content = render_letter_odt(signed_letter, show_imp=True)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body, styles = archive.read("content.xml").decode(), archive.read("styles.xml").decode()
    used = set(re.findall(r'<text:list [^>]*text:style-name="([^"]+)"', body))
    assert used
    for name in used:
        style = re.search(rf'<text:list-style style:name="{name}".*?</text:list-style>', styles, re.S).group(0)
        first_level = re.search(
            r"<text:list-level-style-bullet text:level=\"1\".*?</text:list-level-style-bullet>", style
        )
        assert 'text:label-followed-by="listtab"' in first_level.group(0)
        assert re.search(r'fo:margin-left="0\.[1-9]', first_level.group(0))


def test_the_pdf_says_a_letter_not_presented_yet_in_the_singular(draft_letter):
    text, _reader = pdf_text(render_letter_pdf(draft_letter, show_imp=True))
    assert "Conseil pédagogique pas encore présentée Conseil d’administration pas encore présentée" in text
    assert "présentées" not in text


def test_both_documents_print_the_content_s_titles_and_sentences(signed_letter):
    """One content for both formats: each section title and shared sentence is in the PDF and the ODT."""
    context = letter_context(signed_letter, show_imp=True)
    text, _reader = pdf_text(render_letter_pdf(signed_letter, show_imp=True))
    body, _header = odt_texts(render_letter_odt(signed_letter, show_imp=True))
    shared = [*context["titles"].values(), context["imp_sentence"], context["review"]["period_text"]]
    for sentence in shared:
        assert flat(sentence) in text, sentence
        assert flat(sentence) in body, sentence


def test_odt_keeps_the_template_s_settings_where_libreoffice_reads_them(signed_letter):
    """The template's settings (the tables' compatibility options among them) count only inside
    <office:settings>: without it LibreOffice lays the annex's rows out taller."""
    xml = odt_part(render_letter_odt(signed_letter, show_imp=True), "settings.xml")
    assert re.search(r"<office:settings>\s*<config:config-item-set", xml)
    assert 'config:name="ooo:configuration-settings"' in xml

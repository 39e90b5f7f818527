"""core.odt: a document on a template's styles, its headings, lists, tables and page numbers."""

import io
import zipfile

from lxml import etree
from odfdo import Document, Paragraph

from pilotis.core import odt

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = odt.OFFICE
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment the document must not keep -->
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"
    xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
  <office:meta>
    <meta:generator>odfdo</meta:generator>
  </office:meta>
  <office:settings>
    <config:config-item-set config:name="ooo:configuration-settings">
      <config:config-item config:name="AddParaTableSpacing" config:type="boolean">false</config:config-item>
    </config:config-item-set>
  </office:settings>
  <office:styles>
    <style:style style:name="Standard" style:family="paragraph"/>
    <style:style style:name="Pilotis_Heading_1" style:family="paragraph"/>
    <style:style style:name="Pilotis_Muted" style:family="paragraph"/>
  </office:styles>
  <office:automatic-styles>
    <style:page-layout style:name="pm1"/>
  </office:automatic-styles>
  <office:master-styles>
    <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
  </office:master-styles>
  <office:body>
    <office:text/>
  </office:body>
</office:document>
"""


def template(tmp_path):
    path = tmp_path / "essai.fodt"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def part(content: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read(name))


def test_a_document_on_a_template_keeps_its_styles_and_settings_and_drops_the_indentation(tmp_path):
    document = odt.open_template(template(tmp_path))
    document.body.append(odt.heading(1, "Objectifs"))
    content = odt.to_bytes(document)
    assert zipfile.ZipFile(io.BytesIO(content)).read("mimetype") == b"application/vnd.oasis.opendocument.text"
    styles = part(content, "styles.xml")
    names = {node.get(f"{{{STYLE}}}name") for node in styles.iter(f"{{{STYLE}}}style")}
    assert {"Pilotis_Heading_1", "Pilotis_Muted"} <= names
    # LibreOffice reads the settings only inside <office:settings>.
    settings = part(content, "settings.xml")
    assert settings.find(f"{{{OFFICE}}}settings") is not None
    assert b"AddParaTableSpacing" in etree.tostring(settings.find(f"{{{OFFICE}}}settings"))
    assert b"a comment the document" not in odt.template_bytes(template(tmp_path))
    assert b"\n  <office:styles>" not in odt.template_bytes(template(tmp_path))


def test_headings_carry_their_style_and_a_given_one(tmp_path):
    document = odt.open_template(template(tmp_path))
    document.body.append(odt.heading(1, "Objectifs"))
    document.body.append(odt.heading(2, "Annexe", "Pilotis_Annex"))
    text = part(odt.to_bytes(document), "content.xml")
    headings = [
        (h.get(f"{{{TEXT}}}style-name"), h.get(f"{{{TEXT}}}outline-level"), h.text) for h in text.iter(f"{{{TEXT}}}h")
    ]
    assert headings == [("Pilotis_Heading_1", "1", "Objectifs"), ("Pilotis_Annex", "2", "Annexe")]


def test_paragraphs_of_a_free_text_skip_blank_lines_or_say_it_is_empty(tmp_path):
    document = odt.open_template(template(tmp_path))
    odt.paragraphs(document.body, "Première ligne\n\n  \nSeconde ligne", "Rien.")
    odt.paragraphs(document.body, "", "Aucun moyen précisé.")
    found = [
        (p.get(f"{{{TEXT}}}style-name"), p.text)
        for p in part(odt.to_bytes(document), "content.xml").iter(f"{{{TEXT}}}p")
    ]
    assert found == [
        ("Standard", "Première ligne"),
        ("Standard", "Seconde ligne"),
        ("Pilotis_Muted", "Aucun moyen précisé."),
    ]


def test_a_table_has_named_columns_a_repeated_head_and_one_paragraph_per_line(tmp_path):
    document = odt.open_template(template(tmp_path))
    document.body.append(odt.table("Actions", ["Action", "Coût"], [["Former\nles équipes", "1 200 €"], ["ENT", ""]]))
    content = odt.to_bytes(document)
    reopened = Document(io.BytesIO(content))
    found = reopened.body.get_table(name="Actions")
    texts = [[cell.text_content for cell in row.get_cells()] for row in found.get_rows()]
    assert texts == [["Action", "Coût"], ["Former\nles équipes", "1 200 €"], ["ENT", ""]]
    xml = part(content, "content.xml")
    columns = [c.get(f"{{{TABLE}}}style-name") for c in xml.iter(f"{{{TABLE}}}table-column")]
    assert columns == ["ActionsCol0", "ActionsCol1"]
    head = next(xml.iter(f"{{{TABLE}}}table-header-rows"))
    assert [p.text for p in head.iter(f"{{{TEXT}}}p")] == ["Action", "Coût"]
    cell = list(xml.iter(f"{{{TABLE}}}table-cell"))[2]
    assert [p.text for p in cell.iter(f"{{{TEXT}}}p")] == ["Former", "les équipes"]
    assert {p.get(f"{{{TEXT}}}style-name") for p in cell.iter(f"{{{TEXT}}}p")} == {"Pilotis_Table_Text"}


def test_bullets_use_the_template_s_list_style(tmp_path):
    document = odt.open_template(template(tmp_path))
    document.body.append(odt.bullets(["PIL.1.01", "PIL.2.01"]))
    xml = part(odt.to_bytes(document), "content.xml")
    lists = list(xml.iter(f"{{{TEXT}}}list"))
    assert [node.get(f"{{{TEXT}}}style-name") for node in lists] == ["Pilotis_List"]
    assert [p.text for p in lists[0].iter(f"{{{TEXT}}}p")] == ["PIL.1.01", "PIL.2.01"]


def test_the_footer_numbers_its_pages_out_of_their_count(tmp_path):
    document = odt.open_template(template(tmp_path))
    footer = odt.page_numbers(Paragraph("Plan d'actions — page "))
    odt.set_page_frame(document, [Paragraph("Collège Test")], footer)
    styles = part(odt.to_bytes(document), "styles.xml")
    master = next(styles.iter(f"{{{STYLE}}}master-page"))
    footer_xml = master.find(f"{{{STYLE}}}footer")
    assert footer_xml.find(f".//{{{TEXT}}}page-number") is not None
    assert footer_xml.find(f".//{{{TEXT}}}page-count") is not None
    assert "Collège Test" in etree.tostring(master.find(f"{{{STYLE}}}header"), encoding="unicode")

"""OpenDocument texts (odfdo) built on a template of styles: the lettre de mission, the action plan,
the commission's minutes.

Each document keeps its styles — paragraphs, lists, table cells and columns, the A4 page with its
header and footer — in a flat OpenDocument file (`.fodt`) that LibreOffice or a text editor opens;
its module adds the content with those styles' names through the helpers below and sets nothing
else. The default names are those the templates share: `Pilotis_Heading_<level>`,
`Pilotis_List`, `PilotisTable` with `PilotisCellHead`/`Pilotis_Table_Head` for its head and
`PilotisCell`/`Pilotis_Table_Text` for its rows, `Pilotis_Muted` for an empty section's sentence.
"""

import io
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from lxml import etree
from odfdo import Cell, Column, Document, Element, Header, List, Paragraph, Row, Table, VarPageCount, VarPageNumber

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@cache
def template_bytes(path: Path) -> bytes:
    """The template without its indentation: the file is indented to be read, the document is not
    (an indented paragraph would keep the spaces as text)."""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    return etree.tostring(etree.parse(path, parser), xml_declaration=True, encoding="UTF-8")


def open_template(path: Path) -> Document:
    """A new document on the template's styles, its settings where LibreOffice reads them."""
    document = Document(io.BytesIO(template_bytes(path)))
    # odfdo (3.27) reads a flat file's settings without their <office:settings> element, and
    # LibreOffice ignores settings so written (the tables' compatibility options among them).
    settings = etree.fromstring(document.container.get_part("settings.xml"))
    if settings.find(f"{{{OFFICE}}}settings") is None:
        wrapper = etree.Element(f"{{{OFFICE}}}settings")
        wrapper.extend(list(settings))
        settings.append(wrapper)
        document.container.set_part("settings.xml", etree.tostring(settings, xml_declaration=True, encoding="UTF-8"))
    return document


def heading(level: int, text: str, style: str = "") -> Header:
    """A heading on the template's `Pilotis_Heading_<level>` (or `style`). odfdo's `Header` drops
    its `style` argument (3.27: the assignment is commented out): it is set after."""
    element = Header(level, text)
    element.style = style or f"Pilotis_Heading_{level}"
    return element


def paragraphs(body, text: str, empty: str, *, style: str = "Standard", empty_style: str = "Pilotis_Muted"):
    """One paragraph per non-blank line of a free text, or the `empty` sentence when there is none."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for line in lines or [empty]:
        body.append(Paragraph(line, style=style if lines else empty_style))


def bullets(items: Iterable, style: str = "Pilotis_List") -> List:
    """A list on the template's list style; items are texts or paragraphs (odfdo wraps each one)."""
    return List(list(items), style=style)


def table(
    name: str,
    head: Sequence[str],
    rows: Iterable[Sequence],
    *,
    style: str = "PilotisTable",
    head_cell: str = "PilotisCellHead",
    head_text: str = "Pilotis_Table_Head",
    cell: str = "PilotisCell",
    text: str = "Pilotis_Table_Text",
) -> Table:
    """A table whose columns are the template's `<name>Col<i>` styles, its head repeated on every
    page; a cell's lines are paragraphs of their own."""
    element = Table(name, style=style)
    for index in range(len(head)):
        element.append(Column(style=f"{name}Col{index}"))
    header = Element.from_tag("table:table-header-rows")
    element.append(header)
    for target, cells, cell_style, text_style in ((header, [head], head_cell, head_text), (element, rows, cell, text)):
        for values in cells:
            row = Row()
            for value in values:
                box = Cell(style=cell_style)
                for line in str(value).splitlines() or [""]:
                    box.append(Paragraph(line, style=text_style))
                row.append(box)
            target.append(row)
    return element


def page_numbers(paragraph: Paragraph, separator: str = " / ") -> Paragraph:
    """Appends the page's number and the page count (fields LibreOffice fills) to `paragraph`."""
    paragraph.append(VarPageNumber())
    paragraph.append(separator)
    paragraph.append(VarPageCount())
    return paragraph


def set_page_frame(document: Document, header: list | None, footer, page: str = "Standard"):
    """The master page's header (paragraphs) and footer (a paragraph or a list of them)."""
    master = document.get_style("master-page", page)
    if header is not None:
        master.set_page_header(header)
    if footer is not None:
        master.set_page_footer(footer)


def to_bytes(document: Document) -> bytes:
    """The document as an `.odt` file's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

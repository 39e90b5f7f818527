"""The lettre de mission as an OpenDocument text (odfdo) the direction may rework in LibreOffice.

The styles — paragraphs, lists, table cells and columns, the A4 page with its header and footer —
are in `lettre.fodt`, a flat OpenDocument file that LibreOffice or a text editor opens; this module
adds the letter's content to it with those styles' names (through `core.odt`, which the plan and
the commission's minutes share) and sets nothing else.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from odfdo import Paragraph, Span

from pilotis.core import odt
from pilotis.missions.documents.content import letter_context

TEMPLATE = Path(__file__).with_name("lettre.fodt")


def _letterhead(document, context):
    """The school's details in the page style's header, the document and page in its footer."""
    school = context["school"]
    place = " ".join(filter(None, [school["postal_code"], school["commune"]]))
    contact = " · ".join(filter(None, [school["address"], place]))
    reach = " · ".join(
        filter(None, [school["phone"] and _("Tél. %(phone)s") % {"phone": school["phone"]}, school["email"]])
    )
    lines = [Paragraph(school["name"], style="Pilotis_Letterhead_Name")]
    lines += [Paragraph(text, style="Pilotis_Letterhead") for text in (contact, reach) if text]
    lines.append(Paragraph(f"UAI {school['uai']} · {school['academy']}", style="Pilotis_Letterhead_Last"))
    footer = Paragraph(
        _("Lettre de mission RUPN %(year)s — %(school)s — page ")
        % {"year": context["designation"]["school_year"], "school": school["name"]},
        style="Pilotis_Footer",
    )
    odt.set_page_frame(document, lines, odt.page_numbers(footer))


def _mission_item(mission) -> Paragraph:
    """The mission, its priority in bold, its function in grey (List wraps it in an item)."""
    paragraph = Paragraph(mission["text"] + " ")
    paragraph.append(Span(f"({mission['priority']})", style="Pilotis_Strong"))
    paragraph.append(Span(f" — {mission['function']}", style="Pilotis_Muted_Text"))
    return paragraph


def _opening(body, context):
    designation = context["designation"]
    body.append(Paragraph(context["title"], style="Pilotis_Title"))
    body.append(
        Paragraph(
            _("Année scolaire %(year)s — Référent : %(rupn)s")
            % {"year": designation["school_year"], "rupn": designation["rupn"]},
            style="Pilotis_Subtitle",
        )
    )
    if not context["is_signed"]:
        body.append(Paragraph(context["draft_notice"], style="Pilotis_Draft"))
    for text in context["preamble"]:
        body.append(Paragraph(text))
    if designation["ended_early"]:
        ended = _("La désignation a pris fin en cours d’année, le %(day)s.") % {"day": designation["ended_on"]}
        body.append(Paragraph(ended, style="Pilotis_Muted"))


def _missions(body, context):
    titles, empty = context["titles"], context["empty"]
    body.append(odt.heading(1, titles["missions"]))
    for group in context["headings"]:
        body.append(odt.heading(2, group["label"]))
        body.append(odt.bullets([_mission_item(m) for m in group["missions"]]))
    if not context["headings"]:
        body.append(Paragraph(empty["missions"], style="Pilotis_Muted"))
    body.append(odt.heading(1, titles["functions"]))
    for function in context["functions"]:
        body.append(odt.heading(2, function["label"]))
        if function["missions"]:
            body.append(odt.bullets(function["missions"]))
        else:
            body.append(Paragraph(empty["function"], style="Pilotis_Muted"))


def _means(body, context):
    titles, empty = context["titles"], context["empty"]
    body.append(odt.heading(1, titles["means"]))
    for label, value in context["means"]:
        body.append(odt.heading(2, label))
        odt.paragraphs(body, value, empty["means"])
    body.append(odt.heading(1, titles["training"]))
    odt.paragraphs(body, context["training"], empty["training"])
    body.append(odt.heading(1, titles["memberships"]))
    body.append(odt.bullets(context["memberships"]))


def _terms(body, context):
    """The indicators followed, the IMP (only if shown), the free text."""
    titles = context["titles"]
    body.append(odt.heading(1, titles["indicators"]))
    if context["indicators"]:
        items = [f"{i.code} — {i.statement}" for i in context["indicators"]]
        body.append(odt.bullets(items))
    else:
        body.append(Paragraph(context["empty"]["indicators"], style="Pilotis_Muted"))
    if context["imp_sentence"]:
        body.append(odt.heading(1, titles["imp"]))
        body.append(Paragraph(context["imp_sentence"]))
    if context["free_text"]:
        body.append(odt.heading(1, titles["free_text"]))
        odt.paragraphs(body, context["free_text"], "")


def _signature_lines(context) -> list[str]:
    """The acceptance and the signature, each with its signer's role (the PDF puts the role in the
    signature's box instead), or the letter's state while it is not signed."""
    lines = []
    if context["accepted_at"]:
        lines.append(
            _("Acceptée par %(who)s, référent, le %(when)s.")
            % {"who": context["accepted_by_label"], "when": context["accepted_on"]}
        )
    if context["is_signed"]:
        lines.append(
            _("Signée par %(who)s, pour le chef d’établissement, le %(when)s.")
            % {"who": context["signed_by_label"], "when": context["signed_on"]}
        )
    else:
        lines.append(context["unsigned"])
    return lines


def _closing(body, context):
    titles, not_yet = context["titles"], context["empty"]["presentation"]
    body.append(odt.heading(1, titles["signatures"]))
    for line in _signature_lines(context):
        body.append(Paragraph(line))
    body.append(odt.heading(1, titles["presentations"]))
    for council, when in context["presentations"]:
        body.append(Paragraph(f"{council} : {when or not_yet}"))


def _annex(body, context):
    review = context["review"]
    body.append(odt.heading(1, context["titles"]["annex"], "Pilotis_Annex"))
    body.append(Paragraph(review["period_text"]))
    rows = [[row.indicator.code, row.indicator.statement, row.start_label, row.end_label] for row in review["rows"]]
    if rows:
        body.append(odt.table("Bilan", review["columns"], rows))
    else:
        body.append(Paragraph(context["empty"]["review"], style="Pilotis_Muted"))


def render_letter_odt(letter, *, show_imp: bool) -> bytes:
    """The same letter as an OpenDocument text, on the template's styles."""
    context = letter_context(letter, show_imp=show_imp)
    document = odt.open_template(TEMPLATE)
    document.meta.set_title(f"{context['title']} — {context['designation']['school_year']}")
    document.meta.set_creation_date()  # now, not the template's
    _letterhead(document, context)
    for part in (_opening, _missions, _means, _terms, _closing, _annex):
        part(document.body, context)
    return odt.to_bytes(document)

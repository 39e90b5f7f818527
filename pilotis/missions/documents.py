"""The lettre de mission as documents: a PDF to hand to the school's councils (WeasyPrint, like the
self-assessment report) and an ODT the direction can edit in LibreOffice (odfdo).

Both read the same `letter_context`, made of plain values only: the IMP amount is in it only when
the reader may see it, so no template can print it by mistake.
"""

import io

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from odfdo import (
    Cell,
    Column,
    Document,
    Element,
    Header,
    List,
    Paragraph,
    Row,
    Span,
    Table,
    VarPageCount,
    VarPageNumber,
)

from pilotis.core import pdf
from pilotis.core.exporters import safe_filename
from pilotis.core.formats import day, euros, period
from pilotis.missions.enums import MissionHeading, MissionPriority, RupnFunction
from pilotis.missions.models import MissionLetter
from pilotis.missions.review import review_period, review_rows

TITLE = gettext_lazy("Lettre de mission — référent pour les ressources et usages pédagogiques numériques (RUPN)")


def letter_filename(letter, extension: str) -> str:
    """`lettre-de-mission-0400001A-2026-2027-12.pdf`: the UAI, the year and the letter, never a person."""
    return safe_filename(
        "lettre-de-mission", letter.school.uai, letter.school_year, str(letter.pk), extension=extension
    )


# --- The content ------------------------------------------------------------------------------------


def _school(school) -> dict:
    return {
        "name": school.name,
        "uai": school.uai,
        "address": school.address,
        "postal_code": school.postal_code,
        "commune": school.commune,
        "phone": school.phone,
        "email": school.email,
        "academy": str(school.department.academy),
    }


def _designation(letter) -> dict:
    """The period is the letter's own (a signed letter keeps it whatever the designation becomes); an
    early end of the designation is a later fact, told apart."""
    designation = letter.designation
    starts_on, ends_on = letter.period
    ended_on = designation.ends_on if designation.ended_early else None
    return {
        "rupn": designation.user_label,
        "school_year": designation.school_year,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "ended_early": designation.ended_early,
        "ended_on": day(ended_on),
        "period": period(starts_on, ends_on),
    }


def _preamble(school, designation) -> list[str]:
    return [
        _(
            "En application du décret n°\u00a02015-475 du 27 avril 2015 et dans le cadre du projet d’établissement, "
            "le chef d’établissement confie à %(rupn)s la mission de référent pour les ressources et usages "
            "pédagogiques numériques (RUPN) de l’établissement %(school)s pour l’année scolaire %(year)s, "
            "%(period)s."
        )
        % {
            "rupn": designation["rupn"],
            "school": school["name"],
            "year": designation["school_year"],
            "period": designation["period"],
        },
        _(
            "La présente lettre précise les missions confiées au référent, les moyens mis à sa disposition et "
            "les indicateurs de l’autodiagnostic SCHÉMATIC sur lesquels portera le bilan de fin d’année. Elle "
            "est présentée au conseil pédagogique et au conseil d’administration."
        ),
    ]


def _mission(mission) -> dict:
    return {
        "text": mission.text,
        "function": str(mission.get_function_display()),
        "priority": str(mission.get_priority_display()).lower(),
        "is_main": mission.priority == MissionPriority.MAIN,
    }


def _by_heading(missions) -> list[dict]:
    """The headings in the seed's order; a heading without missions is left out."""
    groups = []
    for heading in MissionHeading:
        items = [_mission(m) for m in missions if m.heading == heading]
        if items:
            groups.append({"label": str(heading.label), "missions": items})
    return groups


def _by_function(missions) -> list[dict]:
    """All four functions, each with the letter's missions attached to it (maybe none)."""
    return [
        {"label": str(function.label), "missions": [m.text for m in missions if m.function == function]}
        for function in RupnFunction
    ]


def _label(name: str) -> str:
    return str(capfirst(MissionLetter._meta.get_field(name).verbose_name))


def _means(letter) -> list[tuple[str, str]]:
    return [(_label(name), getattr(letter, name)) for name in ("means_time", "means_equipment", "means_room")]


def _memberships(letter) -> list[str]:
    council = (
        _("Le référent est membre du conseil pédagogique.")
        if letter.pedagogical_council
        else _("Le référent n’est pas membre du conseil pédagogique.")
    )
    commission = (
        _("Le référent est membre de la commission numérique de l’établissement.")
        if letter.digital_commission
        else _("Le référent n’est pas membre de la commission numérique de l’établissement.")
    )
    return [council, commission]


def _signatures(letter) -> dict:
    return {
        "is_signed": letter.signed_at is not None,
        "state": letter.state,
        "state_label": str(letter.get_state_display()),
        "accepted_by_label": letter.accepted_by_label,
        "accepted_at": letter.accepted_at,
        "accepted_on": day(letter.accepted_at),
        "signed_by_label": letter.signed_by_label,
        "signed_at": letter.signed_at,
        "signed_on": day(letter.signed_at),
        "presented_pedagogical_council_on": letter.presented_pedagogical_council_on,
        "presented_board_on": letter.presented_board_on,
        # (council, the day it was presented or "")
        "presentations": [
            (_("Conseil pédagogique"), day(letter.presented_pedagogical_council_on)),
            (_("Conseil d’administration"), day(letter.presented_board_on)),
        ],
    }


def letter_context(letter, *, show_imp: bool) -> dict:
    """Everything both documents print, as plain values; `imp` is None unless `show_imp`."""
    school, designation = _school(letter.school), _designation(letter)
    missions = list(letter.missions.all())
    rows = review_rows(letter)
    start, end = review_period(letter)
    return {
        "title": str(TITLE),
        "school": school,
        "designation": designation,
        "preamble": _preamble(school, designation),
        "headings": _by_heading(missions),
        "functions": _by_function(missions),
        "means": _means(letter),
        "training": letter.training,
        "pedagogical_council": letter.pedagogical_council,
        "digital_commission": letter.digital_commission,
        "memberships": _memberships(letter),
        "free_text": letter.free_text,
        "indicators": [row.indicator for row in rows],
        "imp": euros(letter.imp_amount) if show_imp else None,
        **_signatures(letter),
        "review": {"start": start, "end": end, "period": period(start, end), "rows": rows},
        "generated_at": timezone.now(),
    }


# --- PDF ----------------------------------------------------------------------------------------------


def render_letter_pdf(letter, *, show_imp: bool) -> bytes:
    """The letter on A4 as the councils receive it, the review as its annex."""
    return pdf.render_pdf("missions/pdf/letter.html", letter_context(letter, show_imp=show_imp))


# --- ODT ----------------------------------------------------------------------------------------------

BLUE, GREY, RED = "#000091", "#3a3a3a", "#b34000"


def _paragraph_style(name, *, parent="Standard", text="", paragraph="", outline=None) -> str:
    outline_attr = f' style:default-outline-level="{outline}"' if outline else ""
    return (
        f'<style:style style:name="{name}" style:display-name="{name.replace("_", " ")}" '
        f'style:family="paragraph" style:parent-style-name="{parent}"{outline_attr}>'
        f"<style:paragraph-properties {paragraph}/><style:text-properties {text}/></style:style>"
    )


ODT_STYLES = [
    # The base of every other style: Liberation Sans is metric-compatible with Arial, shipped with LibreOffice.
    '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
    '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.16cm" fo:line-height="125%"/>'
    '<style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt" fo:color="#161616"/>'
    "</style:style>",
    _paragraph_style(
        "Pilotis_Letterhead_Name",
        text=f'fo:font-size="11pt" fo:font-weight="bold" fo:color="{BLUE}"',
        paragraph='fo:margin-bottom="0.05cm"',
    ),
    _paragraph_style(
        "Pilotis_Letterhead", text=f'fo:font-size="8.5pt" fo:color="{GREY}"', paragraph='fo:margin-bottom="0cm"'
    ),
    _paragraph_style(
        "Pilotis_Letterhead_Last",
        text=f'fo:font-size="8.5pt" fo:color="{GREY}"',
        paragraph=f'fo:margin-bottom="0cm" fo:padding-bottom="0.15cm" fo:border-bottom="0.75pt solid {BLUE}"',
    ),
    _paragraph_style("Pilotis_Footer", text='fo:font-size="8pt" fo:color="#666666"'),
    _paragraph_style(
        "Pilotis_Title",
        text=f'fo:font-size="15pt" fo:font-weight="bold" fo:color="{BLUE}"',
        paragraph='fo:margin-top="0.3cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"',
    ),
    _paragraph_style("Pilotis_Subtitle", text=f'fo:font-size="10.5pt" fo:color="{GREY}"'),
    _paragraph_style(
        "Pilotis_Draft",
        text=f'fo:font-weight="bold" fo:color="{RED}"',
        paragraph=f'fo:background-color="#ffe9e6" fo:padding="0.15cm" fo:border-left="3pt solid {RED}" '
        'fo:margin-top="0.2cm" fo:margin-bottom="0.3cm"',
    ),
    _paragraph_style(
        "Pilotis_Heading_1",
        parent="Heading_20_1",
        outline=1,
        text=f'style:font-name="Liberation Sans" fo:font-size="12.5pt" fo:font-weight="bold" fo:color="{BLUE}"',
        paragraph=f'fo:margin-top="0.45cm" fo:margin-bottom="0.2cm" fo:padding-bottom="0.05cm" '
        f'fo:border-bottom="0.75pt solid {BLUE}" fo:keep-with-next="always"',
    ),
    _paragraph_style(
        "Pilotis_Heading_2",
        parent="Heading_20_2",
        outline=2,
        text='style:font-name="Liberation Sans" fo:font-size="10.5pt" fo:font-weight="bold" fo:font-style="normal" '
        'fo:color="#161616"',
        paragraph='fo:margin-top="0.25cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"',
    ),
    _paragraph_style("Pilotis_Annex", parent="Pilotis_Heading_1", outline=1, paragraph='fo:break-before="page"'),
    _paragraph_style("Pilotis_Muted", text='fo:font-size="9pt" fo:color="#666666"'),
    _paragraph_style(
        "Pilotis_Table_Head",
        text=f'fo:font-size="9pt" fo:font-weight="bold" fo:color="{BLUE}"',
        paragraph='fo:margin-bottom="0cm"',
    ),
    _paragraph_style("Pilotis_Table_Text", text='fo:font-size="9pt"', paragraph='fo:margin-bottom="0cm"'),
    '<style:style style:name="Pilotis_Strong" style:display-name="Pilotis Strong" style:family="text">'
    f'<style:text-properties fo:font-weight="bold" fo:color="{BLUE}"/></style:style>',
    '<style:style style:name="Pilotis_Muted_Text" style:display-name="Pilotis Muted Text" style:family="text">'
    '<style:text-properties fo:font-size="8.5pt" fo:color="#666666"/></style:style>',
]

# The lists' bullets, each followed by a tab stop and the text indented under it: odfdo's « List 1 »
# has no spacing at all, so LibreOffice set the text against its bullet (« •Conseiller »).
ODT_LIST_STYLE = (
    '<text:list-style style:name="Pilotis_List" style:display-name="Pilotis List">'
    + "".join(
        f'<text:list-level-style-bullet text:level="{level}" text:bullet-char="•">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="listtab" '
        f'text:list-tab-stop-position="{0.6 * level:.1f}cm" fo:text-indent="-0.4cm" fo:margin-left="{0.6 * level:.1f}cm"/>'
        "</style:list-level-properties>"
        '<style:text-properties style:font-name="Liberation Sans"/>'
        "</text:list-level-style-bullet>"
        for level in (1, 2, 3)
    )
    + "</text:list-style>"
)

# A4, the header (the letterhead) and the footer inside the margins, apart from the text.
ODT_PAGE_LAYOUT = (
    '<style:page-layout style:name="Mpm1"><style:page-layout-properties fo:page-width="21cm" '
    'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" '
    'fo:margin-left="2cm" fo:margin-right="2cm" style:writing-mode="lr-tb"/>'
    '<style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.6cm"/>'
    "</style:header-style>"
    '<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/>'
    "</style:footer-style></style:page-layout>"
)

CELL = "0.1cm"
ODT_AUTOMATIC_STYLES = [
    '<style:style style:name="PilotisCellHead" style:family="table-cell"><style:table-cell-properties '
    f'fo:background-color="#f5f5fe" fo:border="0.5pt solid #dddddd" fo:padding="{CELL}"/></style:style>',
    '<style:style style:name="PilotisCell" style:family="table-cell"><style:table-cell-properties '
    f'fo:border="0.5pt solid #dddddd" fo:padding="{CELL}"/></style:style>',
    '<style:style style:name="PilotisTable" style:family="table"><style:table-properties style:width="17cm" '
    'table:align="left" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>',
]


def _column_style(name: str, width: str) -> str:
    return (
        f'<style:style style:name="{name}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{width}"/></style:style>'
    )


def _odt_letterhead(document, context):
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
    footer.append(VarPageNumber())
    footer.append(" / ")
    footer.append(VarPageCount())
    page = document.get_style("master-page", "Standard")
    page.set_page_header(lines)
    page.set_page_footer(footer)
    document.insert_style(page)


def _heading(level: int, text: str, style: str) -> Header:
    """odfdo's `Header` drops its `style` argument (3.27: the assignment is commented out): set it after."""
    heading = Header(level, text)
    heading.style = style
    return heading


def _odt_table(name: str, widths: list[str], head: list[str], rows: list[list[str]]):
    table = Table(name, style="PilotisTable")
    for index, _width in enumerate(widths):
        table.append(Column(style=f"{name}Col{index}"))
    header = Element.from_tag("table:table-header-rows")  # repeated on every page
    table.append(header)
    for target, cells, cell_style, text_style in (
        (header, [head], "PilotisCellHead", "Pilotis_Table_Head"),
        (table, rows, "PilotisCell", "Pilotis_Table_Text"),
    ):
        for values in cells:
            row = Row()
            for value in values:
                cell = Cell(style=cell_style)
                for line in str(value).splitlines() or [""]:
                    cell.append(Paragraph(line, style=text_style))
                row.append(cell)
            target.append(row)
    return table


def _odt_mission_item(mission) -> Paragraph:
    """The mission, its priority in bold, its function in grey (List wraps it in an item)."""
    paragraph = Paragraph(mission["text"] + " ")
    paragraph.append(Span(f"({mission['priority']})", style="Pilotis_Strong"))
    paragraph.append(Span(f" — {mission['function']}", style="Pilotis_Muted_Text"))
    return paragraph


def _odt_texts(body, text: str, empty: str):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for line in lines or [empty]:
        body.append(Paragraph(line, style="Standard" if lines else "Pilotis_Muted"))


def _odt_opening(body, context):
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
        body.append(Paragraph(_draft_notice(context), style="Pilotis_Draft"))
    for text in context["preamble"]:
        body.append(Paragraph(text))
    if designation["ended_early"]:
        body.append(Paragraph(_ended_early_notice(context), style="Pilotis_Muted"))


def _ended_early_notice(context) -> str:
    return _("La désignation a pris fin en cours d’année, le %(day)s.") % {"day": context["designation"]["ended_on"]}


def _draft_notice(context) -> str:
    return _("Projet — Non signée — état : %(state)s") % {"state": context["state_label"]}


def _odt_missions(body, context):
    body.append(_heading(1, _("Missions confiées"), "Pilotis_Heading_1"))
    for group in context["headings"]:
        body.append(_heading(2, group["label"], "Pilotis_Heading_2"))
        body.append(List([_odt_mission_item(m) for m in group["missions"]], style="Pilotis_List"))
    if not context["headings"]:
        body.append(Paragraph(_("Aucune mission n’a encore été choisie."), style="Pilotis_Muted"))
    body.append(_heading(1, _("Les quatre fonctions du référent"), "Pilotis_Heading_1"))
    for function in context["functions"]:
        body.append(_heading(2, function["label"], "Pilotis_Heading_2"))
        if function["missions"]:
            body.append(List(function["missions"], style="Pilotis_List"))
        else:
            body.append(
                Paragraph(_("Aucune mission de cette lettre ne relève de cette fonction."), style="Pilotis_Muted")
            )


def _odt_means(body, context):
    body.append(_heading(1, _("Moyens mis à disposition"), "Pilotis_Heading_1"))
    for label, value in context["means"]:
        body.append(_heading(2, label, "Pilotis_Heading_2"))
        _odt_texts(body, value, _("Non précisé."))
    body.append(_heading(1, _("Formation"), "Pilotis_Heading_1"))
    _odt_texts(body, context["training"], _("Aucune formation n’est précisée."))
    body.append(_heading(1, _("Participation aux instances"), "Pilotis_Heading_1"))
    body.append(List(context["memberships"], style="Pilotis_List"))


def _odt_terms(body, context):
    """The indicators followed, the IMP (only if shown), the free text."""
    body.append(_heading(1, _("Indicateurs suivis"), "Pilotis_Heading_1"))
    if context["indicators"]:
        items = [f"{i.code} — {i.statement}" for i in context["indicators"]]
        body.append(List(items, style="Pilotis_List"))
    else:
        body.append(Paragraph(_("Aucun indicateur n’est suivi."), style="Pilotis_Muted"))
    if context["imp"]:
        body.append(_heading(1, _("Indemnité pour mission particulière"), "Pilotis_Heading_1"))
        body.append(Paragraph(_imp_sentence(context)))
    if context["free_text"]:
        body.append(_heading(1, _("Dispositions particulières"), "Pilotis_Heading_1"))
        _odt_texts(body, context["free_text"], "")


def _imp_sentence(context) -> str:
    return _(
        "Au titre de cette mission, le référent perçoit une indemnité pour mission particulière (IMP) "
        "d’un montant annuel de %(amount)s."
    ) % {"amount": context["imp"]}


def _signature_lines(context) -> list[str]:
    """The acceptance and the signature, or the letter's state while it is not signed."""
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
        lines.append(_("Non signée — état : %(state)s") % {"state": context["state_label"]})
    return lines


def _presentation_lines(context) -> list[str]:
    not_yet = _("pas encore présentée")
    return [f"{council} : {when or not_yet}" for council, when in context["presentations"]]


def _odt_closing(body, context):
    body.append(_heading(1, _("Signatures"), "Pilotis_Heading_1"))
    for line in _signature_lines(context):
        body.append(Paragraph(line))
    body.append(_heading(1, _("Présentation aux instances"), "Pilotis_Heading_1"))
    for line in _presentation_lines(context):
        body.append(Paragraph(line))


def _review_period_text(context) -> str:
    return _("Période : %(period)s") % {"period": context["review"]["period"]}


ANNEX_WIDTHS = ["2.2cm", "8.8cm", "3cm", "3cm"]


def _odt_annex(body, context):
    body.append(_heading(1, _("Annexe — bilan de fin d’année"), "Pilotis_Annex"))
    body.append(Paragraph(_review_period_text(context)))
    rows = [
        [row.indicator.code, row.indicator.statement, row.start_label, row.end_label]
        for row in context["review"]["rows"]
    ]
    if not rows:
        body.append(Paragraph(_("La lettre ne suit aucun indicateur."), style="Pilotis_Muted"))
        return
    head = [_("Code"), _("Indicateur"), _("Statut au début"), _("Statut à la fin")]
    body.append(_odt_table("Bilan", ANNEX_WIDTHS, head, rows))


def _unnumbered_headings(document):
    """odfdo's template numbers headings ("1.Missions"); the letter's are titles, as in the PDF."""
    for level in document.styles.get_element("//text:outline-style").children:
        level.set_attribute("style:num-format", "")
        for name in ("style:num-suffix", "loext:num-list-format"):
            level.del_attribute(name)


def render_letter_odt(letter, *, show_imp: bool) -> bytes:
    """The same letter as an OpenDocument text the direction may rework in LibreOffice."""

    context = letter_context(letter, show_imp=show_imp)
    document = Document("text")
    document.body.clear()
    for style in (*ODT_STYLES, ODT_LIST_STYLE, ODT_PAGE_LAYOUT):
        document.insert_style(style)
    for style in ODT_AUTOMATIC_STYLES:
        document.insert_style(style, automatic=True)
    for index, width in enumerate(ANNEX_WIDTHS):
        document.insert_style(_column_style(f"BilanCol{index}", width), automatic=True)
    _unnumbered_headings(document)
    document.meta.set_title(f"{context['title']} — {context['designation']['school_year']}")
    document.meta.set_creation_date()  # now: the template's own date otherwise
    _odt_letterhead(document, context)
    for part in (_odt_opening, _odt_missions, _odt_means, _odt_terms, _odt_closing, _odt_annex):
        part(document.body, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

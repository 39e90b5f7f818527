"""The plan as an OpenDocument text (odfdo) the direction may rework in LibreOffice: the same content,
in the same order, as the PDF. The styles are in `plan.fodt`; this module adds the content with those
styles' names (through `core.odt`). The calendar is a table of terms (an ODT cannot embed our SVG
reliably): a covered term holds « ■ » on a background of its status, the status written out at the
end of the row.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from odfdo import Cell, Column, Element, Paragraph, Row, Span, Style, Table

from pilotis.core import odt
from pilotis.core.formats import moment
from pilotis.plans.documents.timeline import state_text

TEMPLATE = Path(__file__).with_name("plan.fodt")
TEXT_WIDTH = 17.0  # cm: the A4 page less its margins
FIXED = {"number": 1.1, "title": 4.3, "state": 2.6}


def _page_frame(document, content):
    school = content["school"]
    lines = [Paragraph(school["name"], style="Pilotis_Letterhead_Name")]
    place = " · ".join(filter(None, [school["commune"], school["academy"]]))
    if place:
        lines.append(Paragraph(place, style="Pilotis_Letterhead"))
    lines.append(Paragraph(f"UAI {school['uai']} · {content['titles']['kind']}", style="Pilotis_Letterhead_Last"))
    footer = Paragraph(
        _("%(title)s %(years)s — %(school)s — page ")
        % {"title": content["title"], "years": content["years_text"], "school": school["name"]},
        style="Pilotis_Footer",
    )
    odt.set_page_frame(document, lines, odt.page_numbers(footer))


def _opening(body, content):
    adoption = content["adoption"]
    body.append(Paragraph(content["title"], style="Pilotis_Title"))
    years = content["years_text"]
    subtitle = (_("Année scolaire %(years)s") if len(content["years"]) == 1 else _("Années scolaires %(years)s")) % {
        "years": years
    }
    body.append(Paragraph(subtitle, style="Pilotis_Subtitle"))
    body.append(Paragraph(adoption["text"], style="Pilotis_Adopted" if adoption["adopted"] else "Pilotis_Draft"))
    if adoption.get("note"):
        body.append(Paragraph(adoption["note"], style="Pilotis_Muted"))
    counts = ", ".join(f"{label.lower()} : {count}" for label, count in content["status_counts"])
    if content["overdue_count"]:
        counts += ", " + ngettext("%(n)d en retard", "%(n)d en retard", content["overdue_count"]) % {
            "n": content["overdue_count"]
        }
    facts = [
        [_("Établissement"), f"{content['school']['name']} (UAI {content['school']['uai']})"],
        [_("Années scolaires"), ", ".join(content["years"])],
        [_("Adoption"), adoption["text"]],
        [_("Objectifs"), str(len(content["objectives"]))],
        [_("Actions"), f"{len(content['actions'])} ({counts})" if counts else str(len(content["actions"]))],
        [_("Coût estimé total"), content["costs"]["total_text"]],
    ]
    body.append(odt.table("Fiche", [_("Le plan"), ""], facts))


def _objectives(body, content):
    titles, empty = content["titles"], content["empty"]
    body.append(odt.heading(1, f"1. {titles['objectives']}"))
    for objective in content["objectives"]:
        body.append(odt.heading(2, f"{objective['number']}. {objective['title']}"))
        if objective["description"]:
            odt.paragraphs(body, objective["description"], "")
        if objective["targets"]:
            rows = [[t["indicator"], t["statement"], t["status_label"], t["by_year"]] for t in objective["targets"]]
            body.append(odt.table("Cibles", titles["target_columns"], rows))
        else:
            body.append(Paragraph(empty["targets"], style="Pilotis_Muted"))
        if objective["actions"]:
            numbers = ", ".join(a["number"] for a in objective["actions"])
            body.append(Paragraph(_("Actions : %(numbers)s") % {"numbers": numbers}, style="Pilotis_Muted"))
    if not content["objectives"]:
        body.append(Paragraph(empty["objectives"], style="Pilotis_Muted"))


def _action_heading(action) -> Element:
    heading = odt.heading(3, "")
    heading.append(Span(action["number"], style="Pilotis_Strong"))
    heading.append(f" {action['title']} — {action['status_label']}")
    if action["overdue"]:
        heading.append(" — ")
        heading.append(Span(_("En retard"), style="Pilotis_Alert_Text"))
    return heading


def _action(body, action, content):
    fields, missing = content["titles"]["fields"], content["empty"]["field"]
    body.append(_action_heading(action))
    cost = action["cost_text"] or missing
    if action["payer"]:
        cost = f"{cost} — {action['payer']}"
    rows = [[fields["description"], action["description"]]] if action["description"] else []
    rows += [[fields["responsible"], action["responsible"] or missing]]
    if action["contributors"]:
        rows.append([fields["contributors"], action["contributors"]])
    rows += [
        [fields["when"], action["when"]],
        [fields["indicators"], ", ".join(action["indicators"]) or "—"],
        [fields["means"], action["means"] or missing],
        [fields["cost"], cost],
        [fields["success_criteria"], action["success_criteria"] or missing],
    ]
    body.append(odt.table("Fiche", [fields["status"], action["status_label"]], rows))


def _actions(body, content):
    titles = content["titles"]
    body.append(odt.heading(1, f"2. {titles['actions']}"))
    for objective in content["objectives"]:
        if objective["actions"]:
            body.append(odt.heading(2, f"{objective['number']}. {objective['title']}"))
            for action in objective["actions"]:
                _action(body, action, content)
    if content["loose_actions"]:
        if content["objectives"]:
            body.append(odt.heading(2, titles["other_actions"]))
        for action in content["loose_actions"]:
            _action(body, action, content)
    if not content["actions"]:
        body.append(Paragraph(content["empty"]["actions"], style="Pilotis_Muted"))


def _calendar_columns(document, count: int) -> list[str]:
    """The calendar's column styles: the number, the title, one per term sharing what is left, the state."""
    terms = (TEXT_WIDTH - sum(FIXED.values())) / max(count, 1)
    widths = [FIXED["number"], FIXED["title"], *([terms] * count), FIXED["state"]]
    names = []
    for index, width in enumerate(widths):
        name = f"FriseCol{index}"
        document.insert_style(Style("table-column", name=name, width=f"{width:.2f}cm"), automatic=True)
        names.append(name)
    return names


def _cell(texts, cell_style: str, text_style: str) -> Cell:
    cell = Cell(style=cell_style)
    for text in texts:
        cell.append(Paragraph(text, style=text_style))
    return cell


def _calendar(document, body, content):
    timeline, titles = content["timeline"], content["titles"]
    body.append(odt.heading(1, f"3. {titles['timeline']}", "Pilotis_Page_Heading"))
    if not timeline["dated"]:
        body.append(Paragraph(content["empty"]["timeline"], style="Pilotis_Muted"))
        return
    body.append(
        Paragraph(
            _(
                "Les trimestres de chaque année scolaire : T1 de septembre à décembre, T2 de janvier à mars, "
                "T3 d’avril à août. « ■ » marque les trimestres d’une action, de son début à son échéance ; "
                "son état est écrit au bout de la ligne."
            ),
            style="Pilotis_Muted",
        )
    )
    terms = timeline["terms"]
    table = Table("Frise", style="PilotisTable")
    for name in _calendar_columns(document, len(terms)):
        table.append(Column(style=name))
    header = Element.from_tag("table:table-header-rows")
    head = Row()
    head.append(_cell([_("N°")], "PilotisCellHead", "Pilotis_Table_Head"))
    head.append(_cell([_("Action")], "PilotisCellHead", "Pilotis_Table_Head"))
    for term in terms:
        year, number = term["label"].rsplit(" ", 1)
        head.append(_cell([year, number], "PilotisCellHead", "Pilotis_Table_Small_Head"))
    head.append(_cell([_("État")], "PilotisCellHead", "Pilotis_Table_Head"))
    header.append(head)
    table.append(header)
    for action, covered in zip(content["actions"], timeline["rows"], strict=True):
        row = Row()
        row.append(_cell([action["number"]], "PilotisCell", "Pilotis_Table_Text"))
        row.append(_cell([action["title"]], "PilotisCell", "Pilotis_Table_Text"))
        for on in covered:
            style = f"PilotisCell_{action['status']}" if on else "PilotisCell"
            row.append(_cell(["■" if on else ""], style, "Pilotis_Table_Small"))
        row.append(_cell([state_text(action)], "PilotisCell", "Pilotis_Table_Text"))
        table.append(row)
    body.append(table)


def _costs(body, content):
    titles, costs = content["titles"], content["costs"]
    body.append(odt.heading(1, f"4. {titles['costs']}"))
    if costs["rows"]:
        body.append(Paragraph(_("Coûts estimés des actions, hors actions abandonnées."), style="Pilotis_Muted"))
        rows = [[row["payer"], str(row["count"]), row["total_text"]] for row in costs["rows"]]
        rows.append([_("Total"), "", costs["total_text"]])
        body.append(odt.table("Couts", titles["cost_columns"], rows))
    else:
        body.append(Paragraph(content["empty"]["costs"], style="Pilotis_Muted"))
    if costs["uncosted"]:
        text = ngettext(
            "%(n)d action n’a pas de coût estimé.", "%(n)d actions n’ont pas de coût estimé.", costs["uncosted"]
        ) % {"n": costs["uncosted"]}
        body.append(Paragraph(text, style="Pilotis_Muted"))


def _indicators(body, content):
    titles = content["titles"]
    body.append(odt.heading(1, f"5. {titles['indicators']}"))
    if content["indicators"]:
        rows = [
            [
                r["code"],
                r["statement"] or "—",
                r["aimed"] or "—",
                r["by_year"] or "—",
                r["objective"] or "—",
                r["actions"],
            ]
            for r in content["indicators"]
        ]
        body.append(odt.table("Indicateurs", titles["indicator_columns"], rows))
    else:
        body.append(Paragraph(content["empty"]["indicators"], style="Pilotis_Muted"))
    edited = _("Document édité le %(when)s depuis Pilotis.") % {"when": moment(content["generated_at"])}
    body.append(Paragraph(edited, style="Pilotis_Muted"))


def render_plan_odt(content: dict) -> bytes:
    """The plan as an OpenDocument text on the template's styles."""
    document = odt.open_template(TEMPLATE)
    document.meta.set_title(f"{content['title']} — {content['school']['name']} — {content['years_text']}")
    document.meta.set_creation_date()  # now, not the template's
    _page_frame(document, content)
    body = document.body
    _opening(body, content)
    _objectives(body, content)
    _actions(body, content)
    _calendar(document, body, content)
    _costs(body, content)
    _indicators(body, content)
    return odt.to_bytes(document)

"""The « Demande d'équipement » a school sends its collectivité: the ranked list of its prioritised
needs of one funder, as a PDF (WeasyPrint over an HTML template, `core.pdf`) and as an ODS
(`core.exporters`). The same rows feed both, and the e-mail that carries them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core import formats, pdf
from pilotis.core.exporters import Column, Exporter, safe_filename
from pilotis.equipment.enums import Funder
from pilotis.equipment.services import collectivity_of, indicators_for, total_cost


def request_filename(school, funder) -> str:
    """Without extension: `demande-equipement-0400003L-departement-2026-12-07`."""
    return safe_filename(
        "demande-equipement", school.uai, Funder(funder).label, timezone.localdate().isoformat(), extension="x"
    ).removesuffix(".x")


def _statements(school) -> dict[str, str]:
    return {i.code: i.statement for i in indicators_for(school)}


def request_context(school, funder, needs) -> dict:
    statements = _statements(school)
    rows = [
        {
            "need": need,
            "indicators": [(code, statements.get(code, "")) for code in need.indicator_codes],
            "cost": formats.euros(need.estimated_cost) if need.estimated_cost is not None else "",
        }
        for need in needs
    ]
    return {
        "school": school,
        "title": _("Demande d'équipement"),
        "funder": Funder(funder).label,
        "collectivity": collectivity_of(school, funder),
        "day": formats.day(timezone.localdate()),
        "rows": rows,
        "total": formats.euros(total_cost(needs)),
        "uncosted": sum(1 for n in needs if n.estimated_cost is None),
    }


def render_request_pdf(school, funder, needs) -> bytes:
    return pdf.render_pdf("equipment/pdf/request.html", request_context(school, funder, needs))


class RequestExport(Exporter):
    """The request as a spreadsheet: one row per need, in the direction's order."""

    title = gettext_lazy("Demande d'équipement")
    columns = (
        Column("rank", gettext_lazy("Rang")),
        Column("category", gettext_lazy("Catégorie"), "5cm"),
        Column("object", gettext_lazy("Objet"), "7cm"),
        Column("quantity", gettext_lazy("Quantité")),
        Column("place", gettext_lazy("Lieu"), "5cm"),
        Column("why", gettext_lazy("Justification"), "10cm"),
        Column("indicators", gettext_lazy("Indicateurs SCHÉMATIC visés"), "5cm"),
        Column("cost", gettext_lazy("Coût estimé (€)")),
        Column("uai", gettext_lazy("UAI")),
        Column("school", gettext_lazy("Établissement"), "6cm"),
    )

    def __init__(self, school, needs):
        self.school, self.needs = school, needs

    def rows(self):
        for need in self.needs:
            yield {
                "rank": need.rank,
                "category": need.get_category_display(),
                "object": need.object,
                "quantity": need.quantity,
                "place": need.place,
                "why": need.why,
                "indicators": ", ".join(need.indicator_codes),
                "cost": need.estimated_cost,
                "uai": self.school.uai,
                "school": self.school.name,
            }
        yield {"object": str(_("Total")), "cost": total_cost(self.needs)}

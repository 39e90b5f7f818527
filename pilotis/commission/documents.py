"""The « relevé de décisions » of a meeting: as PDF (WeasyPrint, like every report of Pilotis) and as
an OpenDocument text (odfdo) the school may rework in LibreOffice. Both are drawn from one content,
`record_context`, so that they say the same."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import formats, pdf


def record_context(meeting) -> dict:
    attendances = list(meeting.attendances.all())
    by_presence = {}
    for attendance in attendances:
        by_presence.setdefault(attendance.presence, []).append(attendance.member)
    local = timezone.localtime(meeting.starts_at)
    return {
        "meeting": meeting,
        "school": meeting.school,
        "title": _("Relevé de décisions"),
        "when": formats.moment(meeting.starts_at),
        "day": formats.day(local.date()),
        "ends": timezone.localtime(meeting.ends_at).strftime("%Hh%M") if meeting.ends_at else "",
        "items": list(meeting.items.all()),
        "decisions": list(meeting.decisions.all()),
        "present": by_presence.get("present", []),
        "excused": by_presence.get("excused", []),
        "absent": by_presence.get("absent", []),
        "validated": meeting.is_locked,
        "validated_line": (
            _("Compte rendu validé par %(who)s le %(when)s.")
            % {"who": meeting.validated_by_label, "when": formats.moment(meeting.validated_at)}
            if meeting.is_locked
            else _("Projet — compte rendu non validé.")
        ),
    }


def render_record_pdf(meeting) -> bytes:
    return pdf.render_pdf("commission/pdf/record.html", record_context(meeting))


TEMPLATE = Path(__file__).with_name("releve.fodt")


def render_record_odt(meeting) -> bytes:
    """The same record on the styles Pilotis' documents share (`releve.fodt`, through core.odt)."""
    from odfdo import Paragraph

    from pilotis.core import odt

    context = record_context(meeting)
    school = context["school"]
    document = odt.open_template(TEMPLATE)
    body = document.body
    body.append(Paragraph(school.name, style="Pilotis_Letterhead_Name"))
    body.append(Paragraph(f"{school.commune} — UAI {school.uai}", style="Pilotis_Letterhead_Last"))
    body.append(Paragraph(_("Relevé de décisions de la commission numérique"), style="Pilotis_Title"))
    facts = [_("Réunion du %(when)s") % {"when": context["when"]}]
    if meeting.place:
        facts.append(_("Lieu : %(place)s") % {"place": meeting.place})
    if meeting.visio_url:
        facts.append(_("Visioconférence : %(url)s") % {"url": meeting.visio_url})
    for fact in facts:
        body.append(Paragraph(fact, style="Pilotis_Subtitle"))
    body.append(Paragraph(context["validated_line"], style="Standard" if context["validated"] else "Pilotis_Draft"))

    body.append(odt.heading(1, _("Présences")))
    rows = [
        (member.name, member.get_group_display(), label)
        for label, members in (
            (_("Présent"), context["present"]),
            (_("Excusé"), context["excused"]),
            (_("Absent"), context["absent"]),
        )
        for member in members
    ]
    if rows:
        body.append(odt.table("Presences", [_("Membre"), _("Collège"), _("Présence")], rows))
    else:
        body.append(Paragraph(_("Les présences ne sont pas renseignées."), style="Pilotis_Muted"))

    body.append(odt.heading(1, _("Décisions")))
    if context["decisions"]:
        lines = []
        for decision in context["decisions"]:
            text = " ".join(decision.text.split())
            if decision.action_id:
                text += " " + _("(action du plan : %(title)s)") % {"title": decision.action.title}
            lines.append(text)
        body.append(odt.bullets(lines))
    else:
        body.append(Paragraph(_("Aucune décision."), style="Pilotis_Muted"))

    body.append(odt.heading(1, _("Ordre du jour")))
    for position, item in enumerate(context["items"], start=1):
        body.append(odt.heading(2, f"{position}. {item.title}"))
        odt.paragraphs(body, item.notes, _("Pas de notes."))
        codes = ", ".join(i.code for i in item.indicators.all())
        if codes:
            body.append(Paragraph(_("Indicateurs : %(codes)s") % {"codes": codes}, style="Pilotis_Muted"))
    if not context["items"]:
        body.append(Paragraph(_("L'ordre du jour est vide."), style="Pilotis_Muted"))

    body.append(odt.heading(1, _("Compte rendu")))
    odt.paragraphs(body, meeting.minutes, _("Le compte rendu n'est pas rédigé."))

    header = [
        Paragraph(
            _("Commission numérique — relevé de décisions — %(day)s") % {"day": context["day"]}, style="Pilotis_Footer"
        )
    ]
    footer = odt.page_numbers(Paragraph(_("%(school)s — page ") % {"school": school.name}, style="Pilotis_Footer"))
    odt.set_page_frame(document, header, footer)
    return odt.to_bytes(document)

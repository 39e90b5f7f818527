"""The « relevé de décisions » of a meeting: as PDF (WeasyPrint, like every report of Pilotis) and as
an OpenDocument text (odfdo) the school may rework in LibreOffice. Both are drawn from one content,
`record_context`, so that they say the same."""

import io

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


def _names(members) -> str:
    return ", ".join(f"{m.name} ({m.get_group_display()})" for m in members) or "—"


def render_record_odt(meeting) -> bytes:
    """A plain document in LibreOffice's default styles (titles, paragraphs, lists): the school adds
    its letterhead if it wants one."""
    from odfdo import Document, Header, List, ListItem, Paragraph

    context = record_context(meeting)
    document = Document("text")
    # The default template numbers its headings (« 1.1.2 »): a record's titles are titles.
    for level in document.styles.get_element("//text:outline-style").children:
        level.set_attribute("style:num-format", "")
        for affix in ("style:num-prefix", "style:num-suffix", "loext:num-list-format", "text:display-levels"):
            if level.get_attribute(affix) is not None:
                level.del_attribute(affix)
    body = document.body
    body.clear()
    body.append(Paragraph(f"{context['school'].name} — {context['school'].commune}"))
    body.append(Header(1, _("Relevé de décisions de la commission numérique")))
    body.append(Paragraph(_("Réunion du %(when)s") % {"when": context["when"]}))
    if meeting.place:
        body.append(Paragraph(_("Lieu : %(place)s") % {"place": meeting.place}))
    if meeting.visio_url:
        body.append(Paragraph(_("Visioconférence : %(url)s") % {"url": meeting.visio_url}))
    body.append(Paragraph(context["validated_line"]))
    body.append(Header(2, _("Présences")))
    body.append(Paragraph(_("Présents : %(names)s") % {"names": _names(context["present"])}))
    body.append(Paragraph(_("Excusés : %(names)s") % {"names": _names(context["excused"])}))
    body.append(Paragraph(_("Absents : %(names)s") % {"names": _names(context["absent"])}))
    body.append(Header(2, _("Ordre du jour")))
    for position, item in enumerate(context["items"], start=1):
        body.append(Header(3, f"{position}. {item.title}"))
        for line in item.notes.splitlines():
            body.append(Paragraph(line))
        codes = ", ".join(i.code for i in item.indicators.all())
        if codes:
            body.append(Paragraph(_("Indicateurs : %(codes)s") % {"codes": codes}))
    body.append(Header(2, _("Décisions")))
    if context["decisions"]:
        decisions = List()
        for decision in context["decisions"]:
            text = decision.text
            if decision.action_id:
                text += " " + _("(action du plan : %(title)s)") % {"title": decision.action.title}
            decisions.append(ListItem(text))
        body.append(decisions)
    else:
        body.append(Paragraph(_("Aucune décision.")))
    if meeting.minutes:
        body.append(Header(2, _("Compte rendu")))
        for line in meeting.minutes.splitlines():
            body.append(Paragraph(line))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()

"""The attendance sheet (« feuille d'émargement ») of a session, printed before it: WeasyPrint over
an HTML template, like every document of Pilotis (`core.pdf`)."""

from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import formats, pdf
from pilotis.territories.models import search_key
from pilotis.workshops import themes
from pilotis.workshops.enums import Audience

# Blank lines after the names, for the people who come without being listed: at least this many,
# or as many as the others expected (pupils, parents…), up to a bound.
BLANK_LINES = 8
MAX_BLANK_LINES = 300


def sheet_context(workshop) -> dict:
    """The sheet's content, the workshop's participants prefetched with their users."""
    participants = list(workshop.participants.all())
    roles = {
        m.user_id: m.get_role_display()
        for m in SchoolMembership.objects.filter(
            school_id=workshop.school_id, user_id__in=[p.user_id for p in participants]
        )
    }
    rows = sorted(
        ((p.user.last_name.upper(), p.user.first_name, roles.get(p.user_id, "")) for p in participants),
        key=lambda row: (search_key(row[0]), search_key(row[1])),
    )
    duration = workshop.duration_minutes
    return {
        "school": workshop.school,
        "workshop": workshop,
        "title": _("Feuille d'émargement"),
        "day": formats.day(workshop.held_on),
        "time": workshop.starts_at.strftime("%Hh%M") if workshop.starts_at else "",
        "duration": _("%(h)dh%(m)02d") % {"h": duration // 60, "m": duration % 60},
        "theme": themes.label(workshop.theme, workshop.theme_other),
        "audiences": ", ".join(str(label) for code, label in _audience_labels(workshop)),
        "rows": rows,
        "blank_rows": range(min(max(BLANK_LINES, workshop.participant_count or 0), MAX_BLANK_LINES)),
        "first_blank": len(rows) + 1,
    }


def _audience_labels(workshop):
    return [(code, Audience(code).label) for code in workshop.audiences if code in Audience.values]


def render_sheet_pdf(workshop) -> bytes:
    return pdf.render_pdf("workshops/pdf/sheet.html", sheet_context(workshop))

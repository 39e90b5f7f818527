"""Pilotage's « Ateliers et formations » as CSV and ODS (`core.exporters`), with the page's
département filter: the schools' figures, and the themes worked on across the territory."""

from itertools import islice

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import Column, Exporter
from pilotis.steering import workshops
from pilotis.steering.exports import CHUNK, _stem


class WorkshopSchoolsExport(Exporter):
    """Every open school of the territory, by name, as the page lists them."""

    columns = [
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("department", gettext_lazy("Département")),
        Column("sessions", gettext_lazy("Séances")),
        Column("hours", gettext_lazy("Heures")),
        Column("present", gettext_lazy("Membres présents")),
        Column("counted", gettext_lazy("Autres participants")),
        Column("participants", gettext_lazy("Participants")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Ateliers par établissement %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "ateliers-etablissements")

    def row_count(self):
        return self.board.territory.school_count  # one row per open school, known already

    def rows(self):
        schools = workshops.schools(self.board.territory).iterator(chunk_size=CHUNK)
        for chunk in iter(lambda: list(islice(schools, CHUNK)), []):
            # Two queries per chunk: memory stays flat at any scale.
            for line in workshops.school_lines(self.board.territory, chunk):
                yield {
                    "uai": line.school.uai,
                    "name": line.school.name,
                    "department": line.school.department.name,
                    "sessions": line.figures.sessions,
                    "hours": line.figures.hours,
                    "present": line.figures.present,
                    "counted": line.figures.counted,
                    "participants": line.figures.participants,
                }


class WorkshopThemesExport(Exporter):
    """The themes worked on across the territory, most sessions first."""

    columns = [
        Column("code", gettext_lazy("Code")),
        Column("theme", gettext_lazy("Thème"), "10cm"),
        Column("sessions", gettext_lazy("Séances")),
        Column("hours", gettext_lazy("Heures")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Thèmes des ateliers %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "ateliers-themes")

    def rows(self):
        for theme in workshops.totals(self.board.territory).themes:
            yield {"code": theme.code, "theme": theme.label, "sessions": theme.sessions, "hours": theme.hours}

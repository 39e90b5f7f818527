"""Pass 1's decisions, kept small as the file is read: which line to write for each UAI
(`Plan`), and which académie each département belongs to (`DepartmentAcademies`)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pilotis.territories.importers.report import SECONDARY_SITE, ImportReport
from pilotis.territories.importers.rows import Line
from pilotis.territories.models import Department


@dataclass(frozen=True, slots=True)
class Site:
    """The line chosen as a multi-site UAI's main site."""

    line: int
    annex: bool  # its name says "annexe": a later line that does not say so replaces it


def uai_key(uai: str) -> int:
    """A UAI as pass 1 keeps it: its 7 digits (its letter follows from them, and was checked)."""
    return int(uai[:7])


class Plan:
    """What pass 1 learnt about UAIs: which line to write for each, which to leave out.

    A UAI on several lines is a duplicate (rejected: the file contradicts itself and neither
    line can be trusted), except when every one of its lines carries the export's multi-site
    flag (`etablissement_multi_lignes` / `multi_uai` = 1): the real export lists an établissement
    with several sites once per site, under the same UAI. It is then one school; its main site
    is the first line whose name does not say "annexe" (else the first line), and the other
    lines are skipped as secondary sites.
    """

    def __init__(self, report: ImportReport):
        self.report = report
        # What pass 1 keeps grows with the file, so it is kept small: a UAI by its `uai_key`, with
        # the line of its first occurrence.
        self.first: dict[int, int] = {}
        self.multi_first: dict[int, bool] = {}  # multi-site UAI → its first line is an annex
        self.main_site: dict[int, Site] = {}  # multi-site UAI on several lines → its main site
        self.duplicates: set[int] = set()
        self.expected = 0  # lines pass 2 must write

    def add(self, line: int, parsed: Line) -> None:
        uai, annex = parsed.uai, "annexe" in parsed.values["name"].lower()
        key = uai_key(uai)
        if key in self.duplicates:
            self.report.reject(line, uai, _("UAI en double (déjà ligne %(line)d)") % {"line": self.first[key]})
            return
        first_line = self.first.get(key)
        if first_line is None:
            self.first[key] = line
            if parsed.multi_site:
                self.multi_first[key] = annex
            self.expected += 1
            return
        if key in self.multi_first and parsed.multi_site:
            self.report.skipped[_(SECONDARY_SITE)] += 1
            main = self.main_site.setdefault(key, Site(first_line, self.multi_first[key]))
            if main.annex and not annex:
                self.main_site[key] = Site(line, annex)
            return
        self.report.reject(line, uai, _("UAI en double (déjà ligne %(line)d)") % {"line": first_line})
        self.report.reject(first_line, uai, _("UAI en double (aussi ligne %(line)d)") % {"line": line})
        self.duplicates.add(key)
        self.main_site.pop(key, None)
        self.expected -= 1

    def keeps(self, line: int, uai: str) -> bool:
        """Whether pass 2 writes this line: only the line planned for its UAI, never one that pass
        1 rejected after parsing (see `DepartmentAcademies`)."""
        key = uai_key(uai)
        if key in self.duplicates:
            return False
        main = self.main_site.get(key)
        if main is not None:
            return main.line == line
        return self.first.get(key) == line


class DepartmentAcademies:
    """Pass 1: the académie of each département, as the database says, else the file's first line.

    The annuaire does not move a département to another académie: a line that does so contradicts
    the rest (a damaged code, a line pasted from another file) and is rejected rather than
    carrying the whole département, its schools and its campaigns' figures along. A real
    re-attachment is made once in the admin, then the import agrees with it.
    """

    def __init__(self):
        # Département code → (académie code, the file's line that said so; None: the database).
        self.known: dict[str, tuple[str, int | None]] = {
            code: (academy, None) for code, academy in Department.objects.values_list("code", "academy__code")
        }

    def contradiction(self, line: int, parsed: Line) -> str:
        """The reason to reject the line, or ""."""
        known = self.known.setdefault(parsed.department_code, (parsed.academy_code, line))
        academy, first_line = known
        if academy == parsed.academy_code:
            return ""
        if first_line is None:
            return _(
                "académie %(academy)s contradictoire : le département %(department)s relève de l'académie "
                "%(known)s dans Pilotis (un changement d'académie se fait dans l'administration)"
            ) % {"academy": parsed.academy_code, "department": parsed.department_code, "known": academy}
        return _(
            "académie %(academy)s contradictoire : la ligne %(line)d rattache le département %(department)s "
            "à l'académie %(known)s"
        ) % {"academy": parsed.academy_code, "line": first_line, "department": parsed.department_code, "known": academy}

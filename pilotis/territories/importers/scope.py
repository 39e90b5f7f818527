"""`--academy` / `--department`: the territories an import is restricted to."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pilotis.territories.importers.errors import AnnuaireOptionError
from pilotis.territories.importers.fields import ACADEMY_CODE_RE, DEPARTMENT_CODE_RE

# What a person types after --academy: "4" is as clear as "04" there.
ACADEMY_OPTION_RE = re.compile(r"^[0-9]{1,2}$")


@dataclass(frozen=True)
class Scope:
    academies: frozenset  # two-digit codes: "--academy 4" means "04"
    departments: frozenset

    def excludes(self, row: list[str], idx: dict[str, int]) -> bool:
        """True when the line's codes are well formed and outside the requested territories.

        A malformed code cannot say whether its line is in scope: the line goes on to
        validation, which rejects it, rather than being silently dropped.
        """
        if self.academies:
            code = row[idx["academy_code"]].strip()
            if ACADEMY_CODE_RE.match(code) and code not in self.academies:
                return True
        if self.departments:
            code = row[idx["department_code"]].strip()
            if DEPARTMENT_CODE_RE.match(code) and code not in self.departments:
                return True
        return False


def scope_of(academies, departments) -> Scope:
    """The Scope of the options' codes ("04", "4,33", ["040"]), or `AnnuaireOptionError`."""
    academy_codes = set()
    for code in _split_codes(academies):
        if not ACADEMY_OPTION_RE.match(code):
            raise AnnuaireOptionError(
                _("Code académie invalide : « %(code)s » (ex. 04 pour Bordeaux).") % {"code": code}
            )
        academy_codes.add(code.zfill(2))
    department_codes = set()
    for code in _split_codes(departments):
        code = code.upper().zfill(3)
        if not DEPARTMENT_CODE_RE.match(code):
            raise AnnuaireOptionError(_("Code département invalide : « %(code)s » (ex. 040, 02A).") % {"code": code})
        department_codes.add(code)
    return Scope(frozenset(academy_codes), frozenset(department_codes))


def _split_codes(codes) -> list[str]:
    if isinstance(codes, str):
        codes = [codes]
    return [part.strip() for code in codes or () for part in str(code).split(",") if part.strip()]

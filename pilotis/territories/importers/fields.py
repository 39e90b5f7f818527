"""One check per field of a line: each takes the file's value and returns what the School stores,
or raises `LineRejected` with the reason in French. The model's own rules are reused: the UAI's
check letter (`is_valid_uai`), the e-mail field's validators, the fields' lengths.
"""

import datetime
import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pilotis.core.validators import first_forbidden_character, replace_forbidden_characters
from pilotis.territories.enums import PriorityEducation, Sector
from pilotis.territories.importers.errors import LineRejected
from pilotis.territories.models import UAI_RE, Academy, Department, School, is_valid_uai, uai_check_letter

DEPARTMENT_CODE_RE = re.compile(r"^(?:[0-9]{3}|0[0-9][AB])$")
# Every académie code of the real exports has two digits, overseas included (28 La Réunion, 43
# Mayotte, 44 Saint-Pierre-et-Miquelon): "4" is "04" that went through a spreadsheet.
ACADEMY_CODE_RE = re.compile(r"^[0-9]{2}$")
NATURE_CODE_RE = re.compile(r"^[0-9]{3}$")
POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")
# INSEE commune code: 5 characters, Corsica's start with 2A / 2B.
COMMUNE_CODE_RE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Telephone, once spaces and dots are removed: a French number (0 + 9 digits, or +33 + 9 digits),
# or another country code (the collectivités d'outre-mer: +687, +689, +508, +681). A number that
# lost its leading zero (558123456) or turned into 5,58E+08 matches none of them.
PHONE_SEPARATORS_RE = re.compile(r"[\s.]")
PHONE_RE = re.compile(r"^(?:0[1-9][0-9]{8}|\+33[1-9][0-9]{8}|\+(?!33)[1-9][0-9]{5,13})$")

SECTORS = {"public": Sector.PUBLIC, "prive": Sector.PRIVATE}
# Appartenance_Education_Prioritaire: the real exports write "", "REP" or "REP+".
PRIORITY = {"": PriorityEducation.NONE, "REP": PriorityEducation.REP, "REP+": PriorityEducation.REP_PLUS}

# Column whose value goes to a length-limited model field → that field's limit, and its label.
LENGTH_LIMITS = {
    "name": School._meta.get_field("name").max_length,
    "commune": School._meta.get_field("commune").max_length,
    "commune_code": School._meta.get_field("commune_code").max_length,
    "address": School._meta.get_field("address").max_length,
    "email": School._meta.get_field("email").max_length,
    "phone": School._meta.get_field("phone").max_length,
    "department_name": Department._meta.get_field("name").max_length,
    "academy_name": Academy._meta.get_field("name").max_length,
}
COLUMN_LABELS = {
    "name": "nom",
    "commune": "commune",
    "commune_code": "code commune",
    "address": "adresse",
    "email": "courriel",
    "phone": "téléphone",
    "department_name": "libellé du département",
    "academy_name": "libellé de l'académie",
}
EMAIL_FIELD = School._meta.get_field("email")


def shown(value: str, limit: int = 40) -> str:
    """A value of the file as it may be echoed in a message: no control character, not too long."""
    value = replace_forbidden_characters(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.lru_cache(maxsize=256)
def fold(value: str) -> str:
    """'Collège ' → 'college', 'Privé' → 'prive'. Cached: used on columns with few values."""
    value = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in value if not unicodedata.combining(c))


def no_forbidden_character(row: list[str]) -> None:
    """The forms' rule on names and labels (`core.validators`): no control or format character."""
    if first_forbidden_character("".join(row)) >= 0:
        column = next(i for i, value in enumerate(row) if first_forbidden_character(value) >= 0)
        raise LineRejected(_("caractère de contrôle dans la colonne %(n)d") % {"n": column + 1})


def within_lengths(cell: dict[str, str]) -> None:
    """Every value fits its model field."""
    for column, limit in LENGTH_LIMITS.items():
        length = len(cell[column])
        if length > limit:
            raise LineRejected(
                _("valeur trop longue pour « %(column)s » (%(length)d caractères, %(limit)d au plus)")
                % {"column": COLUMN_LABELS[column], "length": length, "limit": limit}
            )


def present(value: str, missing: str) -> str:
    """A required value; `missing` is the reason when it is empty (marked with gettext_noop)."""
    if not value:
        raise LineRejected(_(missing))
    return value


def uai(value: str) -> str:
    if not value:
        raise LineRejected(_("identifiant UAI manquant"))
    if not UAI_RE.match(value):
        raise LineRejected(
            _("UAI « %(uai)s » mal formé : 7 chiffres suivis d'une lettre majuscule attendus") % {"uai": shown(value)}
        )
    if not is_valid_uai(value):
        raise LineRejected(
            _("lettre de contrôle de l'UAI %(uai)s incorrecte (%(letter)s attendue)")
            % {"uai": value, "letter": uai_check_letter(value[:7])}
        )
    return value


def parent_uai(value: str) -> str:
    if value and not is_valid_uai(value):
        raise LineRejected(_("UAI de l'établissement de rattachement « %(uai)s » invalide") % {"uai": shown(value)})
    return value


def department_code(value: str) -> str:
    if not value:
        raise LineRejected(_("code département manquant"))
    if not DEPARTMENT_CODE_RE.match(value):
        raise LineRejected(
            _(
                "code département « %(code)s » invalide : 3 caractères attendus (035, 02A), le fichier "
                "a-t-il été ouvert dans un tableur ?"
            )
            % {"code": shown(value)}
        )
    return value


def academy_code(value: str) -> str:
    if not value:
        raise LineRejected(_("code académie manquant"))
    if not ACADEMY_CODE_RE.match(value):
        raise LineRejected(
            _(
                "code académie « %(code)s » invalide : 2 chiffres attendus (04, 14), le fichier a-t-il été "
                "ouvert dans un tableur ?"
            )
            % {"code": shown(value)}
        )
    return value


def sector(value: str) -> Sector:
    found = SECTORS.get(fold(value))
    if found is None:
        if not value:
            raise LineRejected(_("statut public/privé manquant"))
        raise LineRejected(_("statut public/privé « %(value)s » inconnu") % {"value": shown(value)})
    return found


def nature_code(value: str) -> str:
    if value and not NATURE_CODE_RE.match(value):
        raise LineRejected(_("code nature « %(code)s » invalide : 3 chiffres attendus") % {"code": shown(value)})
    return value


def postal_code(value: str) -> str:
    if value and not POSTAL_CODE_RE.match(value):
        raise LineRejected(_("code postal « %(code)s » invalide : 5 chiffres attendus") % {"code": shown(value)})
    return value


def commune_code(value: str) -> str:
    if value and not COMMUNE_CODE_RE.match(value):
        raise LineRejected(
            _("code commune « %(code)s » invalide : 5 caractères attendus (ex. 35238, 2A004)") % {"code": shown(value)}
        )
    return value


def updated_on(value: str) -> datetime.date | None:
    if not value:
        return None
    try:
        if not ISO_DATE_RE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise LineRejected(
            _("date de mise à jour « %(value)s » invalide : format AAAA-MM-JJ attendu") % {"value": shown(value)}
        ) from None


def is_open(value: str) -> bool:
    """ "A FERMER" means a closure is planned: the établissement still runs, so it stays open until
    a later export says "FERME" (or it disappears from the file). Only FERME/FERMÉ closes."""
    state = fold(value).upper()
    if state in ("", "OUVERT", "A FERMER"):
        return True
    if state.startswith("FERME"):
        return False
    raise LineRejected(_("état « %(value)s » inconnu (OUVERT, A FERMER ou FERME)") % {"value": shown(value)})


def priority(value: str) -> PriorityEducation:
    found = PRIORITY.get(value.upper())
    if found is None:
        raise LineRejected(
            _("éducation prioritaire « %(value)s » inconnue (REP, REP+ ou vide)") % {"value": shown(value)}
        )
    return found


def email(value: str) -> str:
    if value:
        try:
            EMAIL_FIELD.run_validators(value)
        except ValidationError:
            raise LineRejected(_("courriel « %(value)s » invalide") % {"value": shown(value)}) from None
    return value


def phone(value: str) -> str:
    if value and not PHONE_RE.match(PHONE_SEPARATORS_RE.sub("", value)):
        raise LineRejected(
            _(
                "téléphone « %(value)s » invalide : 10 chiffres commençant par 0 (ou +33…) attendus, le "
                "fichier a-t-il été ouvert dans un tableur ?"
            )
            % {"value": shown(value)}
        )
    return value

"""One line of the file → one `Line`, the School's values, each field checked by `fields`.

The checks run in the file's reading order and the first that fails gives the line's reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilotis.territories.enums import SchoolKind
from pilotis.territories.importers import fields
from pilotis.territories.importers.errors import LineRejected
from pilotis.territories.importers.header import COLUMN_ALIASES
from pilotis.territories.models import School, search_key

# Type_etablissement (folded) of the second degree, imported by default.
SECOND_DEGREE_TYPES = {"college", "lycee", "erea"}
ECOLE_TYPE = "ecole"

NATURE_KINDS = {
    "340": SchoolKind.COLLEGE,
    "350": SchoolKind.COLLEGE,
    "352": SchoolKind.COLLEGE,
    "300": SchoolKind.LYCEE_GT,
    "302": SchoolKind.LYCEE_GT,
    "335": SchoolKind.LYCEE_GT,
    "306": SchoolKind.LYCEE_POLY,
    "320": SchoolKind.LYCEE_PRO,
    "334": SchoolKind.LYCEE_PRO,
    "370": SchoolKind.EREA,
}
TYPE_KINDS = {
    "college": SchoolKind.COLLEGE,
    "lycee": SchoolKind.LYCEE,
    "erea": SchoolKind.EREA,
    "ecole": SchoolKind.ECOLE,
}
# The kinds a known nature code may give under each Type_etablissement: a "Collège" line whose
# nature says lycée is a contradiction of the file, not a lycée.
TYPE_NATURE_KINDS = {
    "college": {SchoolKind.COLLEGE},
    "lycee": {SchoolKind.LYCEE_GT, SchoolKind.LYCEE_POLY, SchoolKind.LYCEE_PRO},
    "erea": {SchoolKind.EREA},
    "ecole": set(),
}


@dataclass(slots=True)
class Line:
    """A line that passed every check: the School's values and its territories' codes and names."""

    uai: str
    values: dict  # School field → value (the fields of `writing.SCHOOL_FIELDS`)
    department_code: str
    department_name: str
    academy_code: str
    academy_name: str
    multi_site: bool  # the export's flag: this UAI may be on several lines, one per site
    warning: str = ""  # what the import chose for the line, said in the report


def kind_of(nature_code: str, type_key: str, type_label: str) -> SchoolKind:
    """The kind the nature code says, else the type's; a nature the type contradicts is refused."""
    kind = NATURE_KINDS.get(nature_code)
    if kind is None:
        return TYPE_KINDS[type_key]
    if kind not in TYPE_NATURE_KINDS[type_key]:
        raise LineRejected(
            _("code nature %(code)s (%(kind)s) incompatible avec le type « %(type)s »")
            % {"code": nature_code, "kind": kind.label, "type": fields.shown(type_label)}
        )
    return kind


def name_or_usual(name: str, kind: SchoolKind, commune: str, uai: str) -> tuple[str, str]:
    """The name, and a warning when the file gives none.

    The real national file has such a line (a collège of the Hérault). The school exists and its
    UAI is sound: it is imported under the usual naming, and the report says so.
    """
    if name:
        return name, ""
    name = f"{kind.label} de {commune}" if commune else f"{kind.label} {uai}"
    return name, _("nom absent du fichier : enregistré sous « %(name)s »") % {"name": name}


def parse_row(row: list[str], idx: dict[str, int], type_key: str) -> Line:
    """The line's values for the School, or `LineRejected` with the reason in French."""
    fields.no_forbidden_character(row)
    # Absent optional columns read as empty.
    cell = dict.fromkeys(COLUMN_ALIASES, "") | {column: row[i].strip() for column, i in idx.items()}

    uai = fields.uai(cell["uai"])
    fields.within_lengths(cell)
    department_code = fields.department_code(cell["department_code"])
    department_name = fields.present(cell["department_name"], gettext_noop("libellé du département manquant"))
    academy_code = fields.academy_code(cell["academy_code"])
    academy_name = fields.present(cell["academy_name"], gettext_noop("libellé de l'académie manquant"))
    sector = fields.sector(cell["status"])
    nature_code = fields.nature_code(cell["nature_code"])
    postal_code = fields.postal_code(cell["postal_code"])
    commune_code = fields.commune_code(cell["commune_code"])
    source_updated_on = fields.updated_on(cell["updated_on"])
    is_open = fields.is_open(cell["state"])
    priority = fields.priority(cell["priority"])
    email = fields.email(cell["email"])
    phone = fields.phone(cell["phone"])
    parent_uai = fields.parent_uai(cell["parent_uai"])
    kind = kind_of(nature_code, type_key, cell["type"])
    name, warning = name_or_usual(cell["name"], kind, cell["commune"], uai)

    values = {
        "name": name,
        "search_text": School.build_search_text(name, cell["commune"], uai),
        "sort_name": search_key(name),
        "kind": kind.value,
        "sector": sector.value,
        "priority_education": priority.value,
        "commune": cell["commune"],
        "commune_code": commune_code,
        "postal_code": postal_code,
        "address": cell["address"],
        "email": email,
        "phone": phone,
        "nature_code": nature_code,
        "parent_uai": parent_uai,
        "is_open": is_open,
        "source_updated_on": source_updated_on,
    }
    multi_site = cell["multi_site"] == "1"
    return Line(uai, values, department_code, department_name, academy_code, academy_name, multi_site, warning)

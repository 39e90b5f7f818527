"""The export's header: which column holds what, whatever layout (2023, current, the portal's API)."""

import csv
import re
import unicodedata
from collections.abc import Iterator

from django.utils.translation import gettext as _

from pilotis.territories.importers.errors import AnnuaireFormatError

DELIMITER = ";"

# Canonical column → normalised header names it may have (see `normalise_header`). The 2023
# layout writes "Code postal", the current one "Code_postal", the portal's API lower case: all
# three fold to the same name.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "uai": ("identifiantdeletablissement",),
    "name": ("nometablissement",),
    "type": ("typeetablissement",),
    "status": ("statutpublicprive",),
    "department_code": ("codedepartement",),
    "department_name": ("libelledepartement",),
    "academy_code": ("codeacademie",),
    "academy_name": ("libelleacademie",),
    "commune": ("nomcommune",),
    "nature_code": ("codenature",),
    "postal_code": ("codepostal",),
    "commune_code": ("codecommune",),
    "address": ("adresse1",),
    "email": ("mail",),
    "phone": ("telephone",),
    "state": ("etat",),
    "priority": ("appartenanceeducationprioritaire",),
    "parent_uai": ("etablissementmere",),
    "updated_on": ("datemajligne",),
    # 1 when the UAI legitimately spans several lines, one per site (2023 / current name).
    "multi_site": ("etablissementmultilignes", "multiuai"),
}
# Required columns, with the name the current export gives them (for error messages).
REQUIRED_COLUMNS = {
    "uai": "Identifiant_de_l_etablissement",
    "name": "Nom_etablissement",
    "type": "Type_etablissement",
    "status": "Statut_public_prive",
    "department_code": "Code_departement",
    "department_name": "Libelle_departement",
    "academy_code": "Code_academie",
    "academy_name": "Libelle_academie",
    "commune": "Nom_commune",
    "nature_code": "code_nature",
}


def normalise_header(name: str) -> str:
    """'\\ufeffCode postal ' and 'code_postal' → 'codepostal': no BOM, case, accents, separators."""
    name = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip().lower())
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", name)


def cr_line_ends_error() -> AnnuaireFormatError:
    return AnnuaireFormatError(
        _(
            "Les fins de ligne du fichier ne sont pas reconnues (retour chariot seul, format « CSV "
            "Macintosh ») : réenregistrez-le au format « CSV UTF-8 » ou téléchargez de nouveau l'export "
            "de l'annuaire."
        )
    )


def has_bare_cr(text: str) -> bool:
    """A carriage return that does not end the line (old Mac line ends, or one inside a value)."""
    return "\r" in text.rstrip("\r\n")


def read_header(lines: Iterator[str]) -> tuple[list[str], str]:
    """The header, which must be line 1 (so that line numbers are the file's), and its raw text."""
    first = next(lines, "")
    if not first.strip():
        if not any(line.strip() for line in lines):
            raise AnnuaireFormatError(_("Le fichier est vide."))
        raise AnnuaireFormatError(_("La première ligne du fichier doit être l'en-tête des colonnes ; elle est vide."))
    if has_bare_cr(first):
        raise cr_line_ends_error()
    try:
        return next(csv.reader([first], delimiter=DELIMITER)), first
    except csv.Error:
        raise AnnuaireFormatError(
            _(
                "La première ligne du fichier n'est pas un en-tête CSV lisible : ce fichier n'est pas l'export "
                "CSV de l'annuaire."
            )
        ) from None


def column_indexes(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical column → index in the row, and the required columns that are missing."""
    normalised = [normalise_header(name) for name in header]
    indexes: dict[str, int] = {}
    for column, aliases in COLUMN_ALIASES.items():
        positions = [i for i, name in enumerate(normalised) if name in aliases]
        if len(positions) > 1:
            raise AnnuaireFormatError(
                _("La colonne %(name)s apparaît plusieurs fois dans l'en-tête (colonnes %(positions)s).")
                % {"name": header[positions[0]].strip(), "positions": ", ".join(str(i + 1) for i in positions)}
            )
        if positions:
            indexes[column] = positions[0]
    missing = [label for column, label in REQUIRED_COLUMNS.items() if column not in indexes]
    return indexes, missing


def check_header(header: list[str], raw_header: str) -> dict[str, int]:
    """Canonical column → index, or `AnnuaireFormatError` saying which columns are missing."""
    indexes, missing = column_indexes(header)
    if not missing:
        return indexes
    # A file with the right columns but another separator: say so rather than list them all.
    for delimiter, label in ((",", _("la virgule")), ("\t", _("la tabulation")), ("|", _("la barre verticale"))):
        other = next(csv.reader([raw_header], delimiter=delimiter))
        if len(column_indexes(other)[1]) < len(missing):
            raise AnnuaireFormatError(
                _(
                    "Les colonnes sont séparées par %(label)s : l'export de l'annuaire doit utiliser le "
                    "point-virgule « ; » comme séparateur."
                )
                % {"label": label}
            )
    raise AnnuaireFormatError(
        _(
            "Ce fichier n'est pas l'export CSV de l'annuaire de l'éducation : colonnes obligatoires "
            "absentes : %(columns)s."
        )
        % {"columns": ", ".join(missing)}
    )

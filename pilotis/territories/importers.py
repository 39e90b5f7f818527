"""Import of the national "Annuaire de l'éducation" CSV export (dataset fr-en-annuaire-education).

The file is read once and never held in memory:

1. validation: every line is parsed and checked; only the UAIs seen (with their line number),
   the académie of each département and the rejected lines are kept in memory, and the parsed
   lines are spooled, in batches, to a temporary file;
2. writing, when no line was rejected (or `accept_partial`): the spooled lines pass 1 planned
   are upserted by UAI in batches, all inside ONE transaction, so that an interrupted import
   (even `kill -9`) leaves either every row or none. The transaction neither reads nor parses
   the CSV: it holds SQLite's write lock for the rows it writes, not for the file's size.

Lines that cannot be trusted (spreadsheet damage, bad UAI, duplicates, a département put in
another académie…) are reported with their physical line number (the header is line 1) and
never guessed.
"""

import csv
import datetime
import functools
import os
import pickle  # noqa: S403 - only for the import's own spool, written and read by this process
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from tqdm import tqdm

from pilotis.core.audit import record
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character, replace_forbidden_characters
from pilotis.territories.enums import PriorityEducation, SchoolKind, Sector
from pilotis.territories.models import UAI_RE, Academy, Department, School, search_key, uai_check_letter
from pilotis.territories.signals import schools_regrouped

BATCH_SIZE = 1000
# Rejected lines kept in the report (the total is always counted); enough to fix a file.
MAX_REJECTED_KEPT = 1000
DELIMITER = ";"

# No physical line of the export comes near this; a longer one is not the export (or has lost
# its line ends), and is refused before it is held in memory.
MAX_LINE_BYTES = 1 << 20

# A file whose blank lines outnumber its other lines, past this many, is not the export (which
# has none): it is refused as soon as that is seen, before it is read to its end.
MAX_BLANK_LINES = 1000

DEPARTMENT_CODE_RE = re.compile(r"^(?:[0-9]{3}|0[0-9][AB])$")
# Every académie code of the real exports has two digits, overseas included (28 La Réunion, 43
# Mayotte, 44 Saint-Pierre-et-Miquelon): "4" is "04" that went through a spreadsheet.
ACADEMY_CODE_RE = re.compile(r"^[0-9]{2}$")
# What a person types after --academy: "4" is as clear as "04" there.
ACADEMY_OPTION_RE = re.compile(r"^[0-9]{1,2}$")
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
validate_email = EmailValidator()

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
SECTORS = {"public": Sector.PUBLIC, "prive": Sector.PRIVATE}
# Appartenance_Education_Prioritaire: the real exports write "", "REP" or "REP+".
PRIORITY = {"": PriorityEducation.NONE, "REP": PriorityEducation.REP, "REP+": PriorityEducation.REP_PLUS}
# The kinds a known nature code may give under each Type_etablissement: a "Collège" line whose
# nature says lycée is a contradiction of the file, not a lycée.
TYPE_NATURE_KINDS = {
    "college": {SchoolKind.COLLEGE},
    "lycee": {SchoolKind.LYCEE_GT, SchoolKind.LYCEE_POLY, SchoolKind.LYCEE_PRO},
    "erea": {SchoolKind.EREA},
    "ecole": set(),
}

# School fields written by the import, compared before saving (department apart).
SCHOOL_FIELDS = (
    "name",
    "kind",
    "sector",
    "priority_education",
    "commune",
    "commune_code",
    "postal_code",
    "address",
    "email",
    "phone",
    "nature_code",
    "parent_uai",
    "is_open",
    "source_updated_on",
    "search_text",
    "sort_name",
)
UPDATE_FIELDS = [*SCHOOL_FIELDS, "department"]
# Column whose value goes to a length-limited model field → that field.
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


class AnnuaireImportError(Exception):
    """Something that stops the whole import; the message is one French sentence for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class AnnuaireFormatError(AnnuaireImportError):
    """The file is not a readable export of the annuaire (missing, not UTF-8, wrong columns…)."""


class AnnuaireOptionError(AnnuaireImportError):
    """An academy or department code given to restrict the import is not a valid code."""


class _LineRejected(Exception):
    pass


@dataclass
class ImportReport:
    path: str
    dry_run: bool = False
    accept_partial: bool = False
    lines: int = 0  # data lines read (blank lines aside)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)  # by Type_etablissement, or "hors périmètre"
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, uai, reason), capped
    rejected_count: int = 0
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # (line, uai, what), capped
    academies_created: int = 0
    departments_created: int = 0
    written: bool = False  # True once the transaction is committed

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    def reject(self, line: int, uai: str, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTED_KEPT:
            self.rejected.append((line, uai, reason))

    def warn(self, line: int, uai: str, what: str) -> None:
        if len(self.warnings) < MAX_REJECTED_KEPT:
            self.warnings.append((line, uai, what))

    def counts(self) -> dict:
        """The figures kept in the audit journal."""
        return {
            "file": os.path.basename(self.path),
            "lines": self.lines,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": dict(sorted(self.skipped.items())),
            "rejected": self.rejected_count,
            "academies_created": self.academies_created,
            "departments_created": self.departments_created,
        }

    def summary(self, max_rejected: int = 50) -> list[str]:
        """The end-of-import summary, in French, one string per line."""
        out = []
        if self.dry_run:
            out.append(_("Simulation (--dry-run) : rien n'a été écrit dans la base."))
        out.append(_("Lignes lues : %(n)d") % {"n": self.lines})
        out.append(_("Créés : %(n)d") % {"n": self.created})
        out.append(_("Mis à jour : %(n)d") % {"n": self.updated})
        out.append(_("Inchangés : %(n)d") % {"n": self.unchanged})
        detail = ", ".join(f"{label} : {n}" for label, n in sorted(self.skipped.items(), key=lambda i: (-i[1], i[0])))
        out.append(_("Ignorés : %(n)d") % {"n": self.skipped_count} + (f" ({detail})" if detail else ""))
        out.append(_("Rejetés : %(n)d") % {"n": self.rejected_count})
        if self.academies_created or self.departments_created:
            out.append(
                _("Nouvelles académies : %(a)d ; nouveaux départements : %(d)d")
                % {"a": self.academies_created, "d": self.departments_created}
            )
        if self.warnings:
            out.append(_("Avertissements : %(n)d") % {"n": len(self.warnings)})
            for line, uai, what in self.warnings[:max_rejected]:
                out.append(_("  ligne %(line)d (%(uai)s) : %(what)s") % {"line": line, "uai": uai, "what": what})
        for line, uai, reason in self.rejected[:max_rejected]:
            where = f"{line} ({uai})" if uai else str(line)
            out.append(_("  ligne %(where)s : %(reason)s") % {"where": where, "reason": reason})
        hidden = self.rejected_count - min(len(self.rejected), max_rejected)
        if hidden > 0:
            out.append(
                ngettext("  … et %(n)d autre ligne rejetée.", "  … et %(n)d autres lignes rejetées.", hidden)
                % {"n": hidden}
            )
        return out


# --- Reading ------------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """'\\ufeffCode postal ' and 'code_postal' → 'codepostal': no BOM, case, accents, separators."""
    name = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip().lower())
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", name)


def _shown(value: str, limit: int = 40) -> str:
    """A value of the file as it may be echoed in a message: no control character, not too long."""
    value = replace_forbidden_characters(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.lru_cache(maxsize=256)
def _fold(value: str) -> str:
    """'Collège ' → 'college', 'Privé' → 'prive'. Cached: used on columns with few values."""
    value = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in value if not unicodedata.combining(c))


def _open(path: Path):
    try:
        if path.is_dir():
            raise AnnuaireFormatError(_("%(path)s est un dossier, pas un fichier CSV.") % {"path": path})
        return path.open("rb")
    except FileNotFoundError:
        raise AnnuaireFormatError(_("Le fichier %(path)s est introuvable.") % {"path": path}) from None
    except PermissionError:
        raise AnnuaireFormatError(
            _("Le fichier %(path)s ne peut pas être lu (permission refusée).") % {"path": path}
        ) from None
    except OSError as error:
        raise AnnuaireFormatError(
            _("Le fichier %(path)s ne peut pas être lu : %(error)s.") % {"path": path, "error": error.strerror}
        ) from None


def _cr_line_ends_error() -> AnnuaireFormatError:
    return AnnuaireFormatError(
        _(
            "Les fins de ligne du fichier ne sont pas reconnues (retour chariot seul, format « CSV "
            "Macintosh ») : réenregistrez-le au format « CSV UTF-8 » ou téléchargez de nouveau l'export "
            "de l'annuaire."
        )
    )


def _has_bare_cr(text: str) -> bool:
    """A carriage return that does not end the line (old Mac line ends, or one inside a value)."""
    return "\r" in text.rstrip("\r\n")


def _too_many_lines_error(limit: int) -> AnnuaireFormatError:
    return AnnuaireFormatError(
        _(
            "Le fichier dépasse %(limit)s lignes, la limite de l'import (réglage ANNUAIRE_MAX_LINES) : "
            "ce n'est pas l'export CSV de l'annuaire."
        )
        % {"limit": f"{limit:,}".replace(",", "\u202f")}
    )


def _decoded_lines(handle, bar) -> Iterator[str]:
    """The file's lines as text, the BOM removed; a byte that is not UTF-8 stops everything."""
    limit = settings.ANNUAIRE_MAX_LINES
    for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES), b""), start=1):
        if number > limit:
            raise _too_many_lines_error(limit)
        bar.update(len(raw))
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            # A file whose lines end with CR alone reads as one endless line.
            if b"\r" in raw:
                raise _cr_line_ends_error()
            raise AnnuaireFormatError(
                _("La ligne %(line)d dépasse 1 Mo : ce fichier n'est pas l'export CSV de l'annuaire.")
                % {"line": number}
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise AnnuaireFormatError(
                _(
                    "Le fichier n'est pas encodé en UTF-8 (ligne %(line)d) : réenregistrez-le au format "
                    "« CSV UTF-8 » ou téléchargez de nouveau l'export de l'annuaire."
                )
                % {"line": number}
            ) from None
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield text


def _column_indexes(header: list[str]) -> tuple[dict[str, int], list[str]]:
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


def _read_header(lines: Iterator[str]) -> tuple[list[str], str]:
    """The header, which must be line 1 (so that line numbers are the file's)."""
    first = next(lines, "")
    if not first.strip():
        if not any(line.strip() for line in lines):
            raise AnnuaireFormatError(_("Le fichier est vide."))
        raise AnnuaireFormatError(_("La première ligne du fichier doit être l'en-tête des colonnes ; elle est vide."))
    if _has_bare_cr(first):
        raise _cr_line_ends_error()
    try:
        return next(csv.reader([first], delimiter=DELIMITER)), first
    except csv.Error:
        raise AnnuaireFormatError(
            _(
                "La première ligne du fichier n'est pas un en-tête CSV lisible : ce fichier n'est pas l'export "
                "CSV de l'annuaire."
            )
        ) from None


def _check_header(header: list[str], raw_header: str) -> dict[str, int]:
    indexes, missing = _column_indexes(header)
    if not missing:
        return indexes
    # A file with the right columns but another separator: say so rather than list them all.
    for delimiter, label in ((",", _("la virgule")), ("\t", _("la tabulation")), ("|", _("la barre verticale"))):
        other = next(csv.reader([raw_header], delimiter=delimiter))
        if len(_column_indexes(other)[1]) < len(missing):
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


# --- One line ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    uai: str
    values: dict
    department_code: str
    department_name: str
    academy_code: str
    academy_name: str
    multi_site: bool
    warning: str = ""


def _parse(row: list[str], idx: dict[str, int], type_key: str) -> _Line:
    """The line's values for the School, or `_LineRejected` with the reason in French."""
    # The forms' rule on names and labels (`core.validators`): no control or format character.
    if first_forbidden_character("".join(row)) >= 0:
        column = next(i for i, value in enumerate(row) if first_forbidden_character(value) >= 0)
        raise _LineRejected(_("caractère de contrôle dans la colonne %(n)d") % {"n": column + 1})

    # Absent optional columns read as empty.
    cell = dict.fromkeys(COLUMN_ALIASES, "") | {column: row[i].strip() for column, i in idx.items()}

    uai = cell["uai"]
    if not uai:
        raise _LineRejected(_("identifiant UAI manquant"))
    if not UAI_RE.match(uai):
        raise _LineRejected(
            _("UAI « %(uai)s » mal formé : 7 chiffres suivis d'une lettre majuscule attendus") % {"uai": _shown(uai)}
        )
    if uai[7] != uai_check_letter(uai[:7]):
        raise _LineRejected(
            _("lettre de contrôle de l'UAI %(uai)s incorrecte (%(letter)s attendue)")
            % {"uai": uai, "letter": uai_check_letter(uai[:7])}
        )
    for column, limit in LENGTH_LIMITS.items():
        length = len(cell[column])
        if length > limit:
            raise _LineRejected(
                _("valeur trop longue pour « %(column)s » (%(length)d caractères, %(limit)d au plus)")
                % {"column": COLUMN_LABELS[column], "length": length, "limit": limit}
            )
    name = cell["name"]

    department_code = cell["department_code"]
    if not department_code:
        raise _LineRejected(_("code département manquant"))
    if not DEPARTMENT_CODE_RE.match(department_code):
        raise _LineRejected(
            _(
                "code département « %(code)s » invalide : 3 caractères attendus (035, 02A), le fichier "
                "a-t-il été ouvert dans un tableur ?"
            )
            % {"code": _shown(department_code)}
        )
    department_name = cell["department_name"]
    if not department_name:
        raise _LineRejected(_("libellé du département manquant"))
    academy_code = cell["academy_code"]
    if not academy_code:
        raise _LineRejected(_("code académie manquant"))
    if not ACADEMY_CODE_RE.match(academy_code):
        raise _LineRejected(
            _(
                "code académie « %(code)s » invalide : 2 chiffres attendus (04, 14), le fichier a-t-il été "
                "ouvert dans un tableur ?"
            )
            % {"code": _shown(academy_code)}
        )
    academy_name = cell["academy_name"]
    if not academy_name:
        raise _LineRejected(_("libellé de l'académie manquant"))

    status = cell["status"]
    sector = SECTORS.get(_fold(status))
    if sector is None:
        if not status:
            raise _LineRejected(_("statut public/privé manquant"))
        raise _LineRejected(_("statut public/privé « %(value)s » inconnu") % {"value": _shown(status)})

    nature_code = cell["nature_code"]
    if nature_code and not NATURE_CODE_RE.match(nature_code):
        raise _LineRejected(
            _("code nature « %(code)s » invalide : 3 chiffres attendus") % {"code": _shown(nature_code)}
        )
    postal_code = cell["postal_code"]
    if postal_code and not POSTAL_CODE_RE.match(postal_code):
        raise _LineRejected(
            _("code postal « %(code)s » invalide : 5 chiffres attendus") % {"code": _shown(postal_code)}
        )
    commune_code = cell["commune_code"]
    if commune_code and not COMMUNE_CODE_RE.match(commune_code):
        raise _LineRejected(
            _("code commune « %(code)s » invalide : 5 caractères attendus (ex. 35238, 2A004)")
            % {"code": _shown(commune_code)}
        )

    updated_on = cell["updated_on"]
    source_updated_on = None
    if updated_on:
        try:
            if not ISO_DATE_RE.match(updated_on):
                raise ValueError
            source_updated_on = datetime.date.fromisoformat(updated_on)
        except ValueError:
            raise _LineRejected(
                _("date de mise à jour « %(value)s » invalide : format AAAA-MM-JJ attendu")
                % {"value": _shown(updated_on)}
            ) from None

    # "A FERMER" means a closure is planned: the établissement still runs, so it stays open
    # until a later export says "FERME" (or it disappears from the file). Only FERME/FERMÉ closes.
    state = _fold(cell["state"]).upper()
    if state in ("", "OUVERT", "A FERMER"):
        is_open = True
    elif state.startswith("FERME"):
        is_open = False
    else:
        raise _LineRejected(
            _("état « %(value)s » inconnu (OUVERT, A FERMER ou FERME)") % {"value": _shown(cell["state"])}
        )

    priority = PRIORITY.get(cell["priority"].upper())
    if priority is None:
        raise _LineRejected(
            _("éducation prioritaire « %(value)s » inconnue (REP, REP+ ou vide)") % {"value": _shown(cell["priority"])}
        )
    email = cell["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _LineRejected(_("courriel « %(value)s » invalide") % {"value": _shown(email)}) from None
    phone = cell["phone"]
    if phone and not PHONE_RE.match(PHONE_SEPARATORS_RE.sub("", phone)):
        raise _LineRejected(
            _(
                "téléphone « %(value)s » invalide : 10 chiffres commençant par 0 (ou +33…) attendus, le "
                "fichier a-t-il été ouvert dans un tableur ?"
            )
            % {"value": _shown(phone)}
        )

    parent_uai = cell["parent_uai"]
    if parent_uai and not (UAI_RE.match(parent_uai) and parent_uai[7] == uai_check_letter(parent_uai[:7])):
        raise _LineRejected(
            _("UAI de l'établissement de rattachement « %(uai)s » invalide") % {"uai": _shown(parent_uai)}
        )

    kind = NATURE_KINDS.get(nature_code)
    if kind is None:
        kind = TYPE_KINDS[type_key]
    elif kind not in TYPE_NATURE_KINDS[type_key]:
        raise _LineRejected(
            _("code nature %(code)s (%(kind)s) incompatible avec le type « %(type)s »")
            % {"code": nature_code, "kind": kind.label, "type": _shown(cell["type"])}
        )
    warning = ""
    if not name:
        # The real national file has such a line (a collège of the Hérault). The school exists
        # and its UAI is sound: it is imported under the usual naming, and the report says so.
        name = f"{kind.label} de {cell['commune']}" if cell["commune"] else f"{kind.label} {uai}"
        warning = _("nom absent du fichier : enregistré sous « %(name)s »") % {"name": name}
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
    return _Line(uai, values, department_code, department_name, academy_code, academy_name, multi_site, warning)


# --- The file, line by line ----------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
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


def _scope(academies, departments) -> _Scope:
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
    return _Scope(frozenset(academy_codes), frozenset(department_codes))


def _split_codes(codes) -> list[str]:
    if isinstance(codes, str):
        codes = [codes]
    return [part.strip() for code in codes or () for part in str(code).split(",") if part.strip()]


class _Remembered:
    """An iterator of lines that remembers the last one given, to explain the csv module's errors."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.last = ""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.last = next(self.lines)
        return self.last


def _uai_of(text: str) -> str:
    """The UAI a line the csv module cannot read starts with, if it does (for the report)."""
    first = text.split(DELIMITER, 1)[0].strip().strip('"')
    return first if UAI_RE.match(first) else ""


def _unreadable_reason(text: str) -> str:
    """Why the csv module refused a line, in French (its own message is English and technical)."""
    if _has_bare_cr(text):
        return _(
            "retour chariot isolé dans la ligne (fins de ligne « CSV Macintosh » ?) : réenregistrez le "
            "fichier au format « CSV UTF-8 »"
        )
    if len(text) > csv.field_size_limit():
        return _("valeur de plus de %(n)d caractères") % {"n": csv.field_size_limit()}
    return _("ligne illisible au format CSV (guillemet mal placé ?)")


# Keys of `ImportReport.skipped` besides the Type_etablissement labels.
OUT_OF_SCOPE = gettext_noop("hors périmètre")
NO_TYPE = gettext_noop("(type vide)")
SECONDARY_SITE = gettext_noop("site secondaire d'un UAI multi-lignes")


def _events(path: Path, scope: _Scope, include_ecoles: bool, bar_label: str, progress: bool):
    """Yield ("skip", label), ("reject", line, uai, reason) or ("ok", line, _Line) per data line.

    The same function drives both passes, so they cannot disagree on what a line is.
    """
    wanted = SECOND_DEGREE_TYPES | ({ECOLE_TYPE} if include_ecoles else set())
    handle = _open(path)
    size = os.fstat(handle.fileno()).st_size
    with (
        handle,
        tqdm(
            total=size,
            unit="o",
            unit_scale=True,
            desc=bar_label,
            file=sys.stderr,
            disable=None if progress else True,
            leave=False,
        ) as bar,
    ):
        lines = _Remembered(_decoded_lines(handle, bar))
        header, raw_header = _read_header(lines)
        idx = _check_header(header, raw_header)
        width = len(header)
        reader = csv.reader(lines, delimiter=DELIMITER)
        # The header (line 1) was read outside the reader, whose line_num counts from line 2.
        offset = 1
        previous = 0
        blank = filled = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                # The reader starts afresh on the next line: only this one is lost.
                line = offset + previous + 1
                previous = reader.line_num
                yield ("reject", line, _uai_of(lines.last), _unreadable_reason(lines.last))
                continue
            line = offset + previous + 1
            previous = reader.line_num
            if not any(value.strip() for value in row):
                blank += 1
                if blank > MAX_BLANK_LINES and blank > filled:
                    raise AnnuaireFormatError(
                        _(
                            "Le fichier contient surtout des lignes vides (%(blank)d vides pour %(filled)d "
                            "remplies dès la ligne %(line)d) : ce n'est pas l'export CSV de l'annuaire."
                        )
                        % {"blank": blank, "filled": filled, "line": line}
                    )
                continue
            filled += 1
            uai = _shown(row[idx["uai"]].strip(), 12) if len(row) > idx["uai"] else ""
            if len(row) != width:
                yield (
                    "reject",
                    line,
                    uai,
                    _("%(found)d colonnes au lieu de %(expected)d (point-virgule ou guillemet en trop ?)")
                    % {"found": len(row), "expected": width},
                )
                continue
            type_label = row[idx["type"]].strip()
            type_key = _fold(type_label)
            if type_key not in wanted:
                yield ("skip", _shown(type_label) or _(NO_TYPE))
                continue
            # Lines outside the requested territories are not validated: a damaged line of
            # another académie must not block the import of this one.
            if scope.excludes(row, idx):
                yield ("skip", _(OUT_OF_SCOPE))
                continue
            try:
                parsed = _parse(row, idx, type_key)
            except _LineRejected as rejection:
                yield ("reject", line, uai, str(rejection))
                continue
            yield ("ok", line, parsed)


# --- Writing -------------------------------------------------------------------------------


class _Territories:
    """Academies and departments by code, created or renamed as the file says."""

    def __init__(self, report: ImportReport, dry_run: bool):
        self.report = report
        self.dry_run = dry_run
        self.academies = {a.code: a for a in Academy.objects.all()}
        self.departments = {d.code: d for d in Department.objects.select_related("academy")}

    def department(self, line: _Line) -> Department:
        academy = self.academies.get(line.academy_code)
        if academy is None:
            academy = Academy(code=line.academy_code, name=line.academy_name)
            if not self.dry_run:
                academy.save()
            self.academies[academy.code] = academy
            self.report.academies_created += 1
        elif academy.name != line.academy_name:
            academy.name = line.academy_name
            if not self.dry_run:
                academy.save(update_fields=["name"])
        department = self.departments.get(line.department_code)
        if department is None:
            department = Department(code=line.department_code, name=line.department_name, academy=academy)
            if not self.dry_run:
                department.save()
            self.departments[department.code] = department
            self.report.departments_created += 1
        elif department.academy.code != academy.code:
            # Pass 1 refused every line that said so: the database changed between the passes.
            raise AnnuaireImportError(
                _("Le département %(code)s a changé d'académie pendant l'import : relancez l'import.")
                % {"code": department.code}
            )
        elif department.name != line.department_name:
            department.name = line.department_name
            if not self.dry_run:
                department.save(update_fields=["name"])
        return department


def _write_batch(batch: list[_Line], territories: _Territories, report: ImportReport, dry_run: bool) -> list:
    """Writes one batch; returns the ids of the schools that changed département, closed or
    reopened (see signals)."""
    existing = {s.uai: s for s in School.objects.filter(uai__in=[line.uai for line in batch])}
    to_create, to_update, regrouped = [], [], []
    for line in batch:
        department = territories.department(line)
        school = existing.get(line.uai)
        if school is None:
            to_create.append(School(uai=line.uai, department=department, **line.values))
            continue
        changed = school.department_id != department.pk
        if changed or school.is_open != line.values["is_open"]:
            regrouped.append(school.pk)
        for name, value in line.values.items():
            if getattr(school, name) != value:
                setattr(school, name, value)
                changed = True
        if changed:
            school.department = department
            to_update.append(school)
        else:
            report.unchanged += 1
    report.created += len(to_create)
    report.updated += len(to_update)
    if not dry_run:
        if to_create:
            School.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            School.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=BATCH_SIZE)
    return regrouped


class _Spool:
    """Pass 1's parsed lines, pickled in batches to an anonymous temporary file, so that pass 2
    writes them without reading the CSV again (and never inside its transaction)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        self.batch: list[tuple[int, _Line]] = []

    def add(self, line: int, parsed: _Line) -> None:
        self.batch.append((line, parsed))
        if len(self.batch) >= BATCH_SIZE:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def __iter__(self) -> Iterator[tuple[int, _Line]]:
        self._flush()
        self.file.seek(0)
        while True:
            try:
                batch = pickle.load(self.file)  # noqa: S301 - this process's own spool
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        self.file.close()


def _write(spool: _Spool, plan: "_Plan", report, dry_run, progress) -> None:
    territories = _Territories(report, dry_run)
    batch: list[_Line] = []
    regrouped = []
    with tqdm(
        total=plan.expected,
        unit=" lignes",
        desc=_("Écriture"),
        file=sys.stderr,
        disable=None if progress else True,
        leave=False,
    ) as bar:
        for line, parsed in spool:
            if not plan.keeps(line, parsed.uai):
                continue
            batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                regrouped += _write_batch(batch, territories, report, dry_run)
                bar.update(len(batch))
                batch = []
        if batch:
            regrouped += _write_batch(batch, territories, report, dry_run)
            bar.update(len(batch))
    if regrouped and not dry_run:
        # Once for the whole file: each campaign concerned is recounted once.
        schools_regrouped.send(sender=School, school_ids=regrouped)


class _Plan:
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
        # What pass 1 keeps grows with the file, so it is kept small: a UAI is keyed by its 7 digits
        # (its letter follows from them, and was checked), with the line of its first occurrence.
        self.first: dict[int, int] = {}
        self.multi_first: dict[int, bool] = {}  # multi-site UAI → its first line is an annex
        self.main_site: dict[int, tuple[int, bool]] = {}  # multi-site UAI → (line, annex)
        self.duplicates: set[int] = set()
        self.expected = 0  # lines pass 2 must write

    def add(self, line: int, parsed: _Line) -> None:
        uai, annex = parsed.uai, "annexe" in parsed.values["name"].lower()
        key = int(uai[:7])
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
            main = self.main_site.setdefault(key, (first_line, self.multi_first[key]))
            if main[1] and not annex:
                self.main_site[key] = (line, annex)
            return
        self.report.reject(line, uai, _("UAI en double (déjà ligne %(line)d)") % {"line": first_line})
        self.report.reject(first_line, uai, _("UAI en double (aussi ligne %(line)d)") % {"line": line})
        self.duplicates.add(key)
        self.main_site.pop(key, None)
        self.expected -= 1

    def keeps(self, line: int, uai: str) -> bool:
        """Whether pass 2 writes this line: only the line planned for its UAI, never one that pass
        1 rejected after parsing (see `_DepartmentAcademies`)."""
        key = int(uai[:7])
        if key in self.duplicates:
            return False
        main = self.main_site.get(key)
        if main is not None:
            return main[0] == line
        return self.first.get(key) == line


class _DepartmentAcademies:
    """Pass 1: the académie of each département, as the database says, else the file's first line.

    The annuaire does not move a département to another académie: a line that does so contradicts
    the rest (a damaged code, a line pasted from another file) and is rejected rather than
    carrying the whole département, its schools and its campaigns' figures along. A real
    re-attachment is made once in the admin, then the import agrees with it.
    """

    def __init__(self):
        self.known: dict[str, tuple[str, int | None]] = {
            code: (academy, None) for code, academy in Department.objects.values_list("code", "academy__code")
        }

    def contradiction(self, line: int, parsed: _Line) -> str:
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


# --- Entry point ---------------------------------------------------------------------------


def import_annuaire(
    path,
    *,
    academies=None,
    departments=None,
    include_ecoles=False,
    accept_partial=False,
    dry_run=False,
    progress=False,
) -> ImportReport:
    """Import the annuaire CSV export at `path`; see the module docstring.

    `academies` / `departments`: codes restricting the import ("04", "040"; other lines are
    skipped as "hors périmètre"). Raise `AnnuaireFormatError` when the file is not a readable
    export, `AnnuaireOptionError` for an invalid restriction code. When a line is rejected,
    nothing is written unless `accept_partial`; `report.written` tells whether it was.
    """
    path = Path(path)
    scope = _scope(academies, departments)
    report = ImportReport(path=str(path), dry_run=dry_run, accept_partial=accept_partial)

    # Pass 1: validation. Keeps only the in-scope UAIs with their line, and the rejections; the
    # parsed lines go to the spool.
    plan = _Plan(report)
    attachments = _DepartmentAcademies()
    spool = _Spool()
    try:
        _validate(path, scope, include_ecoles, progress, report, plan, attachments, spool)
        if report.rejected_count and not accept_partial:
            return report

        # Pass 2: writing, all or nothing, from the spool.
        if dry_run:
            _write(spool, plan, report, dry_run, progress)
            return report
        with transaction.atomic():
            _write(spool, plan, report, dry_run, progress)
            record(AuditAction.IMPORT, actor=None, label="import_annuaire", after=report.counts())
    finally:
        spool.close()
    report.written = True
    return report


def _validate(path, scope, include_ecoles, progress, report, plan, attachments, spool) -> None:
    for event in _events(path, scope, include_ecoles, _("Vérification"), progress):
        report.lines += 1
        if event[0] == "skip":
            report.skipped[event[1]] += 1
        elif event[0] == "reject":
            report.reject(*event[1:])
        elif contradiction := attachments.contradiction(event[1], event[2]):
            report.reject(event[1], event[2].uai, contradiction)
        else:
            plan.add(event[1], event[2])
            spool.add(event[1], event[2])
            if event[2].warning:
                report.warn(event[1], event[2].uai, event[2].warning)
    report.rejected.sort()

"""The file, line by line: bytes → text lines → CSV rows → one event per data line.

The file is read as it is validated, one physical line at a time, and never held: each line is
decoded, split, checked and given to the caller before the next one is read.
"""

import csv
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from tqdm import tqdm

from pilotis.territories.importers import rows
from pilotis.territories.importers.errors import AnnuaireFormatError, LineRejected
from pilotis.territories.importers.fields import fold, shown
from pilotis.territories.importers.header import DELIMITER, check_header, cr_line_ends_error, has_bare_cr, read_header
from pilotis.territories.importers.report import NO_TYPE, OUT_OF_SCOPE, Rejection
from pilotis.territories.importers.scope import Scope
from pilotis.territories.models import UAI_RE

# No physical line of the export comes near this; a longer one is not the export (or has lost
# its line ends), and is refused before it is held in memory.
MAX_LINE_BYTES = 1 << 20

# A file whose blank lines outnumber its other lines, past this many, is not the export (which
# has none): it is refused as soon as that is seen, before it is read to its end.
MAX_BLANK_LINES = 1000


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line the import leaves aside: not a wanted type, or outside the requested territories."""

    label: str  # the key of `ImportReport.skipped`


@dataclass(frozen=True, slots=True)
class Parsed:
    """A line that passed every check of `rows.parse_row`."""

    line: int
    row: rows.Line


# What `events` yields for each data line: a `Rejection` is the third kind.
Event = Skipped | Rejection | Parsed


def open_file(path: Path):
    """The file, opened for reading bytes, or `AnnuaireFormatError` saying why it cannot be."""
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


def _too_many_lines_error(limit: int) -> AnnuaireFormatError:
    return AnnuaireFormatError(
        _(
            "Le fichier dépasse %(limit)s lignes, la limite de l'import (réglage ANNUAIRE_MAX_LINES) : "
            "ce n'est pas l'export CSV de l'annuaire."
        )
        % {"limit": f"{limit:,}".replace(",", "\u202f")}
    )


def decoded_lines(handle, bar) -> Iterator[str]:
    """The file's lines as text, the BOM removed; a byte that is not UTF-8 stops everything."""
    limit = settings.ANNUAIRE_MAX_LINES
    for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES), b""), start=1):
        if number > limit:
            raise _too_many_lines_error(limit)
        bar.update(len(raw))
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            # A file whose lines end with CR alone reads as one endless line.
            if b"\r" in raw:
                raise cr_line_ends_error()
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


class Remembered:
    """An iterator of lines that remembers the last one given, to explain the csv module's errors."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.last = ""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.last = next(self.lines)
        return self.last


def uai_of(text: str) -> str:
    """The UAI a line the csv module cannot read starts with, if it does (for the report)."""
    first = text.split(DELIMITER, 1)[0].strip().strip('"')
    return first if UAI_RE.match(first) else ""


def unreadable_reason(text: str) -> str:
    """Why the csv module refused a line, in French (its own message is English and technical)."""
    if has_bare_cr(text):
        return _(
            "retour chariot isolé dans la ligne (fins de ligne « CSV Macintosh » ?) : réenregistrez le "
            "fichier au format « CSV UTF-8 »"
        )
    if len(text) > csv.field_size_limit():
        return _("valeur de plus de %(n)d caractères") % {"n": csv.field_size_limit()}
    return _("ligne illisible au format CSV (guillemet mal placé ?)")


def events(path: Path, scope: Scope, include_ecoles: bool, bar_label: str, progress: bool) -> Iterator[Event]:
    """One `Skipped`, `Rejection` or `Parsed` per data line of the file, in the file's order.

    Line numbers are the file's physical ones (the header is line 1), blank lines included.
    """
    wanted = rows.SECOND_DEGREE_TYPES | ({rows.ECOLE_TYPE} if include_ecoles else set())
    handle = open_file(path)
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
        lines = Remembered(decoded_lines(handle, bar))
        header, raw_header = read_header(lines)
        idx = check_header(header, raw_header)
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
                yield Rejection(line, uai_of(lines.last), unreadable_reason(lines.last))
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
            yield _event(row, line, width, idx, wanted, scope)


def _event(row: list[str], line: int, width: int, idx: dict[str, int], wanted: set[str], scope: Scope) -> Event:
    """What one non-blank CSV row of the file is."""
    uai = shown(row[idx["uai"]].strip(), 12) if len(row) > idx["uai"] else ""
    if len(row) != width:
        return Rejection(
            line,
            uai,
            _("%(found)d colonnes au lieu de %(expected)d (point-virgule ou guillemet en trop ?)")
            % {"found": len(row), "expected": width},
        )
    type_label = row[idx["type"]].strip()
    type_key = fold(type_label)
    if type_key not in wanted:
        return Skipped(shown(type_label) or _(NO_TYPE))
    # Lines outside the requested territories are not validated: a damaged line of another
    # académie must not block the import of this one.
    if scope.excludes(row, idx):
        return Skipped(_(OUT_OF_SCOPE))
    try:
        return Parsed(line, rows.parse_row(row, idx, type_key))
    except LineRejected as rejection:
        return Rejection(line, uai, str(rejection))

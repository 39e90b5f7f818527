"""Import of the national "Annuaire de l'éducation" CSV export (dataset fr-en-annuaire-education).

The file is read once and never held in memory:

1. validation (`reading` → `rows` → `fields`): every line is parsed and checked; only the UAIs
   seen (with their line number), the académie of each département (`plan`) and the rejected
   lines (`report`) are kept in memory, and the parsed lines are spooled, in batches, to a
   temporary file (`spool`);
2. writing (`writing`), when no line was rejected (or `accept_partial`): the spooled lines pass 1
   planned are upserted by UAI in batches, all inside ONE transaction, so that an interrupted
   import (even `kill -9`) leaves either every row or none. The transaction neither reads nor
   parses the CSV: it holds SQLite's write lock for the rows it writes, not for the file's size.

Lines that cannot be trusted (spreadsheet damage, bad UAI, duplicates, a département put in
another académie…) are reported with their physical line number (the header is line 1) and
never guessed.
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.core.audit import record
from pilotis.core.enums import AuditAction
from pilotis.territories.importers import reading, writing
from pilotis.territories.importers.errors import AnnuaireFormatError, AnnuaireImportError, AnnuaireOptionError
from pilotis.territories.importers.plan import DepartmentAcademies, Plan
from pilotis.territories.importers.report import ImportReport, LineWarning, Rejection
from pilotis.territories.importers.scope import Scope, scope_of
from pilotis.territories.importers.spool import Spool

__all__ = [
    "AnnuaireFormatError",
    "AnnuaireImportError",
    "AnnuaireOptionError",
    "ImportReport",
    "LineWarning",
    "Rejection",
    "import_annuaire",
]


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
    """Import the annuaire CSV export at `path`; see the package docstring.

    `academies` / `departments`: codes restricting the import ("04", "040"; other lines are
    skipped as "hors périmètre"). Raise `AnnuaireFormatError` when the file is not a readable
    export, `AnnuaireOptionError` for an invalid restriction code. When a line is rejected,
    nothing is written unless `accept_partial`; `report.written` tells whether it was.
    """
    path = Path(path)
    scope = scope_of(academies, departments)
    report = ImportReport(path=str(path), dry_run=dry_run, accept_partial=accept_partial)

    # Pass 1: validation. Keeps only the in-scope UAIs with their line, and the rejections; the
    # parsed lines go to the spool.
    plan = Plan(report)
    attachments = DepartmentAcademies()
    spool = Spool()
    try:
        _validate(path, scope, include_ecoles, progress, report, plan, attachments, spool)
        if report.rejected_count and not accept_partial:
            return report

        # Pass 2: writing, all or nothing, from the spool.
        if dry_run:
            writing.write(spool, plan, report, dry_run, progress)
            return report
        with transaction.atomic():
            writing.write(spool, plan, report, dry_run, progress)
            record(AuditAction.IMPORT, actor=None, label="import_annuaire", after=report.counts())
    finally:
        spool.close()
    report.written = True
    return report


def _validate(
    path: Path,
    scope: Scope,
    include_ecoles: bool,
    progress: bool,
    report: ImportReport,
    plan: Plan,
    attachments: DepartmentAcademies,
    spool: Spool,
) -> None:
    """Pass 1: every line read, checked and counted; the lines to write planned and spooled."""
    for event in reading.events(path, scope, include_ecoles, _("Vérification"), progress):
        report.lines += 1
        match event:
            case reading.Skipped(label):
                report.skipped[label] += 1
            case Rejection():
                report.add_rejection(event)
            case reading.Parsed(line, parsed):
                if contradiction := attachments.contradiction(line, parsed):
                    report.reject(line, parsed.uai, contradiction)
                    continue
                plan.add(line, parsed)
                spool.add(line, parsed)
                if parsed.warning:
                    report.warn(line, parsed.uai, parsed.warning)
    report.rejected.sort()

"""What the import did, line by line and in figures, worded in French for the command's output."""

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

# Rejected lines kept in the report (the total is always counted); enough to fix a file.
MAX_REJECTED_KEPT = 1000

# Keys of `ImportReport.skipped` besides the Type_etablissement labels.
OUT_OF_SCOPE = gettext_noop("hors périmètre")
NO_TYPE = gettext_noop("(type vide)")
SECONDARY_SITE = gettext_noop("site secondaire d'un UAI multi-lignes")


class Rejection(NamedTuple):
    """A line left out because it cannot be trusted. Sorted by line; equal to its plain tuple."""

    line: int  # physical line of the file, the header being line 1
    uai: str  # as the file writes it, made printable; "" when the line has none readable
    reason: str  # in French


class LineWarning(NamedTuple):
    """A line imported with a value the import chose (a missing name), said in the report."""

    line: int
    uai: str
    what: str


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
    rejected: list[Rejection] = field(default_factory=list)  # capped at MAX_REJECTED_KEPT
    rejected_count: int = 0
    warnings: list[LineWarning] = field(default_factory=list)  # capped at MAX_REJECTED_KEPT
    academies_created: int = 0
    departments_created: int = 0
    written: bool = False  # True once the transaction is committed

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    def reject(self, line: int, uai: str, reason: str) -> None:
        self.add_rejection(Rejection(line, uai, reason))

    def add_rejection(self, rejection: Rejection) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTED_KEPT:
            self.rejected.append(rejection)

    def warn(self, line: int, uai: str, what: str) -> None:
        if len(self.warnings) < MAX_REJECTED_KEPT:
            self.warnings.append(LineWarning(line, uai, what))

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
            for warning in self.warnings[:max_rejected]:
                out.append(
                    _("  ligne %(line)d (%(uai)s) : %(what)s")
                    % {"line": warning.line, "uai": warning.uai, "what": warning.what}
                )
        for rejection in self.rejected[:max_rejected]:
            where = f"{rejection.line} ({rejection.uai})" if rejection.uai else str(rejection.line)
            out.append(_("  ligne %(where)s : %(reason)s") % {"where": where, "reason": rejection.reason})
        hidden = self.rejected_count - min(len(self.rejected), max_rejected)
        if hidden > 0:
            out.append(
                ngettext("  … et %(n)d autre ligne rejetée.", "  … et %(n)d autres lignes rejetées.", hidden)
                % {"n": hidden}
            )
        return out

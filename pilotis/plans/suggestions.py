"""Loads the catalogue of suggested actions shipped with Pilotis (`data/suggestions.yaml`).

The whole file is validated first, every problem named by its line as the referential's loader
does; then one transaction writes it. A shipped suggestion is known by its indicator's code and its
rank under that code: it is updated in place, so that the actions a school built from it keep
pointing to it; one no longer in the file is withdrawn (`is_active=False`), never deleted. The
suggestions an académie's DANE added in the admin (`academy` set) are never touched.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.core.audit import record
from pilotis.core.datafiles import Checker, DataFileError, LinedMap, LinedSeq, parse
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character
from pilotis.plans.models import SuggestedAction
from pilotis.referential import loader as referential_loader
from pilotis.referential.models import Indicator

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "suggestions.yaml"
FIELDS = ("title", "description", "means", "success_criteria")


class SuggestionsError(DataFileError):
    pass


@dataclass
class SuggestionsReport:
    file: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    # Active shipped suggestions per domain code (« PIL »), as the file gives them.
    per_domain: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def summary(self) -> list[str]:
        total = sum(self.per_domain.values())
        lines = [
            _("Catalogue des actions suggérées (%(file)s) : %(total)d suggestions livrées")
            % {"file": self.file, "total": total},
            "  " + ", ".join(f"{code} {n}" for code, n in self.per_domain.items()),
            _("  créées : %(c)d, mises à jour : %(u)d, retirées : %(d)d, inchangées : %(n)d")
            % {"c": self.created, "u": self.updated, "d": self.deactivated, "n": self.unchanged},
        ]
        if not self.changed:
            lines.append(_("  Rien n'a changé."))
        return lines


def _known_codes() -> set[str]:
    """The indicator codes of the loaded referential versions, or, before any is loaded, those of
    the referential files shipped with Pilotis."""
    codes = set(Indicator.objects.values_list("code", flat=True).distinct())
    if codes:
        return codes
    for path in referential_loader.bundled_files():
        try:
            content = referential_loader.validate(path)
        except referential_loader.ReferentialError as exc:
            raise SuggestionsError(exc.problems) from None
        codes.update(i["code"] for d in content["domains"] for i in d["indicators"])
    return codes


def normalised_title(title: str) -> str:
    """Two titles that differ only by case or spacing are the same suggestion."""
    return re.sub(r"\s+", " ", title).strip().casefold()


def validate(path: Path) -> list[dict]:
    """The file's suggestions as plain rows (indicator_code, position and the texts), or
    SuggestionsError listing every problem."""
    path = Path(path)
    data = parse(path, SuggestionsError)
    check = Checker(path.name)
    top = check.mapping(data, 1, _("racine"))
    if top is None:
        raise SuggestionsError(check.problems)
    check.known_keys(top, {"description", "suggestions"}, _("racine"))
    catalogue = top.get("suggestions")
    if not isinstance(catalogue, LinedMap) or not catalogue:
        check.fail(
            top.key_lines.get("suggestions", top.line),
            _("racine"),
            _("« suggestions » : une table code d'indicateur → liste d'actions est attendue"),
        )
        raise SuggestionsError(check.problems)
    lengths = {name: SuggestedAction._meta.get_field(name).max_length for name in FIELDS}
    known = _known_codes()
    rows = []
    for code, items in catalogue.items():
        line = catalogue.key_lines[code]
        place = _("indicateur %(code)s") % {"code": code}
        if not isinstance(code, str) or code not in known:
            check.fail(line, place, _("« %(code)s » n'est pas un indicateur du référentiel") % {"code": code})
        if not isinstance(items, LinedSeq) or not items:
            check.fail(line, place, _("une liste d'actions suggérées est attendue"))
            continue
        titles: dict[str, int] = {}
        for position, (item_line, raw) in enumerate(zip(items.item_lines, items, strict=True), start=1):
            item = check.mapping(raw, item_line, place)
            if item is None:
                continue
            iplace = _("indicateur %(code)s, action %(n)d") % {"code": code, "n": position}
            check.known_keys(item, set(FIELDS), iplace)
            row = {"indicator_code": str(code), "position": position}
            for name in FIELDS:
                row[name] = check.text(item, name, iplace, max_length=lengths[name])
                # The admin's rule for the same columns: a title on one line, no control character.
                if row[name] and first_forbidden_character(row[name], multiline=name != "title") >= 0:
                    check.fail(
                        item.key_lines.get(name, item_line),
                        iplace,
                        _("« %(key)s » contient un caractère de contrôle ou un saut de ligne interdit") % {"key": name},
                    )
            if row["title"]:
                key = normalised_title(row["title"])
                if key in titles:
                    check.fail(
                        item.key_lines.get("title", item_line),
                        iplace,
                        _("titre déjà donné ligne %(line)d pour cet indicateur") % {"line": titles[key]},
                    )
                else:
                    titles[key] = item.key_lines.get("title", item_line)
            rows.append(row)
    if check.problems:
        raise SuggestionsError(check.problems)
    return rows


@transaction.atomic
def load_suggestions(path=None) -> SuggestionsReport:
    """Writes the shipped catalogue; a second load of the same file changes nothing."""
    path = Path(path or DEFAULT_FILE)
    rows = validate(path)
    report = SuggestionsReport(file=path.name)
    for row in rows:
        domain = row["indicator_code"].split(".", 1)[0]
        report.per_domain[domain] = report.per_domain.get(domain, 0) + 1
    shipped = {
        (s.indicator_code, s.position): s
        for s in SuggestedAction.objects.select_for_update().filter(academy__isnull=True)
    }
    created, changed = [], []
    for row in rows:
        current = shipped.pop((row["indicator_code"], row["position"]), None)
        if current is None:
            created.append(SuggestedAction(academy=None, is_active=True, **row))
            continue
        if current.is_active and all(getattr(current, name) == row[name] for name in FIELDS):
            report.unchanged += 1
            continue
        for name in FIELDS:
            setattr(current, name, row[name])
        current.is_active = True
        changed.append(current)
    withdrawn = [s for s in shipped.values() if s.is_active]
    for suggestion in withdrawn:
        suggestion.is_active = False
    SuggestedAction.objects.bulk_create(created)
    SuggestedAction.objects.bulk_update(changed + withdrawn, [*FIELDS, "is_active"])
    report.created, report.updated, report.deactivated = len(created), len(changed), len(withdrawn)
    if report.changed:
        record(
            AuditAction.SUGGESTIONS_CHANGED,
            label="load_suggestions",
            after={
                "file": report.file,
                "created": report.created,
                "updated": report.updated,
                "deactivated": report.deactivated,
                "withdrawn": sorted(f"{s.indicator_code} #{s.position}" for s in withdrawn),
            },
        )
    return report

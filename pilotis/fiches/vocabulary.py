"""The vocabularies of the usage fiches, shipped as data (`data/descriptors.yaml`): the levels (6e to
Terminale, with the voie, and CAP), the disciplines, and the pupils' digital competences of the
CRCN (5 domains, 16 competences). The whole file is validated at first use, every problem named by
its line; then it is kept for the process. Forms take their choices from here, services refuse a
code that is not here, pages read the labels from here."""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from pilotis.core.datafiles import Checker, DataFileError, LinedMap, LinedSeq, parse
from pilotis.fiches.enums import TermKind

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "descriptors.yaml"
CODE_MAX_LENGTH = 20


class VocabularyError(DataFileError):
    pass


@dataclass(frozen=True)
class Group:
    """A heading of a list of choices (« Collège », « Lycée, voie professionnelle », a CRCN domain),
    with its (code, label) items."""

    code: str
    label: str
    items: tuple


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple  # of Group
    disciplines: tuple
    crcn: tuple  # of Group: a domain (code "1"…"5") and its competences

    def groups(self, kind) -> tuple:
        return {TermKind.LEVEL: self.levels, TermKind.DISCIPLINE: self.disciplines, TermKind.COMPETENCE: self.crcn}[
            kind
        ]

    @functools.cached_property
    def labels(self) -> dict:
        """kind → {code: label}."""
        return {
            kind: {code: label for group in self.groups(kind) for code, label in group.items}
            for kind in (TermKind.LEVEL, TermKind.DISCIPLINE, TermKind.COMPETENCE)
        }

    def label(self, kind, code) -> str:
        return self.labels.get(kind, {}).get(code, code)

    def choices(self, kind) -> list:
        """Grouped choices for a form field: [(group label, [(code, label), …]), …]."""
        if kind == TermKind.COMPETENCE:
            return [
                (f"{group.code}. {group.label}", [(code, f"{code} {label}") for code, label in group.items])
                for group in self.crcn
            ]
        return [(group.label, list(group.items)) for group in self.groups(kind)]

    def unknown(self, kind, codes) -> list:
        known = self.labels[kind]
        return [code for code in codes if code not in known]


def _items(check, seq, place, seen, *, key="items"):
    if not isinstance(seq, LinedSeq) or not seq:
        check.fail(getattr(seq, "line", 0), place, _("une liste non vide « %(key)s » est attendue") % {"key": key})
        return ()
    items = []
    for item, line in zip(seq, seq.item_lines, strict=True):
        entry = check.mapping(item, line, place)
        if entry is None:
            continue
        check.known_keys(entry, {"code", "label"}, place)
        code = entry.get("code")
        if not isinstance(code, str) or not code.strip():
            check.fail(line, place, _("champ « code » manquant ou qui n'est pas un texte"))
            continue
        code = code.strip()
        where = _("code « %(code)s »") % {"code": code}
        if len(code) > CODE_MAX_LENGTH:
            check.fail(line, where, _("le code dépasse %(n)d caractères") % {"n": CODE_MAX_LENGTH})
        if code in seen:
            check.fail(line, where, _("code en double"))
        seen.add(code)
        items.append((code, check.text(entry, "label", where, max_length=200)))
    return tuple(items)


def _groups(check, top, key):
    seq = top.get(key)
    line = top.key_lines.get(key, top.line)
    if not isinstance(seq, LinedSeq) or not seq:
        check.fail(line, key, _("une liste non vide est attendue"))
        return ()
    seen: set = set()
    groups = []
    for item, item_line in zip(seq, seq.item_lines, strict=True):
        entry = check.mapping(item, item_line, key)
        if entry is None:
            continue
        if key == "crcn":
            check.known_keys(entry, {"code", "label", "competences"}, key)
            code = str(entry.get("code") or "").strip()
            place = _("domaine « %(code)s »") % {"code": code}
            if not code:
                check.fail(item_line, key, _("champ « code » manquant"))
            label = check.text(entry, "label", place, max_length=200)
            items = _items(check, entry.get("competences"), place, seen, key="competences")
            wrong = [c for c, _label in items if not c.startswith(f"{code}.")]
            if wrong:
                check.fail(
                    item_line,
                    place,
                    _("ces compétences ne portent pas le numéro du domaine : %(codes)s") % {"codes": ", ".join(wrong)},
                )
        else:
            check.known_keys(entry, {"group", "items"}, key)
            label = check.text(entry, "group", key, max_length=200)
            code = label
            items = _items(check, entry.get("items"), _("groupe « %(label)s »") % {"label": label}, seen)
        groups.append(Group(code, label, items))
    return tuple(groups)


def validate(path: Path) -> Vocabulary:
    """The file's vocabularies, or VocabularyError listing every problem with its line."""
    path = Path(path)
    data = parse(path, VocabularyError)
    check = Checker(path.name)
    top = check.mapping(data, 1, _("racine"))
    if not isinstance(top, LinedMap):
        raise VocabularyError(check.problems)
    check.known_keys(top, {"levels", "disciplines", "crcn"}, _("racine"))
    vocabulary = Vocabulary(
        levels=_groups(check, top, "levels"),
        disciplines=_groups(check, top, "disciplines"),
        crcn=_groups(check, top, "crcn"),
    )
    if check.problems:
        raise VocabularyError(check.problems)
    return vocabulary


@functools.cache
def vocabulary() -> Vocabulary:
    """The shipped vocabularies, read once per process."""
    return validate(DEFAULT_FILE)

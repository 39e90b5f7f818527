"""The themes of workshops and trainings, shipped as a data file (`data/themes.yaml`).

The file is validated whole, every problem named by its line (`core.datafiles`), and read once per
process. A session stores the theme's code; « autre » (`other: true`) asks for a few words."""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from pilotis.core.datafiles import Checker, DataFileError, LinedSeq, parse

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "themes.yaml"
CODE_RE = re.compile(r"^[a-z][a-z0-9-]{0,59}$")
KEYS = {"code", "label", "presents_catalogue", "other"}


class ThemesError(DataFileError):
    pass


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    presents_catalogue: bool = False
    other: bool = False


def _flag(check, item, key, place) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        check.fail(item.key_lines.get(key, item.line), place, _("« %(key)s » doit valoir true ou false") % {"key": key})
        return False
    return value


def validate(path: Path) -> list[Theme]:
    """The file's themes in its order, or ThemesError listing every problem."""
    path = Path(path)
    data = parse(path, ThemesError)
    check = Checker(path.name)
    top = check.mapping(data, 1, _("racine"))
    if top is None:
        raise ThemesError(check.problems)
    check.known_keys(top, {"description", "themes"}, _("racine"))
    items = top.get("themes")
    if not isinstance(items, LinedSeq) or not items:
        check.fail(
            top.key_lines.get("themes", top.line), _("racine"), _("« themes » : une liste de thèmes est attendue")
        )
        raise ThemesError(check.problems)
    themes, seen = [], {}
    for position, (line, raw) in enumerate(zip(items.item_lines, items, strict=True), start=1):
        place = _("thème %(n)d") % {"n": position}
        item = check.mapping(raw, line, place)
        if item is None:
            continue
        check.known_keys(item, KEYS, place)
        code = check.text(item, "code", place, max_length=60)
        label = check.text(item, "label", place, max_length=120)
        if code and not CODE_RE.match(code):
            check.fail(line, place, _("code « %(code)s » invalide (minuscules, chiffres et tirets)") % {"code": code})
        if code in seen:
            check.fail(
                line, place, _("code « %(code)s » déjà donné ligne %(line)d") % {"code": code, "line": seen[code]}
            )
        seen.setdefault(code, line)
        themes.append(
            Theme(code, label, _flag(check, item, "presents_catalogue", place), _flag(check, item, "other", place))
        )
    if sum(theme.presents_catalogue for theme in themes) > 1:
        check.fail(items.line, _("racine"), _("un seul thème peut présenter le catalogue des fiches d'usage"))
    if check.problems:
        raise ThemesError(check.problems)
    return themes


@functools.cache
def _bundled() -> dict[str, Theme]:
    return {theme.code: theme for theme in validate(DEFAULT_FILE)}


def all_themes() -> list[Theme]:
    return list(_bundled().values())


def theme(code: str) -> Theme | None:
    return _bundled().get(code)


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in all_themes()]


def label(code: str, other_text: str = "") -> str:
    """The theme as the pages print it: its label, or the words typed for « autre »; a code the
    file no longer has is shown as stored rather than hidden."""
    found = theme(code)
    if found is None:
        return code
    if found.other and other_text:
        return other_text
    return found.label

"""Reading the YAML data files Pilotis ships (the referential, the catalogue of suggested actions)
so that every problem is named by the file and its line.

The tree is built from PyYAML's nodes, whose marks carry the lines: mappings and sequences come
back as `Lined` dicts and lists that remember where each key and item stands. A duplicated key,
which plain YAML loading would silently overwrite, is a problem of its own.
"""

from pathlib import Path

import yaml
from django.utils.translation import gettext as _


class DataFileError(Exception):
    """Every problem of a data file, each one a French sentence naming its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class LinedMap(dict):
    line = 0
    key_lines: dict


class LinedSeq(list):
    line = 0
    item_lines: list


def _build(node, loader, problems, where):
    if isinstance(node, yaml.MappingNode):
        result = LinedMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in result:
                problems.append(f"{where}, ligne {line} : clé « {key} » en double")
            result[key] = _build(value_node, loader, problems, where)
            result.key_lines[key] = line
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LinedSeq(_build(item, loader, problems, where) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result
    return loader.construct_object(node)


def parse(path: Path, error=DataFileError):
    """The file's YAML as values that remember their lines, or `error(problems)`."""
    problems: list[str] = []
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error([_("%(file)s : fichier introuvable") % {"file": path}]) from None
    except UnicodeDecodeError:
        raise error([_("%(file)s : le fichier doit être encodé en UTF-8") % {"file": name}]) from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = _build(node, loader, problems, name) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error([f"{name}{where} : YAML invalide ({problem})"]) from None
    if problems:
        raise error(problems)
    return data


class Checker:
    """Collects the problems of one file, each with its line and its place (« indicateur PIL.1.01 »)."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []

    def fail(self, line: int, place: str, message: str) -> None:
        self.problems.append(f"{self.name}, ligne {line}, {place} : {message}")

    def text(self, mapping, key, place, *, required=True, max_length=None):
        line = mapping.key_lines.get(key, mapping.line)
        value = mapping.get(key)
        if value is None or value == "":
            if required:
                self.fail(line, place, _("champ « %(key)s » manquant") % {"key": key})
            return ""
        if not isinstance(value, str):
            self.fail(line, place, _("« %(key)s » doit être un texte") % {"key": key})
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.fail(line, place, _("« %(key)s » dépasse %(n)d caractères") % {"key": key, "n": max_length})
        return value

    def mapping(self, value, line, place):
        if not isinstance(value, LinedMap):
            self.fail(line, place, _("une table (clé : valeur) est attendue"))
            return None
        return value

    def known_keys(self, mapping, allowed, place):
        for key in mapping:
            if key not in allowed:
                self.fail(
                    mapping.key_lines[key],
                    place,
                    _("clé « %(key)s » inconnue (attendues : %(allowed)s)")
                    % {"key": key, "allowed": ", ".join(sorted(allowed))},
                )

"""Loads a referential version from its YAML file, after validating all of it.

Every problem is reported with the file, the line and the place in the file (domain,
indicator, field). Nothing is written unless the whole file is valid. A version that a campaign
uses is frozen: loading a different content under its name is refused.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.core.datafiles import Checker as _Checker
from pilotis.core.datafiles import DataFileError, parse
from pilotis.core.datafiles import LinedMap as _Map
from pilotis.core.datafiles import LinedSeq as _Seq
from pilotis.referential.models import CodeMapping, Domain, Indicator, Level, ReferentialVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")
DOMAIN_CODE_RE = re.compile(r"^[A-Z]{2,10}$")


class ReferentialError(DataFileError):
    pass


@dataclass
class LoadResult:
    version: str
    outcome: str  # "created", "updated" or "unchanged"
    indicators: int = 0
    domains: int = 0


def _parse(path: Path):
    return parse(path, ReferentialError)


@dataclass
class _Places:
    """Where the keys checked against the database (after validation) stand in the file: kept
    apart from the content, whose checksum must not move when a comment or blank line does."""

    version: int = 1
    supersedes: int = 1
    code_map: dict = field(default_factory=dict)  # old code → line


def validate(path: Path) -> dict:
    """The file's content as plain data, or ReferentialError listing every problem."""
    return _validate(path)[0]


def _validate(path: Path) -> tuple[dict, _Places]:
    data = _parse(path)
    check = _Checker(path.name)
    top = check.mapping(data, 1, _("racine"))
    if top is None:
        raise ReferentialError(check.problems)
    places = _Places(
        version=top.key_lines.get("version", top.line),
        supersedes=top.key_lines.get("supersedes", top.line),
    )
    check.known_keys(top, {"version", "title", "description", "supersedes", "code_map", "levels", "domains"}, "racine")
    version = top.get("version")
    if isinstance(version, (int, float)):
        version = str(version)
    if not isinstance(version, str) or not VERSION_RE.match(version):
        check.fail(top.key_lines.get("version", 1), "racine", _('« version » manquante ou invalide (ex. "2021")'))
        version = ""
    result = {
        "version": version,
        "title": check.text(top, "title", "racine", max_length=200),
        "description": check.text(top, "description", "racine", required=False),
        "supersedes": None,
        "code_map": {},
        "levels": [],
        "domains": [],
    }
    supersedes = top.get("supersedes")
    if supersedes is not None:
        result["supersedes"] = str(supersedes)

    levels = top.get("levels")
    level_numbers = set()
    if not isinstance(levels, _Seq) or not levels:
        check.fail(top.key_lines.get("levels", top.line), "racine", _("« levels » : une liste de niveaux est attendue"))
    else:
        for line, item in zip(levels.item_lines, levels, strict=True):
            level = check.mapping(item, line, _("niveaux"))
            if level is None:
                continue
            place = _("niveau %(n)s") % {"n": level.get("number", "?")}
            check.known_keys(level, {"number", "title"}, place)
            number = level.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                check.fail(line, place, _("« number » doit être un entier positif"))
                continue
            if number in level_numbers:
                check.fail(line, place, _("niveau %(n)d en double") % {"n": number})
            level_numbers.add(number)
            result["levels"].append({"number": number, "title": check.text(level, "title", place, max_length=300)})
        if level_numbers and level_numbers != set(range(1, max(level_numbers) + 1)):
            check.fail(levels.line, _("niveaux"), _("les niveaux doivent être numérotés 1, 2, 3… sans trou"))

    domains = top.get("domains")
    codes: dict[str, int] = {}
    if not isinstance(domains, _Seq) or not domains:
        check.fail(
            top.key_lines.get("domains", top.line), "racine", _("« domains » : une liste de domaines est attendue")
        )
    else:
        positions = set()
        for line, item in zip(domains.item_lines, domains, strict=True):
            domain = check.mapping(item, line, _("domaines"))
            if domain is None:
                continue
            code = domain.get("code")
            place = _("domaine %(code)s") % {"code": code or "?"}
            check.known_keys(domain, {"code", "position", "title", "description", "indicators"}, place)
            if not isinstance(code, str) or not DOMAIN_CODE_RE.match(code):
                check.fail(line, place, _("« code » : 2 à 10 lettres majuscules attendues"))
                code = "?"
            elif any(d["code"] == code for d in result["domains"]):
                check.fail(line, place, _("code de domaine en double"))
            position = domain.get("position")
            if not isinstance(position, int) or isinstance(position, bool) or position < 1:
                check.fail(domain.key_lines.get("position", line), place, _("« position » : entier positif attendu"))
            elif position in positions:
                check.fail(domain.key_lines["position"], place, _("position %(n)d en double") % {"n": position})
            positions.add(position)
            entry = {
                "code": code,
                "position": position,
                "title": check.text(domain, "title", place, max_length=200),
                "description": check.text(domain, "description", place, required=False),
                "indicators": [],
            }
            indicators = domain.get("indicators")
            if not isinstance(indicators, _Seq) or not indicators:
                check.fail(domain.key_lines.get("indicators", line), place, _("« indicators » : liste attendue"))
                indicators = _Seq()
                indicators.item_lines = []
            ranks: dict[int, int] = {}
            for iline, raw in zip(indicators.item_lines, indicators, strict=True):
                indicator = check.mapping(raw, iline, place)
                if indicator is None:
                    continue
                icode = indicator.get("code")
                iplace = _("indicateur %(code)s") % {"code": icode or "?"}
                check.known_keys(indicator, {"code", "level", "statement", "help"}, iplace)
                level = indicator.get("level")
                if level not in level_numbers:
                    check.fail(
                        indicator.key_lines.get("level", iline),
                        iplace,
                        _("« level » doit être l'un des niveaux déclarés (%(levels)s)")
                        % {"levels": ", ".join(map(str, sorted(level_numbers))) or "aucun"},
                    )
                pattern = re.compile(rf"^{re.escape(code)}\.{level}\.\d{{2}}$")
                if not isinstance(icode, str) or not pattern.match(icode):
                    check.fail(
                        indicator.key_lines.get("code", iline),
                        iplace,
                        _("« code » doit suivre la forme %(form)s") % {"form": f"{code}.{level}.01"},
                    )
                elif icode in codes:
                    check.fail(iline, iplace, _("code déjà utilisé ligne %(line)d") % {"line": codes[icode]})
                else:
                    codes[icode] = iline
                ranks[level] = ranks.get(level, 0) + 1
                entry["indicators"].append(
                    {
                        "code": icode,
                        "level": level,
                        "position": ranks[level],
                        "statement": check.text(indicator, "statement", iplace),
                        "help": check.text(indicator, "help", iplace),
                    }
                )
            result["domains"].append(entry)

    code_map = top.get("code_map")
    if code_map is None:
        code_map = _Map()
        code_map.key_lines = {}
    if not isinstance(code_map, _Map):
        check.fail(
            top.key_lines.get("code_map", top.line), "code_map", _("une table ancien code : nouveau code est attendue")
        )
    else:
        targets: dict[str, tuple[str, int]] = {}  # new code → the first old code sent to it, and its line
        for old, new in code_map.items():
            line = code_map.key_lines[old]
            places.code_map[str(old)] = line
            if new not in codes:
                check.fail(line, "code_map", _("« %(new)s » n'est pas un indicateur de cette version") % {"new": new})
            elif new in targets:
                # Two old answers for one new indicator: which one to carry over could only be a guess.
                first, first_line = targets[new]
                check.fail(
                    line,
                    "code_map",
                    _("« %(old)s » et « %(first)s » (ligne %(line)d) vont tous deux vers « %(new)s »")
                    % {"old": old, "first": first, "line": first_line, "new": new},
                )
            else:
                targets[new] = (str(old), line)
            result["code_map"][str(old)] = str(new)
        if code_map and result["supersedes"] is None:
            check.fail(
                top.key_lines.get("code_map", code_map.line),
                "code_map",
                _("une correspondance de codes suppose « supersedes »"),
            )

    if check.problems:
        raise ReferentialError(check.problems)
    return result, places


def checksum(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def load_referential(path: Path) -> LoadResult:
    path = Path(path)
    content, places = _validate(path)
    check = _Checker(path.name)  # what only the database can tell, named by line as well
    digest = checksum(content)
    previous = None
    if content["supersedes"]:
        previous = ReferentialVersion.objects.filter(version=content["supersedes"]).first()
        if previous is None:
            check.fail(
                places.supersedes,
                "supersedes",
                _("la version remplacée « %(v)s » n'est pas chargée : chargez-la d'abord")
                % {"v": content["supersedes"]},
            )
            raise ReferentialError(check.problems)
        old_codes = set(previous.indicators.values_list("code", flat=True))
        for old in sorted(set(content["code_map"]) - old_codes, key=places.code_map.get):
            check.fail(
                places.code_map[old],
                "code_map",
                _("« %(old)s » n'est pas un indicateur de la version %(v)s") % {"old": old, "v": previous.version},
            )
        if check.problems:
            raise ReferentialError(check.problems)
    existing = ReferentialVersion.objects.select_for_update().filter(version=content["version"]).first()
    n_indicators = sum(len(d["indicators"]) for d in content["domains"])
    result = LoadResult(content["version"], "created", n_indicators, len(content["domains"]))
    if existing is not None:
        if existing.checksum == digest:
            result.outcome = "unchanged"
            return result
        if existing.is_locked:
            check.fail(
                places.version,
                "version",
                _(
                    "la version %(v)s est utilisée par une campagne et ne peut plus changer ; "
                    'publiez une nouvelle version qui la remplace (supersedes: "%(v)s").'
                )
                % {"v": existing.version},
            )
            raise ReferentialError(check.problems)
        # Not used yet: its content is replaced as a whole.
        existing.levels.all().delete()
        existing.indicators.all().delete()
        existing.domains.all().delete()
        existing.code_mappings.all().delete()
        result.outcome = "updated"
    version = existing or ReferentialVersion(version=content["version"])
    version.title = content["title"]
    version.description = content["description"]
    version.supersedes = previous
    version.source_file = path.name
    version.checksum = digest
    version.save()
    Level.objects.bulk_create(
        Level(version=version, number=lv["number"], title=lv["title"]) for lv in content["levels"]
    )
    for d in content["domains"]:
        domain = Domain.objects.create(
            version=version, code=d["code"], position=d["position"], title=d["title"], description=d["description"]
        )
        Indicator.objects.bulk_create(
            Indicator(
                version=version, domain=domain, **{k: i[k] for k in ("code", "level", "position", "statement", "help")}
            )
            for i in d["indicators"]
        )
    CodeMapping.objects.bulk_create(
        CodeMapping(version=version, old_code=old, new_code=new) for old, new in content["code_map"].items()
    )
    return result


def bundled_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))

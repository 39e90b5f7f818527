"""ARCHITECTURE.md's layers, enforced: an app imports only the apps beneath it (imports inside
functions included), and two apps of the same layer never import each other."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2] / "pilotis"
BASE = {"core"}
ALLOWED = {
    "core": set(),
    "referential": BASE,
    "territories": BASE,
    "accounts": BASE | {"territories"},
    "assessments": BASE | {"territories", "accounts", "referential"},
    "steering": BASE
    | {"territories", "accounts", "referential", "assessments", "plans", "commission", "workshops", "equipment"},
    "missions": BASE | {"territories", "accounts", "referential", "assessments"},
    "plans": BASE | {"territories", "accounts", "referential", "assessments"},
    "commission": BASE | {"territories", "accounts", "referential", "assessments", "plans"},
    "accompaniment": BASE | {"territories", "accounts", "referential", "assessments", "plans"},
    "fiches": BASE | {"territories", "accounts", "referential", "assessments", "plans"},
    "workshops": BASE | {"territories", "accounts", "referential", "assessments"},
    "evidence": BASE
    | {"territories", "accounts", "referential", "assessments", "plans", "commission", "fiches", "workshops"},
    "news": BASE | {"territories", "accounts"},
    "digital_services": BASE | {"territories", "accounts", "referential", "assessments"},
    "equipment": BASE | {"territories", "accounts", "referential", "assessments", "plans"},
    "newsletters": BASE
    | {
        "territories",
        "accounts",
        "referential",
        "assessments",
        "plans",
        "commission",
        "fiches",
        "workshops",
        "news",
        "equipment",
    },
    "support": BASE
    | {
        "territories",
        "accounts",
        "referential",
        "assessments",
        "plans",
        "commission",
        "fiches",
        "workshops",
        "evidence",
        "equipment",
        "digital_services",
    },
    # The API reads every app's querysets and figures; nothing imports it.
    "api": BASE
    | {
        "territories",
        "accounts",
        "referential",
        "assessments",
        "steering",
        "missions",
        "plans",
        "commission",
        "accompaniment",
        "fiches",
        "workshops",
        "evidence",
        "news",
        "equipment",
        "newsletters",
        "support",
        "digital_services",
    },
    "demo": BASE
    | {
        "territories",
        "accounts",
        "referential",
        "assessments",
        "steering",
        "missions",
        "plans",
        "commission",
        "accompaniment",
        "fiches",
        "workshops",
        "evidence",
        "news",
        "equipment",
        "newsletters",
        "support",
        "digital_services",
        "api",
    },
}


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        apps |= {name.split(".")[1] for name in names if name.startswith("pilotis.") and name.count(".") >= 1}
    return apps


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()}
    assert apps == set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_beneath_it(app):
    wrong = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        extra = imported_apps(path) - ALLOWED[app] - {app}
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}

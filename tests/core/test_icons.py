"""The DSFR icons: pages load `core/icons.css`, the rules of just the icons our code uses.

The DSFR's `utility.min.css` defines every icon of the DSFR; `core/icons.css` holds the rules of
the few that templates, Python and JavaScript name, copied from the DSFR's own per-family icon
stylesheets (django-dsfr's `dsfr/dist/utility/icons/`), their `url()`s pointed at the same SVGs.
After using a new icon, or upgrading django-dsfr, rewrite it with:

    .venv/bin/python -m tests.core.test_icons
"""

import re
from pathlib import Path

import dsfr
import pytest
from django.contrib.staticfiles import finders

BASE_DIR = Path(__file__).resolve().parents[2]
STYLESHEET = BASE_DIR / "pilotis" / "core" / "static" / "core" / "icons.css"
DSFR_DIST = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist"
ICON = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")
LINK = re.compile(r'<link rel="stylesheet" href="/static/([^"?]+)"')
# The family stylesheets live three folders below dist/, core/icons.css two below static/.
FAMILY_URL = "url(../../../icons/"
OUR_URL = "url(../dsfr/dist/icons/"


def used_icons() -> set[str]:
    """Every `fr-icon-*` class named in our templates, Python and JavaScript."""
    sources = [*BASE_DIR.joinpath("templates").rglob("*.html")]
    for pattern in ("*.html", "*.py", "*.js"):
        sources.extend(BASE_DIR.joinpath("pilotis").rglob(pattern))
    return {icon for source in sources for icon in ICON.findall(source.read_text(encoding="utf-8"))}


def css_rules(css: str):
    """(media query or "", selectors, declarations) of each rule of a minified stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    position = 0
    while css[position:].strip():
        brace = css.index("{", position)
        head = css[position:brace].strip()
        if head.startswith("@media"):
            depth, end = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[end], 0)
                end += 1
            for _, selectors, declarations in css_rules(css[brace + 1 : end - 1]):
                yield head, selectors, declarations
            position = end
        else:
            end = css.index("}", brace)
            yield "", head, css[brace + 1 : end]
            position = end + 1


def defined_icons(css: str) -> set[str]:
    defined = set()
    for _, selectors, _ in css_rules(css):
        for selector in selectors.split(","):
            if match := re.match(r"\.(fr-icon-[a-z0-9-]+)(?=:|$)", selector.strip()):
                defined.add(match.group(1))
    return defined


def build(icons: set[str]) -> str:
    """The DSFR's rules for `icons`, by media query, in the DSFR's order."""
    wanted = re.compile(r"\.(" + "|".join(map(re.escape, sorted(icons))) + r")(:[a-z:]+)?$")
    blocks: dict[str, list[str]] = {}
    for family in sorted(DSFR_DIST.glob("utility/icons/icons-*/icons-*.min.css")):
        if family.name.endswith((".main.min.css", ".legacy.min.css")):
            continue
        for media, selectors, declarations in css_rules(family.read_text(encoding="utf-8")):
            kept = [selector for selector in selectors.split(",") if wanted.match(selector.strip())]
            if kept:
                assert declarations.count("url(") == declarations.count(FAMILY_URL), declarations
                blocks.setdefault(media, []).append(f"{','.join(kept)}{{{declarations.replace(FAMILY_URL, OUR_URL)}}}")
    version = (
        (DSFR_DIST.parent / "dsfr_version").read_text().strip() if (DSFR_DIST.parent / "dsfr_version").exists() else ""
    )
    lines = [
        f"/* The DSFR {version} icons that Pilotis uses, copied from its utility/icons stylesheets (MIT).",
        "   Generated: do not edit; `.venv/bin/python -m tests.core.test_icons` rewrites it. */",
    ]
    for media, rules in blocks.items():
        lines.extend(rules if not media else [f"{media}{{", *rules, "}"])
    return "\n".join(lines) + "\n"


def test_every_icon_the_code_uses_is_defined_by_the_stylesheets_pages_load(client):
    page = client.get("/compte/connexion/").content.decode()
    stylesheets = LINK.findall(page)
    assert "core/icons.css" in stylesheets
    assert not any("utility" in name for name in stylesheets), "the DSFR's whole utility stylesheet is back"
    defined = set()
    for name in stylesheets:
        defined |= defined_icons(Path(finders.find(name)).read_text(encoding="utf-8"))
    used = used_icons()
    assert used, "no icon found: has the search lost the templates?"
    assert not used - defined, f"icons used but defined by no stylesheet the pages load: {sorted(used - defined)}"


def test_the_icon_stylesheet_is_the_dsfr_rules_of_exactly_the_icons_used():
    assert STYLESHEET.read_text(encoding="utf-8") == build(used_icons()), (
        "core/icons.css is out of date: run `.venv/bin/python -m tests.core.test_icons`"
    )


@pytest.mark.parametrize("icon", ["fr-icon-download-line", "fr-icon-mail-line"])
def test_an_icon_rule_points_at_the_dsfrs_svg(icon):
    css = build({icon})
    name = icon.removeprefix("fr-icon-")
    (svg,) = set(re.findall(r"url\(\.\./(dsfr/dist/icons/[a-z-]+/" + name + r"\.svg)\)", css))
    assert finders.find(svg), f"{svg} is not a static file"
    assert defined_icons(css) == {icon}


if __name__ == "__main__":
    STYLESHEET.write_text(build(used_icons()), encoding="utf-8")
    print(f"{STYLESHEET.relative_to(BASE_DIR)}: {len(used_icons())} icons")

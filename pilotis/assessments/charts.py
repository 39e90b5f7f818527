"""Charts as SVG drawn on the server: the same in the page and in the PDF, no JavaScript.

Each chart has a title and a description for assistive technologies, and the page shows the
same figures in a table beside it.
"""

import math
from xml.sax.saxutils import escape

# DSFR colours: blue France for the school, then greys and an accent for comparisons.
SERIES_STYLES = [
    {"stroke": "#000091", "fill": "#000091", "fill_opacity": "0.18", "dash": ""},
    {"stroke": "#666666", "fill": "none", "fill_opacity": "0", "dash": "6 4"},
    {"stroke": "#b34000", "fill": "none", "fill_opacity": "0", "dash": "2 3"},
    {"stroke": "#18753c", "fill": "none", "fill_opacity": "0", "dash": "10 3 2 3"},
]


def _wrap(text: str, width: int = 22) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def radar_svg(
    axes: list[str],
    series: list[tuple[str, list[float]]],
    *,
    max_value: int = 3,
    title: str,
    description: str,
    size: int = 420,
) -> str:
    """`axes`: the domain titles; `series`: (label, one value per axis). Values from 0 to max_value."""
    margin = 110  # room for the axis labels on the left and right
    cx, cy = size / 2 + margin, size / 2
    radius = size / 2 - 80
    n = len(axes)

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * margin} {size + 24 * len(series)}" '
        f'role="img" aria-labelledby="radar-title radar-desc" class="pilotis-chart">',
        f'<title id="radar-title">{escape(title)}</title>',
        f'<desc id="radar-desc">{escape(description)}</desc>',
    ]
    for level in range(1, max_value + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#cecece" stroke-width="1"/>')
        x, y = point(0, level)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="#3a3a3a">{level}</text>')
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#cecece" stroke-width="1"/>')
        lx, ly = point(i, max_value + 0.45)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        start = ly - (len(lines) - 1) * 8
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{lx:.1f}" y="{start + k * 16:.1f}" font-size="14" text-anchor="{anchor}" fill="#161616">{escape(line)}</text>'
            )
    for index, (label, values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<polygon points="{shape}" fill="{style["fill"]}" fill-opacity="{style["fill_opacity"]}" '
            f'stroke="{style["stroke"]}" stroke-width="2.5"{dash}/>'
        )
        ly = size + 12 + 24 * index
        parts.append(
            f'<line x1="20" y1="{ly}" x2="56" y2="{ly}" stroke="{style["stroke"]}" stroke-width="3"{dash}/>'
            f'<text x="64" y="{ly + 5}" font-size="14" fill="#161616">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

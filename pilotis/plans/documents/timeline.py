"""The plan's timeline: a Gantt chart of the actions over the plan's school years, drawn on the server
as SVG (like `assessments.charts`: the same in any PDF, no JavaScript), and the same calendar as a
table of terms for the ODT, which cannot embed our SVG reliably.

One bar per action dated from its start to its due date; an action with one date only is a
milestone on it. A status is told by the bar's pattern AND by its label written at the end of the
row, never by colour alone; an overdue action says « En retard » in words.
"""

import calendar
import datetime
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from pilotis.plans.enums import ActionStatus

# Month initials, September first: the school year's order.
MONTH_INITIALS = ["S", "O", "N", "D", "J", "F", "M", "A", "M", "J", "J", "A"]

# Per status: the fill (a colour or a pattern's id) and the outline; the patterns are in `_defs`.
STATUS_STYLES = {
    ActionStatus.TODO: {"fill": "#ffffff", "stroke": "#000091", "dash": ""},
    ActionStatus.IN_PROGRESS: {"fill": "url(#tl-hatch)", "stroke": "#000091", "dash": ""},
    ActionStatus.DONE: {"fill": "#000091", "stroke": "#000091", "dash": ""},
    ActionStatus.POSTPONED: {"fill": "url(#tl-dots)", "stroke": "#b34000", "dash": "4 2"},
    ActionStatus.ABANDONED: {"fill": "url(#tl-cross)", "stroke": "#666666", "dash": "2 2"},
}
OVERDUE_STROKE = "#ce0500"

WIDTH = 680
LABELS = 200  # the actions' numbers and titles, on the left
STATES = 112  # the statuses in words, on the right
ROW = 22
BAR = 12
TOP = 40  # the years' band and the months' initials


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#e3e3fd"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000091" stroke-width="2.5"/>'
        "</pattern>"
        '<pattern id="tl-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff4f3"/><circle cx="2.5" cy="2.5" r="1.2" fill="#b34000"/>'
        "</pattern>"
        '<pattern id="tl-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#f6f6f6"/>'
        '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#929292" stroke-width="1"/>'
        "</pattern>"
        "</defs>"
    )


def _shorten(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def window(actions: list[dict], years: list[str]) -> tuple[datetime.date, int]:
    """The chart's first month and its number of months: the plan's school years, widened to the
    school years of the actions' dates so that no bar is cut."""
    starts = [int(year[:4]) for year in years] or [datetime.date.today().year]
    for action in actions:
        for value in (action["starts_on"], action["due_on"]):
            if value is not None:
                starts.append(value.year if value.month >= 9 else value.year - 1)
    first, last = min(starts), max(starts)
    return datetime.date(first, 9, 1), 12 * (last - first + 1)


def _position(value: datetime.date, origin: datetime.date, *, end: bool = False) -> float:
    """The date in months from the origin, within its month by its day (the end of the day if `end`)."""
    months = (value.year - origin.year) * 12 + value.month - origin.month
    days = calendar.monthrange(value.year, value.month)[1]
    return months + (value.day - (0 if end else 1)) / days


def state_text(action: dict) -> str:
    if action["overdue"]:
        return _("%(status)s · En retard") % {"status": action["status_label"]}
    return action["status_label"]


def timeline_svg(actions: list[dict], years: list[str], *, as_of: datetime.date, show_today: bool) -> str:
    origin, months = window(actions, years)
    chart = WIDTH - LABELS - STATES
    step = chart / months

    def x(position: float) -> float:
        return LABELS + position * step

    legend_top = TOP + ROW * max(len(actions), 1) + 14
    height = legend_top + 44
    dated = sum(1 for a in actions if a["starts_on"] and a["due_on"])
    title = _("Calendrier des actions du plan")
    description = _(
        "Diagramme de Gantt : %(count)d actions sur les années scolaires %(years)s, dont %(dated)d avec un début "
        "et une échéance. L’état de chaque action est écrit au bout de sa ligne ; les mêmes dates figurent dans "
        "les fiches des actions."
    ) % {"count": len(actions), "years": ", ".join(years), "dated": dated}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="tl-title tl-desc" class="pilotis-chart pilotis-timeline" '
        f'font-family="Marianne, sans-serif">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{escape(description)}</desc>',
        _defs(),
    ]
    # The school years' bands and the months' initials, a line at each month.
    for index in range(months // 12):
        left, right = x(12 * index), x(12 * (index + 1))
        label = f"{origin.year + index}-{origin.year + index + 1}"
        shade = "#f5f5fe" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="{left:.1f}" y="0" width="{right - left:.1f}" height="18" fill="{shade}" stroke="#000091" stroke-width="0.6"/>'
            f'<text x="{(left + right) / 2:.1f}" y="13" font-size="10" font-weight="700" text-anchor="middle" fill="#000091">{label}</text>'
        )
    bottom = TOP + ROW * max(len(actions), 1)
    for month in range(months + 1):
        line_x = x(month)
        strong = month % 12 == 0
        parts.append(
            f'<line x1="{line_x:.1f}" y1="{18 if strong else 22}" x2="{line_x:.1f}" y2="{bottom}" '
            f'stroke="{"#3a3a3a" if strong else "#dddddd"}" stroke-width="{0.8 if strong else 0.5}"/>'
        )
        if month < months:
            parts.append(
                f'<text x="{line_x + step / 2:.1f}" y="33" font-size="8" text-anchor="middle" fill="#3a3a3a">'
                f"{MONTH_INITIALS[month % 12]}</text>"
            )
    parts.append(
        f'<text x="0" y="33" font-size="9" font-weight="700" fill="#161616">{escape(_("Action"))}</text>'
        f'<text x="{WIDTH - STATES + 8}" y="33" font-size="9" font-weight="700" fill="#161616">{escape(_("État"))}</text>'
    )
    for row, action in enumerate(actions):
        top = TOP + ROW * row
        middle = top + ROW / 2
        if row % 2:
            parts.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{ROW}" fill="#f6f6f6" fill-opacity="0.6"/>')
        parts.append(
            f'<text x="0" y="{middle + 3.5:.1f}" font-size="9" fill="#161616"><tspan font-weight="700">'
            f"{escape(action['number'])}</tspan> {escape(_shorten(action['title']))}</text>"
        )
        style = STATUS_STYLES.get(action["status"], STATUS_STYLES[ActionStatus.TODO])
        stroke = OVERDUE_STROKE if action["overdue"] else style["stroke"]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] and not action["overdue"] else ""
        tip = f"<title>{escape(action['number'] + ' ' + action['title'] + ' — ' + action['when'])}</title>"
        starts_on, due_on = action["starts_on"], action["due_on"]
        if starts_on and due_on:
            left, right = x(_position(starts_on, origin)), x(_position(due_on, origin, end=True))
            parts.append(
                f'<rect class="bar" data-status="{escape(action["status"])}" x="{left:.1f}" y="{middle - BAR / 2:.1f}" '
                f'width="{max(right - left, 2):.1f}" height="{BAR}" rx="1.5" fill="{style["fill"]}" stroke="{stroke}" '
                f'stroke-width="{2 if action["overdue"] else 1.2}"{dash}>{tip}</rect>'
            )
            if action["status"] == ActionStatus.ABANDONED:
                parts.append(
                    f'<line x1="{left:.1f}" y1="{middle:.1f}" x2="{right:.1f}" y2="{middle:.1f}" stroke="#3a3a3a" stroke-width="1.2"/>'
                )
        elif starts_on or due_on:
            centre = x(_position(starts_on or due_on, origin, end=bool(due_on)))
            half = BAR / 2 + 1
            parts.append(
                f'<path class="milestone" data-status="{escape(action["status"])}" '
                f'd="M{centre:.1f},{middle - half:.1f} L{centre + half:.1f},{middle:.1f} L{centre:.1f},{middle + half:.1f} '
                f'L{centre - half:.1f},{middle:.1f} Z" fill="{style["fill"]}" stroke="{stroke}" stroke-width="1.2"{dash}>{tip}</path>'
            )
        else:
            parts.append(
                f'<text x="{LABELS + 4}" y="{middle + 3.5:.1f}" font-size="8.5" font-style="italic" fill="#666666">'
                f"{escape(_('Non daté'))}</text>"
            )
        parts.append(
            f'<text x="{WIDTH - STATES + 8}" y="{middle + 3.5:.1f}" font-size="8.5" '
            f'font-weight="{700 if action["overdue"] else 400}" fill="{"#ce0500" if action["overdue"] else "#161616"}">'
            f"{escape(state_text(action))}</text>"
        )
    if not actions:
        parts.append(
            f'<text x="{LABELS + 4}" y="{TOP + 14}" font-size="9" font-style="italic" fill="#666666">'
            f"{escape(_('Aucune action'))}</text>"
        )
    if show_today:
        today = _position(as_of, origin)
        if 0 <= today <= months:
            parts.append(
                f'<line class="today" x1="{x(today):.1f}" y1="20" x2="{x(today):.1f}" y2="{bottom}" stroke="#ce0500" '
                f'stroke-width="1.2" stroke-dasharray="3 2"/>'
            )
    parts.append(_legend(legend_top, show_today))
    parts.append("</svg>")
    return "".join(parts)


def _legend(top: int, show_today: bool) -> str:
    parts, left = [], 0.0
    entries = [(status, str(status.label)) for status in ActionStatus]
    for index, (status, label) in enumerate(entries):
        style = STATUS_STYLES[status]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        row_top = top + (index // 4) * 18
        left = (index % 4) * 150
        parts.append(
            f'<rect x="{left}" y="{row_top}" width="22" height="10" fill="{style["fill"]}" stroke="{style["stroke"]}" '
            f'stroke-width="1.2"{dash}/><text x="{left + 28}" y="{row_top + 9}" font-size="8.5" fill="#161616">{escape(label)}</text>'
        )
    row_top = top + 18
    left = 150.0
    half = 6
    parts.append(
        f'<path d="M{left + 11},{row_top - 1} L{left + 11 + half},{row_top + 5} L{left + 11},{row_top + 11} '
        f'L{left + 11 - half},{row_top + 5} Z" fill="#ffffff" stroke="#000091" stroke-width="1.2"/>'
        f'<text x="{left + 28}" y="{row_top + 9}" font-size="8.5" fill="#161616">{escape(_("Une seule date : jalon"))}</text>'
    )
    left = 300.0
    parts.append(
        f'<rect x="{left}" y="{row_top}" width="22" height="10" fill="#ffffff" stroke="{OVERDUE_STROKE}" stroke-width="2"/>'
        f'<text x="{left + 28}" y="{row_top + 9}" font-size="8.5" fill="#161616">{escape(_("En retard (bord rouge)"))}</text>'
    )
    if show_today:
        left = 450.0
        parts.append(
            f'<line x1="{left + 11}" y1="{row_top - 2}" x2="{left + 11}" y2="{row_top + 12}" stroke="#ce0500" '
            f'stroke-width="1.2" stroke-dasharray="3 2"/>'
            f'<text x="{left + 28}" y="{row_top + 9}" font-size="8.5" fill="#161616">{escape(_("Aujourd’hui"))}</text>'
        )
    return "".join(parts)


# --- The same calendar as a table of terms, for the ODT ------------------------------------------

TERMS = [(9, 12), (1, 3), (4, 8)]  # September–December, January–March, April–August


def terms(years: list[str], actions: list[dict]) -> list[dict]:
    """The terms of the chart's school years: `label` (« 2026-27 T1 »), `starts_on`, `ends_on`."""
    origin, months = window(actions, years)
    periods = []
    for index in range(months // 12):
        first = origin.year + index
        for number, (start, end) in enumerate(TERMS, start=1):
            year = first if start >= 9 else first + 1
            periods.append(
                {
                    "label": f"{first}-{str(first + 1)[2:]} T{number}",
                    "starts_on": datetime.date(year, start, 1),
                    "ends_on": datetime.date(year, end, calendar.monthrange(year, end)[1]),
                }
            )
    return periods


def term_rows(actions: list[dict], periods: list[dict]) -> list[list[bool]]:
    """Per action, the terms it covers: from its start to its due date, or the term of its one date."""
    rows = []
    for action in actions:
        start = action["starts_on"] or action["due_on"]
        end = action["due_on"] or action["starts_on"]
        if start is None:
            rows.append([False] * len(periods))
            continue
        rows.append([p["starts_on"] <= end and start <= p["ends_on"] for p in periods])
    return rows


def timeline(actions: list[dict], years: list[str], *, as_of: datetime.date, show_today: bool = True) -> dict:
    periods = terms(years, actions)
    return {
        "svg": timeline_svg(actions, years, as_of=as_of, show_today=show_today),
        "terms": periods,
        "rows": term_rows(actions, periods),
        "dated": sum(1 for a in actions if a["starts_on"] or a["due_on"]),
    }

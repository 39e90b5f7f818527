from django import template

from pilotis.workshops import themes

register = template.Library()


@register.filter
def theme_label(code, other_text=""):
    """A session's theme as people read it (the words typed for « autre »)."""
    return themes.label(code, other_text or "")


@register.filter
def duration(minutes):
    """90 → « 1 h 30 », 45 → « 45 min », 120 → « 2 h »."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"

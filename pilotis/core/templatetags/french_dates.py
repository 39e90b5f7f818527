"""Templates write days and periods as the documents do (`core.formats`): « 1er septembre 2026 »."""

from django import template

from pilotis.core import formats

register = template.Library()


@register.filter
def day(value) -> str:
    """{{ letter.signed_at|day }} → « 1er octobre 2026 »."""
    return formats.day(value)


@register.filter
def moment(value, precision="") -> str:
    """{{ assessment.validated_at|moment }} → « 1er octobre 2026 à 14:02 »; `|moment:"s"` adds seconds."""
    return formats.moment(value, seconds=precision == "s")


@register.simple_tag
def period(start, end) -> str:
    """{% period start end %} → « du 1er septembre 2026 au 31 août 2027 »."""
    return formats.period(start, end)

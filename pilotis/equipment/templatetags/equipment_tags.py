from django import template

from pilotis.core import formats

register = template.Library()


@register.filter
def euros(value) -> str:
    """`1 250 €` (core.formats.euros); "" for no amount."""
    return "" if value is None or value == "" else formats.euros(value)

"""The rounding rule's French formatting (`pilotis.core.rounding`): `{{ value|mean }}` → « 0,4 »,
`{{ share|percent }}` → « 12,5 % », « — » for a figure withheld by the small-cell rule."""

from django import template

from pilotis.core import rounding

register = template.Library()


@register.filter
def mean(value):
    return rounding.mean_text(value)


@register.filter
def percent(share):
    return rounding.percent_text(share)


@register.filter
def percentage(value):
    """A percentage already made by `rounding.percent` (the Évolution lines)."""
    return rounding.percentage_text(value)

from django import template

from pilotis.core import rounding

register = template.Library()


@register.filter
def pct(value):
    """A share as « 12,5 % »; « — » when the small-cell rule withholds it (`core.rounding`)."""
    return rounding.percent_text(value)


@register.filter
def mean(value):
    """A mean level as « 0,4 » (`core.rounding`)."""
    return rounding.mean_text(value)


@register.filter
def zip_shares(counts, shares):
    return list(zip(counts, shares, strict=False))


@register.filter
def percentage(value):
    """A percentage already made by `rounding.percent` (`core.rounding`)."""
    return rounding.percentage_text(value)

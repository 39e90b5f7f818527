from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value):
    """A share as « 12,5 % »; « — » when the small-cell rule withholds it."""
    if value is None:
        return "—"
    return f"{number_format(round(100 * value, 1), 1)} %"


@register.filter
def mean(value):
    return "—" if value is None else number_format(value, 1)


@register.filter
def zip_shares(counts, shares):
    return list(zip(counts, shares, strict=False))

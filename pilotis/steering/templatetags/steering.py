from django import template

register = template.Library()


@register.filter
def zip_shares(counts, shares):
    return list(zip(counts, shares, strict=False))

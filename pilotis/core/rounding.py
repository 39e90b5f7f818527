"""One rounding rule for every figure shown: the pages, the CSV and ODS exports and the PDF.

- A mean level is rounded half up to one decimal: 9/24 = 0.375 reads « 0,4 », never « 0,3 »
  (truncation) nor « 0,38 ».
- A share is a percentage rounded half up to one decimal: 1/16 reads « 6,3 % ».

The value is a `Decimal` already rounded: exports write it as it is, templates format it in
French with the `rounding` template library (`mean`, `percent`). `None` (the small-cell rule)
stays `None`, shown « — ».
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

MEAN_PLACES = 1
PERCENT_PLACES = 1


def half_up(value, places: int) -> Decimal | None:
    """`value` rounded half up to `places` decimals. A float is read by its shortest decimal
    form (0.145 is 0.145, not 0.14499…), as it was computed from a count."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mean(value) -> Decimal | None:
    """A mean level, to one decimal."""
    return half_up(value, MEAN_PLACES)


def percent(share) -> Decimal | None:
    """A share (0 to 1) as a percentage to one decimal."""
    if share is None:
        return None
    number = share if isinstance(share, Decimal) else Decimal(repr(float(share)))
    return half_up(number * 100, PERCENT_PLACES)


def french(value: Decimal | None, places: int) -> str:
    """« 0,4 »; « — » for a figure withheld."""
    return "—" if value is None else number_format(value, places)


def mean_text(value) -> str:
    return french(mean(value), MEAN_PLACES)


def percent_text(share) -> str:
    """« 12,5 % »."""
    shown = percent(share)
    return "—" if shown is None else f"{french(shown, PERCENT_PLACES)} %"


def percentage_text(value) -> str:
    """A percentage already computed by `percent` (« 12,5 % »)."""
    return "—" if value is None else f"{french(half_up(value, PERCENT_PLACES), PERCENT_PLACES)} %"

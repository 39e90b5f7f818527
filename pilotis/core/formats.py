"""How Pilotis writes a day, a period and an amount in French: one rule for every web page, PDF and
ODT (« 1er septembre 2026 », not « 1 septembre 2026 »; « 1 250 € »). Templates use the filters of
`core/templatetags/french_dates.py`."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def day(value) -> str:
    """`12 mars 2027`, `1er septembre 2026`, in local time for a moment; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if value.day == 1:
        return _("1er %(month_year)s") % {"month_year": date_format(value, "F Y")}
    return date_format(value, "j F Y")


def moment(value, seconds: bool = False) -> str:
    """`1er septembre 2026 à 14:02` (`14:02:07` with seconds), in local time; "" for None."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(day)s à %(time)s") % {
        "day": day(local.date()),
        "time": local.strftime("%H:%M:%S" if seconds else "%H:%M"),
    }


def period(start, end) -> str:
    """`du 1er septembre 2026 au 31 août 2027`."""
    return _("du %(start)s au %(end)s") % {"start": day(start), "end": day(end)}


def euros(amount: Decimal) -> str:
    """`1 250 €`, `312,50 €`: French separators, no-break spaces so the amount never splits."""
    text = f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",").removesuffix(",00")
    return f"{text}\u00a0€"

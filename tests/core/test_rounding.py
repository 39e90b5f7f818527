"""The one rounding rule (`core.rounding`): half up, one decimal, for means and for shares."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from pilotis.core import rounding


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.375, "0.4"), (9 / 24, "0.4"), (0.35, "0.4"), (0.25, "0.3"), (0.34, "0.3"), (1.0, "1.0"), (0.05, "0.1")],
)
def test_a_mean_is_rounded_half_up_to_one_decimal(value, shown):
    assert rounding.mean(value) == Decimal(shown)


@pytest.mark.parametrize(
    ("share", "shown"),
    [(1 / 16, "6.3"), (5 / 16, "31.3"), (0.145, "14.5"), (1 / 7, "14.3"), (0, "0.0"), (1, "100.0")],
)
def test_a_share_is_a_percentage_rounded_half_up_to_one_decimal(share, shown):
    assert rounding.percent(share) == Decimal(shown)


def test_a_withheld_figure_stays_withheld():
    assert rounding.mean(None) is None and rounding.percent(None) is None
    assert rounding.mean_text(None) == rounding.percent_text(None) == "—"


def test_the_template_filters_write_french():
    template = Template("{% load rounding %}{{ m|mean }} · {{ s|percent }} · {{ p|percentage }}")
    with translation.override("fr"):
        assert template.render(Context({"m": 0.375, "s": 1 / 16, "p": Decimal("6.3")})) == "0,4 · 6,3 % · 6,3 %"

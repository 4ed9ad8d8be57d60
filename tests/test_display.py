"""Numbers for readers (isipo_geo.display): one rule per unit, Persian or Latin digits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo.display import (
    UNIT_DECIMALS,
    format_number,
    money_unit,
    round_shown,
    shown_decimals,
)


@pytest.mark.parametrize(
    ("value", "unit", "latin", "fa"),
    [
        # issue 12: 250.5 L/s read «۲۵۰» while 12.5 L/s read «۱۲٫۵» (decimals by size)
        (250.5, "lps", "250.5", "۲۵۰٫۵"),
        (12.5, "lps", "12.5", "۱۲٫۵"),
        (1250.55, "lps", "1,250.6", "۱٬۲۵۰٫۶"),
        (250.0, "lps", "250", "۲۵۰"),  # an all-zero fraction is not shown
        (250.25, "lps", "250.3", "۲۵۰٫۳"),  # half up
        (0.04, "mw", "0.04", "۰٫۰۴"),  # below the last decimal: one significant digit
        (0.06, "mw", "0.1", "۰٫۱"),
        (0.0, "mw", "0", "۰"),
        (34465.25, "toman_billion", "34,465.3", "۳۴٬۴۶۵٫۳"),
        (34465.4, "toman_million", "34,465", "۳۴٬۴۶۵"),
        (Decimal("2.45"), "toman_billion", "2.5", "۲٫۵"),
        (844, "count", "844", "۸۴۴"),
        (-3.25, "mw", "-3.3", "−۳٫۳"),
    ],
)
def test_one_rule_per_unit(value, unit, latin, fa):
    assert format_number(value, digits="latin", unit=unit) == latin
    assert format_number(value, digits="fa", unit=unit) == fa


def test_same_unit_same_decimals_whatever_the_size():
    values = [0.5, 7.25, 12.5, 99.95, 250.5, 1234.55, 98765.45]
    shown = [format_number(v, digits="latin", unit="lps") for v in values]
    assert shown == ["0.5", "7.3", "12.5", "100", "250.5", "1,234.6", "98,765.5"]
    assert {shown_decimals(v, "lps") for v in values} == {1}


def test_without_a_unit_rule_decimals_follow_the_size():
    assert format_number(1234.5, digits="latin") == "1,235"
    assert format_number(12.34, digits="latin") == "12.3"
    assert format_number(0.0034, digits="latin") == "0.0034"
    assert format_number(12.34, digits="latin", unit="kWh/m²") == "12.3"
    assert format_number(1234.5, digits="latin", decimals=2) == "1,234.5"


def test_missing_and_bad_arguments():
    assert format_number(None, unit="lps") == "—"
    assert format_number(float("nan"), unit="lps") == "—"
    with pytest.raises(ValueError, match="digits"):
        format_number(1, digits="roman", unit="lps")


def test_round_shown_follows_the_rule():
    assert round_shown(250.25, "lps") == 250.3
    assert round_shown(2.675, decimals=2) == 2.68
    assert money_unit("toman", "billion") == "toman_billion"
    assert set(UNIT_DECIMALS) >= {"lps", "mw", "ha", "toman_billion", "rial_billion"}
    assert format_number(3e-11, digits="latin") == "3e-11"  # too long written out
    assert format_number(1e20, digits="latin", unit="toman_billion") == "1e20"

"""Money units and parsing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isipo_geo.errors import InputError
from isipo_geo.finance.money import convert, parse_decimal, parse_money

UNITS = [(c, s) for c in ("toman", "rial") for s in ("billion", "million", "one")]


@given(
    amount=st.decimals(min_value=-(10**12), max_value=10**12, places=4),
    a=st.sampled_from(UNITS),
    b=st.sampled_from(UNITS),
)
def test_conversions_round_trip_exactly(amount: Decimal, a, b) -> None:
    assert convert(convert(amount, frm=a, to=b), frm=b, to=a) == amount


def test_conversion_values() -> None:
    assert convert(Decimal(5750), frm=("toman", "billion"), to=("rial", "billion")) == 57500
    assert convert(Decimal(21795), frm=("rial", "billion"), to=("toman", "billion")) == Decimal(
        "2179.5"
    )
    assert convert(Decimal(1), frm=("toman", "billion"), to=("rial", "million")) == 10000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000 bn toman", (Decimal(5000), ("toman", "billion"))),
        ("5,000 billion rial", (Decimal(5000), ("rial", "billion"))),
        ("۵۰۰۰ میلیارد تومان", (Decimal(5000), ("toman", "billion"))),
        ("12.5 million toman", (Decimal("12.5"), ("toman", "million"))),
        ("1000 rial", (Decimal(1000), ("rial", "one"))),
    ],
)
def test_parse_money(text, expected) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["5000", "5000 bn", "5000 dollars", "lots", "-5 bn toman"])
def test_parse_money_needs_a_currency(text) -> None:
    with pytest.raises(InputError, match="budget"):
        parse_money(text)


def test_parse_decimal_persian_digits_and_separators() -> None:
    assert parse_decimal("۳۴٬۴۶۵") == Decimal(34465)
    assert parse_decimal("۲٫۵") == Decimal("2.5")
    with pytest.raises(InputError, match="not a number"):
        parse_decimal("abc")
    with pytest.raises(InputError, match="finite"):
        parse_decimal("inf")

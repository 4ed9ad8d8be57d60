"""Money units: toman and rial, billion and million, as exact decimals.

1 toman = 10 rial. Every amount inside isipo-geo is a :class:`decimal.Decimal`, so converting
between units and adding up provinces never drifts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from isipo_geo import labels
from isipo_geo.errors import InputError
from isipo_geo.messages import message
from isipo_geo.names import normalize_fa
from isipo_geo.numbers import check_range, normalize, parse_number

CURRENCIES = {"toman": Decimal(1), "rial": Decimal("0.1")}  # value of one unit in toman
SCALES = {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "one": Decimal(1)}

CURRENCY_LABELS = labels.CURRENCY_LABELS  # the money units' words, (currency, scale) keyed

_CURRENCY_WORDS = {
    "toman": "toman",
    "tomans": "toman",
    "تومان": "toman",
    "rial": "rial",
    "rials": "rial",
    "ریال": "rial",
}
_SCALE_WORDS = {
    "billion": "billion",
    "bn": "billion",
    "b": "billion",
    "milliard": "billion",
    "میلیارد": "billion",
    "million": "million",
    "mn": "million",
    "m": "million",
    "میلیون": "million",
}


def check_unit(currency: str, scale: str) -> tuple[str, str]:
    """Validate a (currency, scale) pair; raise InputError naming the allowed values."""
    if currency not in CURRENCIES:
        raise InputError(message("unknown_currency", currency=repr(currency)))
    if scale not in SCALES:
        raise InputError(message("unknown_scale", scale=repr(scale)))
    return currency, scale


def convert(amount: Decimal, *, frm: tuple[str, str], to: tuple[str, str]) -> Decimal:
    """Convert an amount between (currency, scale) units exactly.

    Examples
    --------
    >>> convert(Decimal("5750"), frm=("toman", "billion"), to=("rial", "billion"))
    Decimal('57500')
    >>> convert(Decimal("2.5"), frm=("toman", "billion"), to=("toman", "million"))
    Decimal('2500')
    """
    check_unit(*frm)
    check_unit(*to)
    factor = (CURRENCIES[frm[0]] * SCALES[frm[1]]) / (CURRENCIES[to[0]] * SCALES[to[1]])
    return normalize_decimal(amount * factor)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (2.50 -> 2.5, 1E+3 -> 1000):
    :func:`isipo_geo.numbers.normalize`, the one rule."""
    return normalize(value)


def parse_decimal(
    text: object, *, what: str = "value", quantity: str | None = None, unit: str | None = None
) -> Decimal:
    """Read a number written with Latin, Persian or Arabic-Indic digits and separators, by the
    one rule for users' numbers (:func:`isipo_geo.numbers.parse_number`: finite, no booleans,
    within the range of ``quantity``; the quantity's own ``unit`` may follow the number)."""
    return parse_number(text, what=what, quantity=quantity, unit=unit)


# the amount (up to its last digit, and a % sign the number rule then refuses) and its unit words
_MONEY = re.compile(r"^\s*(?P<num>.*\d%?)\s*(?P<rest>\D*)$")


def parse_money(text: str) -> tuple[Decimal, tuple[str, str]]:
    """Parse an amount with its unit, e.g. ``"5000 bn toman"``, ``"50000 billion rial"``,
    ``"۵۰۰۰ میلیارد تومان"``. The currency is required; the scale defaults to one unit.

    Returns the amount and its (currency, scale).

    Examples
    --------
    >>> parse_money("5,000 bn toman")
    (Decimal('5000'), ('toman', 'billion'))
    """
    m = _MONEY.match(normalize_fa(text))
    if not m:
        raise InputError(message("budget_not_an_amount", value=repr(text)))
    amount = parse_decimal(m.group("num"), what="amount")
    words = [w for w in re.split(r"[\s\-_/]+", m.group("rest").lower()) if w]
    currency = next((_CURRENCY_WORDS[w] for w in words if w in _CURRENCY_WORDS), None)
    scale = next((_SCALE_WORDS[w] for w in words if w in _SCALE_WORDS), "one")
    unknown = [w for w in words if w not in _CURRENCY_WORDS and w not in _SCALE_WORDS]
    if currency is None or unknown:
        raise InputError(message("budget_no_currency", value=repr(text)))
    if amount < 0:
        raise InputError(message("budget_text_negative", text=repr(text)))
    in_toman = amount * CURRENCIES[currency] * SCALES[scale]
    try:
        check_range(in_toman, what="budget", quantity="budget_toman")
    except InputError:
        raise InputError(
            message("budget_out_of_range", text=repr(text))
        ) from None
    return amount, (currency, scale)


def present_value(amount: Decimal, *, rate_pct: Decimal, years: int) -> Decimal:
    """``amount`` spent ``years`` after the base year, in base-year money:
    amount ÷ (1 + rate/100) ** years, rounded once to a millionth of the amount's unit
    (1,000 toman when the unit is bn toman).

    Examples
    --------
    >>> present_value(Decimal(1210), rate_pct=Decimal(10), years=2)
    Decimal('1000')
    """
    if years < 0:
        raise InputError(message("years_after_base_negative"))
    if not Decimal(-100) < rate_pct <= Decimal(100):
        raise InputError(message("discount_rate_bounds", rate_pct=rate_pct))
    return normalize_decimal(
        (amount / (1 + rate_pct / 100) ** years).quantize(Decimal("0.000001"))
    )

"""Numbers for readers: one rule per unit, Persian or Latin digits.

Every figure a reader sees — map tooltips and popups, legends, the index page, console tables,
PNG figures — is shown by the rule of its unit (:data:`UNIT_DECIMALS`):

- rounded half up to the unit's decimals (0.1 L/s, 0.1 MW, 0.1 bn toman...), never to a number
  of decimals that depends on the size of the value, so 250.5 L/s reads ``250.5`` like 12.5 L/s
  reads ``12.5``;
- a fraction that rounds to zero is not shown (``250`` rather than ``250.0``);
- a non-zero amount smaller than the unit's last decimal keeps one significant digit
  (``0.04`` MW), so a small value never reads as ``0``;
- values from 10^15 up, or needing more than 8 decimals, in 3 significant digits (``3e-11``);
- thousands separated; Persian digits with the Persian separators (``٬`` thousands, ``٫``
  decimal) or Latin digits (``1,234.5``).

Values without a known unit (a user's own layer) keep the rule by size
(:func:`display_decimals`). Pure; imports nothing from isipo_geo.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

DIGIT_STYLES = ("fa", "latin")
LATIN_DIGITS = "0123456789,.-"
FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹٬٫−"  # the characters above in Persian text (the maps' script maps them)
_FA_DIGITS = str.maketrans(LATIN_DIGITS, FA_DIGITS)

# Decimals shown per unit (the keys of isipo_geo.labels.UNIT_LABELS, money as currency_scale).
UNIT_DECIMALS: dict[str, int] = {
    "lps": 1,
    "mw": 1,
    "ha": 1,
    "km": 1,
    "m3_per_day": 0,
    "count": 0,
    "percent": 1,
    "toman_billion": 1,
    "rial_billion": 1,
    "toman_million": 0,
    "rial_million": 0,
    "toman_one": 0,
    "rial_one": 0,
}


def money_unit(currency: str, scale: str) -> str:
    """The key of a money unit in :data:`UNIT_DECIMALS` (``toman``, ``billion`` ->
    ``toman_billion``)."""
    return f"{currency}_{scale}"


def unit_decimals(unit: str) -> int | None:
    """Decimals shown for ``unit``; ``None`` for a unit without a rule (then by size).

    Examples
    --------
    >>> unit_decimals("lps"), unit_decimals("toman_billion"), unit_decimals("kWh/m²")
    (1, 1, None)
    """
    return UNIT_DECIMALS.get(unit)


def display_decimals(value: float) -> int:
    """Decimals by size, for values without a unit rule: 0 from 100 up, 1 from 1 up, 2 from
    0.01 up, else two significant digits, so a small value never shows as 0
    (:func:`format_number` writes values needing more than 8 decimals as ``3e-11``).

    Examples
    --------
    >>> [display_decimals(v) for v in (1234.5, 12.5, 0.25, 0.0034, 0.0)]
    [0, 1, 2, 4, 2]
    """
    size = abs(value)
    if size >= 100:
        return 0
    if size >= 1:
        return 1
    if size >= 0.01 or size == 0:
        return 2
    return min(330, 1 - math.floor(math.log10(size)))


def shown_decimals(value: float, unit: str | None = None, decimals: int | None = None) -> int:
    """The decimals :func:`format_number` uses for ``value``: ``decimals`` if given, else the
    unit's (one significant digit for a non-zero value below its last decimal), else by size.

    Examples
    --------
    >>> shown_decimals(250.5, "lps"), shown_decimals(0.04, "mw"), shown_decimals(250.5)
    (1, 2, 0)
    """
    if decimals is not None:
        return decimals
    rule = unit_decimals(unit) if unit else None
    if rule is None:
        return display_decimals(value)
    size = abs(value)
    if size == 0 or not math.isfinite(size) or size >= 0.5 * 10.0**-rule:
        return rule
    return min(330, max(rule, -math.floor(math.log10(size))))


def round_shown(value: float, unit: str | None = None, decimals: int | None = None) -> float:
    """``value`` rounded as it is shown (half up), e.g. to make classes on shown values.

    Examples
    --------
    >>> round_shown(250.25, "lps"), round_shown(0.125, "mw"), round_shown(2.675, decimals=2)
    (250.3, 0.1, 2.68)
    """
    if value != value or math.isinf(value):
        return value
    places = shown_decimals(value, unit, decimals)
    return float(_quantize(value, places))


def _quantize(value: float, places: int) -> Decimal:
    # Half up on the decimal text of the float (what a reader and Excel see: 2.675 -> 2.68).
    try:
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except InvalidOperation:  # too many digits for the context: the float is exact enough
        return Decimal(repr(float(value)))


def format_number(
    value: float | Decimal | None,
    *,
    digits: str = "fa",
    unit: str | None = None,
    decimals: int | None = None,
) -> str:
    """A number for readers by the rule of its unit (see the module's docstring).

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives ``"—"``.
    digits
        ``"fa"``: Persian digits with the Persian separators (``٬`` thousands, ``٫`` decimal);
        ``"latin"``: ``1,234.5``.
    unit
        Its unit (``lps``, ``mw``, ``ha``, ``toman_billion``... see :data:`UNIT_DECIMALS`);
        without one (or with a unit without a rule) decimals follow the size of the value.
    decimals
        Digits after the point, overriding the unit's.

    Examples
    --------
    >>> format_number(250.5, digits="latin", unit="lps"), format_number(250.0, unit="lps")
    ('250.5', '۲۵۰')
    >>> format_number(12345.678, digits="latin", unit="toman_billion")
    '12,345.7'
    >>> format_number(0.04, digits="latin", unit="mw"), format_number(2.5, digits="fa")
    ('0.04', '۲٫۵')
    """
    if digits not in DIGIT_STYLES:
        raise ValueError(f"digits must be one of {', '.join(DIGIT_STYLES)}, not {digits!r}")
    if value is None or value != value:
        return "—"
    return _format(float(value), digits, unit, decimals)


@lru_cache(maxsize=65536)
def _format(value: float, digits: str, unit: str | None, decimals: int | None) -> str:
    # cached: a registry's figures repeat (84,400 popups show a few thousand distinct values)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    places = shown_decimals(value, unit, decimals)
    if abs(value) >= 1e15 or places > 8:  # too long written out: 3 significant digits
        text = f"{value:.3g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")
        return text.translate(_FA_DIGITS) if digits == "fa" else text
    text = f"{_quantize(value, places):,.{places}f}"
    if places and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", "-0.0"}:
        text = "0"
    return text.translate(_FA_DIGITS) if digits == "fa" else text

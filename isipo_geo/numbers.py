"""The one rule for numbers that come from users (files and command-line options).

A number from a user is read as an exact :class:`decimal.Decimal` and accepted only if it is

- written as a number (Latin, Persian or Arabic-Indic digits; ``,`` ``٬`` ``_`` and spaces as
  thousands separators; ``٫`` or ``.`` as the decimal point) — never a boolean;
- finite (no ``nan``, ``inf``, ``1e400``);
- within the documented range of its quantity (:data:`RANGES`), so that every product and
  power computed from it stays exact at the precision the toolkit uses (60 digits);
- of at most :data:`MAX_DIGITS` significant digits, and zero or at least
  :data:`MIN_MAGNITUDE` in size (so sums and products stay exact within 60 digits).

Anything else raises :class:`isipo_geo.errors.InputError` naming the quantity and the allowed
range; callers add the file, row and column (or the option).
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from isipo_geo.errors import InputError

MAX_DIGITS = 20  # significant digits a user's number may carry
MIN_MAGNITUDE = Decimal("1e-12")  # smaller non-zero values are refused (write 0)


class Range(NamedTuple):
    """The allowed closed interval of one quantity, and how to say it in a message."""

    low: Decimal
    high: Decimal
    text: str


def _r(low: str, high: str, text: str) -> Range:
    return Range(Decimal(low), Decimal(high), text)


# The documented range of every quantity a user can give. Ranges are generous (far beyond any
# real value) but bounded, so that sums, products and powers never overflow or lose exactness.
RANGES: dict[str, Range] = {
    "unit_cost": _r("0", "1e12", "0 to 10^12 (in the file's currency and scale)"),
    "weight": _r("0", "1e15", "0 to 10^15"),
    "budget_toman": _r("0", "1e21", "0 to 10^12 bn toman (10^21 toman)"),
    "escalation_pct": _r("-50", "100", "-50 to 100 (% a year)"),
    "escalation_years": _r("0", "50", "0 to 50 (years)"),
    "deficit": _r("0", "1e9", "0 to 10^9"),
    "registry_number": _r("-1e12", "1e12", "-10^12 to 10^12"),
    "power_factor": _r("0.01", "1", "0.01 to 1"),
    "unit_value": _r("-1e15", "1e15", "-10^15 to 10^15"),
    "layer_value": _r("-1e300", "1e300", "-10^300 to 10^300"),
}

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SEPARATORS = ("\u066c", ",", "_", " ", "\u00a0", "\u202f", "\u200c", "\u200f", "\u200e")


def clean_text(text: str) -> str:
    """A number's text with Persian and Arabic-Indic digits made Latin, the Arabic decimal
    separator and the minus sign made ASCII, and thousands separators removed (not yet
    checked: see :func:`parse_number`).

    Examples
    --------
    >>> clean_text(" ۱٬۲۵۰٫۵ ")
    '1250.5'
    """
    s = text.strip().translate(_DIGITS).replace("\u066b", ".").replace("\u2212", "-")
    for sep in _SEPARATORS:
        s = s.replace(sep, "")
    return s


def parse_number(value: object, *, what: str = "value", quantity: str | None = None) -> Decimal:
    """Read a user's number exactly and check it against the rule of this module.

    Parameters
    ----------
    value
        Text (any digits), an ``int``, ``float`` or ``Decimal``. ``bool`` is refused: in TOML or
        JSON ``true`` is not a number.
    what
        How the message names the value, e.g. ``"[water] unit_cost"`` or ``"--escalation"``.
    quantity
        A key of :data:`RANGES`; ``None`` checks only that the number is finite and not too long.

    Raises
    ------
    InputError
        The value is not a number, not finite, has too many digits or is out of range.

    Examples
    --------
    >>> parse_number("۱٬۲۳۴٫۵", what="weight", quantity="weight")
    Decimal('1234.5')
    >>> parse_number("nan", what="weight")
    Traceback (most recent call last):
    ...
    isipo_geo.errors.InputError: weight 'nan' is not a finite number
    """
    if isinstance(value, bool):
        raise InputError(f"{what} {value!r} is a true/false value, not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(clean_text(value))
        except (decimal.InvalidOperation, ValueError):
            raise InputError(f"{what} {value!r} is not a number") from None
    else:
        raise InputError(f"{what} {value!r} is not a number")
    if not number.is_finite():
        raise InputError(f"{what} {value!r} is not a finite number")
    rng = RANGES[quantity] if quantity is not None else None
    if rng is not None and not (rng.low <= number <= rng.high):
        why = "is negative" if number < 0 <= rng.low else "is out of range"
        raise InputError(f"{what} {_show(value)} {why}; allowed: {rng.text}")
    if rng is None and abs(number.adjusted()) > 300:
        raise InputError(f"{what} {_show(value)} is out of range; allowed: -10^300 to 10^300")
    if number != 0 and abs(number) < MIN_MAGNITUDE:
        raise InputError(
            f"{what} {_show(value)} is too small to mean anything (below 10^-12); write 0 "
            "or a larger value"
        )
    if _significant_digits(number) > MAX_DIGITS:
        raise InputError(
            f"{what} {_show(value)} has more than {MAX_DIGITS} significant digits; round it"
        )
    return number


def _significant_digits(number: Decimal) -> int:
    """Significant digits of ``number`` counted exactly (``Decimal.normalize`` rounds to the
    context's 28 digits first, so a 32-digit number passed as 20)."""
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    return max(len(digits), 1)


def check_range(number: Decimal, *, what: str, quantity: str) -> Decimal:
    """Check an already exact number against its quantity's range (see :func:`parse_number`)."""
    rng = RANGES[quantity]
    if not number.is_finite() or not (rng.low <= number <= rng.high):
        raise InputError(f"{what} {_show(number)} is out of range; allowed: {rng.text}")
    return number


def parse_float(value: object, *, what: str = "value", quantity: str | None = None) -> float:
    """:func:`parse_number` for columns kept as floats (coordinates, unit sums, layers)."""
    return float(parse_number(value, what=what, quantity=quantity))


# A number this plain passes every check of the rule whatever its range: at most 15 integer and
# 12 decimal ASCII digits (so it is 0 or at least 10^-12, and far from 10^300) and at most 20
# characters (so at most 20 significant digits). Only its range is left to check.
_PLAIN = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,12})?")
_PLAIN_MAX_LEN = 20


def parse_floats(
    cells: Sequence[str | None], *, what: str = "value", quantity: str | None = None
) -> tuple[list[float | None], dict[int, str]]:
    """:func:`parse_float` over a whole column of text cells, an empty cell meaning *unknown*.

    Each distinct cell is read once: a plain ASCII number (``-12.5``, or one once its Persian or
    Arabic digits and separators are read as :func:`parse_number` reads them) by ``float``, which
    gives the same float; any other cell by :func:`parse_float` itself. So values and messages
    are exactly those of the cell-by-cell rule, at a fraction of its cost on a big column.

    Parameters
    ----------
    cells
        Text cells (``""`` or None = unknown).
    what, quantity
        As for :func:`parse_number`.

    Returns
    -------
    tuple
        The values (None where unknown or refused) and ``{position: message}`` for every
        refused cell (positions count from 0).

    Examples
    --------
    >>> parse_floats(["1.5", "۲٫۵", "", "x"], what="area")
    ([1.5, 2.5, None, None], {3: "area 'x' is not a number"})
    """
    rng = RANGES[quantity] if quantity is not None else None
    low, high = (float(rng.low), float(rng.high)) if rng is not None else (-math.inf, math.inf)
    plain = _PLAIN.fullmatch
    parsed: dict[str | None, float | None] = {}
    reasons: dict[str | None, str] = {}
    for cell in dict.fromkeys(cells):
        if not cell:
            parsed[cell] = None
            continue
        text: str | None = cell
        if not (len(cell) <= _PLAIN_MAX_LEN and plain(cell)):
            text = clean_text(cell)
            if not (len(text) <= _PLAIN_MAX_LEN and plain(text)):
                text = None
        if text is not None:
            number = float(text)
            if low < number < high:  # strictly inside as floats: strictly inside exactly
                parsed[cell] = number
                continue
        try:
            parsed[cell] = parse_float(cell, what=what, quantity=quantity)
        except InputError as exc:
            parsed[cell] = None
            reasons[cell] = exc.reason
    values = list(map(parsed.__getitem__, cells))
    if not reasons:
        return values, {}
    return values, {i: reasons[c] for i, c in enumerate(cells) if c in reasons}


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."

"""The one rule for numbers that come from users (files and command-line options).

A number from a user is read as an exact :class:`decimal.Decimal` and accepted only if it is

- written as a number by the one grammar of :func:`number_text` (Latin, Persian or Arabic-Indic
  digits; ``,`` ``٬`` ``_`` or a space between groups of three digits; ``٫`` ``.`` or the
  Persian slash as the decimal point; ``12,5`` refused as ambiguous; the quantity's own unit
  may follow the number) — never a boolean;
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
from isipo_geo.messages import message, prefixed

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

# How a number may be written (the one grammar every reader of a user's number applies):
# Latin, Persian or Arabic-Indic digits; ``.`` or ``٫`` as the decimal point (``۲/۵``, the
# Persian decimal slash, too); a thousands separator (``,`` ``٬`` ``،`` ``_`` or a space) only
# between groups of three digits and the same one throughout; an exponent (``1e3``). ``12,5``
# (a decimal comma, or a misplaced thousands separator) and ``1.250,5`` are refused, never read
# as 125 or 1250.5: a figure ten times too large must not pass without a word.
_NUMBER_CHARS = str.maketrans(
    {chr(0x06F0 + i): str(i) for i in range(10)}
    | {chr(0x0660 + i): str(i) for i in range(10)}
    | {"\u066b": ".", "\u066c": ",", "\u060c": ",", "\u2212": "-", "\u2013": "-", "\u2014": "-",
       "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "}
    | dict.fromkeys(
        ["\u200c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
         "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"], ""
    )
)
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[, _])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
_SLASH_DECIMAL = re.compile(r"[+-]?\d+/\d+")
_COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")
# a number (as the patterns above write it) and what follows it: a unit, a % sign, a word
_NUMBER_THEN_TEXT = re.compile(r"(?P<number>[+-]?[\d.,/ _]*\d(?:[eE][+-]?\d+)?)\s*(?P<rest>\D.*)")

_NOT_FINITE = frozenset({"inf", "infinity", "nan", "snan"})
AMBIGUOUS_COMMA = (
    "is ambiguous: write the decimal point as '.' or '٫' and leave out thousands separators"
)


class NumberTextError(ValueError):
    """A text that the grammar does not read as a number; ``str(exc)`` continues a sentence
    that starts with the text (``'12,5' is ambiguous: ...``)."""


class AmbiguousNumberError(NumberTextError):
    """A text written as a number that the grammar will not guess at (``12,5``, ``1.250,5``,
    ``12.5%``), as against text that is no number at all (a date, a code)."""


def number_text(text: str, *, unit: str | None = None) -> str:
    """A user's number as plain ASCII text that :class:`~decimal.Decimal` and ``float`` read
    alike, by the one grammar of this module.

    Parameters
    ----------
    text
        The cell or option as written.
    unit
        The key of the quantity's own unit (:data:`isipo_geo.measures.UNITS`: ``"ha"``,
        ``"lps"``, ``"mw"``), when it has one: the number may then be followed by that unit
        (``"۱۲۰ هکتار"``, ``"50 L/s"``); another unit is refused, naming it.

    Raises
    ------
    NumberTextError
        The text is not a number; the message says why and how to write it.

    Examples
    --------
    >>> number_text("۱٬۲۵۰٫۵"), number_text("۲/۵"), number_text("۱۲۰ هکتار", unit="ha")
    ('1250.5', '2.5', '120')
    >>> try:
    ...     number_text("12,5")
    ... except NumberTextError as exc:
    ...     print(exc)
    is ambiguous: write the decimal point as '.' or '٫' and leave out thousands separators
    """
    s = text.translate(_NUMBER_CHARS).strip()
    if _DECIMAL.fullmatch(s):
        return s
    if s.lstrip("+-").lower() in _NOT_FINITE:
        raise NumberTextError(message("number_not_finite"))
    if _GROUPED.fullmatch(s):
        return re.sub(r"[, _]", "", s)
    if _SLASH_DECIMAL.fullmatch(s):
        return s.replace("/", ".")
    if _COMMA_DECIMAL.fullmatch(s):
        raise AmbiguousNumberError(message("number_ambiguous_comma"))
    if re.fullmatch(r"[+-]?[\d.,]+", s) and "." in s and "," in s:
        raise AmbiguousNumberError(message("number_mixes_separators"))
    split = _NUMBER_THEN_TEXT.fullmatch(s)
    if split is not None:
        return _with_unit(split["number"], split["rest"].strip(), unit)
    raise NumberTextError(message("number_not_a_number"))


def _with_unit(number: str, rest: str, unit: str | None) -> str:
    """``number`` followed by ``rest``: the number when ``rest`` is the quantity's own unit."""
    from isipo_geo.measures import UNITS, find_unit

    if rest in ("%", "٪") and unit != "pct":  # a percentage column takes its own unit
        raise AmbiguousNumberError(message("number_percentage"))
    value = number_text(number)  # the number itself follows the grammar
    written = find_unit(rest)
    if written is None:
        if unit is None:
            raise NumberTextError(message("number_only_the_number"))
        raise NumberTextError(message("number_not_in_unit", own=UNITS[unit].label,
                                      rest=repr(rest)))
    if written.key == unit:
        return value
    if unit is None:
        raise NumberTextError(message("number_unit_not_taken", unit=written.label))
    own = UNITS[unit]
    if written.dimension == own.dimension:
        factor = Decimal(repr(written.factor)) / Decimal(repr(own.factor))
        converted = normalize(Decimal(value) * factor)
        raise NumberTextError(message("number_other_unit_convert", written=written.label,
                                      own=own.label, converted=converted, value=value))
    raise NumberTextError(message("number_other_unit", written=written.label, own=own.label))


def normalize(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or an exponent (``1.20E+2`` → ``120``)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def clean_number_text(text: str, *, unit: str | None = None) -> str | None:
    """:func:`number_text`, or None where the text is not a number."""
    try:
        return number_text(text, unit=unit)
    except NumberTextError:
        return None


def parse_number(
    value: object, *, what: str = "value", quantity: str | None = None, unit: str | None = None
) -> Decimal:
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
    unit
        The quantity's own unit, which text may write after the number (:func:`number_text`).

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
        raise InputError(message("number_is_bool", subject=_subject(what, repr(value))))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(number_text(value, unit=unit))
        except NumberTextError as exc:  # its reason in both languages, after the cell
            raise InputError(prefixed(f"{what} {_show(value)}".lstrip(), exc.args[0])) from None
        except (decimal.InvalidOperation, ValueError):
            raise InputError(message("number_what_not_a_number",
                                     subject=_subject(what, _show(value)))) from None
    else:
        raise InputError(message("number_what_not_a_number", subject=_subject(what, repr(value))))
    if not number.is_finite():
        raise InputError(message("number_what_not_finite", subject=_subject(what, repr(value))))
    rng = RANGES[quantity] if quantity is not None else None
    if rng is not None and not (rng.low <= number <= rng.high):
        key = "number_negative_allowed" if number < 0 <= rng.low else "number_out_of_range"
        raise InputError(message(key, subject=_subject(what, _show(value)),
                                 allowed=_allowed(quantity)))
    if rng is None and abs(number.adjusted()) > 300:
        raise InputError(message("number_out_of_range", subject=_subject(what, _show(value)),
                                 allowed=_allowed("layer_value")))
    if number != 0 and abs(number) < MIN_MAGNITUDE:
        raise InputError(message("number_too_small", subject=_subject(what, _show(value))))
    if _significant_digits(number) > MAX_DIGITS:
        raise InputError(message("number_too_many_digits", subject=_subject(what, _show(value)),
                                 digits=MAX_DIGITS))
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
        raise InputError(message("number_out_of_range", subject=_subject(what, _show(number)),
                                 allowed=_allowed(quantity)))
    return number


def parse_float(
    value: object, *, what: str = "value", quantity: str | None = None, unit: str | None = None
) -> float:
    """:func:`parse_number` for columns kept as floats (coordinates, unit sums, layers)."""
    return float(parse_number(value, what=what, quantity=quantity, unit=unit))


# A number this plain passes every check of the rule whatever its range: at most 15 integer and
# 12 decimal ASCII digits (so it is 0 or at least 10^-12, and far from 10^300) and at most 20
# characters (so at most 20 significant digits). Only its range is left to check.
_PLAIN = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,12})?")
_PLAIN_MAX_LEN = 20


def parse_floats(
    cells: Sequence[str | None],
    *,
    what: str = "value",
    quantity: str | None = None,
    unit: str | None = None,
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
    what, quantity, unit
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
            text = clean_number_text(cell, unit=unit)
            if not (text is not None and len(text) <= _PLAIN_MAX_LEN and plain(text)):
                text = None
        if text is not None:
            number = float(text)
            if low < number < high:  # strictly inside as floats: strictly inside exactly
                parsed[cell] = number
                continue
        try:
            parsed[cell] = parse_float(cell, what=what, quantity=quantity, unit=unit)
        except InputError as exc:
            parsed[cell] = None
            reasons[cell] = exc.reason
    values = list(map(parsed.__getitem__, cells))
    if not reasons:
        return values, {}
    return values, {i: reasons[c] for i, c in enumerate(cells) if c in reasons}


def _subject(what: str, shown: str) -> str:
    """What a number message is about: the quantity's name and the value as written
    (``weight 'abc'``; the value alone when the caller names no quantity)."""
    return f"{what} {shown}".lstrip()


def _allowed(quantity: str) -> str:
    """A quantity's range as a message says it (``RANGES[quantity].text``, and in Persian)."""
    return message(f"range_{quantity}")


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."

"""Reading one cell of a user's registry: numbers written the Persian way, yes/no, degrees,
units named in headers, and names that carry HTML.

Every parser returns the value, ``None`` for a missing cell, or raises :class:`ValueError` whose
message says what is wrong with the cell and how to write it instead (the importer turns it into a
rejected row). Nothing here reads files.
"""

from __future__ import annotations

import html
import math
import re

from isipo_geo.measures import (  # noqa: F401 (the units' names, as before)
    DAYS_PER_YEAR,
    DIMENSION_LABELS,
    SECONDS_PER_DAY,
    UNIT_INDEX,
    UNIT_SPELLINGS,
    UNITS,
    Unit,
    find_unit,
)
from isipo_geo.messages import message, prefixed
from isipo_geo.names import fold, normalize_fa
from isipo_geo.numbers import RANGES, NumberTextError, number_text

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits, Persian separators, minus signs and the
# invisible marks spreadsheets leave around numbers.
_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)}
_DIGITS |= {chr(0x0660 + i): str(i) for i in range(10)}
_NUMBER_CHARS = str.maketrans(
    _DIGITS
    | {
        "\u066b": ".",  # ٫ Arabic decimal separator
        "\u066c": ",",  # ٬ Arabic thousands separator
        "\u060c": ",",  # ، Arabic comma, typed as a thousands separator
        "\u2212": "-",  # minus sign
        "\u2013": "-",
        "\u2014": "-",
        "\u200c": "",  # ZWNJ
        "\u200e": "",  # LRM
        "\u200f": "",  # RLM
        "\u202a": "",
        "\u202b": "",
        "\u202c": "",
        "\u202d": "",
        "\u202e": "",
        "\u2066": "",
        "\u2067": "",
        "\u2068": "",
        "\u2069": "",
        "\ufeff": "",
        "\u00a0": "",
        "\u202f": "",
        " ": "",
        "\t": "",
    }
)

# Cells that mean "not known". "-" and dash-likes are how Persian tables leave a cell blank.
MISSING_TEXT = frozenset(
    {"", "-", "--", "_", "ـ", ".", "n/a", "na", "nan", "none", "null", "نامشخص", "نامعلوم", "؟",
     "?"}
)



def is_missing(value: object) -> bool:
    """Tell whether a cell means "no value": None, NaN or a text of :data:`MISSING_TEXT`.

    Parameters
    ----------
    value : object
        A cell as read (text is compared after stripping, in lower case, Persian digits read).

    Returns
    -------
    bool
        True for None, NaN, ``''``, ``'-'``, ``'نامشخص'`` and the other texts of
        :data:`MISSING_TEXT`.

    Examples
    --------
    >>> is_missing(" - "), is_missing("نامشخص"), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.translate(_NUMBER_CHARS).strip().lower() in MISSING_TEXT
    return False


def parse_number(
    value: object, *, quantity: str = "registry_number", unit: str | None = None
) -> float | None:
    """Read a cell as a float (None when missing), finite and within its quantity's range.

    Text is read by the one grammar of :func:`isipo_geo.numbers.number_text`: Persian and
    Arabic-Indic digits, the Persian separators ٬ (thousands) and ٫ (decimal), thousands
    separators in groups of three, the Persian decimal slash (``۲/۵`` = 2.5), and the column's
    own ``unit`` after the number (``۱۲۰ هکتار`` in a hectare column).

    Parameters
    ----------
    value : object
        A cell as read: text, a number, or None.
    quantity : str
        A key of :data:`isipo_geo.numbers.RANGES` (``registry_number``, ``layer_value``, ...): the
        range the number must lie in.
    unit : str, optional
        The column's unit (``ha``, ``lps``, ``mw``, ...), which the cell may repeat after the
        number.

    Returns
    -------
    float or None
        The number; None for a missing cell (:func:`is_missing`).

    Raises
    ------
    ValueError
        The cell is not a number or out of range; the message says why (a unit in the cell,
        an ambiguous comma, the range allowed).

    Examples
    --------
    >>> parse_number("۱۲٬۳۴۵٫۵")
    12345.5
    >>> parse_number("۲/۵")
    2.5
    >>> parse_number("-") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(message("not_a_number", value=repr(value)))
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            rng = RANGES[quantity].text
            raise ValueError(message("out_of_range", value=_short(value), allowed=rng)) from None
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise ValueError(message("not_finite", value=repr(value)))
        return _in_range(number, value, quantity)
    if not isinstance(value, str):
        raise ValueError(message("not_a_number_cell", value=repr(value),
                                 kind=type(value).__name__))
    if value.translate(_NUMBER_CHARS).strip().lower() in MISSING_TEXT:
        return None
    try:
        number = float(number_text(value, unit=unit))
    except NumberTextError as exc:  # the grammar's reason follows the cell as written
        raise ValueError(prefixed(_short(value), exc.args[0])) from None
    if math.isinf(number):
        raise ValueError(message("not_finite", value=repr(value)))
    return _in_range(number, value, quantity)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _in_range(number: float, value: object, quantity: str) -> float:
    """The one rule of :mod:`isipo_geo.numbers`: a number lies in its quantity's range."""
    rng = RANGES[quantity]
    if not float(rng.low) <= number <= float(rng.high):
        raise ValueError(message("out_of_range", value=_short(value), allowed=rng.text))
    return number


_YES = ("دارد", "بله", "آری", "اری", "هست", "متصل", "وصل", "بلی", "yes", "y", "true",
        "1", "✓", "✔", "☑", "✅")
_NO = ("ندارد", "خیر", "نه", "نیست", "ندارند", "قطع", "no", "n", "false", "0", "✗", "✘", "☐",
       "❌")
_YES_NO = {fold(t) or t: True for t in _YES} | {fold(t) or t: False for t in _NO}


def parse_yes_no(value: object) -> bool | None:
    """A has_* cell as True/False, or None when it is missing.

    Accepts Persian (دارد/ندارد, بله/خیر, آری/نه, هست/نیست), English (yes/no, true/false, y/n),
    1/0 and check marks (✓ ✔ ☑ / ✗ ✘ ☐).

    Raises
    ------
    ValueError
        Anything else (an ``x`` could mean either, so it is refused).

    Examples
    --------
    >>> parse_yes_no("دارد"), parse_yes_no("خير"), parse_yes_no("✓"), parse_yes_no("")
    (True, False, True, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if value in (0, 1):
            return bool(value)
        raise ValueError(message("not_yes_no", value=repr(value)))
    text = str(value).strip()
    if is_missing(text):
        return None
    key = fold(text) or text
    if key in _YES_NO:
        return _YES_NO[key]
    raise ValueError(message("not_yes_no", value=repr(value)))


_DMS = re.compile(
    r"^(?P<deg>\d+(?:\.\d+)?)\s*(?:°|º|˚|d|درجه)\s*"
    r"(?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|’|m|دقیقه)\s*)?"
    r"(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:\"|″|”|''|s|ثانیه)\s*)?"
    r"(?P<hemi>[NSEWnsew]|شمالی|شرقی|جنوبی|غربی)?$"
)
_DMS_SPACED = re.compile(
    r"^(?P<deg>\d+)\s+(?P<min>\d+)\s+(?P<sec>\d+(?:\.\d+)?)\s*(?P<hemi>[NSEWnsew])?$"
)


def parse_degrees(value: object) -> float | None:
    """A longitude or latitude cell as decimal degrees, or None when it is missing.

    Decimal degrees (any digits, ٫ or . as decimal point) and degrees-minutes-seconds
    (``51°23'45"E``, ``51 23 45``, ``۵۱ درجه ۲۳ دقیقه``) are read; S and W give negative values.

    Examples
    --------
    >>> parse_degrees("۵۱٫۵")
    51.5
    >>> parse_degrees("51°30'36\\"E")
    51.51
    """
    if not isinstance(value, str):
        return parse_number(value)
    text = normalize_fa(value).replace("٫", ".").strip()
    match = _DMS_SPACED.match(text)
    if not match:
        try:
            return parse_number(text)
        except ValueError:
            pass
        match = _DMS.match(text)
    if not match:
        raise ValueError(message("not_a_coordinate", value=repr(value)))
    parts = match.groupdict()
    minutes = float(parts.get("min") or 0)
    seconds = float(parts.get("sec") or 0)
    if minutes >= 60 or seconds >= 60:
        raise ValueError(message("minutes_seconds", value=repr(value)))
    degrees = float(parts["deg"]) + minutes / 60 + seconds / 3600
    if (parts.get("hemi") or "").upper() in {"S", "W", "جنوبی", "غربی"}:
        degrees = -degrees
    return round(degrees, 9)


def parse_pair(value: object) -> tuple[float, float] | None:
    """A "coordinates" cell holding two numbers (``"51.4, 35.7"``), in the order written."""
    if is_missing(value):
        return None
    text = normalize_fa(str(value)).replace("٫", ".")
    parts = [p for p in re.split(r"[,;\s،]+", text.strip("()[] ")) if p]
    if len(parts) != 2:
        raise ValueError(message("not_a_pair", value=repr(value)))
    first, second = parse_degrees(parts[0]), parse_degrees(parts[1])
    if first is None or second is None:
        raise ValueError(message("not_a_pair", value=repr(value)))
    return first, second


# ---------------------------------------------------------------------------------- text

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def plain_text(value: object) -> tuple[str, bool]:
    """A text cell as plain, normalised Persian text, and whether HTML was removed from it.

    Tags (and the contents of ``<script>``/``<style>``) are dropped and entities decoded, so a
    name is stored as the words a reader sees; maps escape it again when they show it.

    Examples
    --------
    >>> plain_text("<b>شهرك صنعتي</b> &amp; ناحیه")
    ('شهرک صنعتی & ناحیه', True)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    had_html = False
    if "<" in text or "&" in text:
        cleaned = _SCRIPT_OR_STYLE.sub(" ", text)
        cleaned = _TAG.sub(" ", cleaned)
        if _ENTITY.search(cleaned):
            cleaned = html.unescape(cleaned)
            cleaned = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", cleaned))
        had_html = cleaned != text
        text = cleaned
    return normalize_fa(text), had_html

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
from typing import NamedTuple

from isipo_geo.names import fold, normalize_fa
from isipo_geo.numbers import RANGES

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

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SLASH_DECIMAL = re.compile(r"^[+-]?\d+/\d+$")  # ۲/۵ is how many Persian writers type 2.5
_LETTERS = re.compile(r"[^\W\d_]")


def is_missing(value: object) -> bool:
    """True for None, NaN and the texts of :data:`MISSING_TEXT` (after stripping)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.translate(_NUMBER_CHARS).strip().lower() in MISSING_TEXT
    return False


def parse_number(value: object, *, quantity: str = "registry_number") -> float | None:
    """A cell as a float, or None when it is missing; finite and within the range of
    ``quantity`` (:data:`isipo_geo.numbers.RANGES`), else ValueError.

    Persian and Arabic-Indic digits, the Persian separators ٬ (thousands) and ٫ (decimal), ASCII
    thousands commas in groups of three, and the Persian decimal slash (``۲/۵`` = 2.5) are read.

    Raises
    ------
    ValueError
        The cell is not a number; the message says why (a unit in the cell, an ambiguous comma).

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
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            rng = RANGES[quantity].text
            raise ValueError(f"{_short(value)} is out of range; allowed: {rng}") from None
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise ValueError(f"{value!r} is not a finite number")
        return _in_range(number, value, quantity)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a number (a {type(value).__name__} cell)")
    text = value.translate(_NUMBER_CHARS).strip()
    if text.lower() in MISSING_TEXT:
        return None
    if _PLAIN.match(text):
        number = float(text)
    elif _GROUPED.match(text):
        number = float(text.replace(",", ""))
    elif _SLASH_DECIMAL.match(text):
        number = float(text.replace("/", "."))
    elif "," in text and re.fullmatch(r"[+-]?\d+,\d+", text):
        raise ValueError(
            f"{value!r} is ambiguous: write the decimal point as '.' or '٫' and leave out "
            "thousands separators"
        )
    elif _LETTERS.search(text):
        raise ValueError(
            f"{value!r} is not a number; write only the number in the cell and the unit in the "
            "column header"
        )
    else:
        raise ValueError(f"{value!r} is not a number")
    if math.isinf(number):
        raise ValueError(f"{value!r} is not a finite number")
    return _in_range(number, value, quantity)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _in_range(number: float, value: object, quantity: str) -> float:
    """The one rule of :mod:`isipo_geo.numbers`: a number lies in its quantity's range."""
    rng = RANGES[quantity]
    if not float(rng.low) <= number <= float(rng.high):
        raise ValueError(f"{_short(value)} is out of range; allowed: {rng.text}")
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
        raise ValueError(f"{value!r} is not yes/no; write دارد/ندارد, بله/خیر, yes/no or 1/0")
    text = str(value).strip()
    if is_missing(text):
        return None
    key = fold(text) or text
    if key in _YES_NO:
        return _YES_NO[key]
    raise ValueError(f"{value!r} is not yes/no; write دارد/ندارد, بله/خیر, yes/no or 1/0")


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
        raise ValueError(f"{value!r} is not a coordinate; write decimal degrees such as 51.42")
    parts = match.groupdict()
    minutes = float(parts.get("min") or 0)
    seconds = float(parts.get("sec") or 0)
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"{value!r}: minutes and seconds must be below 60")
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
        raise ValueError(f"{value!r} is not a coordinate pair; write it as 'lon, lat'")
    first, second = parse_degrees(parts[0]), parse_degrees(parts[1])
    if first is None or second is None:
        raise ValueError(f"{value!r} is not a coordinate pair; write it as 'lon, lat'")
    return first, second


# ---------------------------------------------------------------------------------- units


class Unit(NamedTuple):
    """A unit a header may state: its dimension and the factor to the registry's unit."""

    key: str
    dimension: str  # "flow" (to L/s), "power" (to MW), "apparent_power" (kVA, MVA), "area" (ha),
    # "length" (km: gas and telecom networks)
    factor: float  # multiply a value in this unit by factor to get L/s, MW or ha
    label: str  # how messages name it


SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365  # for "million m³ per year" water allocations (a calendar year, not leap)

UNITS: dict[str, Unit] = {
    "lps": Unit("lps", "flow", 1.0, "L/s"),
    "m3_per_day": Unit("m3_per_day", "flow", 1000 / SECONDS_PER_DAY, "m³/day"),  # = 1/86.4
    "m3_per_hour": Unit("m3_per_hour", "flow", 1000 / 3600, "m³/h"),
    "m3_per_s": Unit("m3_per_s", "flow", 1000.0, "m³/s"),
    "mcm_per_year": Unit(
        "mcm_per_year", "flow", 1e9 / (DAYS_PER_YEAR * SECONDS_PER_DAY), "million m³/year"
    ),
    "mw": Unit("mw", "power", 1.0, "MW"),
    "kw": Unit("kw", "power", 1e-3, "kW"),
    "mva": Unit("mva", "apparent_power", 1.0, "MVA"),
    "kva": Unit("kva", "apparent_power", 1e-3, "kVA"),
    "ha": Unit("ha", "area", 1.0, "ha"),
    "m2": Unit("m2", "area", 1e-4, "m²"),
    "km2": Unit("km2", "area", 100.0, "km²"),
    "km": Unit("km", "length", 1.0, "km"),
}

# How headers write each unit (matched after fold, so spacing, ZWNJ, letter forms and
# punctuation do not matter).
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "lps": ("لیتر بر ثانیه", "لیتر در ثانیه", "لیتر/ثانیه", "لیتر ثانیه", "ل/ث", "l/s", "lps",
            "lit/s", "litre per second", "liter per second", "litres per second",
            "liters per second", "l per s"),
    "m3_per_day": ("متر مکعب در روز", "مترمکعب در روز", "متر مکعب در شبانه روز",
                   "مترمکعب در شبانه روز", "متر مکعب بر روز", "مترمکعب/روز", "متر مکعب روزانه",
                   "m3/day", "m3/d", "m3 per day", "cubic metres per day", "cubic meters per day",
                   "cmd"),
    "m3_per_hour": ("متر مکعب در ساعت", "مترمکعب در ساعت", "m3/h", "m3/hr", "m3 per hour"),
    "m3_per_s": ("متر مکعب در ثانیه", "مترمکعب در ثانیه", "متر مکعب بر ثانیه", "m3/s",
                 "m3 per second", "cumecs"),
    "mcm_per_year": ("میلیون متر مکعب در سال", "میلیون مترمکعب در سال", "mcm/year", "mcm/yr",
                     "million m3/year", "million m3 per year"),
    "mw": ("مگاوات", "مگا وات", "mw", "megawatt", "megawatts"),
    "kw": ("کیلووات", "کیلو وات", "kw", "kilowatt", "kilowatts"),
    "mva": ("مگاولت آمپر", "مگا ولت آمپر", "مگاولت امپر", "mva"),
    "kva": ("کیلوولت آمپر", "کیلو ولت آمپر", "کیلوولت امپر", "کیلو ولت امپر", "kva"),
    "ha": ("هکتار", "ha", "hectare", "hectares", "hect"),
    "m2": ("متر مربع", "مترمربع", "m2", "sq m", "square metres", "square meters"),
    "km2": ("کیلومتر مربع", "کیلومترمربع", "km2", "sq km", "square kilometres",
            "square kilometers"),
    "km": ("کیلومتر", "کیلو متر", "km", "kilometre", "kilometer", "kilometres", "kilometers"),
}

UNIT_INDEX: dict[str, str] = {fold(s): key for key, spellings in UNIT_SPELLINGS.items()
                              for s in spellings}

DIMENSION_LABELS = {
    "flow": "a water flow (L/s, m³/day, m³/h, m³/s, million m³/year)",
    "power": "a power (MW, kW; kVA and MVA with --power-factor)",
    "area": "an area (ha, m², km²)",
    "length": "a length (km)",
}


def find_unit(text: str) -> Unit | None:
    """The unit ``text`` names (``"متر مکعب در روز"``, ``"m³/day"``, ``"kVA"``), or None."""
    key = UNIT_INDEX.get(fold(text))
    return UNITS[key] if key else None


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

"""Units a user may write for a quantity — in a column header (``آب (متر مکعب در روز)``) or
after a number in a cell (``۱۲۰ هکتار``) — their spellings and their factors to the toolkit's
units (L/s, MW, ha). Data only; :mod:`isipo_geo.numbers` reads a unit written in a cell and
:mod:`isipo_geo.registry._headers` one written in a header.
"""

from __future__ import annotations

from typing import NamedTuple

from isipo_geo.names import fold


class Unit(NamedTuple):
    """A unit a header may state: its dimension and the factor to the registry's unit."""

    key: str
    dimension: str  # "flow" (to L/s), "power" (to MW), "apparent_power" (kVA, MVA), "area" (ha),
    # "length" (km: gas and telecom networks)
    factor: float  # multiply a value in this unit by factor to get L/s, MW or ha
    label: str  # how messages name it
    label_fa: str = ""  # how Persian messages name it


SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365  # for "million m³ per year" water allocations (a calendar year, not leap)

UNITS: dict[str, Unit] = {
    "lps": Unit("lps", "flow", 1.0, "L/s", "لیتر بر ثانیه"),
    "m3_per_day": Unit(  # factor 1/86.4
        "m3_per_day", "flow", 1000 / SECONDS_PER_DAY, "m³/day", "متر مکعب در روز"
    ),
    "m3_per_hour": Unit("m3_per_hour", "flow", 1000 / 3600, "m³/h", "متر مکعب در ساعت"),
    "m3_per_s": Unit("m3_per_s", "flow", 1000.0, "m³/s", "متر مکعب در ثانیه"),
    "mcm_per_year": Unit(
        "mcm_per_year", "flow", 1e9 / (DAYS_PER_YEAR * SECONDS_PER_DAY), "million m³/year",
        "میلیون متر مکعب در سال",
    ),
    "mw": Unit("mw", "power", 1.0, "MW", "مگاوات"),
    "kw": Unit("kw", "power", 1e-3, "kW", "کیلووات"),
    "mva": Unit("mva", "apparent_power", 1.0, "MVA", "مگاولت‌آمپر"),
    "kva": Unit("kva", "apparent_power", 1e-3, "kVA", "کیلوولت‌آمپر"),
    "ha": Unit("ha", "area", 1.0, "ha", "هکتار"),
    "m2": Unit("m2", "area", 1e-4, "m²", "متر مربع"),
    "km2": Unit("km2", "area", 100.0, "km²", "کیلومتر مربع"),
    "km": Unit("km", "length", 1.0, "km", "کیلومتر"),
    # the registry's criteria columns (data/estates/criteria_columns.csv)
    "count": Unit("count", "count", 1.0, "a count", "شمار"),
    "pct": Unit("pct", "share", 1.0, "%", "درصد"),
    "bn_toman": Unit("bn_toman", "money", 1.0, "bn toman", "میلیارد تومان"),
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
    "count": ("نفر", "تعداد", "عدد", "count", "persons", "people"),
    "pct": ("٪", "%", "درصد", "percent", "pct"),
    "bn_toman": ("میلیارد تومان", "bn toman", "billion toman", "bn_toman"),
}

UNIT_INDEX: dict[str, str] = {fold(s): key for key, spellings in UNIT_SPELLINGS.items()
                              for s in spellings}

DIMENSION_LABELS = {
    "flow": "a water flow (L/s, m³/day, m³/h, m³/s, million m³/year)",
    "power": "a power (MW, kW; kVA and MVA with --power-factor)",
    "area": "an area (ha, m², km²)",
    "length": "a length (km)",
    "count": "a count (people, units)",
    "share": "a percentage (%)",
    "money": "an amount of money (bn toman)",
}


def find_unit(text: str) -> Unit | None:
    """The unit ``text`` names (``"متر مکعب در روز"``, ``"m³/day"``, ``"kVA"``), or None."""
    key = UNIT_INDEX.get(fold(text))
    return UNITS[key] if key else None




# the toolkit's columns name their unit by their last word: area_ha, water_deficit_lps, ...
COLUMN_UNITS = {"ha": "ha", "lps": "lps", "mw": "mw", "pct": "pct", "toman": "bn_toman"}


def column_unit(column: str) -> str | None:
    """The key of the unit a registry column is in, by its name (``area_ha`` → ``"ha"``), or
    None for a column without one.

    Examples
    --------
    >>> column_unit("water_deficit_lps"), column_unit("lon")
    ('lps', None)
    """
    return COLUMN_UNITS.get(column.rsplit("_", 1)[-1])

"""The estate registry's columns and vocabularies, shared by the shipped registry
(``data/estates/estates.csv``), :mod:`isipo_geo.estates` and the importer.

A registry is a UTF-8 CSV (written with a BOM so Excel shows Persian correctly) with the columns
of :data:`REGISTRY_COLUMNS`; an empty cell means *unknown*, never zero.
"""

from __future__ import annotations

# column -> pandas dtype
REGISTRY_COLUMNS: dict[str, str] = {
    "id": "string",
    "name_fa": "string",
    "name_en": "string",
    "kind": "string",
    "province": "string",  # province key (isipo_geo.names.resolve_province)
    "status": "string",
    "area_ha": "Float64",
    "water_supplied_lps": "Float64",
    "water_demand_lps": "Float64",
    "water_deficit_lps": "Float64",
    "power_supplied_mw": "Float64",
    "power_demand_mw": "Float64",
    "power_deficit_mw": "Float64",
    "has_water": "boolean",
    "has_power": "boolean",
    "has_gas": "boolean",
    "has_telecom": "boolean",
    "has_fibre": "boolean",
    "has_wwtp": "boolean",
    "lon": "Float64",
    "lat": "Float64",
    "location_precision": "string",  # one of LOCATION_PRECISIONS, empty when no location
    "year": "string",  # Jalali year the row's figures refer to (e.g. 1403); empty = unknown
    "source": "string",  # where the row came from (report lines, a user's file and row)
    "flags": "string",  # ';'-separated warnings kept with the row (e.g. outside_stated_province)
}

REQUIRED_COLUMNS = ("id", "name_fa", "kind", "province")

KINDS = ("industrial_estate", "industrial_zone", "special_economic_zone", "technology_estate")

# Persian and English spellings of each kind (matched after isipo_geo.names.fold).
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "industrial_estate": ("شهرک صنعتی", "شهرک", "industrial estate", "estate", "industrial park"),
    "industrial_zone": ("ناحیه صنعتی", "ناحیه", "industrial zone", "zone"),
    "special_economic_zone": (
        "منطقه ویژه اقتصادی",
        "منطقه ویژه",
        "special economic zone",
        "sez",
    ),
    "technology_estate": ("شهرک فناوری", "technology estate", "technology park"),
}

STATUSES = ("operational", "under_construction", "planned", "approved", "inactive", "unknown")

STATUS_ALIASES: dict[str, tuple[str, ...]] = {
    "operational": (
        "فعال",
        "بهره برداری",
        "بهره بردار",
        "در حال بهره برداری",
        "operational",
        "active",
    ),
    "under_construction": (
        "در حال احداث",
        "در دست احداث",
        "در حال توسعه",
        "under construction",
        "under development",
    ),
    "planned": ("در دست مطالعه", "مطالعاتی", "planned", "study"),
    "approved": ("مصوب", "تصویب شده", "approved"),
    "inactive": ("غیر فعال", "غیرفعال", "راکد", "inactive", "idle"),
    "unknown": ("نامعلوم", "unknown"),
}

LOCATION_PRECISIONS = ("estate", "town", "province")

UTILITY_COLUMNS = tuple(c for c in REGISTRY_COLUMNS if c.startswith(("water_", "power_", "has_")))

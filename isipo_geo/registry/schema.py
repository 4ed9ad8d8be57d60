"""The estate registry's columns and vocabularies, shared by the shipped registry
(``data/estates/estates.csv``), :mod:`isipo_geo.registry.estates` and the importer.

A registry is a UTF-8 CSV (written with a BOM so Excel shows Persian correctly) with the columns
of :data:`REGISTRY_COLUMNS`; an empty cell means *unknown*, never zero.
"""

from __future__ import annotations

from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS
from isipo_geo.utilities import UTILITIES, figure_columns


def _yes_no_columns() -> list[str]:
    """Each utility's yes/no column, and ``has_fibre`` after telecom's (sources state optical
    fibre apart from telephone lines)."""
    columns = [u.has_column for u in UTILITIES]
    at = columns.index("has_telecom") + 1 if "has_telecom" in columns else len(columns)
    return [*columns[:at], "has_fibre", *columns[at:]]


# column -> pandas dtype; the utilities' columns come from data/utilities/utilities.csv
REGISTRY_COLUMNS: dict[str, str] = {
    "id": "string",
    "name_fa": "string",
    "name_en": "string",
    "kind": "string",
    "province": "string",  # province key (isipo_geo.names.resolve_province)
    "status": "string",
    "area_ha": "Float64",
    **dict.fromkeys(figure_columns(), "Float64"),  # water_supplied_lps ... gas_deficit_km ...
    **dict.fromkeys(_yes_no_columns(), "boolean"),
    "lon": "Float64",
    "lat": "Float64",
    "location_precision": "string",  # one of LOCATION_PRECISIONS, empty when no location
    "year": "string",  # Jalali year the row's figures refer to (e.g. 1403); empty = unknown
    "source": "string",  # where the row came from (report lines, a user's file and row)
    "flags": "string",  # ';'-separated warnings kept with the row (e.g. outside_stated_province)
    "county": "string",  # OSM county (شهرستان) name without «شهرستان», empty when unknown
    "operator": "string",  # one of OPERATORS; empty = not stated (a user's registry: ISIPO)
    "status_year": "Int64",  # Jalali year the status was stated for
    "geonames_id": "Int64",  # the GeoNames place used when located at a town
    "utilities_stated": "string",  # what sources state, with the year: "gas=yes (1394); ..."
    "note": "string",  # conflicts between sources (areas), name variants, caveats
    # jobs, units_operating, units_idle, occupancy_pct, investment_bn_toman: what a budget can
    # score on (data/estates/criteria_columns.csv); empty = unknown
    **{c.column: "Float64" for c in CRITERIA_COLUMNS},
}

REQUIRED_COLUMNS = ("id", "name_fa", "kind", "province")

KINDS = (
    "industrial_estate",
    "industrial_zone",
    "special_economic_zone",
    "technology_estate",
    "specialised_estate",  # شهرک تخصصی: a themed estate (leather, marine industries, pharma …)
    "guild_estate",  # شهرک صنفی (صنعتی): workshops of a trade, often a municipality's
    "private_estate",  # شهرک صنعتی غیردولتی / خصوصی: licensed by ISIPO, built and run privately
    "free_zone",  # منطقه آزاد تجاری-صنعتی: not ISIPO's
    "industrial_city",  # «شهر صنعتی» (Kaveh, Alborz …): run by their own companies
    "other",  # named industrial by a source, none of the above (a complex, a greenhouse estate)
)

# Who runs an estate. Only ``isipo`` rows of the kinds the report counts are among its 844.
OPERATORS = ("isipo", "private", "guild", "free_zone", "other_body", "unknown")

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
    "specialised_estate": ("شهرک تخصصی", "شهرک صنعتی تخصصی", "specialised estate"),
    "guild_estate": ("شهرک صنفی", "شهرک صنفی صنعتی", "guild estate"),
    "private_estate": ("شهرک صنعتی غیردولتی", "شهرک صنعتی خصوصی", "private estate"),
    "free_zone": ("منطقه آزاد", "منطقه آزاد تجاری صنعتی", "free zone"),
    "industrial_city": ("شهر صنعتی", "industrial city"),
    "other": ("سایر", "other"),
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

LOCATION_PRECISIONS = ("estate", "town", "county", "province")

UTILITY_COLUMNS = (*figure_columns(), *_yes_no_columns())

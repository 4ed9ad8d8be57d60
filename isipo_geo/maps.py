"""Build the national and province maps of financing need (folium objects; no file I/O).

The steps are pure functions:

1. :func:`simplify_provinces` — shared borders simplified together (``shapely.coverage_simplify``)
   and coordinates put on a 0.001° grid;
2. :func:`province_needs` — the funding table (:func:`isipo_geo.finance.funding_table`) as need
   and basis per province and utility, validated;
3. :func:`map_data` — everything the maps share (classes, tooltips, legend, encoded shapes,
   estate markers), computed once;
4. :func:`national_map` / :func:`province_map` — a :class:`folium.Map` on a self-contained page
   (write it with :func:`isipo_geo._html.render` and :func:`isipo_geo._html.write_text`).

Every string from data is escaped in Python (:func:`isipo_geo._html.escape`) before it becomes
HTML, and reaches the page as JSON through :func:`isipo_geo._html.js_value`, never through a
template. Figures estimated by allocation are drawn hatched with a dashed outline and labelled
"برآورد / estimate"; reported and derived figures are drawn plain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from isipo_geo import _html
from isipo_geo._html import escape, format_number
from isipo_geo.errors import InputError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

REPORT_YEAR = 1400  # Jalali year of the ISIPO report the shipped figures come from
TOTAL = "total"
FUNDING_COLUMNS = (
    "scope",
    "province",
    "estate_id",
    "utility",
    "scenario",
    "deficit",
    "deficit_unit",
    "need",
    "currency",
    "scale",
    "basis",
)
ESTATE_COLUMNS = ("name_fa", "kind")

# ColorBrewer YlOrBr (5 classes, light to dark); NODATA for provinces without a figure.
PALETTE = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
NODATA_COLOR = "#d0d0d0"
GREY_FILL, GREY_LINE = "#e6e6e6", "#8c8c8c"

# Okabe-Ito colours (colour-blind safe) for the kinds of estate; outline by utility status.
KIND_COLORS = {
    "industrial_estate": "#0072B2",
    "industrial_zone": "#009E73",
    "special_economic_zone": "#CC79A7",
    "technology_estate": "#56B4E9",
    "": "#777777",
}
UTILITY_STATUS = {  # status -> (outline colour, Persian, English)
    "deficit": ("#d7191c", "کمبود آب یا برق", "water or power deficit"),
    "supplied": ("#ffffff", "آب و برق تأمین", "water and power supplied"),
    "unknown": ("#555555", "وضعیت نامعلوم", "status unknown"),
}

UTILITY_LABELS = {
    "water": ("آب", "water"),
    "power": ("برق", "power"),
    "gas": ("گاز", "gas"),
    "telecom": ("مخابرات", "telecom"),
    "fibre": ("فیبر نوری", "fibre"),
    "wastewater": ("فاضلاب", "wastewater"),
    "wwtp": ("تصفیه‌خانه فاضلاب", "wastewater plant"),
    TOTAL: ("کل", "total"),
}
UNIT_LABELS = {
    "lps": ("لیتر بر ثانیه", "L/s"),
    "mw": ("مگاوات", "MW"),
    "count": ("شهرک", "estates"),
    "km": ("کیلومتر", "km"),
    "m3_per_day": ("متر مکعب در روز", "m³/day"),
}
SCENARIO_LABELS = {
    "essential": ("کمبود ضروری", "essential deficit"),
    "whole": ("کل کمبود", "whole deficit"),
    "registry": ("فهرست شهرک‌ها", "registry deficits"),
}
ALLOCATION_LABELS = {
    "equal": ("سهم برابر استان‌ها", "equal shares"),
    "area": ("مساحت استان", "province area"),
    "reactivation_plan": ("برنامه احیای واحدهای راکد ۱۴۰۰", "1400 re-activation plan"),
    "weights": ("وزن‌های کاربر", "user weights"),
}
KIND_LABELS = {
    "industrial_estate": ("شهرک صنعتی", "industrial estate"),
    "industrial_zone": ("ناحیه صنعتی", "industrial zone"),
    "special_economic_zone": ("منطقه ویژه اقتصادی", "special economic zone"),
    "technology_estate": ("شهرک فناوری", "technology estate"),
}
STATUS_LABELS = {
    "operational": ("در حال بهره‌برداری", "operational"),
    "under_construction": ("در حال احداث", "under construction"),
    "planned": ("در دست مطالعه", "planned"),
    "approved": ("مصوب", "approved"),
    "inactive": ("غیرفعال", "inactive"),
    "unknown": ("نامعلوم", "unknown"),
}
PRECISION_LABELS = {
    "estate": ("موقعیت شهرک", "estate location"),
    "town": ("تقریبی: موقعیت شهر", "approximate: town location"),
}


def _label(table: dict[str, tuple[str, str]], key: str) -> tuple[str, str]:
    return table.get(key, (key, key))


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA (raises)
    except TypeError:
        return True


def _text(value: object) -> str:
    return "" if _missing(value) else str(value).strip()


def _float(value: object) -> float:
    return math.nan if _missing(value) or _text(value) == "" else float(value)  # type: ignore[arg-type]


# --- geometry ---------------------------------------------------------------------------------


def simplify_provinces(
    provinces: gpd.GeoDataFrame, *, tolerance_deg: float = 0.005, grid_deg: float = 0.001
) -> gpd.GeoDataFrame:
    """Simplify the province polygons together, so neighbours keep one shared border.

    Parameters
    ----------
    provinces
        Polygons in EPSG:4326 (:func:`isipo_geo.provinces.load_provinces`).
    tolerance_deg
        Simplification tolerance in degrees (0.005° ≈ 500 m: below a pixel up to zoom 8).
    grid_deg
        Coordinates are snapped to this grid (0.001° ≈ 100 m).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with simplified, snapped geometries and a ``label_lon``/``label_lat`` point
        (the centre of the largest inscribed circle of the largest part) for labels.

    Raises
    ------
    InputError
        The polygons have no CRS or are not in EPSG:4326.
    """
    import numpy as np
    import shapely

    if provinces.crs is None or provinces.crs.to_epsg() != 4326:
        raise InputError(
            "province polygons must be in EPSG:4326 (lon/lat); reproject with .to_crs(4326)"
        )
    geoms = shapely.coverage_simplify(np.asarray(provinces.geometry.values), tolerance_deg)
    geoms = shapely.set_precision(geoms, grid_deg)
    out = provinces.copy()
    out.geometry = list(geoms)
    label_lon, label_lat = [], []
    for geom in provinces.geometry.values:
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        centre = shapely.get_point(shapely.maximum_inscribed_circle(part, 0.01), 0)
        label_lon.append(round(centre.x, 3))
        label_lat.append(round(centre.y, 3))
    out["label_lon"] = label_lon
    out["label_lat"] = label_lat
    return out


_SCALE = 1000  # encoded coordinates are integers in 1/1000 degree


def _polyline_int(value: int) -> str:
    """One signed integer in Google's Encoded Polyline Algorithm (ASCII 63-126)."""
    v = ~(value << 1) if value < 0 else value << 1
    out = []
    while v >= 0x20:
        out.append(chr((0x20 | (v & 0x1F)) + 63))
        v >>= 5
    out.append(chr(v + 63))
    return "".join(out)


def encode_ring(coords: Any) -> str:
    """A ring as an encoded polyline (lat, lon in 1/1000 degree; Google's algorithm), with
    repeated points and the closing point dropped (Leaflet closes polygons itself).

    Examples
    --------
    >>> encode_ring([(51.0, 35.0), (51.001, 35.0), (51.001, 35.002), (51.0, 35.0)])
    'ojcAorbB?AC?'
    """
    points = list(coords)
    if len(points) > 1 and tuple(points[0]) == tuple(points[-1]):
        points = points[:-1]
    out: list[str] = []
    last = (0, 0)
    for x, y, *_ in points:
        current = (round(y * _SCALE), round(x * _SCALE))
        if current == last and out:
            continue
        out.append(_polyline_int(current[0] - last[0]) + _polyline_int(current[1] - last[1]))
        last = current
    return "".join(out) if len(out) >= 3 else ""


def _encode_polygons(geom: Any) -> list[list[str]]:
    """[[exterior, hole, ...], ...] per part, each ring an encoded polyline."""
    encoded = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        rings = [encode_ring(r.coords) for r in (poly.exterior, *poly.interiors)]
        rings = [r for r in rings if r]
        if rings:
            encoded.append(rings)
    return encoded


# --- the funding table ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceNeeds:
    """Need and basis per province (rows: the 31 keys) and layer (utilities, then ``total``)."""

    layers: tuple[str, ...]
    need: pd.DataFrame  # float, NaN = unknown
    basis: pd.DataFrame  # str, "" = unknown
    deficit: pd.DataFrame  # float, utilities only
    deficit_unit: dict[str, str]
    nation: dict[str, float]  # layer -> national need
    estate_need: dict[str, dict[str, float]]  # estate id -> utility -> need
    scenario: str
    currency: str
    scale: str


def is_estimate(basis: str) -> bool:
    """Whether a basis marks an estimate (an allocated share, alone or in a mix)."""
    return "allocated" in basis


def basis_labels(basis: str) -> tuple[str, str]:
    """Persian and English wording of a basis (``reported``, ``derived``, ``allocated:<key>``,
    ``mixed:<a>+<b>``)."""
    if not basis:
        return ("بدون داده", "no data")
    if basis.startswith("mixed:"):
        parts = [basis_labels(p) for p in basis.removeprefix("mixed:").split("+")]
        return (
            "ترکیبی: " + "، ".join(p[0] for p in parts),
            "mixed: " + ", ".join(p[1] for p in parts),
        )
    if basis.startswith("allocated:"):
        fa, en = _label(ALLOCATION_LABELS, basis.removeprefix("allocated:"))
        return (f"برآورد، تخصیص به نسبت {fa}", f"estimate, allocated by {en}")
    return {
        "reported": ("گزارش‌شده", "reported"),
        "derived": ("محاسبه از ارقام گزارش‌شده", "derived from reported figures"),
    }.get(basis, (basis, basis))


def province_needs(funding: pd.DataFrame, province_keys: list[str]) -> ProvinceNeeds:
    """Need and basis per province and utility from a funding table.

    Parameters
    ----------
    funding
        Long table with at least the columns of :data:`FUNDING_COLUMNS` (as returned by
        :func:`isipo_geo.finance.funding_table`), for one scenario, currency and scale.
        ``need`` may hold Decimals, floats or None. A ``total`` utility row is used when present;
        otherwise the total is the sum of the utilities with a figure.
    province_keys
        The provinces to show, in order.

    Raises
    ------
    InputError
        A column is missing, several scenarios/currencies are mixed, a province key is unknown,
        a need is not a number, or a province has two rows for one utility.
    """
    import pandas as pd

    missing = [c for c in FUNDING_COLUMNS if c not in funding.columns]
    if missing:
        raise InputError(
            f"the funding table lacks the columns {', '.join(missing)}; "
            "build it with isipo_geo.finance.funding_table()"
        )
    for column in ("scenario", "currency", "scale"):
        values = sorted({_text(v) for v in funding[column]} - {""})
        if len(values) > 1:
            raise InputError(
                f"the funding table mixes {column} values ({', '.join(values)}); map one at a time",
                column=column,
            )
    first = funding.iloc[0] if len(funding) else None
    scenario, currency, scale = (
        (_text(first["scenario"]), _text(first["currency"]), _text(first["scale"]))
        if first is not None
        else ("", "", "")
    )
    known = set(province_keys)
    need: dict[tuple[str, str], float] = {}
    basis: dict[tuple[str, str], str] = {}
    deficit: dict[tuple[str, str], float] = {}
    units: dict[str, str] = {}
    nation: dict[str, float] = {}
    estate_need: dict[str, dict[str, float]] = {}
    utilities: set[str] = set()
    for pos, row in enumerate(funding.itertuples(index=False), start=1):
        scope, utility = _text(row.scope), _text(row.utility)
        try:
            value = _float(row.need)
            amount = _float(row.deficit)
        except (TypeError, ValueError):
            raise InputError(
                f"need/deficit {row.need!r}/{row.deficit!r} is not a number", row=pos
            ) from None
        if utility != TOTAL and utility:
            utilities.add(utility)
            if _text(row.deficit_unit):
                units.setdefault(utility, _text(row.deficit_unit))
        if scope == "nation":
            nation[utility] = value
        elif scope == "estate":
            estate_need.setdefault(_text(row.estate_id), {})[utility] = value
        elif scope == "province":
            key = _text(row.province)
            if key not in known:
                raise InputError(
                    f"unknown province key {key!r}; use isipo_geo.names.resolve_province",
                    row=pos,
                    column="province",
                )
            if (key, utility) in need:
                raise InputError(f"two rows for province {key!r} and utility {utility!r}", row=pos)
            need[(key, utility)] = value
            basis[(key, utility)] = _text(row.basis) if not math.isnan(value) else ""
            deficit[(key, utility)] = amount
        else:
            raise InputError(
                f"scope {scope!r} is not nation, province or estate", row=pos, column="scope"
            )
    order = {"water": 0, "power": 1, "gas": 2, "telecom": 3}
    ordered = sorted(utilities, key=lambda u: (order.get(u, 99), u))
    layers = (TOTAL, *ordered)
    need_df = pd.DataFrame(
        {u: [need.get((k, u), math.nan) for k in province_keys] for u in layers},
        index=province_keys,
        dtype="float64",
    )
    basis_df = pd.DataFrame(
        {u: [basis.get((k, u), "") for k in province_keys] for u in layers}, index=province_keys
    )
    has_total_rows = any(u == TOTAL for _, u in need)
    if not has_total_rows:
        need_df[TOTAL] = need_df[list(ordered)].sum(axis=1, min_count=1) if ordered else math.nan
        basis_df[TOTAL] = [_combine_bases(basis_df.loc[k, list(ordered)]) for k in province_keys]
    for layer in layers:  # without nation rows, the nation is the sum of the provinces
        if layer not in nation:
            nation[layer] = float(need_df[layer].sum(min_count=1))
    deficit_df = pd.DataFrame(
        {u: [deficit.get((k, u), math.nan) for k in province_keys] for u in ordered},
        index=province_keys,
        dtype="float64",
    )
    return ProvinceNeeds(
        layers=layers,
        need=need_df,
        basis=basis_df,
        deficit=deficit_df,
        deficit_unit=units,
        nation=nation,
        estate_need=estate_need,
        scenario=scenario,
        currency=currency,
        scale=scale,
    )


def _combine_bases(bases: Any) -> str:
    found = sorted({b for b in bases if b})
    if not found:
        return ""
    return found[0] if len(found) == 1 else "mixed:" + "+".join(found)


def classify(values: pd.Series, *, k: int = 5) -> tuple[list[int], list[float]]:
    """Fisher-Jenks classes (mapclassify) of the known values; -1 for unknown.

    Returns the class of each value and the upper bound of each class. Fewer classes are made
    when there are fewer distinct values than ``k`` (then each class is one value).

    Examples
    --------
    >>> import pandas as pd
    >>> classify(pd.Series([415.06, 415.035, float("nan")]))
    ([0, 0, -1], [415.0])
    """
    import numpy as np

    # Classes are made on the values as readers see them (rounded for display), so two values
    # shown alike never fall into different classes.
    values = values.map(lambda v: v if math.isnan(v) else round(v, _html.display_decimals(v)))
    known = values.dropna()
    distinct = np.unique(known.to_numpy(dtype="float64"))
    if len(distinct) == 0:
        return [-1] * len(values), []
    if len(distinct) <= k:
        bins = [float(v) for v in distinct]
    else:
        import warnings

        import mapclassify

        with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is fine
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            fj = mapclassify.FisherJenks(known.to_numpy(dtype="float64"), k=k)
        bins = [float(b) for b in fj.bins]
    classes = [
        -1 if math.isnan(v) else int(np.searchsorted(np.asarray(bins), v, side="left"))
        for v in values.to_numpy(dtype="float64")
    ]
    return classes, bins


def class_colors(n: int) -> list[int]:
    """Indices into :data:`PALETTE` for ``n`` classes, spread over the palette (one class gets
    the middle colour).

    Examples
    --------
    >>> class_colors(1), class_colors(3), class_colors(5)
    ([2], [0, 2, 4], [0, 1, 2, 3, 4])
    """
    last = len(PALETTE) - 1
    if n <= 1:
        return [last // 2] * n
    return [round(i * last / (n - 1)) for i in range(n)]


def class_ranges(
    values: pd.Series, classes: list[int], bins: list[float]
) -> list[tuple[float, float]]:
    """(smallest, largest) value of each class, as the legend shows them (ranges never overlap).

    Examples
    --------
    >>> import pandas as pd
    >>> values = pd.Series([0.0, 0.0, 1608.0, 8041.0])
    >>> class_ranges(values, *classify(values))
    [(0.0, 0.0), (1608.0, 1608.0), (8041.0, 8041.0)]
    """
    out = []
    array = values.to_numpy(dtype="float64")
    for ci, high in enumerate(bins):
        members = [v for v, c in zip(array, classes, strict=True) if c == ci]
        out.append((float(min(members)), float(max(members))) if members else (high, high))
    return out


# --- shared map data --------------------------------------------------------------------------


@dataclass(frozen=True)
class MapData:
    """What every map of one funding table shares (see :func:`map_data`)."""

    provinces: gpd.GeoDataFrame  # simplified, with label_lon/label_lat
    needs: ProvinceNeeds
    classes: dict[str, tuple[list[int], list[float]]]
    tips: dict[str, str]  # province key -> tooltip HTML (escaped)
    shapes: list[Any]  # polygons as encoded polylines, in province order
    estates: list[dict[str, Any]]  # one marker per located estate, sorted by id
    unlocated: dict[str, int]  # province key -> estates without a usable location
    digits: str
    year: int


def map_data(
    provinces: gpd.GeoDataFrame,
    funding: pd.DataFrame,
    estates: gpd.GeoDataFrame | None = None,
    *,
    digits: str = "fa",
    year: int = REPORT_YEAR,
    k: int = 5,
    tolerance_deg: float = 0.005,
) -> MapData:
    """Prepare everything the national and province maps share (pure).

    Parameters
    ----------
    provinces
        The 31 province polygons (:func:`isipo_geo.provinces.load_provinces`), indexed by key.
    funding
        The funding table (:func:`isipo_geo.finance.funding_table`).
    estates
        Estate points (:func:`isipo_geo.estates.load_estates`), indexed by id; ``None`` for none.
        Estates without a point, or located only to their province, are counted, not drawn.
    digits
        ``"fa"`` (Persian digits in Persian text) or ``"latin"``. English text uses Latin digits.
    year
        The Jalali year the figures refer to.
    k
        Number of classes of the choropleth.
    tolerance_deg
        Simplification tolerance of the province borders.

    Examples
    --------
    >>> from isipo_geo.provinces import load_provinces
    >>> import pandas as pd
    >>> p = load_provinces()
    >>> rows = [dict(scope="province", province=key, estate_id="", utility="water",
    ...              scenario="essential", deficit=10.0, deficit_unit="lps", need=25.0,
    ...              currency="toman", scale="billion", basis="allocated:equal") for key in p.index]
    >>> data = map_data(p, pd.DataFrame(rows))
    >>> data.needs.layers
    ('total', 'water')
    """
    if digits not in _html.DIGIT_STYLES:
        raise InputError(f"digits must be fa or latin, not {digits!r}")
    simple = simplify_provinces(provinces, tolerance_deg=tolerance_deg)
    keys = [str(k_) for k_ in simple.index]
    needs = province_needs(funding, keys)
    classes = {layer: classify(needs.need[layer], k=k) for layer in needs.layers}
    tips = {
        key: _province_tip(simple.loc[key], needs, key, digits=digits, year=year) for key in keys
    }
    shapes = [_encode_polygons(g) for g in simple.geometry.values]
    markers, unlocated = _estate_markers(estates, needs, digits=digits)
    return MapData(
        provinces=simple,
        needs=needs,
        classes=classes,
        tips=tips,
        shapes=shapes,
        estates=markers,
        unlocated=unlocated,
        digits=digits,
        year=year,
    )


def _money_labels(needs: ProvinceNeeds) -> tuple[str, str]:
    from isipo_geo.money import CURRENCY_LABELS

    return CURRENCY_LABELS.get((needs.currency, needs.scale), (needs.currency, needs.currency))


def _fa_en(fa: str, en: str, *, tag: str = "div") -> str:
    """Persian block (right-to-left) then English block; both arguments are HTML already."""
    return (
        f'<{tag} dir="rtl" lang="fa">{fa}</{tag}>'
        f'<{tag} dir="ltr" lang="en" class="ig-en">{en}</{tag}>'
    )


def short_basis(basis: str) -> tuple[str, str]:
    """One or two words for a basis, as tooltips show it (the legend explains them)."""
    if not basis:
        return ("", "")
    if basis.startswith("mixed:"):
        return ("بخشی برآورد", "partly estimate") if is_estimate(basis) else ("ترکیبی", "mixed")
    if basis.startswith("allocated:"):
        return ("برآورد", "estimate")
    return {"reported": ("گزارش‌شده", "reported"), "derived": ("محاسبه‌شده", "derived")}.get(
        basis, (basis, basis)
    )


def _province_tip(row: Any, needs: ProvinceNeeds, key: str, *, digits: str, year: int) -> str:
    money_fa, money_en = _money_labels(needs)
    fa_rows, en_rows = [], []
    layers = needs.layers[1:] + ((TOTAL,) if len(needs.layers) > 2 else ())
    for layer in layers:
        value = needs.need.loc[key, layer]
        basis = needs.basis.loc[key, layer]
        ufa, uen = _label(UTILITY_LABELS, layer)
        bfa, ben = short_basis(basis)
        amount_fa = amount_en = ""
        if layer != TOTAL:
            amount = needs.deficit.loc[key, layer]
            if not math.isnan(amount):
                unit_fa, unit_en = _label(UNIT_LABELS, needs.deficit_unit.get(layer, ""))
                amount_fa = f"{format_number(amount, digits=digits)} {unit_fa}"
                amount_en = f"{format_number(amount, digits='latin')} {unit_en}, "
        fa_rows.append(
            f"<tr><th>{escape(ufa)}</th><td>{escape(format_number(value, digits=digits))}</td>"
            f"<td>{escape(amount_fa)}</td><td>{escape(bfa)}</td></tr>"
        )
        en_rows.append(
            f"{escape(uen)} {escape(format_number(value, digits='latin'))} "
            f"({escape(amount_en)}{escape(ben)})"
        )
    fa = (
        f"<b>{escape(_text(row['name_fa']))}</b><br>"
        f"نیاز مالی {escape(_year_text(year, digits))}، {escape(money_fa)}"
        '<table class="ig-t"><tr><td></td><th>نیاز</th><th>کمبود</th><th>مبنا</th></tr>'
        f"{''.join(fa_rows)}</table>"
    )
    en = f"<b>{escape(_text(row['name_en']))}</b> · need {year}, {escape(money_en)}: " + "; ".join(
        en_rows
    )
    return _fa_en(fa, en)


def _utility_status(row: Any) -> str:
    deficits = [_float(row.get(c)) for c in ("water_deficit_lps", "power_deficit_mw")]
    flags = [row.get(c) for c in ("has_water", "has_power")]
    if any(d > 0 for d in deficits if not math.isnan(d)) or any(
        not _missing(f) and not bool(f) for f in flags
    ):
        return "deficit"
    if all(not _missing(f) and bool(f) for f in flags):
        return "supplied"
    return "unknown"


def _estate_markers(
    estates: gpd.GeoDataFrame | None, needs: ProvinceNeeds, *, digits: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    if estates is None or len(estates) == 0:
        return [], {}
    missing = [c for c in ESTATE_COLUMNS if c not in estates.columns]
    if missing:
        raise InputError(f"the estates table lacks the columns {', '.join(missing)}")
    money_fa, money_en = _money_labels(needs)
    markers: list[dict[str, Any]] = []
    unlocated: dict[str, int] = {}
    for ident in sorted(estates.index, key=str):
        row = estates.loc[ident]
        province = _text(row.get("province"))
        geom = row.geometry
        precision = _text(row.get("location_precision"))
        if geom is None or geom.is_empty or precision == "province":
            unlocated[province] = unlocated.get(province, 0) + 1
            continue
        kind = _text(row.get("kind"))
        kfa, ken = _label(KIND_LABELS, kind)
        sfa, sen = _label(STATUS_LABELS, _text(row.get("status")) or "unknown")
        ustatus = _utility_status(row)
        _, ufa, uen = UTILITY_STATUS[ustatus]
        name_fa, name_en = _text(row.get("name_fa")), _text(row.get("name_en"))
        lines_fa = [f"{escape(kfa)} · {escape(sfa)}", escape(ufa)]
        lines_en = [f"{escape(ken)} · {escape(sen)}", escape(uen)]
        for column, utility, unit in (
            ("water_deficit_lps", "water", "lps"),
            ("power_deficit_mw", "power", "mw"),
        ):
            amount = _float(row.get(column))
            if not math.isnan(amount):
                lfa, len_ = UTILITY_LABELS[utility]
                unit_fa, unit_en = UNIT_LABELS[unit]
                lines_fa.append(
                    f"کمبود {lfa}: {escape(format_number(amount, digits=digits))} {unit_fa}"
                )
                lines_en.append(
                    f"{len_} deficit: {format_number(amount, digits='latin')} {unit_en}"
                )
        for utility, value in sorted(needs.estate_need.get(str(ident), {}).items()):
            if utility == TOTAL or math.isnan(value):
                continue
            lfa, len_ = _label(UTILITY_LABELS, utility)
            lines_fa.append(
                f"نیاز {escape(lfa)}: {escape(format_number(value, digits=digits))} "
                f"{escape(money_fa)}"
            )
            lines_en.append(
                f"{escape(len_)} need: {format_number(value, digits='latin')} {escape(money_en)}"
            )
        if precision in PRECISION_LABELS:
            pfa, pen = PRECISION_LABELS[precision]
            lines_fa.append(pfa)
            lines_en.append(pen)
        source = _text(row.get("source"))
        if source:
            lines_en.append("source: " + escape(source))
        tip = _fa_en(f"<b>{escape(name_fa)}</b>", escape(name_en) if name_en else "")
        popup = _fa_en(
            f"<b>{escape(name_fa)}</b><br>" + "<br>".join(lines_fa),
            (f"<b>{escape(name_en)}</b><br>" if name_en else "") + "<br>".join(lines_en),
        )
        markers.append(
            {
                "id": str(ident),
                "province": province,
                "lat": round(float(geom.y), 5),
                "lon": round(float(geom.x), 5),
                "kind": kind if kind in KIND_COLORS else "",
                "status": ustatus,
                "approx": precision != "estate",
                "tip": tip,
                "popup": popup,
            }
        )
    return markers, unlocated


# --- the page ---------------------------------------------------------------------------------


def _year_text(year: int, digits: str) -> str:
    return format_number(year, digits=digits, decimals=0).replace("٬", "").replace(",", "")


def _legend_html(data: MapData, markers: list[dict[str, Any]], unlocated: int) -> str:
    needs, digits = data.needs, data.digits
    money_fa, money_en = _money_labels(needs)
    sfa, sen = _label(SCENARIO_LABELS, needs.scenario)
    year_fa = _year_text(data.year, digits)
    parts = []
    for li, layer in enumerate(needs.layers):
        ufa, uen = _label(UTILITY_LABELS, layer)
        classes, bins = data.classes[layer]
        rows = []
        colors = class_colors(len(bins))
        for ci, (low, high) in enumerate(class_ranges(needs.need[layer], classes, bins)):
            lo_fa, hi_fa = format_number(low, digits=digits), format_number(high, digits=digits)
            text = hi_fa if lo_fa == hi_fa else f"{lo_fa} تا {hi_fa}"
            if digits == "latin" or lo_fa == hi_fa:
                text_en = ""
            else:
                text_en = (
                    f' <span class="ig-en" dir="ltr">({format_number(low, digits="latin")} – '
                    f"{format_number(high, digits='latin')})</span>"
                )
            swatch = _html.swatch(PALETTE[colors[ci]])
            rows.append(f"<tr><td>{swatch}</td><td>{escape(text)}{text_en}</td></tr>")
        if any(c < 0 for c in classes):
            rows.append(
                f"<tr><td>{_html.swatch(NODATA_COLOR)}</td><td>بدون داده "
                '<span class="ig-en">no data</span></td></tr>'
            )
        fa = (
            f"<b>نیاز مالی — {escape(ufa)}</b><br>{escape(money_fa)} · {escape(sfa)} · "
            f"سال {escape(year_fa)}"
        )
        en = (
            f"<b>Financing need — {escape(uen)}</b><br>"
            f"{escape(money_en)} · {escape(sen)} · {data.year}"
        )
        parts.append(
            f'<div data-l="{li}">{_fa_en(fa, en)}<table dir="rtl">{"".join(rows)}</table></div>'
        )
    keys = sorted(
        {
            b.removeprefix("allocated:")
            for v in needs.basis.to_numpy().ravel()
            for b in str(v).removeprefix("mixed:").split("+")
            if b.startswith("allocated:")
        }
    )
    how_fa = "، ".join(_label(ALLOCATION_LABELS, k_)[0] for k_ in keys)
    how_en = ", ".join(_label(ALLOCATION_LABELS, k_)[1] for k_ in keys)
    estimate_fa = "برآورد: رقم کشور" + (f" به نسبت {how_fa}" if keys else "") + " تقسیم شده"
    estimate_en = "estimate: national figure shared" + (f" by {how_en}" if keys else "")
    parts.append(
        '<div class="ig-sec"><table dir="rtl">'
        f"<tr><td>{_html.swatch(PALETTE[2])}</td><td>گزارش‌شده یا محاسبه‌شده از گزارش "
        '<span class="ig-en">reported, or derived from reported figures</span></td></tr>'
        f"<tr><td>{_html.swatch('url(#ig-h2)', estimate=True)}</td><td>{escape(estimate_fa)} "
        f'<span class="ig-en">{escape(estimate_en)}</span></td></tr></table></div>'
    )
    if markers or unlocated:
        kinds = sorted({m["kind"] for m in markers}, key=list(KIND_COLORS).index)
        statuses = sorted({m["status"] for m in markers}, key=list(UTILITY_STATUS).index)
        rows = []
        for kind in kinds:
            kfa, ken = _label(KIND_LABELS, kind) if kind else ("سایر", "other")
            rows.append(
                f"<tr><td>{_html.dot(KIND_COLORS[kind], '#ffffff')}</td><td>{escape(kfa)} "
                f'<span class="ig-en">{escape(ken)}</span></td></tr>'
            )
        for status in statuses:
            color, sfa_, sen_ = UTILITY_STATUS[status]
            rows.append(
                f"<tr><td>{_html.dot('#bbbbbb', color)}</td><td>{escape(sfa_)} "
                f'<span class="ig-en">{escape(sen_)}</span></td></tr>'
            )
        if any(m["approx"] for m in markers):
            rows.append(
                f"<tr><td>{_html.dot('#bbbbbb', '#555555', dashed=True)}</td>"
                "<td>موقعیت تقریبی (شهر) "
                '<span class="ig-en">approximate location (town)</span></td></tr>'
            )
        note = ""
        if unlocated:
            n_fa = format_number(unlocated, digits=digits, decimals=0)
            note = _fa_en(
                f"{escape(n_fa)} مورد بدون موقعیت دقیق نمایش داده نشده است",
                f"{unlocated} without a precise location not shown",
            )
        parts.append(f'<div class="ig-sec"><table dir="rtl">{"".join(rows)}</table>{note}</div>')
    return "".join(parts)


def _title_html(data: MapData, focus: str | None) -> str:
    needs, digits = data.needs, data.digits
    money_fa, money_en = _money_labels(needs)
    year_fa = _year_text(data.year, digits)
    total = needs.nation.get(TOTAL, math.nan)
    if focus is None:
        fa = (
            f'<b class="ig-title">نیاز مالی زیرساخت شهرک‌های صنعتی، {escape(year_fa)}</b>'
            f"<br>جمع کشور: {escape(format_number(total, digits=digits))} {escape(money_fa)}"
        )
        en = (
            f"<b>Financing need for utilities of industrial estates, {data.year}</b>"
            f"<br>National total: {escape(format_number(total, digits='latin'))} {escape(money_en)}"
        )
    else:
        row = data.provinces.loc[focus]
        fa = (
            f'<b class="ig-title">استان {escape(_text(row["name_fa"]))} — نیاز مالی '
            f"{escape(year_fa)}</b>"
        )
        en = f"<b>{escape(_text(row['name_en']))} province — financing need {data.year}</b>"
    return _fa_en(fa, en)


def _page_data(data: MapData, *, focus: str | None, tiles: bool) -> tuple[dict[str, Any], bool]:
    needs = data.needs
    provinces = []
    for i, key in enumerate(data.provinces.index):
        row = data.provinces.loc[key]
        values = []
        for layer in needs.layers:
            classes, bins = data.classes[layer]
            cls = class_colors(len(bins))[classes[i]] if classes[i] >= 0 else -1
            values.append([cls, 1 if cls >= 0 and is_estimate(needs.basis.loc[key, layer]) else 0])
        provinces.append(
            {
                "k": str(key),
                "n": escape(_text(row["name_fa"])),
                "at": [float(row["label_lat"]), float(row["label_lon"])],
                "t": data.tips[key],
                "v": values,
                "g": data.shapes[i],
            }
        )
    markers = [m for m in data.estates if focus is None or m["province"] == focus]
    unlocated = sum(
        n for province, n in data.unlocated.items() if focus is None or province == focus
    )
    kinds = list(KIND_COLORS)
    statuses = list(UTILITY_STATUS)
    cluster = len(markers) > 50
    attr = "مرزها: Natural Earth (public domain) · Boundaries: Natural Earth"
    if any(m["approx"] for m in markers):
        attr += " · Towns: GeoNames (CC BY 4.0)"
    frame = data.provinces if focus is None else data.provinces.loc[[focus]]
    west, south, east, north = (round(float(v), 3) for v in frame.total_bounds)
    page = {
        "scale": _SCALE,
        "bounds": [[south, west], [north, east]],
        "focus": focus,
        "pal": list(PALETTE),
        "nodata": NODATA_COLOR,
        "grey": [GREY_FILL, GREY_LINE],
        "fo": 0.65 if tiles else 0.9,
        "prov": provinces,
        "cluster": cluster,
        "kind": [KIND_COLORS[k] for k in kinds],
        "util": [UTILITY_STATUS[s][0] for s in statuses],
        "est": [
            [
                m["lat"],
                m["lon"],
                kinds.index(m["kind"]),
                statuses.index(m["status"]),
                1 if m["approx"] else 0,
                m["tip"],
                m["popup"],
            ]
            for m in markers
        ],
        "title": _title_html(data, focus),
        "info": data.tips[focus] if focus is not None else "",
        "legend": _legend_html(data, markers, unlocated),
        "attr": escape(attr),
    }
    return page, cluster


def _build(data: MapData, *, focus: str | None, tiles: bool) -> folium.Map:
    import folium

    page, cluster = _page_data(data, focus=focus, tiles=tiles)
    js_layer = _html.js_layer
    if focus is None:
        bounds = data.provinces.total_bounds
        title = (
            f"نیاز مالی شهرک‌های صنعتی {data.year} / "
            f"Financing need of industrial estates {data.year}"
        )
    else:
        bounds = data.provinces.loc[[focus]].total_bounds
        row = data.provinces.loc[focus]
        title = f"{_text(row['name_fa'])} — {_text(row['name_en'])} · {data.year}"
    m = folium.Map(
        tiles=None,
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        zoom_start=5,
        control_scale=True,
        min_zoom=4,
        max_zoom=12,
    )
    _html.make_page(m, title=title, css=_html.MAP_CSS, cluster=cluster)
    m.add_child(_html.raw_html(_html.hatch_defs(PALETTE)))
    m.add_child(_html.raw_script("var IGD=" + _html.js_value(page) + ";\n" + _html.MAP_JS))
    m.add_child(_html.map_call(m, "init"))
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap (online)", overlay=True, control=True
        ).add_to(m)
    choropleths = []
    for li, layer in enumerate(data.needs.layers):
        ufa, uen = _label(UTILITY_LABELS, layer)
        name = escape(f"نیاز مالی — {ufa} / need — {uen}")
        lyr = js_layer(f"IG.choro({li})", name=name, overlay=False, show=layer == TOTAL)
        m.add_child(lyr)
        choropleths.append(lyr)
    m.add_child(
        js_layer("IG.outline()", name="مرز کشور / country outline", overlay=True, show=True)
    )
    m.add_child(
        js_layer("IG.labels()", name="نام استان‌ها / province names", overlay=True, show=True)
    )
    if page["est"]:
        m.add_child(
            js_layer(
                "IG.estates()", name="شهرک‌ها و مناطق / estates and zones", overlay=True, show=True
            )
        )
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    m.add_child(_html.map_call(m, "legend", choropleths))
    return m


def national_map(data: MapData, *, tiles: bool = False) -> folium.Map:
    """The national map: choropleth of need per province (one radio layer per utility and the
    total), province names, the country outline, estates, legend and layer control.

    Parameters
    ----------
    data
        From :func:`map_data`.
    tiles
        Add OpenStreetMap tiles as an overlay (needs the internet when opened). By default the
        map has no tiles: provinces and the country outline are the base.

    Returns
    -------
    folium.Map
        On a self-contained page; get its HTML with :func:`isipo_geo._html.render`.
    """
    return _build(data, focus=None, tiles=tiles)


def province_map(data: MapData, key: str, *, tiles: bool = False) -> folium.Map:
    """The map of one province: zoomed to it, its figures in a box, its estates, neighbours
    greyed (classes are those of the national map).

    Raises
    ------
    InputError
        ``key`` is not a province key (resolve names with
        :func:`isipo_geo.names.resolve_province`).
    """
    if key not in data.provinces.index:
        raise InputError(f"unknown province key {key!r}; use isipo_geo.names.resolve_province")
    return _build(data, focus=key, tiles=tiles)

"""Build the national and province maps of financing need (page objects; no file I/O).

The steps are pure functions:

1. :func:`simplify_provinces` — shared borders simplified together (``shapely.coverage_simplify``)
   and coordinates put on a grid (finer for the province maps than for the national map);
2. :func:`province_needs` — the funding table (:func:`isipo_geo.finance.funding_table`) as need
   and basis per province and utility, validated;
3. :func:`map_data` — everything the maps share (classes, tooltip rows, legend, encoded shapes,
   estate markers: :mod:`isipo_geo.maps.markers`), computed once;
4. :func:`national_map` / :func:`province_map` — a self-contained page
   (:class:`isipo_geo.maps.html.MapPage`)
   (write it with :func:`isipo_geo.maps.html.render` and :func:`isipo_geo.maps.html.write_text`), or
   :func:`page_parts` — the same page in parts, for :func:`isipo_geo.maps.html.write_parts`
   (the atlas: a page of 84,400 estates is never held whole).

Steps 1 and 2 live in :mod:`isipo_geo.maps.data` and are re-exported here.

Every string from data is escaped in Python (:func:`isipo_geo.maps.html.escape`) and reaches the
page as JSON (:func:`isipo_geo.maps.html.js_value`), never through a template; the page script
(:data:`isipo_geo.maps.page_script.MAP_JS`) only joins them with constant markup. Figures
estimated by allocation are drawn hatched with a dashed outline and labelled "برآورد / estimate";
reported and derived figures are drawn plain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.labels import (  # noqa: F401  (KIND_, SCENARIO_LABELS re-exported: maps.static)
    KIND_LABELS,
    SCENARIO_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    basis_labels,
    label_of,
)
from isipo_geo.maps import credits as _credits
from isipo_geo.maps import html as _html
from isipo_geo.maps import legend as _legend
from isipo_geo.maps.data import (
    FUNDING_COLUMNS,
    PALETTE,
    SCALE,
    TOTAL,
    ProvinceNeeds,
    _text,
    class_colors,
    class_ranges,
    classify,
    country_outline,
    encode_polygons,
    encode_polygons_many,
    encode_ring,
    is_estimate,
    layer_outliers,
    province_needs,
    simplify_provinces,
)
from isipo_geo.maps.estate_marks import (
    KIND_COLORS,
    OSM_ATTRIBUTION,
    county_shapes,
)
from isipo_geo.maps.html import escape, format_number
from isipo_geo.maps.legend import (  # noqa: F401  (re-exported)
    GREY_FILL,
    GREY_LINE,
    NODATA_COLOR,
    UTILITY_STATUS,
)
from isipo_geo.maps.legend import fa_en as _fa_en
from isipo_geo.maps.legend import money_labels as _money_labels
from isipo_geo.maps.markers import Markers, estate_markers, page_estates, select
from isipo_geo.maps.networks import (
    LINKS_NAME,
    NETWORK_NAME,
    PLANTS_NAME,
    Networks,
    network_legend,
    networks_of,
    plants_of,
)
from isipo_geo.maps.user_layer import (
    LAYER_PALETTE,
    UserLayer,
    layer_page,
    layer_values,
    user_layer,
)
from isipo_geo.power_plants import CREDIT_EN as PLANTS_CREDIT

if TYPE_CHECKING:
    from collections.abc import Iterator

    import geopandas as gpd
    import pandas as pd

__all__ = [
    "FUNDING_COLUMNS",
    "LAYER_PALETTE",
    "PALETTE",
    "TOTAL",
    "MapData",
    "ProvinceNeeds",
    "UserLayer",
    "basis_labels",
    "class_colors",
    "class_ranges",
    "classify",
    "encode_polygons",
    "encode_ring",
    "is_estimate",
    "layer_outliers",
    "layer_values",
    "map_data",
    "national_map",
    "page_parts",
    "province_map",
    "province_needs",
    "short_basis",
    "simplify_provinces",
    "user_layer",
]

MIN_ZOOM, MAX_ZOOM = 4, 12  # the maps' zoom limits (12: a few streets; no tiles by default)
REPORT_YEAR = _credits.REPORT_YEAR  # Jalali year of the ISIPO report of the shipped figures

# Legend modes: full (always open), compact (folded into a "legend" button, no province box;
# for small frames), none (no legend, box or title: a brief shows them), auto (compact when the
# map is under 800 × 650 px, else full).
LEGEND_MODES = ("auto", "full", "compact", "none")

# A page with more estates than CLUSTER_MIN groups them (Leaflet.markercluster; its icons are
# styled by MAP_CSS's .marker-cluster and explained in the legend). A page with more than
# LARGE_MIN draws them as bare Leaflet would, circles on one canvas and no groups (grouping
# 84,400 estates took the browser longer than drawing them), and carries their names and popup
# lines deflated (markers.page_estates), inflated when the first tooltip or popup needs them.
CLUSTER_MIN = 50
LARGE_MIN = 10_000



# --- shared map data --------------------------------------------------------------------------


@dataclass(frozen=True)
class MapData:
    """What every map of one funding table shares (see :func:`map_data`).

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        The provinces, simplified, with ``label_lon`` / ``label_lat``, indexed by key.
    needs : ProvinceNeeds
        The need per province and layer (:func:`province_needs`).
    classes : dict of str to (list of int, list of float)
        Per need layer: each province's class and the class breaks (:func:`classify`).
    tips : dict
        Province tooltip text shared by all provinces (escaped HTML).
    tip_rows : dict of str to list of list
        Tooltip rows by province key.
    shapes : list
        Province polygons as encoded polylines (:func:`encode_polygons`), in province order.
    national_shapes : list
        The same, coarser, for the national map.
    national_scale : int
        ``national_shapes`` are in 1/``national_scale`` degree.
    outline : list of str
        The country's outline rings, encoded like ``shapes``.
    national_outline : list of str
        The same from the coarser national shapes.
    estates : Markers
        One marker per located estate, sorted by id.
    unlocated : dict of str to int
        Estates without a usable location, by province key.
    digits : {'fa', 'latin'}
        Digits of Persian text.
    year : int or str
        Jalali year(s) of the figures: ``1400``, ``"1400+1403"``, ``""`` (unknown).
    layer : UserLayer, optional
        The user's own layer, kept apart from the need.
    layer_classes : (list of int, list of float), optional
        The user layer's classes and breaks.
    sources : tuple of (str, str, str)
        ``(kind, file name, year)`` of the figures' sources
        (:func:`isipo_geo.finance.data_sources`).
    networks : Networks, optional
        The planner's network layers and the estates' connections.
    plants : bool
        Offer the power-plant context layer (WRI, CC BY 4.0), off until chosen.
    """

    provinces: gpd.GeoDataFrame  # simplified, with label_lon/label_lat
    needs: ProvinceNeeds
    classes: dict[str, tuple[list[int], list[float]]]
    tips: dict[str, Any]  # province tooltip text shared by all provinces (escaped HTML)
    tip_rows: dict[str, list[list[Any]]]  # province key -> tooltip rows (see _province_tips)
    shapes: list[Any]  # polygons as encoded polylines (1/SCALE degree), in province order
    national_shapes: list[Any]  # the same, coarser, for the national map
    national_scale: int  # national_shapes are in 1/national_scale degree
    outline: list[str]  # the country's outline rings, encoded like shapes
    national_outline: list[str]  # the same from the coarser national shapes
    estates: Markers  # one marker per located estate, sorted by id
    unlocated: dict[str, int]  # province key -> estates without a usable location
    digits: str
    year: int | str  # Jalali year(s) of the figures: 1400, "1400+1403", "" (unknown)
    layer: UserLayer | None = None  # the user's own layer, kept apart from the need
    layer_classes: tuple[list[int], list[float]] | None = None
    sources: tuple[tuple[str, str, str], ...] = ()  # (kind, file name, year): see credits
    networks: Networks | None = None  # the planner's network layers and estates' connections
    plants: bool = True  # the power-plant context layer (WRI, CC BY 4.0), off until chosen
    # what every page of this data shares, built by the first page (not copied by replace())
    memo: dict[str, Any] = field(init=False, default_factory=dict, compare=False, repr=False)


def map_data(
    provinces: gpd.GeoDataFrame,
    funding: pd.DataFrame,
    estates: gpd.GeoDataFrame | None = None,
    *,
    digits: str = "fa",
    year: int | str | None = None,
    k: int = 5,
    tolerance_deg: float = 0.005,
    national_tolerance_deg: float = 0.01,
    national_grid_deg: float = 0.002,
    layer: UserLayer | None = None,
    networks: Networks | None = None,
    plants: bool = True,
) -> MapData:
    """Prepare everything the national and province maps share (pure).

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        The 31 province polygons (:func:`isipo_geo.provinces.load_provinces`), indexed by key.
    funding : pandas.DataFrame
        The funding table (:func:`isipo_geo.finance.funding_table`); its ``need`` in its
        ``currency`` and ``scale`` (bn toman by default) is what the maps show.
    estates : geopandas.GeoDataFrame, optional
        Estate points (:func:`isipo_geo.registry.estates.load_estates`), indexed by id; ``None``
        for none. Estates without a point are counted, not drawn; those located only to their
        county or province are drawn there, marked approximate, and counted by precision in the
        legend.
    digits : {'fa', 'latin'}
        ``"fa"`` (Persian digits in Persian text) or ``"latin"``. English text uses Latin digits.
    year : int or str, optional
        The Jalali year the figures refer to; None takes it from the funding table's ``year``
        column (the report's 1400, a registry's own year, or unknown — never assumed).
    k : int
        Number of classes of the choropleth.
    tolerance_deg : float
        Simplification tolerance of the province borders, in degrees (province maps, PNGs;
        0.001° grid).
    national_tolerance_deg, national_grid_deg : float
        Tolerance and grid of the national map's borders, in degrees: 0.01° is half a pixel at
        the zoom the national map opens at (5–6), and the province maps carry the finer borders.
    layer : UserLayer, optional
        A value per province from the user's own table (:func:`user_layer`), shown as one more
        choice beside the need layers, with its own classes and legend; never added to the need.
    networks : Networks, optional
        The planner's network layers and the estates' connections funding costed
        (:class:`isipo_geo.maps.networks.Networks`): drawn as lines and points, each
        connection a dashed line with its length and cost in a popup.
    plants : bool
        Offer Iran's power plants (WRI, CC BY 4.0) as a context layer, off until chosen.

    Returns
    -------
    MapData
        The data every page of this funding table draws; no file is read or written.

    Raises
    ------
    InputError
        ``digits`` is neither ``fa`` nor ``latin``, or the funding table cannot be mapped (a
        column missing, scenarios or currencies mixed: :func:`province_needs`).

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
    shapes = _shapes(provinces, tolerance_deg, national_tolerance_deg, national_grid_deg)
    keys = [str(k_) for k_ in shapes["provinces"].index]
    sources = _credits.funding_sources(funding)
    if year is None:
        year = _credits.sources_year(sources) if sources else REPORT_YEAR
    needs = province_needs(funding, keys)
    classes = {layer: classify(needs.need[layer], k=k, unit=needs.money) for layer in needs.layers}
    tips, tip_rows = _province_tips(needs, year=year, digits=digits)
    markers, unlocated = estate_markers(estates, needs, digits=digits)
    if layer is not None:
        layer = replace(layer, values=layer.values.reindex(keys).astype("float64"))
    return MapData(
        **shapes,
        needs=needs,
        classes=classes,
        tips=tips,
        tip_rows=tip_rows,
        estates=markers,
        unlocated=unlocated,
        digits=digits,
        year=year,
        layer=layer,
        layer_classes=classify(layer.values, k=k) if layer is not None else None,
        sources=sources,
        networks=networks,
        plants=plants,
    )


def _shapes(
    provinces: gpd.GeoDataFrame,
    tolerance_deg: float,
    national_tolerance_deg: float,
    national_grid_deg: float,
) -> dict[str, Any]:
    """The simplified provinces and, for the province maps and (coarser) the national map,
    their encoded shapes and the country's outline (:class:`MapData`'s fields)."""
    simple = simplify_provinces(provinces, tolerance_deg=tolerance_deg)
    coarse = simplify_provinces(
        provinces, tolerance_deg=national_tolerance_deg, grid_deg=national_grid_deg
    )
    national_scale = round(1 / national_grid_deg)
    return {
        "provinces": simple,
        "shapes": encode_polygons_many(simple.geometry.values),
        "national_shapes": encode_polygons_many(coarse.geometry.values, scale=national_scale),
        "national_scale": national_scale,
        "outline": country_outline(simple.geometry.values, 0.001, SCALE),
        "national_outline": country_outline(
            coarse.geometry.values, national_grid_deg, national_scale
        ),
    }


def short_basis(basis: str) -> tuple[str, str]:
    """Return one or two words for a basis, as tooltips show it (the legend explains them).

    Parameters
    ----------
    basis : str
        A figure's basis (``reported``, ``derived``, ``allocated:<key>``, ``registry``,
        ``mixed:...``); ``''`` for none.

    Returns
    -------
    (str, str)
        The words in Persian and in English; ``('', '')`` for no basis.

    Examples
    --------
    >>> short_basis("allocated:equal")
    ('برآورد', 'estimate')
    """
    if not basis:
        return ("", "")
    if basis.startswith("mixed:"):
        return ("بخشی برآورد", "partly estimate") if is_estimate(basis) else ("ترکیبی", "mixed")
    if basis.startswith("allocated:"):
        return ("برآورد", "estimate")
    return _credits.SHORT_BASIS.get(basis, (basis, basis))


def _province_tips(
    needs: ProvinceNeeds, *, year: int | str, digits: str
) -> tuple[dict[str, Any], dict[str, list[list[Any]]]]:
    """The province tooltips as data: text shared by every province, and rows per province.

    The page script (``tip`` in :data:`isipo_geo.maps.html.MAP_JS`) builds each tooltip from them:
    the name, "need <year>, <money>", then one row per utility (and the total when there are
    several utilities): need, deficit with its unit, and a word for the basis. Numbers are
    formatted here with Latin digits; the script puts them in Persian digits in the Persian
    block when ``digits`` is ``"fa"``, as :func:`isipo_geo.maps.html.format_number` does.

    Returns
    -------
    (shared, rows)
        ``shared``: ``fa`` and ``en`` (heading HTML after the name), ``l`` (utility labels),
        ``u`` (unit labels), ``b`` (basis words), all escaped; ``rows``: province key ->
        ``[[need, deficit, unit index, basis index], ...]`` (deficit ``""`` when none, unit
        index -1 then).
    """
    (money_fa, money_en), money = _money_labels(needs), needs.money
    layers = needs.layers[1:] + ((TOTAL,) if len(needs.layers) > 2 else ())
    units: list[str] = []
    bases: list[tuple[str, str]] = []
    rows: dict[str, list[list[Any]]] = {}
    for key in needs.need.index:
        key_rows = []
        for layer in layers:
            value = needs.need.loc[key, layer]
            word = short_basis(needs.basis.loc[key, layer])
            if word not in bases:
                bases.append(word)
            amount, unit = "", -1
            if layer != TOTAL:
                deficit = needs.deficit.loc[key, layer]
                if not math.isnan(deficit):
                    name = needs.deficit_unit.get(layer, "")
                    amount = format_number(deficit, digits="latin", unit=name)
                    if name not in units:
                        units.append(name)
                    unit = units.index(name)
            shown = format_number(value, digits="latin", unit=money)
            key_rows.append([shown, amount, unit, bases.index(word)])
        rows[str(key)] = key_rows
    heading_fa = (
        f"نیاز مالی {escape(_credits.year_words(year, digits)[0])}، {escape(money_fa)}"
        '<table class="ig-t"><tr><td></td><th>نیاز</th><th>کمبود</th><th>مبنا</th></tr>'
    )
    shared = {
        "fa": heading_fa,
        "en": f"need {escape(_credits.year_words(year, digits)[1])}, {escape(money_en)}",
        "l": [[escape(t) for t in label_of(UTILITY_LABELS, layer)] for layer in layers],
        "u": [[escape(t) for t in label_of(UNIT_LABELS, u)] for u in units],
        "b": [[escape(t) for t in word] for word in bases],
    }
    return shared, rows


# --- the page ---------------------------------------------------------------------------------


def _legend_html(data: MapData, shown: list[int], unlocated: int, focus: str | None) -> str:
    """The legend; ``shown``: the positions of the page's markers in ``data.estates``; a
    province page (``focus``) also explains the grey of the other provinces. The need layers'
    sections are the same on every page: built once per ``data``."""
    if "need_legend" not in data.memo:
        data.memo["need_legend"] = _legend.need_sections(
            data.needs,
            data.classes,
            year=data.year,
            digits=data.digits,
            layer=data.layer,
            layer_classes=data.layer_classes,
        )
    return (
        data.memo["need_legend"]
        + _legend.basis_section(
            data.needs,
            data.sources,
            digits=data.digits,
            focus=focus,
            has_layer=data.layer is not None,
        )
        + _legend.estate_section(
            data.estates,
            shown,
            unlocated,
            digits=data.digits,
            clustered=CLUSTER_MIN < len(shown) <= LARGE_MIN,
        )
    )


def legend_html(data: MapData, focus: str | None = None) -> str:
    """The map's legend as HTML (escaped; styled by :data:`isipo_geo.maps.html.MAP_CSS`), for a
    page that shows it beside the map instead of on it; each need layer's section has
    ``data-l="<layer index>"``."""
    unlocated = sum(n for p, n in data.unlocated.items() if focus is None or p == focus)
    return _legend_html(data, select(data.estates, focus), unlocated, focus)


def _layer_name(layer: UserLayer) -> str:
    """The layer control's name for the user's layer (HTML)."""
    same = layer.label_fa == layer.label_en
    label = layer.label_fa if same else f"{layer.label_fa} / {layer.label_en}"
    return escape(f"{label} (از فایل شما / from your file)")


def _title_html(data: MapData, focus: str | None) -> str:
    needs, digits = data.needs, data.digits
    money_fa, money_en = _money_labels(needs)
    year_fa, year_en = _credits.year_words(data.year, digits)
    total, money = needs.nation.get(TOTAL, math.nan), needs.money
    if focus is None:
        fa = (
            f'<b class="ig-title">نیاز مالی زیرساخت شهرک‌های صنعتی، {escape(year_fa)}</b>'
            f"<br>{_credits.total_words(needs.scenario)[0]}: "
            f"{escape(format_number(total, digits=digits, unit=money))} {escape(money_fa)}"
        )
        en = (
            f"<b>Financing need for utilities of industrial estates, {escape(year_en)}</b>"
            f"<br>{_credits.total_words(needs.scenario)[1]}: "
            f"{escape(format_number(total, digits='latin', unit=money))} {escape(money_en)}"
        )
    else:  # the province's figures' own year (a registry's 1403), not the nation's
        year_fa, year_en = _credits.year_words(needs.years.get(focus) or data.year, digits)
        name_fa, name_en = _names(data, focus)
        fa = (
            f'<b class="ig-title">استان {escape(name_fa)} — نیاز مالی '
            f"{escape(year_fa)}</b>"
        )
        en = (
            f"<b>{escape(name_en)} province — financing need "
            f"{escape(year_en)}</b>"
        )
    return _fa_en(fa, en)


def _province_entries(data: MapData, national: bool) -> _html.JsonText:
    """``IGD.prov``: name, label point, tooltip rows, class and hatching per layer, and shape of
    every province (the national map's coarser shapes when ``national``), as JSON built once per
    ``data``: every province page carries the same list."""
    memo_key = "prov_national" if national else "prov"
    if memo_key in data.memo:
        return data.memo[memo_key]
    needs = data.needs
    shapes = data.national_shapes if national else data.shapes
    columns = ("name_fa", "name_en", "label_lat", "label_lon")
    frame_rows = zip(*(data.provinces[c].tolist() for c in columns), strict=True)
    basis = {
        layer: dict(zip(needs.basis.index, needs.basis[layer].tolist(), strict=True))
        for layer in needs.layers
    }
    provinces = []
    for i, (key, row) in enumerate(zip(data.provinces.index, frame_rows, strict=True)):
        name_fa, name_en, label_lat, label_lon = row
        values = []
        for layer in needs.layers:
            classes, bins = data.classes[layer]
            cls = class_colors(len(bins))[classes[i]] if classes[i] >= 0 else -1
            values.append([cls, 1 if cls >= 0 and is_estimate(basis[layer][key]) else 0])
        extra = {}
        if data.layer is not None and data.layer_classes is not None:
            classes, bins = data.layer_classes
            values.append([class_colors(len(bins))[classes[i]] if classes[i] >= 0 else -1, 0])
            value = float(data.layer.values.iloc[i])
            extra["x"] = "" if math.isnan(value) else format_number(value, digits="latin")
        provinces.append(
            {
                "k": str(key),
                "n": escape(_text(name_fa)),
                "e": escape(_text(name_en)),
                "at": [float(label_lat), float(label_lon)],
                "r": data.tip_rows[str(key)],
                "v": values,
                **extra,
                "g": shapes[i],
            }
        )
    data.memo[memo_key] = _html.JsonText((_html.js_value(provinces),))
    return data.memo[memo_key]


def _attribution(
    data: MapData,
    precisions: set[str],
    *,
    plants: bool,
    nw: dict[str, Any] | None,
    linked: bool,
    counties: bool,
) -> str:
    """The map's attribution (escaped HTML): borders, data, and each source the page draws."""
    attr = "مرزها: Natural Earth (public domain) · Boundaries: Natural Earth"
    attr += escape(f" · داده / Data: {_credits.credit_words(data.sources, 'latin')[1]}")
    if plants:
        attr += " · " + escape(PLANTS_CREDIT)
    if nw is not None:
        attr += escape(" · Networks: " + ", ".join(u[3] for u in nw["u"]))
    if linked:
        attr += " · Estates: public pages (each popup links its sources)"
    if "town" in precisions:
        attr += " · Towns: GeoNames (CC BY 4.0)"
    if counties or "county" in precisions:
        attr += " · " + escape(OSM_ATTRIBUTION)
    return attr  # each part escaped once, above


def _page_data(
    data: MapData, *, focus: str | None, tiles: bool, legend: str = "auto"
) -> tuple[dict[str, Any], bool]:
    """The page's data object ``IGD`` (read by :data:`isipo_geo.maps.html.MAP_JS`); every string in
    it is escaped HTML."""
    scale = data.national_scale if focus is None else SCALE
    shown = select(data.estates, focus)
    unlocated = sum(
        n for province, n in data.unlocated.items() if focus is None or province == focus
    )
    points, text, linked = page_estates(data.estates, shown, deflate_min=LARGE_MIN)
    cluster = CLUSTER_MIN < len(shown) <= LARGE_MIN
    precisions = {data.estates.precision[i] for i in shown}
    plants = plants_of(data.plants, focus, data.digits)
    nw = networks_of(
        data.networks,
        focus,
        provinces=data.provinces,
        money=data.needs.money,
        money_labels=_money_labels(data.needs),
        digits=data.digits,
        scale=scale,
    )
    counties = county_shapes(focus) if focus is not None else []
    west, south, east, north = (round(float(v), 3) for v in _frame_bounds(data, focus))
    page = {
        "scale": scale,
        "bounds": [[south, west], [north, east]],
        "focus": focus,
        "fd": _html.FA_DIGITS if data.digits == "fa" else "",
        "pal": list(PALETTE),
        "nodata": NODATA_COLOR,
        "grey": [GREY_FILL, GREY_LINE],
        "fo": 0.65 if tiles else 0.9,
        "tip": data.tips,
        "x": layer_page(data.layer, len(data.needs.layers)),
        "prov": _province_entries(data, national=focus is None),
        "out": data.national_outline if focus is None else data.outline,
        "cty": counties,
        "cluster": cluster,
        "canvas": len(shown) > LARGE_MIN,
        "kind": list(KIND_COLORS.values()),
        "util": [status[0] for status in UTILITY_STATUS.values()],
        "est": points,
        "et": text,
        "title": _title_html(data, focus),
        "legend": _legend_html(data, shown, unlocated, focus),
        "lm": legend,
        "attr": _attribution(
            data, precisions, plants=bool(plants), nw=nw, linked=linked, counties=bool(counties)
        ),
    }
    if plants:
        page["pp"] = plants
    if nw is not None:
        page["nw"] = nw
        page["legend"] += network_legend(nw)
    return page, cluster


def page_parts(
    data: MapData, key: str | None, *, tiles: bool = False, legend: str = "auto"
) -> Iterator[str]:
    """Return the page of the national map or of a province, in parts.

    Their join is ``render(national_map(data))`` (or ``province_map``), but the data (84,400
    estates) is encoded part by part, so writing the parts
    (:func:`isipo_geo.maps.html.write_parts`) never holds the whole page.

    Parameters
    ----------
    data : MapData
        From :func:`map_data`.
    key : str or None
        A province key; None for the national map.
    tiles : bool
        As for :func:`national_map`.
    legend : {'auto', 'full', 'compact', 'none'}
        As for :func:`national_map`.

    Returns
    -------
    iterator of str
        The page's HTML, part by part (a self-contained, offline page).

    Raises
    ------
    InputError
        ``key`` is not a province key, or ``legend`` is unknown.
    """
    if key is not None and key not in data.provinces.index:
        raise InputError(f"unknown province key {key!r}; use isipo_geo.names.resolve_province")
    return _html.render_parts(_build(data, focus=key, tiles=tiles, legend=legend))


def _page_title(data: MapData, focus: str | None) -> tuple[str, Any]:
    """The page's title and its frame's bounds (west, south, east, north)."""
    if focus is None:
        year_fa, year_en = _credits.year_words(data.year, data.digits)
        title = (
            f"نیاز مالی شهرک‌های صنعتی {year_fa} / "
            f"Financing need of industrial estates {year_en}"
        )
        return title, _frame_bounds(data, None)
    name_fa, name_en = _names(data, focus)
    year_en = _credits.year_words(data.year, data.digits)[1]
    title = f"{name_fa} — {name_en} · {year_en}"
    return title, _frame_bounds(data, focus)


def _names(data: MapData, key: str) -> tuple[str, str]:
    """A province's Persian and English names (plain text)."""
    return _text(data.provinces.at[key, "name_fa"]), _text(data.provinces.at[key, "name_en"])


def _frame_bounds(data: MapData, focus: str | None) -> tuple[float, float, float, float]:
    """West, south, east, north of the nation (``focus`` None) or of one province."""
    if focus is None:
        return tuple(float(v) for v in data.provinces.total_bounds)
    return tuple(float(v) for v in data.provinces.geometry[focus].bounds)


def _page_layers(
    data: MapData, page: dict[str, Any], focus: str | None
) -> list[_html.PageLayer]:
    """The layers the layer control lists, in order: the need layers (one shown), the user's
    layer, then the overlays the page has."""
    layer = _html.page_layer
    layers = []
    for li, name in enumerate(data.needs.layers):
        ufa, uen = label_of(UTILITY_LABELS, name)
        label = escape(f"نیاز مالی — {ufa} / need — {uen}")
        layers.append(layer(f"IG.choro({li})", name=label, overlay=False, show=name == TOTAL))
    if data.layer is not None:
        li = len(data.needs.layers)
        layers.append(
            layer(f"IG.choro({li})", name=_layer_name(data.layer), overlay=False, show=False)
        )
    overlays = [
        ("IG.outline()", "مرز کشور / country outline", True),
        ("IG.labels()", "نام استان‌ها / province names", True),
    ]
    if page["cty"]:
        overlays.append(("IG.counties()", "شهرستان‌ها / counties (OSM)", True))
    if "nw" in page:
        overlays += [("IG.network()", NETWORK_NAME, True), ("IG.links()", LINKS_NAME, True)]
    if "pp" in page:
        overlays.append(("IG.plants()", PLANTS_NAME, False))
    if select(data.estates, focus):
        overlays.append(("IG.estates()", "شهرک‌ها و مناطق / estates and zones", True))
    return layers + [layer(c, name=n, overlay=True, show=s) for c, n, s in overlays]


def _build(
    data: MapData, *, focus: str | None, tiles: bool, legend: str = "auto"
) -> _html.MapPage:
    """The map page of the nation (``focus`` None) or of one province."""
    if legend not in LEGEND_MODES:
        raise InputError(f"legend must be one of {', '.join(LEGEND_MODES)}, not {legend!r}")
    page, cluster = _page_data(data, focus=focus, tiles=tiles, legend=legend)
    title, bounds = _page_title(data, focus)
    layers = _page_layers(data, page, focus)
    n_choropleths = len(data.needs.layers) + (data.layer is not None)
    return _html.MapPage(
        title=title,
        center=((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2),
        data=page,
        script=_html.MAP_JS,
        layers=tuple(layers),
        legend=tuple(range(n_choropleths)),
        css=_html.MAP_CSS,
        body=_html.hatch_defs(PALETTE),
        cluster=cluster,
        tiles=tiles,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
    )


def national_map(
    data: MapData, *, tiles: bool = False, legend: str = "auto"
) -> _html.MapPage:
    """Build the national map: a choropleth of need per province, estates, legend and layers.

    One radio layer per utility and the total, province names, the country outline, the
    estates, the legend and the layer control.

    Parameters
    ----------
    data : MapData
        From :func:`map_data`.
    tiles : bool
        Add OpenStreetMap tiles as an overlay (needs the internet when opened). By default the
        map has no tiles: provinces and the country outline are the base.
    legend : {'auto', 'full', 'compact', 'none'}
        ``full`` (always open), ``compact`` (folded into a "legend" button and no province box:
        for small frames in reports), ``none`` (no legend, province box or title: the page
        around the map shows them, :func:`legend_html`), or ``auto`` (compact when the map is under
        800 × 650 px when opened, else full).

    Returns
    -------
    isipo_geo.maps.html.MapPage
        The page (no folium at run time); get its HTML with :func:`isipo_geo.maps.html.render`.

    Raises
    ------
    InputError
        ``legend`` is unknown.

    Examples
    --------
    >>> from isipo_geo import funding_table, load_provinces
    >>> from isipo_geo.maps.html import render
    >>> import re
    >>> page = render(national_map(map_data(load_provinces(), funding_table())))
    >>> fetched = re.search(r"<(?:script|link)[^>]*(?:src|href)=.?https?:", page)  # offline
    >>> page.startswith("<!DOCTYPE html>"), fetched
    (True, None)
    """
    return _build(data, focus=None, tiles=tiles, legend=legend)


def province_map(
    data: MapData, key: str, *, tiles: bool = False, legend: str = "auto"
) -> _html.MapPage:
    """Build the map of one province: zoomed to it, its figures in a box, its estates.

    Neighbours are greyed; the classes are those of the national map.

    Parameters
    ----------
    data : MapData
        From :func:`map_data`.
    key : str
        The province key (resolve names with :func:`isipo_geo.names.resolve_province`).
    tiles : bool
        As for :func:`national_map`.
    legend : {'auto', 'full', 'compact', 'none'}
        As for :func:`national_map`.

    Returns
    -------
    isipo_geo.maps.html.MapPage
        The page (no folium at run time); get its HTML with :func:`isipo_geo.maps.html.render`.

    Raises
    ------
    InputError
        ``key`` is not a province key, or ``legend`` is unknown.

    Examples
    --------
    >>> from isipo_geo import funding_table, load_provinces, resolve_province
    >>> data = map_data(load_provinces(), funding_table())
    >>> type(province_map(data, resolve_province("قم"))).__name__
    'MapPage'
    """
    if key not in data.provinces.index:
        raise InputError(f"unknown province key {key!r}; use isipo_geo.names.resolve_province")
    return _build(data, focus=key, tiles=tiles, legend=legend)

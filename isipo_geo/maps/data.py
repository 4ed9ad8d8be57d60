"""The data behind the maps (pure; no HTML): province shapes and the funding table.

- :func:`simplify_provinces` simplifies shared borders together (``shapely.coverage_simplify``)
  and puts coordinates on a grid; :func:`encode_ring` writes a ring as an encoded polyline.
- :func:`province_needs` turns the funding table (:func:`isipo_geo.finance.funding_table`) into
  need and basis per province and utility, validated; :func:`classify` makes the choropleth
  classes.

:mod:`isipo_geo.maps` re-exports the public names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from isipo_geo.display import round_shown
from isipo_geo.errors import InputError
from isipo_geo.labels import utility_key
from isipo_geo.maps import html as _html
from isipo_geo.maps.estate_figures import EstateFigures, estate_figures

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

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

TEXT_COLUMNS = ("scope", "utility", "deficit_unit", "estate_id", "province", "basis")
# ColorBrewer YlOrBr (5 classes, light to dark).
PALETTE = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")


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


def _number(value: object) -> float:
    """:func:`_float`, quicker for floats and Decimals (a funding table's figures)."""
    kind = type(value)
    if kind is float or kind is Decimal:
        return float(value)  # type: ignore[arg-type]
    return _float(value)


# The same cell readers under public names, for the documents (isipo_geo.documents), which read
# the same funding and registry cells into their briefs.
cell_missing = _missing
cell_text = _text
cell_float = _float
cell_number = _number  # :func:`_float`, quicker for a funding table's floats and Decimals


def _texts(values: list[Any]) -> list[str]:
    """``[_text(v) for v in values]``, quicker for a column of strings."""
    return [v.strip() if type(v) is str else _text(v) for v in values]


# every character str.strip() strips (the last is U+3000): an Arrow column trimmed of these
# reads as its cells stripped in Python
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _column_texts(column: pd.Series) -> list[str]:
    """``[_text(v) for v in column]`` with one string object per distinct value (a column of
    84,400 cells holds a few dozen provinces or kinds: no copy per cell)."""
    import pandas as pd

    codes, uniques = pd.factorize(column)
    texts = _texts(list(uniques.tolist())) + [""]  # code -1: a missing value
    return [texts[c] for c in codes.tolist()]


# --- geometry ---------------------------------------------------------------------------------


def simplify_provinces(
    provinces: gpd.GeoDataFrame, *, tolerance_deg: float = 0.005, grid_deg: float = 0.001
) -> gpd.GeoDataFrame:
    """Simplify the province polygons together, so neighbours keep one shared border.

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        Polygons in EPSG:4326 (:func:`isipo_geo.provinces.load_provinces`).
    tolerance_deg : float
        Simplification tolerance in degrees (0.005° ≈ 500 m: below a pixel up to zoom 8).
    grid_deg : float
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


SCALE = 1000  # encoded coordinates are integers in 1/SCALE degree by default


def _polyline_ints(values: Any) -> str:
    """Signed integers in Google's Encoded Polyline Algorithm (ASCII 63-126), all at once."""
    return _polyline_chunks(values)[0]


def _polyline_chunks(values: Any) -> tuple[str, Any]:
    """The text of :func:`_polyline_ints` and the number of characters of each value: each
    value zig-zagged, then written 5 bits at a time, low bits first, 0x20 on all but the last."""
    import numpy as np

    v = values.astype(np.int64) << 1
    v = np.where(values < 0, ~v, v)
    n_chunks = 1
    while (v >> (5 * n_chunks)).any():
        n_chunks += 1
    shifts = 5 * np.arange(n_chunks, dtype=np.int64)
    chunks = v[:, None] >> shifts  # what is left of each value before each chunk
    keep = np.ones_like(chunks, dtype=bool)
    keep[:, 1:] = chunks[:, 1:] > 0
    more = np.zeros_like(keep)
    more[:, :-1] = keep[:, 1:]
    chars = ((chunks & 0x1F) | (more * 0x20)) + 63
    return chars[keep].astype(np.uint8).tobytes().decode("ascii"), keep.sum(axis=1)


def encode_ring(coords: Any, *, scale: int = SCALE) -> str:
    """Encode a ring as a polyline (Google's algorithm), lat, lon in 1/``scale`` degree.

    Repeated points and the closing point are dropped (Leaflet closes polygons itself).

    Parameters
    ----------
    coords : sequence of (float, float)
        The ring's (lon, lat) points in degrees (EPSG:4326), closed or not.
    scale : int
        Coordinates are rounded to 1/``scale`` degree (1000: 0.001°, about 100 m).

    Returns
    -------
    str
        The encoded ring; ``''`` when fewer than three distinct points are left.

    Examples
    --------
    >>> encode_ring([(51.0, 35.0), (51.001, 35.0), (51.001, 35.002), (51.0, 35.0)])
    'ojcAorbB?AC?'
    """
    points = list(coords)
    if len(points) > 1 and tuple(points[0]) == tuple(points[-1]):
        points = points[:-1]
    return encode_line(points, scale=scale, least=3)


def encode_line(coords: Any, *, scale: int = SCALE, least: int = 2) -> str:
    """An open line as an encoded polyline (lat, lon in 1/``scale`` degree), repeated points
    dropped; ``""`` when fewer than ``least`` points are left.

    >>> encode_line([(51.0, 35.0), (51.001, 35.0)])
    'ojcAorbB?A'
    """
    import numpy as np

    xy = np.asarray(coords, dtype=np.float64)
    if xy.size == 0:
        return ""
    grid = np.rint(xy[:, 1::-1] * scale).astype(np.int64)  # (lat, lon), half to even as round()
    kept = np.ones(len(grid), dtype=bool)
    kept[1:] = (grid[1:] != grid[:-1]).any(axis=1)
    grid = grid[kept]
    if len(grid) < least:
        return ""
    steps = np.diff(grid, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return _polyline_ints(steps.ravel())


def country_outline(geoms: Any, grid_deg: float, scale: int) -> list[str]:
    """The country's outline: the rings of the provinces' union, computed on their grid (drawing
    edges used by one province only would also draw slivers where two borders do not meet)."""
    import shapely

    union = shapely.union_all(list(geoms), grid_size=grid_deg)
    rings = []
    for poly in getattr(union, "geoms", [union]):
        rings += [encode_ring(r.coords, scale=scale) for r in (poly.exterior, *poly.interiors)]
    return [r for r in rings if r]


def encode_polygons(geom: Any, *, scale: int = SCALE) -> list[list[str]]:
    """Encode a polygon's rings as polylines, part by part.

    Parameters
    ----------
    geom : shapely.Polygon or shapely.MultiPolygon
        In EPSG:4326 (lon, lat in degrees).
    scale : int
        Coordinates are rounded to 1/``scale`` degree (see :func:`encode_ring`).

    Returns
    -------
    list of list of str
        ``[[exterior, hole, ...], ...]``, one list per non-empty part, each ring encoded by
        :func:`encode_ring` (rings that vanish at this scale left out).

    Examples
    --------
    >>> import shapely
    >>> encode_polygons(shapely.box(51.0, 35.0, 51.001, 35.002))
    [['ojcAqrbBC??@B?']]
    """
    encoded = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        rings = [encode_ring(r.coords, scale=scale) for r in (poly.exterior, *poly.interiors)]
        rings = [r for r in rings if r]
        if rings:
            encoded.append(rings)
    return encoded


def encode_polygons_many(geoms: Any, *, scale: int = SCALE) -> list[list[list[str]]]:
    """:func:`encode_polygons` of each geometry, every ring of them encoded in one pass (the
    430 county borders: one call instead of one per ring)."""
    import numpy as np
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    parts, part_geom = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    n_rings = len(rings)
    starts = np.searchsorted(point_ring, np.arange(n_rings))
    ends = np.searchsorted(point_ring, np.arange(n_rings), side="right")
    keep = np.ones(len(xy), dtype=bool)
    closed = (ends - starts > 1) & (xy[starts] == xy[np.maximum(ends - 1, 0)]).all(axis=1)
    keep[(ends - 1)[closed]] = False  # the closing point: Leaflet closes polygons itself
    grid = np.rint(xy[:, ::-1] * scale).astype(np.int64)
    first = np.zeros(len(xy), dtype=bool)
    first[starts[ends > starts]] = True
    same = np.zeros(len(xy), dtype=bool)
    same[1:] = (grid[1:] == grid[:-1]).all(axis=1)
    keep &= first | ~same  # repeated points dropped, as encode_line drops them
    grid, point_ring, first = grid[keep], point_ring[keep], first[keep]
    steps = grid - np.where(first[:, None], 0, np.roll(grid, 1, axis=0))
    counts = np.bincount(point_ring, minlength=n_rings)
    text, sizes = _polyline_chunks(steps.ravel())
    ring_chars = np.bincount(np.repeat(point_ring, 2), weights=sizes, minlength=n_rings)
    bounds = np.concatenate([[0], np.cumsum(ring_chars).astype(np.int64)]).tolist()
    out: list[list[list[str]]] = [[] for _ in range(len(geoms))]
    last_part = -1
    for r in range(n_rings):
        if counts[r] < 3:
            continue
        code = text[bounds[r] : bounds[r + 1]]
        p = int(ring_part[r])
        if p != last_part:
            out[int(part_geom[p])].append([])
            last_part = p
        out[int(part_geom[p])][-1].append(code)
    return out


# --- the funding table ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceNeeds:
    """Need and basis per province (rows: the 31 keys) and layer (utilities, then ``total``).

    Parameters
    ----------
    layers : tuple of str
        The map's layers: utilities, then ``total``.
    need : pandas.DataFrame
        Need per province (rows) and layer (columns), float in ``currency`` × ``scale`` (bn
        toman by default); NaN = unknown.
    basis : pandas.DataFrame
        The basis of each need (``reported``, ``allocated:<key>``, ...); ``''`` = unknown.
    deficit : pandas.DataFrame
        Deficit per province and utility (no ``total``), float in the utility's unit.
    deficit_unit : dict of str to str
        Each utility's deficit unit (``lps``: litres per second, ``mw``: megawatts, ...).
    nation : dict of str to float
        National need per layer, in ``currency`` × ``scale``.
    estate_need : Mapping of str to dict of str to float
        Need by estate id and utility, in ``currency`` × ``scale``: from
        :func:`province_needs` a read-only :class:`~isipo_geo.maps.estate_figures.EstateFigures`
        (columns, not a dict per estate), which reads like the dict of dicts.
    scenario : str
        The funding table's scenario.
    currency : {'toman', 'rial'}
        Currency of the needs.
    scale : {'billion', 'million', 'one'}
        Scale of the needs.
    estate_deficit : Mapping of str to dict of str to float
        By estate id and utility, the deficit (in ``deficit_unit``) the estate's need was costed
        on (a registry's deficit cell, or demand − supplied); an ``EstateFigures`` as
        ``estate_need``.
    years : dict of str to str
        By province key, the Jalali year of its total (``''``: unknown).
    """

    layers: tuple[str, ...]
    need: pd.DataFrame  # float, NaN = unknown
    basis: pd.DataFrame  # str, "" = unknown
    deficit: pd.DataFrame  # float, utilities only
    deficit_unit: dict[str, str]
    nation: dict[str, float]  # layer -> national need
    estate_need: Mapping[str, dict[str, float]]  # estate id -> utility -> need (EstateFigures)
    scenario: str
    currency: str
    scale: str

    # estate id -> utility -> the deficit (in deficit_unit) the estate's need was costed on (a
    # registry's deficit cell, or demand − supplied: isipo_geo.finance.registry_deficits)
    estate_deficit: Mapping[str, dict[str, float]] = field(default_factory=dict)
    # province key -> the year of its total (a 1403 registry's province beside the 1400 report)
    years: dict[str, str] = field(default_factory=dict)

    @property
    def money(self) -> str:
        """The money unit's key for the number rule (:data:`isipo_geo.display.UNIT_DECIMALS`)."""
        return f"{self.currency}_{self.scale}"


def is_estimate(basis: str) -> bool:
    """Tell whether a basis marks an estimate (an allocated share, alone or in a mix).

    Parameters
    ----------
    basis : str
        A figure's basis (``reported``, ``allocated:area``, ``mixed:allocated:area+registry``).

    Returns
    -------
    bool
        True for an allocated share of a national figure, alone or in a mix.

    Examples
    --------
    >>> is_estimate("allocated:area"), is_estimate("registry")
    (True, False)
    """
    return "allocated" in basis


def province_needs(funding: pd.DataFrame, province_keys: list[str]) -> ProvinceNeeds:
    """Need and basis per province and utility from a funding table.

    Parameters
    ----------
    funding : pandas.DataFrame
        Long table with at least the columns of :data:`FUNDING_COLUMNS` (as returned by
        :func:`isipo_geo.finance.funding_table`), for one scenario, currency and scale.
        ``need`` may hold Decimals, floats or None. A ``total`` utility row is used when present;
        otherwise the total is the sum of the utilities with a figure.
    province_keys : list of str
        The provinces to show, in order.

    Returns
    -------
    ProvinceNeeds
        Need, basis and deficit per province and layer, as floats in the table's currency and
        scale (bn toman by default), the national need and the estates' needs.

    Raises
    ------
    InputError
        A column is missing, several scenarios/currencies are mixed, a province key is unknown,
        a need is not a number, or a province has two rows for one utility.

    Examples
    --------
    >>> from isipo_geo import funding_table, load_provinces
    >>> needs = province_needs(funding_table(), list(load_provinces().index))
    >>> needs.layers, needs.nation["total"], needs.money
    (('total', 'water', 'power'), 12866.0, 'toman_billion')
    """
    scenario, currency, scale = _one_scenario(funding)
    read = _funding_rows(funding, set(province_keys))
    need_df, basis_df, deficit_df, layers = _province_frames(read, province_keys)
    nation = read["nation"]
    for layer in layers:  # without nation rows, the nation is the sum of the provinces
        if layer not in nation:
            nation[layer] = float(need_df[layer].sum(min_count=1))
    years: dict[str, str] = {}
    if "year" in funding.columns:
        total_rows = (funding["scope"] == "province") & (funding["utility"] == TOTAL)
        years = {
            _text(k): _text(y)
            for k, y in zip(
                funding.loc[total_rows, "province"], funding.loc[total_rows, "year"], strict=True
            )
        }
    return ProvinceNeeds(
        years=years,
        layers=layers,
        need=need_df,
        basis=basis_df,
        deficit=deficit_df,
        deficit_unit=read["units"],
        nation=nation,
        estate_need=read["estate_need"],
        estate_deficit=read["estate_deficit"],
        scenario=scenario,
        currency=currency,
        scale=scale,
    )


def _one_scenario(funding: pd.DataFrame) -> tuple[str, str, str]:
    """The funding table's scenario, currency and scale, checked to be one of each (and the
    table to have every column of :data:`FUNDING_COLUMNS`)."""
    missing = [c for c in FUNDING_COLUMNS if c not in funding.columns]
    if missing:
        raise InputError(
            f"the funding table lacks the columns {', '.join(missing)}; "
            "build it with isipo_geo.finance.funding_table()"
        )
    for column in ("scenario", "currency", "scale"):
        values = sorted(set(_texts(funding[column].unique().tolist())) - {""})
        if len(values) > 1:
            raise InputError(
                f"the funding table mixes {column} values ({', '.join(values)}); map one at a time",
                column=column,
            )
    if not len(funding):
        return "", "", ""
    first = funding.iloc[0]
    return _text(first["scenario"]), _text(first["currency"]), _text(first["scale"])


def _funding_rows(funding: pd.DataFrame, known: set[str]) -> dict[str, Any]:
    """The funding table's rows read once: need, basis and deficit by (province, utility),
    the nation's and each estate's figures, the deficit unit and set of the utilities."""
    import numpy as np

    need: dict[tuple[str, str], float] = {}
    basis: dict[tuple[str, str], str] = {}
    deficit: dict[tuple[str, str], float] = {}
    units: dict[str, str] = {}
    nation: dict[str, float] = {}
    utilities: set[str] = set()
    columns = ("scope", "utility", "need", "deficit", "deficit_unit", "province", "basis")
    lists = {
        c: _column_texts(funding[c]) if c in TEXT_COLUMNS else funding[c].tolist() for c in columns
    }
    # every row's need and deficit as floats, for the estates' figures read column-wise after
    needs_f, deficits_f = np.empty(len(funding)), np.empty(len(funding))
    rows = zip(*(lists[c] for c in columns), strict=True)
    for pos, (scope, utility, need_cell, deficit_cell, unit, province, basis_cell) in (
        enumerate(rows, start=1)
    ):
        try:
            value = _number(need_cell)
            amount = _number(deficit_cell)
        except (TypeError, ValueError):
            raise InputError(
                f"need/deficit {need_cell!r}/{deficit_cell!r} is not a number", row=pos
            ) from None
        needs_f[pos - 1], deficits_f[pos - 1] = value, amount
        if utility != TOTAL and utility:
            utilities.add(utility)
            if unit:
                units.setdefault(utility, unit)
        if scope == "nation":
            nation[utility] = value
        elif scope == "province":
            key = province
            if key not in known:
                raise InputError(
                    f"unknown province key {key!r}; use isipo_geo.names.resolve_province",
                    row=pos,
                    column="province",
                )
            if (key, utility) in need:
                raise InputError(f"two rows for province {key!r} and utility {utility!r}", row=pos)
            need[(key, utility)] = value
            basis[(key, utility)] = basis_cell if not math.isnan(value) else ""
            deficit[(key, utility)] = amount
        elif scope != "estate":
            raise InputError(
                f"scope {scope!r} is not nation, province or estate", row=pos, column="scope"
            )
    estate_need, estate_deficit = _estate_rows(funding, lists, needs_f, deficits_f)
    return {
        "need": need,
        "basis": basis,
        "deficit": deficit,
        "units": units,
        "nation": nation,
        "estate_need": estate_need,
        "estate_deficit": estate_deficit,
        "utilities": utilities,
    }


def _estate_rows(
    funding: pd.DataFrame, lists: dict[str, list], needs_f: Any, deficits_f: Any
) -> tuple[EstateFigures, EstateFigures]:
    """Each estate's need per utility, and the deficit it was costed on where the row gives
    one with its unit, as columns (:class:`isipo_geo.maps.estate_figures.EstateFigures`: at
    84,400 estates ~3 MB, where dicts of dicts held 42 MB alive through the atlas)."""
    import numpy as np

    size = len(funding)
    estate = np.fromiter((s == "estate" for s in lists["scope"]), dtype=bool, count=size)
    utilities = np.asarray(lists["utility"], dtype=object)
    ids = _arrow_texts(funding["estate_id"])
    has_unit = np.fromiter((bool(u) for u in lists["deficit_unit"]), dtype=bool, count=size)
    return (
        estate_figures(ids, utilities, needs_f, estate),
        estate_figures(ids, utilities, deficits_f, estate & ~np.isnan(deficits_f) & has_unit),
    )


def _arrow_texts(column: pd.Series) -> Any:
    """A column's cells as :func:`_text` reads them (stripped, ``""`` for a missing one), as an
    Arrow string array: a string column is trimmed in Arrow, of the very characters
    ``str.strip()`` strips, so no Python string is made per cell (84,400 names: 7.5 MB)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pandas.api.types import is_string_dtype

    if column.dtype != object and is_string_dtype(column.dtype):
        # the column's array, not the Series: pyarrow asks a Series for __arrow_array__, and
        # pandas looks that name up in its index, building the index's hash table of 84,400
        # Python strings (5 MB, kept with the estates frame)
        cells = pa.array(column.array)
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        return pc.utf8_trim(cells.fill_null(""), characters=_SPACES)
    return pa.array(_texts(column.tolist()), type=pa.large_string())


def _province_frames(
    read: dict[str, Any], province_keys: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """Need, basis and deficit per province (rows) and layer (``total``, then the utilities in
    their order), the total summed from the utilities when the table has no total rows."""
    import pandas as pd

    need, basis, deficit = read["need"], read["basis"], read["deficit"]
    ordered = sorted(read["utilities"], key=utility_key)
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
    deficit_df = pd.DataFrame(
        {u: [deficit.get((k, u), math.nan) for k in province_keys] for u in ordered},
        index=province_keys,
        dtype="float64",
    )
    return need_df, basis_df, deficit_df, layers


def _combine_bases(bases: Any) -> str:
    found = sorted({b for b in bases if b})
    if not found:
        return ""
    return found[0] if len(found) == 1 else "mixed:" + "+".join(found)


def classify(
    values: pd.Series, *, k: int = 5, unit: str | None = None
) -> tuple[list[int], list[float]]:
    """Fisher-Jenks classes of the known values (as mapclassify's FisherJenks); -1 for unknown.

    Classes are made on the values as displayed (rounded by the rule of their unit). Fewer
    classes are made when there are fewer distinct values than ``k`` (then each class is one
    value); values far outside the rest get a class of their own (:func:`layer_outliers`).

    Parameters
    ----------
    values : pandas.Series
        Float values, NaN for unknown (e.g. a need in bn toman per province).
    k : int
        The number of classes wanted.
    unit : str, optional
        A key of :data:`isipo_geo.display.UNIT_DECIMALS` (``toman_billion``, ``lps``, ...):
        how values are rounded for display; None: as given.

    Returns
    -------
    classes : list of int
        The class of each value, in the order of ``values``; -1 for unknown.
    bins : list of float
        The upper bound of each class, in ``values``' unit.

    Examples
    --------
    >>> import pandas as pd
    >>> classify(pd.Series([415.06, 415.035, float("nan")]))
    ([0, 0, -1], [415.0])
    """
    import numpy as np

    # Classes are made on the values as readers see them (rounded by the rule of their unit,
    # isipo_geo.display), so two values shown alike never fall into different classes.
    values = values.map(lambda v: v if math.isnan(v) else round_shown(v, unit))
    known = values.dropna()
    array = known.to_numpy(dtype="float64")
    distinct = np.unique(array)
    if len(distinct) == 0:
        return [-1] * len(values), []
    far = outlier_mask(array)
    if len(distinct) > k and far.any():
        # Values far outside the rest get their own class (below and/or above), so one outlier
        # does not squeeze every other province into one colour; the legend names them.
        inner = array[~far]
        low, high = array[far & (array < np.min(inner))], array[far & (array > np.max(inner))]
        room = k - bool(len(low)) - bool(len(high))
        bins = [float(np.max(low))] if len(low) else []
        bins += _breaks(np.unique(inner), inner, room)
        bins += [float(np.max(high))] if len(high) else []
    else:
        bins = _breaks(distinct, array, k)
    classes = [
        -1 if math.isnan(v) else int(np.searchsorted(np.asarray(bins), v, side="left"))
        for v in values.to_numpy(dtype="float64")
    ]
    return classes, bins


def _fisher_jenks_bins(values: Any, k: int) -> list[float]:
    """Upper bounds of the ``k`` Fisher-Jenks (natural breaks) classes of sorted ``values``.

    The algorithm of mapclassify's ``_fisher_jenks_means`` (D. J. Lewis' Python port of Jenks'
    code; float32 sums, the same tie rule), so classes match ``mapclassify.FisherJenks``
    exactly; kept here because importing mapclassify (scipy, matplotlib) took 2 s of every map
    command, for 31 values.
    """
    import numpy as np

    f32 = np.float32
    n = len(values)
    mat1 = np.zeros((n + 1, k + 1), dtype=np.int32)
    mat2 = np.zeros((n + 1, k + 1), dtype=np.float32)
    mat1[1, 1:] = 1
    mat2[2:, 1:] = np.inf
    v = f32(0)
    for last in range(2, n + 1):
        s1 = s2 = w = f32(0)
        for m in range(1, last + 1):
            i3 = last - m + 1
            val = f32(values[i3 - 1])
            s2 += val * val
            s1 += val
            w += f32(1)
            v = s2 - (s1 * s1) / w
            i4 = i3 - 1
            if i4 != 0:
                for j in range(2, k + 1):
                    if mat2[last, j] >= v + mat2[i4, j - 1]:
                        mat1[last, j] = i3
                        mat2[last, j] = v + mat2[i4, j - 1]
        mat1[last, 1] = 1
        mat2[last, 1] = v
    bounds = [0.0] * (k + 1)
    bounds[k] = float(values[n - 1])
    pos = n
    for count in range(k, 1, -1):
        pivot = int(mat1[pos, count])
        bounds[count - 1] = float(values[pivot - 2])
        pos = pivot - 1
    return bounds[1:]


def _breaks(distinct, array, k: int) -> list[float]:
    """Upper bounds of ``k`` Fisher-Jenks classes (each distinct value its own class when there
    are no more than ``k``); computed on scaled values so huge numbers cannot overflow."""
    import numpy as np

    if len(distinct) <= k:
        return [float(v) for v in distinct]
    scale = float(np.max(np.abs(array))) if np.max(np.abs(array)) > 1e100 else 1.0
    bins = [b * scale for b in _fisher_jenks_bins(np.sort(array / scale), k)]
    bins[-1] = float(np.max(array))
    return bins


def outlier_mask(array) -> Any:
    """Values far outside the rest: beyond 3 interquartile ranges below the first or above the
    third quartile (Tukey's far-out fences), when at least 8 values are known and the outliers
    are fewer than a quarter of them. A boolean array aligned with ``array``."""
    import numpy as np

    array = np.asarray(array, dtype="float64")
    none = np.zeros(len(array), dtype=bool)
    known = array[~np.isnan(array)]
    if len(known) < 8:
        return none
    with np.errstate(all="ignore"):
        q1, q3 = np.percentile(known, [25, 75])
        spread = q3 - q1
        if not np.isfinite(spread) or spread <= 0:
            return none
        far = (array < q1 - 3 * spread) | (array > q3 + 3 * spread)
    if far.sum() * 4 >= len(known):
        return none
    return far


def layer_outliers(values: pd.Series) -> list[str]:
    """Return the provinces whose values lie far outside the rest of a layer.

    Far means beyond 3 × the interquartile range from the quartiles (:func:`outlier_mask`);
    such values get their own class on the map.

    Parameters
    ----------
    values : pandas.Series
        A layer's float values on province keys (NaN = no data).

    Returns
    -------
    list of str
        The index labels (province keys) of the outliers, in the order of ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> layer_outliers(pd.Series([1.0, 2, 3, 2, 1, 2, 3, 2, 100], index=list("abcdefghi")))
    ['i']
    """
    mask = outlier_mask(values.to_numpy(dtype="float64"))
    return [str(i) for i, far in zip(values.index, mask, strict=True) if far]


def outlier_note(values: pd.Series, digits: str) -> tuple[str, str] | None:
    """The legend's note (Persian, English plain text) naming the outliers of a layer with
    their values and why they are set apart; None when there are none."""
    from isipo_geo.provinces import province_records

    keys = layer_outliers(values)
    if not keys:
        return None
    names = {r["key"]: (r["name_fa"], r["name_en"]) for r in province_records()}

    def listed(lang: int, style: str, sep: str) -> str:
        return sep.join(
            f"{names.get(k, (k, k))[lang]} ({_html.format_number(float(values[k]), digits=style)})"
            for k in keys
        )

    return (
        f"دور از بقیه (بیش از ۳ برابر دامنه میان‌چارکی)، با رده جدا: {listed(0, digits, '، ')}",
        "far from the rest (beyond 3× the interquartile range), in a class of their own: "
        f"{listed(1, 'latin', ', ')}",
    )


def class_colors(n: int) -> list[int]:
    """Return indices into :data:`PALETTE` for ``n`` classes, spread over the palette.

    One class gets the middle colour.

    Parameters
    ----------
    n : int
        The number of classes.

    Returns
    -------
    list of int
        One palette index per class, lightest first.

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
    """Return the (smallest, largest) value of each class, as the legend shows them.

    Ranges never overlap; a class without members shows its upper bound twice.

    Parameters
    ----------
    values : pandas.Series
        The classified values.
    classes : list of int
        The class of each value (:func:`classify`).
    bins : list of float
        The upper bound of each class (:func:`classify`).

    Returns
    -------
    list of (float, float)
        One range per class, in ``values``' unit.

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

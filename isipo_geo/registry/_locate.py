"""Placing imported estates: UTM to longitude/latitude, and which province a point is in.

Pure computations over arrays (the province polygons are the shipped Natural Earth layer).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from isipo_geo.messages import message, numeral, reason_of

if TYPE_CHECKING:
    import numpy as np

    from isipo_geo.registry._fields import ByField, Cells, Out, Rows
    from isipo_geo.registry._tables import RawTable

UTM_ZONES = (38, 39, 40, 41)  # Iran spans UTM zones 38N to 41N (EPSG:32638 to EPSG:32641)
# Natural Earth's 1:10m coast is generalised by up to a few kilometres, and estates sit on ports,
# reclaimed land and small islands; a point this close to a province polygon (in degrees, about
# 5.5 km) counts as in that province.
COAST_BUFFER_DEG = 0.05
# UTM coordinates of anywhere in Iran (zones 38-41 north): eastings between 166 km and 834 km
# from the zone's false origin, northings between 2,800 km (25°N) and 4,450 km (40°N).
EASTING_RANGE_M = (100_000.0, 900_000.0)
NORTHING_RANGE_M = (2_700_000.0, 4_500_000.0)

_ZONE_TEXT = re.compile(r"^\s*(?:zone|utm|زون)?\s*(\d{2}|326\d{2})\s*([nNsS]|شمالی)?\s*$")


def parse_zone(value: object) -> int | None:
    """A UTM zone cell (``39``, ``"39N"``, ``"۳۹"``, ``"EPSG:32639"``) as 38–41; None if missing.

    Raises
    ------
    ValueError
        Not a zone of Iran (the message lists 38–41), or a southern zone.
    """
    from isipo_geo.names import normalize_fa
    from isipo_geo.registry._values import is_missing

    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_fa(str(value)).lower().replace("epsg:", "").replace("epsg", "")
    match = _ZONE_TEXT.match(text)
    if not match:
        raise ValueError(message("zone_not_utm", value=repr(value)))
    number = int(match.group(1))
    if number > 32600:
        number -= 32600
    if (match.group(2) or "").lower() == "s":
        raise ValueError(message("zone_southern", value=repr(value)))
    if number not in UTM_ZONES:
        raise ValueError(message("zone_not_iran", number=numeral(str(number))))
    return number


def utm_to_lonlat(
    easting: np.ndarray, northing: np.ndarray, zone: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (EPSG:4326) of UTM coordinates in zones 38N–41N (WGS 84)."""
    import numpy as np
    from pyproj import Transformer

    lon = np.full(len(easting), np.nan)
    lat = np.full(len(easting), np.nan)
    for z in UTM_ZONES:
        sel = zone == z
        if sel.any():
            t = Transformer.from_crs(f"EPSG:{32600 + z}", "EPSG:4326", always_xy=True)
            lon[sel], lat[sel] = t.transform(easting[sel], northing[sel])
    return lon, lat


@cache
def _province_tree() -> tuple[Any, np.ndarray, np.ndarray]:
    """(STRtree of the province polygons, their keys, the polygons)."""
    import numpy as np
    import shapely

    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    geoms = provinces.geometry.to_numpy()
    shapely.prepare(geoms)
    return shapely.STRtree(geoms), np.asarray(provinces["key"].to_numpy(), dtype=object), geoms


def provinces_at(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The province key each point lies in (object array; None outside Iran or for NaN).

    A point within :data:`COAST_BUFFER_DEG` of a province polygon but in none is given the
    nearest province.
    """
    import numpy as np
    import shapely

    tree, keys, _ = _province_tree()
    out = np.full(len(lon), None, dtype=object)
    valid = ~(np.isnan(lon) | np.isnan(lat))
    if not valid.any():
        return out
    idx = np.flatnonzero(valid)
    points = shapely.points(lon[idx], lat[idx])
    hit_point, hit_tree = tree.query(points, predicate="intersects")
    # A point on a shared border intersects two provinces: keep the first hit, deterministically.
    first = np.unique(hit_point, return_index=True)[1]
    out[idx[hit_point[first]]] = keys[hit_tree[first]]
    missing = np.flatnonzero(out[idx] == None)  # noqa: E711 - elementwise on an object array
    if len(missing):
        near_point, near_tree = tree.query_nearest(
            points[missing], max_distance=COAST_BUFFER_DEG, all_matches=False
        )
        out[idx[missing[near_point]]] = keys[near_tree]
    return out


# ---------------------------------------------------------------------------------- import rows

FLAG_SWAPPED = "lat_lon_swapped"
FLAG_EN_SWAPPED = "easting_northing_swapped"
FLAG_OUTSIDE_PROVINCE = "outside_stated_province"
FLAG_POINT_IN = "point_in_province"
FLAG_TOWN_NOT_FOUND = "town_not_found"
FLAG_PROVINCE_FROM_POINT = "province_from_location"
def _zone_hint() -> str:
    """Which UTM zone covers which part of Iran, as a message says it."""
    return message("zone_hint")


def locate(
    table: RawTable,
    by_field: ByField,
    cells: Cells,
    rows: Rows,
    out: Out,
    *,
    positions: list[int],
    province_given: list[bool],
    utm_zone: int | None,
) -> None:
    """Fill ``out['lon'|'lat'|'location_precision']`` for the importer's rows, rejecting or
    flagging rows as it goes (see :mod:`isipo_geo.registry.importer`). ``rows`` collects problems
    with ``reject(i, column, reason)`` and ``flag(i, flag)``.

    In order: the coordinates the row states (lon/lat, x/y, one coordinates cell, UTM, a GIS
    layer's geometry), checked to be in Iran (lon and lat swapped are put right, flagged);
    then, for a row without them, its town or county; last the province, checked against the
    point or taken from it."""
    import numpy as np

    n = len(rows.errors)
    lon, lat, blame = _stated_points(
        table, by_field, cells, rows, positions=positions, utm_zone=utm_zone
    )
    found = _in_iran(lon, lat, blame, rows)
    located = ~(np.isnan(lon) | np.isnan(lat))
    precision: list[str | None] = ["estate" if located[i] else None for i in range(n)]
    placed = _place_by_town(out, rows, lon, lat, found, precision, located)
    _resolve_stated_counties(out, rows, placed)
    _write_locations(out, rows, by_field, lon, lat, found, precision, province_given)


def _coordinate_arrays(
    table: RawTable, by_field: ByField, cells: Cells, rows: Rows
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The coordinate columns by role (lon, lat, easting, northing) and their headers; columns
    named x/y hold degrees or UTM metres, decided by their size, per file."""
    import numpy as np

    from isipo_geo.errors import InputError
    from isipo_geo.registry import _values

    n = len(rows.errors)

    def parsed(field: str, parser) -> np.ndarray:
        col = by_field[field]
        values = np.full(n, np.nan)
        for i, v in enumerate(cells(col)):
            try:
                x = parser(v)
            except ValueError as exc:
                rows.reject(i, col.label, reason_of(exc))
                continue
            if x is not None:
                values[i] = x
        return values

    roles = {"lon": "lon", "lat": "lat", "easting": "easting", "northing": "northing"}
    arrays: dict[str, np.ndarray] = {}
    labels: dict[str, str] = {}
    for field in ("lon", "lat", "easting", "northing", "x", "y"):
        if field not in by_field:
            continue
        parser = _values.parse_degrees if field in ("lon", "lat") else _values.parse_number
        values = parsed(field, parser)
        role = roles.get(field)
        if role is None:
            degrees = np.nanmax(np.abs(values), initial=0) <= 180
            role = {"x": "lon", "y": "lat"}[field] if degrees else {
                "x": "easting", "y": "northing"}[field]
        if role in arrays:
            raise InputError(
                message("columns_both_give", labels=repr(labels[role]),
                        label=repr(by_field[field].label), role=role),
                path=table.path,
            )
        arrays[role], labels[role] = values, by_field[field].label
    return arrays, labels


def _stated_points(
    table: RawTable,
    by_field: ByField,
    cells: Cells,
    rows: Rows,
    *,
    positions: list[int],
    utm_zone: int | None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each row's stated point (NaN without one) and the column to blame for it: lon/lat, else
    a coordinates cell, else UTM; a GIS layer's own geometry wins over attribute columns."""
    import numpy as np

    from isipo_geo.registry import _values

    n = len(rows.errors)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    blame = ["lon/lat"] * n
    arrays, labels = _coordinate_arrays(table, by_field, cells, rows)
    if "lon" in arrays or "lat" in arrays:
        a = arrays.get("lon", np.full(n, np.nan))
        b = arrays.get("lat", np.full(n, np.nan))
        label = " / ".join(labels[k] for k in ("lon", "lat") if k in labels)
        for i in np.flatnonzero(np.isnan(a) != np.isnan(b)):
            rows.reject(int(i), label, message("lonlat_together"))
        both = ~(np.isnan(a) | np.isnan(b))
        lon[both], lat[both] = a[both], b[both]
        for i in np.flatnonzero(both):
            blame[i] = label
    if "coordinates" in by_field:
        col = by_field["coordinates"]
        for i, v in enumerate(cells(col)):
            if not np.isnan(lon[i]):
                continue
            try:
                pair = _values.parse_pair(v)
            except ValueError as exc:
                rows.reject(i, col.label, reason_of(exc))
                continue
            if pair is not None:
                lon[i], lat[i] = pair
                blame[i] = col.label
    if "easting" in arrays or "northing" in arrays:
        _utm(table, by_field, cells, rows, arrays, labels, lon, lat, blame, utm_zone=utm_zone)
    if table.lon is not None:  # a GIS layer's own geometry wins over attribute columns
        for i, k in enumerate(positions):
            x, y = table.lon[k - 1], table.lat[k - 1]
            if not (np.isnan(x) or np.isnan(y)):
                lon[i], lat[i], blame[i] = x, y, "geometry"
    return lon, lat, blame


def _in_iran(lon: np.ndarray, lat: np.ndarray, blame: list[str], rows: Rows) -> np.ndarray:
    """The province each stated point is in (None without a point). Impossible coordinates and
    points outside Iran are rejected (their point cleared); a point that is in Iran with lon
    and lat swapped is put right and flagged."""
    import numpy as np

    located = ~(np.isnan(lon) | np.isnan(lat))
    impossible = located & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    for i in np.flatnonzero(impossible):
        rows.reject(int(i), blame[i], message("impossible_coordinates", lon=f"{lon[i]:g}",
                                              lat=f"{lat[i]:g}"))
    located &= ~impossible
    lon[~located] = np.nan
    lat[~located] = np.nan
    found = provinces_at(lon, lat)
    retry = np.flatnonzero(located & (found == None))  # noqa: E711
    if len(retry):
        swapped = provinces_at(lat[retry], lon[retry])
        for i, key in zip(retry, swapped, strict=True):
            if key is not None:
                lon[i], lat[i] = lat[i], lon[i]
                found[i] = key
                rows.flag(int(i), FLAG_SWAPPED)
            else:
                rows.reject(int(i), blame[i], message("outside_iran", lon=f"{lon[i]:.5g}",
                                                      lat=f"{lat[i]:.5g}"))
                lon[i] = lat[i] = np.nan
    return found


def _place_by_town(
    out: Out,
    rows: Rows,
    lon: np.ndarray,
    lat: np.ndarray,
    found: np.ndarray,
    precision: list[str | None],
    located: np.ndarray,
) -> set[int]:
    """Rows with only a town (and/or county): the town inside the stated province and county;
    several GeoNames places of that name and no county -> the most populous, flagged
    ambiguous_town; no town found -> the county's point when the county is known (precision
    county). Returns the rows it looked up."""
    n = len(rows.errors)
    towns = out.get("_town") or [None] * n
    county_names = out.get("county") or [None] * n
    need = [
        i for i in range(n)
        if not located[i] and (towns[i] or county_names[i]) and out["province"][i]
    ]
    if not need:
        return set()
    from isipo_geo.registry.counties import place

    memo: dict[tuple[str, str, str], Any] = {}
    for i in need:
        key = (towns[i] or "", county_names[i] or "", out["province"][i])
        if key not in memo:
            memo[key] = place(key[2], town=key[0], county=key[1], fallback_province=False)
        where = memo[key]
        for flag in where.flags:
            rows.flag(i, flag)
        if where.precision is None:
            continue
        lon[i], lat[i] = where.lon, where.lat
        found[i] = out["province"][i]
        precision[i] = where.precision
        out["geonames_id"][i] = where.geonames_id
        out["county"][i] = where.county_fa or county_names[i]
    return set(need)


def _resolve_stated_counties(out: Out, rows: Rows, placed: set[int]) -> None:
    """A stated county that was not needed for the location is resolved too (its OSM name),
    or flagged ``county_not_found:<name>``."""
    county_names = out.get("county") or [None] * len(rows.errors)
    stated = [
        i for i in range(len(rows.errors))
        if county_names[i] and i not in placed and out["province"][i]
    ]
    if not stated:
        return
    from isipo_geo.registry.counties import FLAG_COUNTY_NOT_FOUND, county_name, resolve_county

    for i in stated:
        osm_id = resolve_county(county_names[i], out["province"][i])
        if osm_id is None:
            rows.flag(i, f"{FLAG_COUNTY_NOT_FOUND}:{county_names[i]}")
        else:
            out["county"][i] = county_name(osm_id)


def _write_locations(
    out: Out,
    rows: Rows,
    by_field: ByField,
    lon: np.ndarray,
    lat: np.ndarray,
    found: np.ndarray,
    precision: list[str | None],
    province_given: list[bool],
) -> None:
    """The points into ``out``; a stated province that the estate's own point is not in is
    flagged (with the province it is in), an empty one is taken from the point or the row is
    rejected."""
    import numpy as np

    province_label = by_field["province"].label if "province" in by_field else "province"
    for i in range(len(rows.errors)):
        if not np.isnan(lon[i]):
            out["lon"][i], out["lat"][i] = float(lon[i]), float(lat[i])
            out["location_precision"][i] = precision[i]
        stated, at = out["province"][i], found[i]
        if stated and at and stated != at and precision[i] == "estate":
            rows.flag(i, FLAG_OUTSIDE_PROVINCE)
            rows.flag(i, f"{FLAG_POINT_IN}:{at}")
        elif not province_given[i]:
            if at is not None:
                out["province"][i] = at
                rows.flag(i, FLAG_PROVINCE_FROM_POINT)
            else:
                rows.reject(i, province_label, message("province_empty"))


def _utm(
    table: RawTable,
    by_field: ByField,
    cells: Cells,
    rows: Rows,
    arrays: dict[str, np.ndarray],
    labels: dict[str, str],
    lon: np.ndarray,
    lat: np.ndarray,
    blame: list[str],
    *,
    utm_zone: int | None,
) -> None:
    import numpy as np

    from isipo_geo.errors import InputError

    n = len(lon)
    e = arrays.get("easting", np.full(n, np.nan))
    nn = arrays.get("northing", np.full(n, np.nan))
    label = " / ".join(labels[k] for k in ("easting", "northing") if k in labels)
    for i in np.flatnonzero(np.isnan(e) != np.isnan(nn)):
        rows.reject(int(i), label, message("en_together"))
    need = ~(np.isnan(e) | np.isnan(nn)) & np.isnan(lon)
    if not need.any():
        return
    zones = np.zeros(n, dtype=int)
    if "utm_zone" in by_field:
        col = by_field["utm_zone"]
        for i, v in enumerate(cells(col)):
            if not need[i]:
                continue
            try:
                z = parse_zone(v)
            except ValueError as exc:
                rows.reject(i, col.label, reason_of(exc))
                need[i] = False
                continue
            z = z or utm_zone
            if z is None:
                rows.reject(i, col.label, message("zone_empty", zone_hint=_zone_hint()))
                need[i] = False
                continue
            zones[i] = z
    elif utm_zone is not None:
        zones[:] = utm_zone
    else:
        raise InputError(
            message("utm_zone_missing", label=repr(label), zone_hint=_zone_hint()),
            path=table.path,
        )
    lo_e, hi_e = EASTING_RANGE_M
    lo_n, hi_n = NORTHING_RANGE_M
    for i in np.flatnonzero(need):
        if lo_e <= e[i] <= hi_e and lo_n <= nn[i] <= hi_n:
            continue
        if lo_e <= nn[i] <= hi_e and lo_n <= e[i] <= hi_n:
            e[i], nn[i] = nn[i], e[i]
            rows.flag(int(i), FLAG_EN_SWAPPED)
            continue
        rows.reject(
            int(i), label,
            f"easting {e[i]:,.0f} / northing {nn[i]:,.0f} are not UTM metres of a place in Iran "
            "(easting 100,000–900,000, northing 2,700,000–4,500,000); check the columns and the "
            "coordinate system",
        )
        need[i] = False
    idx = np.flatnonzero(need)
    if len(idx):
        x, y = utm_to_lonlat(e[idx], nn[idx], zones[idx])
        lon[idx], lat[idx] = x, y
        for i in idx:
            blame[i] = label

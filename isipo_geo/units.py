"""Unit-level point layers: assign industrial units to provinces and estates, then aggregate.

Below the estates lie tens of thousands of industrial units and contracts. This module takes a
layer of unit points (one row per unit, any numeric attributes such as employees or investment)
and answers *how many units, and how much of each attribute, per province or per estate*:

- :func:`assign_provinces` — point in polygon against the 31 province polygons, vectorised
  (``shapely.intersects_xy`` on prepared polygons after a bounding-box filter), in chunks.
- :func:`assign_estates` — the nearest located estate within a distance in metres. Candidates
  are searched in :data:`IRAN_LCC` (a Lambert conformal conic centred on Iran, scale error under
  1 % over the country) within 1.05 × the distance; the nearest is then chosen by the geodesic
  distance on the WGS 84 ellipsoid (``pyproj.Geod``), so distances are true metres.
- :func:`aggregate_units` — counts and sums per province (all 31, plus :data:`OUTSIDE`) or per
  estate (every estate in the registry, plus :data:`NO_ESTATE`). Points are never dropped: those
  outside every province or beyond the distance from every estate get their own row.

File reading (:func:`read_points`) and writing (:func:`write_aggregates`,
:func:`write_unit_points_map`) are kept apart from the computation. A map of many points is drawn
on one canvas from one inlined coordinate array (:func:`unit_points_map_html`,
:func:`unit_points_layer`), never one DOM marker per point.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from isipo_geo.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

OUTSIDE = "outside"
"""Row key of points that fall outside every province polygon."""

NO_ESTATE = "none"
"""Row key of points farther than the distance from every located estate."""

IRAN_LCC = (
    "+proj=lcc +lat_0=32.5 +lon_0=53.5 +lat_1=27.5 +lat_2=37.5 +x_0=0 +y_0=0 "
    "+ellps=WGS84 +units=m +no_defs"
)
"""Lambert conformal conic centred on Iran (standard parallels 27.5° and 37.5° N). Its scale
factor stays within 0.9962–1.0071 over 24–40.5° N, 43–64° E (checked with
``pyproj.Proj.get_factors``); used only to find candidate estates, distances are geodesic."""

DEFAULT_MAX_DISTANCE_M = 5_000.0
CHUNK_SIZE = 100_000
_CANDIDATE_FACTOR = 1.05  # search radius in IRAN_LCC relative to the true distance

POINT_FILE_SUFFIXES = (".csv", ".txt", ".gpkg", ".geojson", ".json", ".parquet", ".shp", ".fgb")
OUTPUT_SUFFIXES = (".csv", ".gpkg")
_LON_NAMES = ("lon", "lng", "long", "longitude")
_LAT_NAMES = ("lat", "latitude")

Progress = Callable[[int], None]
"""Called with the number of points just processed (once per chunk)."""


# --------------------------------------------------------------------------------------------
# Validation


def _point_lonlat(points: gpd.GeoDataFrame | gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (EPSG:4326) of a layer that must hold only non-empty points."""
    import numpy as np
    import shapely

    if points.crs is None:
        raise InputError(
            "the points have no coordinate reference system; set one, e.g. "
            "points.set_crs('EPSG:4326') for longitude/latitude"
        )
    if not points.crs.equals("EPSG:4326"):
        points = points.to_crs("EPSG:4326")
    geoms = np.asarray(points.geometry.values if hasattr(points, "geometry") else points.values)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        first = points.index[int(np.flatnonzero(missing)[0])]
        raise InputError(
            f"{int(missing.sum())} point(s) have no location (first: index {first!r}); give every "
            "unit a location or drop those rows explicitly"
        )
    not_point = shapely.get_type_id(geoms) != 0
    if not_point.any():
        first = points.index[int(np.flatnonzero(not_point)[0])]
        kind = shapely.get_type_id(geoms[int(np.flatnonzero(not_point)[0])])
        raise InputError(
            f"{int(not_point.sum())} geometries are not points (first: index {first!r}, type id "
            f"{kind}); convert them first, e.g. layer.representative_point()"
        )
    lon = shapely.get_x(geoms)
    lat = shapely.get_y(geoms)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        first = points.index[int(np.flatnonzero(bad)[0])]
        raise InputError(
            f"{int(bad.sum())} point(s) have non-finite coordinates (first: {first!r})"
        )
    return lon, lat


def _province_layer(provinces: gpd.GeoDataFrame | None) -> tuple[list[str], np.ndarray]:
    """Province keys and polygons (EPSG:4326), in the layer's order."""
    import numpy as np

    if provinces is None:
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
    if provinces.crs is None:
        raise InputError("the province layer has no coordinate reference system")
    if not provinces.crs.equals("EPSG:4326"):
        provinces = provinces.to_crs("EPSG:4326")
    keys = (
        provinces["key"].astype(str).tolist()
        if "key" in provinces.columns
        else [str(k) for k in provinces.index]
    )
    if OUTSIDE in keys:
        raise InputError(f"a province may not be keyed {OUTSIDE!r}; that key marks outside points")
    return keys, np.asarray(provinces.geometry.values)


# --------------------------------------------------------------------------------------------
# Assignment


def _chunks(n: int, size: int) -> list[slice]:
    size = max(1, int(size))
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def province_codes(
    lon: np.ndarray,
    lat: np.ndarray,
    polygons: np.ndarray,
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> np.ndarray:
    """Index into ``polygons`` of the polygon holding each (lon, lat); ``len(polygons)`` if none.

    A point on the boundary of a polygon counts as inside it; a point on a boundary shared by
    two polygons goes to the first of them. Works in chunks of ``chunk_size`` points and calls
    ``progress(n)`` after each.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> square = shapely.box(0, 0, 1, 1)
    >>> province_codes(np.array([0.5, 2.0]), np.array([0.5, 0.5]), np.array([square])).tolist()
    [0, 1]
    """
    import numpy as np
    import shapely

    polygons = np.asarray(polygons, dtype=object)
    shapely.prepare(polygons)  # in place; harmless for the caller and kept for later calls
    bounds = shapely.bounds(polygons)
    none = len(polygons)
    codes = np.full(len(lon), none, dtype=np.int32)
    for part in _chunks(len(lon), chunk_size):
        x, y = lon[part], lat[part]
        out = codes[part]
        for k, geom in enumerate(polygons):
            minx, miny, maxx, maxy = bounds[k]
            cand = np.flatnonzero(
                (out == none) & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
            )
            if cand.size:
                hit = shapely.intersects_xy(geom, x[cand], y[cand])
                out[cand[hit]] = k
        if progress is not None:
            progress(part.stop - part.start)
    return codes


def assign_provinces(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    provinces: gpd.GeoDataFrame | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> pd.Series:
    """The province key of each point, or :data:`OUTSIDE` when no province polygon holds it.

    Parameters
    ----------
    points
        Unit points with a CRS (reprojected to EPSG:4326 if needed). Every row needs a point.
    provinces
        Polygons with a ``key`` column (or keyed by index). Default: the 31 shipped provinces.
    chunk_size, progress
        Work in chunks of this many points and call ``progress(n)`` after each.

    Returns
    -------
    pandas.Series
        On the points' index, dtype string.

    Raises
    ------
    InputError
        The points have no CRS, or rows without a point or with another geometry type.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> pts = gpd.GeoDataFrame(geometry=[shapely.Point(51.39, 35.69), shapely.Point(0, 0)],
    ...                        crs="EPSG:4326")
    >>> assign_provinces(pts).tolist()
    ['tehran', 'outside']
    """
    import numpy as np
    import pandas as pd

    lon, lat = _point_lonlat(points)
    keys, polygons = _province_layer(provinces)
    codes = province_codes(lon, lat, polygons, chunk_size=chunk_size, progress=progress)
    labels = np.array([*keys, OUTSIDE], dtype=object)
    return pd.Series(labels[codes], index=points.index, dtype="string", name="province")


def _estate_points(estates: gpd.GeoDataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Ids, lon and lat of the estates that have a location (EPSG:4326 points)."""
    import numpy as np
    import shapely

    if estates.crs is None:
        raise InputError("the estate layer has no coordinate reference system")
    if not estates.crs.equals("EPSG:4326"):
        estates = estates.to_crs("EPSG:4326")
    geoms = np.asarray(estates.geometry.values)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    not_point = located & (shapely.get_type_id(geoms) != 0)
    if not_point.any():
        first = estates.index[int(np.flatnonzero(not_point)[0])]
        raise InputError(
            f"estate {first!r} is not a point; nearest-estate assignment needs estate points "
            "(use the estates' representative_point())"
        )
    ids = [str(i) for i in estates.index[located]]
    return ids, shapely.get_x(geoms[located]), shapely.get_y(geoms[located])


def assign_estates(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    estates: gpd.GeoDataFrame,
    *,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """The nearest located estate within ``max_distance_m`` of each point.

    Candidates are found in :data:`IRAN_LCC` within 1.05 × ``max_distance_m``; among them the
    estate with the smallest geodesic (WGS 84) distance wins, and it counts only if that
    distance is at most ``max_distance_m``. Estates without a location are never assigned.

    Parameters
    ----------
    points
        Unit points with a CRS.
    estates
        Estate points (e.g. :func:`isipo_geo.estates.load_estates`), indexed by estate id.
    max_distance_m
        Largest distance, in metres, at which a unit still belongs to an estate.
    chunk_size, progress
        Work in chunks of this many points and call ``progress(n)`` after each.

    Returns
    -------
    pandas.DataFrame
        On the points' index: ``estate_id`` (:data:`NO_ESTATE` when none is near enough) and
        ``distance_m`` (geodesic metres to it; NaN when none).

    Raises
    ------
    InputError
        ``max_distance_m`` is not positive, or a layer lacks a CRS or has non-point rows.
    """
    import numpy as np
    import pandas as pd
    import pyproj
    import shapely

    if not (max_distance_m > 0 and np.isfinite(max_distance_m)):
        raise InputError(f"the distance must be a positive number of metres, not {max_distance_m}")
    lon, lat = _point_lonlat(points)
    ids, elon, elat = _estate_points(estates)
    n = len(lon)
    best = np.full(n, -1, dtype=np.int64)
    best_d = np.full(n, np.inf)
    to_lcc = pyproj.Transformer.from_crs("EPSG:4326", IRAN_LCC, always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    if ids:
        ex, ey = to_lcc.transform(elon, elat)
        tree = shapely.STRtree(shapely.points(ex, ey))
    radius = max_distance_m * _CANDIDATE_FACTOR
    for part in _chunks(n, chunk_size):
        if ids:
            px, py = to_lcc.transform(lon[part], lat[part])
            pi, ei = tree.query(shapely.points(px, py), predicate="dwithin", distance=radius)
            if pi.size:
                pi = pi + part.start
                _, _, dist = geod.inv(lon[pi], lat[pi], elon[ei], elat[ei])
                # nearest first, then the first (nearest) candidate per point
                order = np.lexsort((dist, pi))
                pi, ei, dist = pi[order], ei[order], dist[order]
                first = np.r_[True, pi[1:] != pi[:-1]]
                pi, ei, dist = pi[first], ei[first], dist[first]
                near = dist <= max_distance_m
                best[pi[near]] = ei[near]
                best_d[pi[near]] = dist[near]
        if progress is not None:
            progress(part.stop - part.start)
    labels = np.array([*ids, NO_ESTATE], dtype=object)
    return pd.DataFrame(
        {
            "estate_id": pd.Series(labels[best], index=points.index, dtype="string"),
            "distance_m": np.where(best >= 0, best_d, np.nan),
        },
        index=points.index,
    )


# --------------------------------------------------------------------------------------------
# Aggregation


def _sum_columns(points: pd.DataFrame, sum_columns: Sequence[str] | None) -> list[str]:
    from pandas.api.types import is_numeric_dtype

    geometry = getattr(points, "_geometry_column_name", None)
    if sum_columns is None:
        return [
            str(c)
            for c in points.columns
            if c != geometry
            and is_numeric_dtype(points[c].dtype)
            and not _is_identifier_or_coordinate(str(c))
        ]
    cols = []
    for col in sum_columns:
        if col not in points.columns:
            raise InputError(
                f"no column {col!r} to sum; the columns are {', '.join(map(str, points.columns))}",
                column=col,
            )
        if col == geometry or not is_numeric_dtype(points[col].dtype):
            raise InputError(f"column {col!r} is not numeric and cannot be summed", column=col)
        cols.append(str(col))
    return cols


def _is_identifier_or_coordinate(name: str) -> bool:
    low = name.strip().lower()
    return low in ("id", "fid", *_LON_NAMES, *_LAT_NAMES) or low.endswith("_id")


def _group(codes: np.ndarray, n_groups: int, points: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``count`` and ``<col>_sum`` per group code 0..n_groups-1 (NaN cells are skipped)."""
    import numpy as np
    import pandas as pd

    out = pd.DataFrame({"count": np.bincount(codes, minlength=n_groups).astype("int64")})
    if cols:
        values = pd.DataFrame(points[cols]).reset_index(drop=True)
        sums = values.groupby(codes).sum(min_count=0)
        sums = sums.reindex(range(n_groups), fill_value=0)
        for col in cols:
            out[f"{col}_sum"] = sums[col].to_numpy()
    return out


def aggregate_units(
    points: gpd.GeoDataFrame,
    *,
    by: Literal["province", "estate"] = "province",
    estates: gpd.GeoDataFrame | None = None,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    provinces: gpd.GeoDataFrame | None = None,
    sum_columns: Sequence[str] | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Count the units and sum their numeric columns per province or per estate.

    Parameters
    ----------
    points
        Unit points with a CRS; every row needs a point.
    by
        ``"province"``: one row per province (all of them, ``count`` 0 where empty) plus the row
        :data:`OUTSIDE` for points outside every province polygon. ``"estate"``: one row per
        estate of the registry (``count`` 0 where empty, also for estates without a location)
        plus the row :data:`NO_ESTATE` for points farther than ``max_distance_m`` from every
        located estate.
    estates
        The estate registry as points, indexed by id (:func:`isipo_geo.estates.load_estates`).
        Default: the registry shipped with isipo-geo.
    max_distance_m
        With ``by="estate"``: the largest geodesic distance, in metres, from a unit to its estate.
    provinces
        Province polygons with a ``key`` column. Default: the 31 shipped provinces.
    sum_columns
        Columns to sum. Default: every numeric (and boolean) column of ``points`` except
        identifiers and coordinates (``id``, ``fid``, ``*_id``, ``lon``, ``lat``, ...).
    chunk_size, progress
        Work in chunks of this many points and call ``progress(n)`` after each.

    Returns
    -------
    pandas.DataFrame
        Indexed by province key (or estate id); columns ``name_fa``, ``name_en`` (provinces) or
        ``name_fa``, ``province`` (estates), then ``count`` and ``<column>_sum`` for each summed
        column. The counts add up to ``len(points)``.

    Raises
    ------
    InputError
        Unknown ``by``, missing CRS, rows without a point, or a ``sum_columns`` entry that is
        missing or not numeric.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> pts = gpd.GeoDataFrame({"employees": [10, 5, 7]},
    ...     geometry=[shapely.Point(51.39, 35.69), shapely.Point(51.4, 35.7), shapely.Point(0, 0)],
    ...     crs="EPSG:4326")
    >>> table = aggregate_units(pts)
    >>> table.loc["tehran", ["count", "employees_sum"]].tolist()
    [2, 15]
    >>> table.loc["outside", "count"], len(table)
    (np.int64(1), 32)
    """
    import pandas as pd

    if by not in ("province", "estate"):
        raise InputError(f"cannot aggregate by {by!r}; use 'province' or 'estate'")
    cols = _sum_columns(points, sum_columns)
    if by == "province":
        if provinces is None:
            from isipo_geo.provinces import load_provinces

            provinces = load_provinces()
        keys, polygons = _province_layer(provinces)
        lon, lat = _point_lonlat(points)
        codes = province_codes(lon, lat, polygons, chunk_size=chunk_size, progress=progress)
        table = _group(codes, len(keys) + 1, points, cols)
        table.index = pd.Index([*keys, OUTSIDE], name="province")
        info = pd.DataFrame(index=table.index)
        by_key = provinces.set_index(provinces["key"].astype(str)) if "key" in provinces else None
        for col in ("name_fa", "name_en"):
            if by_key is not None and col in by_key.columns:
                info[col] = by_key[col].reindex(table.index).astype("string")
        if "name_fa" in info:
            info.loc[OUTSIDE, "name_fa"] = "خارج از همه استان‌ها"
        if "name_en" in info:
            info.loc[OUTSIDE, "name_en"] = "outside every province"
        return pd.concat([info, table], axis=1)

    if estates is None:
        from isipo_geo.estates import load_estates

        estates = load_estates()
    if NO_ESTATE in {str(i) for i in estates.index}:
        raise InputError(f"an estate may not have the id {NO_ESTATE!r}; that id marks no estate")
    assigned = assign_estates(
        points, estates, max_distance_m=max_distance_m, chunk_size=chunk_size, progress=progress
    )
    ids = [str(i) for i in estates.index]
    position = {ident: k for k, ident in enumerate([*ids, NO_ESTATE])}
    codes = assigned["estate_id"].map(position).to_numpy(dtype="int64")
    table = _group(codes, len(ids) + 1, points, cols)
    table.index = pd.Index([*ids, NO_ESTATE], name="estate_id")
    info = pd.DataFrame(index=table.index)
    for col in ("name_fa", "province"):
        if col in estates.columns:
            values = pd.Series(estates[col].to_numpy(), index=ids)
            info[col] = values.reindex(table.index).astype("string")
    if "name_fa" in info:
        info.loc[NO_ESTATE, "name_fa"] = f"دورتر از {max_distance_m:g} متر از هر شهرک"
    return pd.concat([info, table], axis=1)


# --------------------------------------------------------------------------------------------
# Reading and writing files


def _find_column(columns: Sequence[object], names: Sequence[str], given: str | None) -> str | None:
    if given is not None:
        return given if given in columns else None
    lowered = {str(c).strip().lower(): str(c) for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def _coordinates(df: pd.DataFrame, col: str, path: Path, low: float, high: float) -> np.ndarray:
    """A coordinate column as float64: every cell must be a number within [low, high]."""
    import numpy as np
    import pandas as pd

    from isipo_geo.names import normalize_fa

    raw = df[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna()
    if bad.any():  # Persian digits, Arabic decimal separators, spaces: try once more, slowly
        fixed = raw[bad].map(lambda v: normalize_fa(str(v)) if isinstance(v, str) else v)
        values[bad] = pd.to_numeric(fixed, errors="coerce")
        bad = values.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        cell = raw.iloc[pos]
        empty = cell is None or cell != cell or str(cell).strip() == ""
        what = "is empty" if empty else f"{cell!r} is not a number"
        raise InputError(
            f"{what}; every unit needs numeric lon and lat ({int(bad.sum())} bad cell(s))",
            path=path,
            row=pos + 2,
            column=col,
        )
    arr = values.to_numpy(dtype="float64")
    out = (arr < low) | (arr > high) | ~np.isfinite(arr)
    if out.any():
        pos = int(np.flatnonzero(out)[0])
        raise InputError(
            f"{arr[pos]} is outside {low:g}..{high:g} ({int(out.sum())} such cell(s)); "
            "lon and lat are degrees (EPSG:4326)",
            path=path,
            row=pos + 2,
            column=col,
        )
    return arr


def _from_lonlat(
    df: pd.DataFrame, path: Path, lon_column: str | None, lat_column: str | None
) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    lon_col = _find_column(list(df.columns), _LON_NAMES, lon_column)
    lat_col = _find_column(list(df.columns), _LAT_NAMES, lat_column)
    if lon_col is None or lat_col is None:
        missing = " and ".join(
            name
            for name, found, given, names in (
                ("longitude", lon_col, lon_column, _LON_NAMES),
                ("latitude", lat_col, lat_column, _LAT_NAMES),
            )
            if found is None
            for name in [f"{name} ({given!r})" if given else f"{name} ({'/'.join(names)})"]
        )
        raise InputError(
            f"no {missing} column; the columns are {', '.join(map(str, df.columns))}",
            path=path,
        )
    lon = _coordinates(df, lon_col, path, -180.0, 180.0)
    lat = _coordinates(df, lat_col, path, -90.0, 90.0)
    rest = df.drop(columns=[lon_col, lat_col])
    return gpd.GeoDataFrame(rest, geometry=shapely.points(lon, lat), crs="EPSG:4326")


def read_points(
    path: str | os.PathLike[str],
    *,
    lon_column: str | None = None,
    lat_column: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a layer of unit points.

    Parameters
    ----------
    path
        A CSV (UTF-8, with columns ``lon``/``lat`` or ``longitude``/``latitude`` in degrees),
        GeoPackage, GeoJSON, Shapefile or FlatGeobuf of points, or a Parquet file (GeoParquet,
        or lon/lat columns; needs pyarrow).
    lon_column, lat_column
        Names of the coordinate columns when they are called something else.

    Returns
    -------
    geopandas.GeoDataFrame
        The attributes as read (numbers as numbers) and point geometries; rows numbered 0..n-1.

    Raises
    ------
    InputError
        The file is missing, unreadable or of an unknown type; coordinate columns are missing,
        empty, non-numeric or out of range (the first bad row is named, the header being row 1);
        a GIS layer has no CRS or holds other geometries than points.
    """
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in POINT_FILE_SUFFIXES:
        raise InputError(
            f"unknown file type {suffix or '(none)'!r}; "
            f"give a {', '.join(POINT_FILE_SUFFIXES)} file",
            path=path,
        )
    if not path.is_file():
        raise InputError("file not found", path=path)
    if suffix in (".csv", ".txt"):
        try:
            df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as CSV UTF-8",
                path=path,
            ) from None
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty; it needs a header row", path=path) from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise InputError(f"not a readable CSV: {exc}", path=path) from None
        return _from_lonlat(df, path, lon_column, lat_column)
    if suffix == ".parquet":
        return _read_parquet(path, lon_column, lat_column)
    return _read_gis(path, lon_column, lat_column)


def _read_parquet(path: Path, lon_column: str | None, lat_column: str | None) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow (python -m pip install pyarrow); or give a CSV",
            path=path,
        ) from None
    try:
        meta = pq.read_schema(path).metadata or {}
        if b"geo" in meta:
            gdf = gpd.read_parquet(path)
        else:
            return _from_lonlat(pd.read_parquet(path), path, lon_column, lat_column)
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise InputError(f"not a readable Parquet file: {exc}", path=path) from None
    return _check_layer(gdf, path)


def _read_gis(path: Path, lon_column: str | None, lat_column: str | None) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio/GDAL errors: DataSourceError, DataLayerError, ...
        raise InputError(f"not a readable GIS file: {exc}", path=path) from None
    if gdf.geometry.isna().all() and len(gdf) and (lon_column or lat_column):
        return _from_lonlat(gdf.drop(columns=gdf.geometry.name), path, lon_column, lat_column)
    return _check_layer(gdf, path)


def _check_layer(gdf: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    try:
        _point_lonlat(gdf)
    except InputError as exc:
        raise InputError(exc.reason, path=path) from None
    return gdf.reset_index(drop=True)


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """The output path if its extension is one :func:`write_aggregates` writes (.csv, .gpkg)."""
    path = Path(path)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(
            f"cannot write {path.suffix or 'a file without extension'!r}; "
            "give a .csv or .gpkg name",
            path=path,
        )
    return path


def write_aggregates(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    geometries: gpd.GeoSeries | None = None,
) -> Path:
    """Write an :func:`aggregate_units` table atomically, as CSV or GeoPackage by extension.

    A CSV is UTF-8 with a BOM (so Excel shows Persian names) and keeps the key as first column.
    A GeoPackage gets ``geometries`` (province polygons or estate points, matched on the index;
    rows without one, such as :data:`OUTSIDE`, get an empty geometry) in layer ``units``.
    """
    import geopandas as gpd

    from isipo_geo.io import atomic_path, atomic_write

    path = check_output_path(path)
    if path.suffix.lower() == ".csv":
        with atomic_write(path, encoding="utf-8-sig", newline="") as f:
            table.to_csv(f, index=True, lineterminator="\n")
        return path
    import pyogrio
    import shapely

    flat = table.reset_index()
    if geometries is not None:
        geoms = geometries.reindex(table.index)
        crs = geometries.crs
        values = [g if g is not None else shapely.Point() for g in geoms.to_numpy()]
    else:
        crs, values = "EPSG:4326", [None] * len(flat)
    gdf = gpd.GeoDataFrame(flat, geometry=values, crs=crs)
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(gdf, tmp, layer="units", driver="GPKG")
    return path


# --------------------------------------------------------------------------------------------
# Maps of many points: one canvas, one inlined coordinate array

_POINTS_JS = """
var IsipoPoints = L.Layer.extend({
  initialize: function (coords, options) {
    L.setOptions(this, options);
    this._coords = coords;
  },
  onAdd: function (map) {
    this._map = map;
    var c = this._canvas = L.DomUtil.create('canvas', 'isipo-points leaflet-zoom-hide');
    c.style.pointerEvents = 'none';
    var pane = map.getPane('isipoPoints') || map.createPane('isipoPoints');
    pane.style.zIndex = 390;  // under the overlay pane: outlines stay visible above the points
    pane.appendChild(c);
    var n = this._coords.length / 2, px = this._px = new Float64Array(2 * n);
    for (var i = 0; i < n; i++) {  // pixel position at zoom 0, projected once
      var p = map.project([this._coords[2 * i + 1], this._coords[2 * i]], 0);
      px[2 * i] = p.x; px[2 * i + 1] = p.y;
    }
    map.on('moveend zoomend resize viewreset', this._draw, this);
    this._draw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this._canvas);
    map.off('moveend zoomend resize viewreset', this._draw, this);
  },
  _draw: function () {
    var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
    var c = this._canvas, ctx = c.getContext('2d');
    c.width = size.x * ratio; c.height = size.y * ratio;
    c.style.width = size.x + 'px'; c.style.height = size.y + 'px';
    L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.options.color || '#c0392b';
    ctx.globalAlpha = this.options.opacity || 0.6;
    var zoom = map.getZoom(), scale = map.getZoomScale(zoom, 0), o = map.getPixelBounds().min;
    var r = this.options.radius || (zoom <= 5 ? 0.75 : zoom <= 7 ? 1.25 : 2);
    var d = 2 * r, px = this._px, n = px.length / 2, drawn = 0;
    for (var i = 0; i < n; i++) {
      var x = px[2 * i] * scale - o.x, y = px[2 * i + 1] * scale - o.y;
      if (x < -d || y < -d || x > size.x + d || y > size.y + d) continue;
      ctx.fillRect(x - r, y - r, d, d);
      drawn++;
    }
    this.drawn = drawn;
    this.fire('drawn', {count: drawn});
  }
});
"""


def _coords_json(lon: np.ndarray, lat: np.ndarray) -> str:
    """``[lon0,lat0,lon1,lat1,...]`` rounded to 5 decimals (about 1 m)."""
    import numpy as np

    flat = np.empty(2 * len(lon))
    flat[0::2], flat[1::2] = lon, lat
    return "[" + ",".join(np.char.mod("%.5f", flat).tolist()) + "]"


def unit_points_layer(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    name: str = "واحدها / Units",
    color: str = "#c0392b",
    radius_px: float | None = None,
    show: bool = True,
):
    """A folium layer drawing every point on one canvas (for maps with many units).

    Add it to a ``folium.Map`` with ``.add_to(m)``; a ``folium.LayerControl`` lists it. The
    points are inlined once as a flat coordinate array and drawn by a small canvas layer, so
    10⁵–10⁶ points stay responsive; no DOM marker is created per point. The script is placed in
    the page as is, never through a Jinja template (see :mod:`isipo_geo._html`).

    Parameters
    ----------
    points
        Unit points with a CRS; every row needs a point.
    name
        Name in the layer control (plain text; it is escaped).
    color
        Fill colour of the points, as ``#rgb`` or ``#rrggbb``.
    radius_px
        Half the side of each point's square in CSS pixels; default by zoom (0.75 up to zoom 5,
        1.25 up to zoom 7, then 2).
    show
        Whether the layer is on when the map opens.

    Returns
    -------
    folium.map.Layer
        The layer; its JavaScript variable is ``layer.get_name()``.
    """
    import re

    from branca.element import Element
    from folium.map import Layer

    from isipo_geo import _html

    if not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", color):
        raise InputError(f"colour {color!r} is not #rgb or #rrggbb")
    lon, lat = _point_lonlat(points)
    data = _coords_json(lon, lat)
    options = _html.js_value({"color": color, "radius": radius_px})

    class _Raw(Element):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: object) -> str:  # noqa: ARG002
            return self.text

    class UnitPoints(Layer):
        def render(self, **kwargs: object) -> None:  # noqa: ARG002
            var, parent = self.get_name(), self._parent.get_name()
            js = (
                f"if (typeof IsipoPoints === 'undefined') {{{_POINTS_JS}}}\n"
                f"var {var} = new IsipoPoints({data}, {options}).addTo({parent});\n"
            )
            self.get_root().script.add_child(_Raw(js), name=var)

    layer = UnitPoints(name=_html.escape(name), overlay=True, control=True, show=show)
    layer._name = "IsipoUnitPoints"
    return layer


def unit_points_map_html(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    provinces: gpd.GeoDataFrame | None = None,
    title: str = "واحدهای صنعتی / Industrial units",
    color: str = "#c0392b",
    radius_px: float | None = None,
) -> str:
    """A self-contained HTML map of unit points: province outlines with the number of units in
    each (tooltip), and every point on one canvas. Leaflet is inlined; nothing is fetched, and
    no tile layer is used (the map works offline).

    The page sets ``window.isipoReady`` (milliseconds since navigation start) once the points
    are drawn; the point layer is the global ``units`` (``units.drawn`` = points on screen).

    Parameters
    ----------
    points
        Unit points with a CRS; every row needs a point.
    provinces
        Province polygons with ``key`` (and ``name_fa``, ``name_en``). Default: the shipped 31.
    title
        Caption (Persian first); the number of points, and of those outside every province, is
        appended.
    color, radius_px
        As for :func:`unit_points_layer`.

    Returns
    -------
    str
        The HTML page.
    """
    import re

    import numpy as np

    from isipo_geo import _html

    if not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", color):
        raise InputError(f"colour {color!r} is not #rgb or #rrggbb")
    lon, lat = _point_lonlat(points)
    if provinces is None:
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
    keys, polygons = _province_layer(provinces)
    codes = province_codes(lon, lat, polygons)
    counts = np.bincount(codes, minlength=len(keys) + 1)
    shapes = provinces[
        [c for c in ("name_fa", "name_en") if c in provinces.columns] + [provinces.geometry.name]
    ].to_crs("EPSG:4326")
    shapes = shapes.assign(key=keys, units=counts[: len(keys)].astype(int))
    outline = _html.js_value(json.loads(shapes.to_json(drop_id=True, to_wgs84=True)))
    n_outside = int(counts[-1])
    caption = f"{title} — n = {len(lon):,}" + (
        f" ({n_outside:,} خارج از استان‌ها / outside provinces)" if n_outside else ""
    )
    west, south, east, north = (float(v) for v in shapes.total_bounds)
    options = _html.js_value({"color": color, "radius": radius_px})
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_html.escape(title)}</title>
<style>{_html.leaflet_css()}</style>
<style>html,body,#map{{height:100%;margin:0}}#map{{direction:ltr;background:#f4f1ea}}
.isipo-caption{{background:#fff;padding:4px 8px;font:14px sans-serif;direction:rtl;
border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)}}</style>
</head><body><div id="map"></div>
<script>{_html.leaflet_js()}</script>
<script>
{_POINTS_JS}
window.isipoReady = null;
var map = L.map('map', {{preferCanvas: true}});
map.fitBounds([[{south}, {west}], [{north}, {east}]]);
var provinces = L.geoJSON({outline}, {{
  style: {{color: '#555', weight: 1, fillOpacity: 0.05}},
  onEachFeature: function (f, layer) {{
    var p = f.properties, tip = document.createElement('span');  // text, never HTML
    tip.textContent = (p.name_fa || p.key) + ' / ' + (p.name_en || '') + ': ' +
      p.units.toLocaleString('fa-IR') + ' واحد / units';
    layer.bindTooltip(tip);
  }}
}}).addTo(map);
var caption = L.control({{position: 'topright'}});
caption.onAdd = function () {{
  var d = L.DomUtil.create('div', 'isipo-caption');
  d.textContent = {_html.js_value(caption)};
  return d;
}};
caption.addTo(map);
var units = new IsipoPoints({_coords_json(lon, lat)}, {options}).addTo(map);
requestAnimationFrame(function () {{ window.isipoReady = performance.now(); }});
</script></body></html>
"""


def write_unit_points_map(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    path: str | os.PathLike[str],
    **options: object,
) -> Path:
    """Write :func:`unit_points_map_html` atomically to ``path`` (options are passed on)."""
    from isipo_geo.io import atomic_write

    text = unit_points_map_html(points, **options)  # type: ignore[arg-type]
    with atomic_write(path) as f:
        f.write(text)
    return Path(path)

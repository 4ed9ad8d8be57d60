"""Assign unit points to provinces (point in polygon) and to the nearest estate (geodesic
distance), vectorised and in chunks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message

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
            message("points_no_crs")
        )
    if not points.crs.equals("EPSG:4326"):
        points = points.to_crs("EPSG:4326")
    geoms = np.asarray(points.geometry.values if hasattr(points, "geometry") else points.values)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        first = points.index[int(np.flatnonzero(missing)[0])]
        raise InputError(
            message("points_no_location", value=int(missing.sum()), first=repr(first))
        )
    not_point = shapely.get_type_id(geoms) != 0
    if not_point.any():
        first = points.index[int(np.flatnonzero(not_point)[0])]
        kind = shapely.get_type_id(geoms[int(np.flatnonzero(not_point)[0])])
        raise InputError(
            message("geometries_not_points", value=int(not_point.sum()), first=repr(first),
                    kind=kind)
        )
    lon = shapely.get_x(geoms)
    lat = shapely.get_y(geoms)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        first = points.index[int(np.flatnonzero(bad)[0])]
        raise InputError(
            message("points_not_finite", value=int(bad.sum()), first=repr(first))
        )
    return lon, lat


def _province_layer(provinces: gpd.GeoDataFrame | None) -> tuple[list[str], np.ndarray]:
    """Province keys and polygons (EPSG:4326), in the layer's order."""
    import numpy as np

    if provinces is None:
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
    if provinces.crs is None:
        raise InputError(message("province_layer_no_crs"))
    if not provinces.crs.equals("EPSG:4326"):
        provinces = provinces.to_crs("EPSG:4326")
    keys = (
        provinces["key"].astype(str).tolist()
        if "key" in provinces.columns
        else [str(k) for k in provinces.index]
    )
    if OUTSIDE in keys:
        raise InputError(message("province_key_reserved", outside=repr(OUTSIDE)))
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

    Parameters
    ----------
    lon, lat : numpy.ndarray
        The points' longitudes and latitudes, in the polygons' CRS (degrees, EPSG:4326).
    polygons : numpy.ndarray
        shapely polygons (the provinces, in order).
    chunk_size : int
        Points per chunk.
    progress : callable, optional
        Called with the number of points just processed, once per chunk.

    Returns
    -------
    numpy.ndarray
        An int per point: the index of its polygon, ``len(polygons)`` when it is in none.

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
    points : geopandas.GeoDataFrame or geopandas.GeoSeries
        Unit points with a CRS (reprojected to EPSG:4326 if needed). Every row needs a point.
    provinces : geopandas.GeoDataFrame, optional
        Polygons with a ``key`` column (or keyed by index). Default: the 31 shipped provinces.
    chunk_size : int
        Work in chunks of this many points.
    progress : callable, optional
        Called with the number of points just processed, once per chunk.

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
        raise InputError(message("estate_layer_no_crs"))
    if not estates.crs.equals("EPSG:4326"):
        estates = estates.to_crs("EPSG:4326")
    geoms = np.asarray(estates.geometry.values)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    not_point = located & (shapely.get_type_id(geoms) != 0)
    if not_point.any():
        first = estates.index[int(np.flatnonzero(not_point)[0])]
        raise InputError(
            message("estate_not_point", first=repr(first))
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
    points : geopandas.GeoDataFrame or geopandas.GeoSeries
        Unit points with a CRS.
    estates : geopandas.GeoDataFrame
        Estate points (e.g. :func:`isipo_geo.registry.estates.load_estates`), indexed by estate id.
    max_distance_m : float
        Largest distance, in metres, at which a unit still belongs to an estate.
    chunk_size : int
        Work in chunks of this many points.
    progress : callable, optional
        Called with the number of points just processed, once per chunk.

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
        raise InputError(message("distance_positive", max_distance_m=max_distance_m))
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

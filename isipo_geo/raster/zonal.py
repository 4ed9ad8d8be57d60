"""Statistics per zone (province), read window by window: under the cell-centre rule (the
default) or with cells weighted by their covered fraction (``weights="coverage"``).

A cell counts, whole, when its centre lies inside the polygon; the rule is applied exactly by an
even-odd scanline over cell centres (:func:`centre_mask`). Coverage weights are computed by
exactextract in :mod:`~isipo_geo.raster.coverage`."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from affine import Affine
    from rasterio.io import DatasetReader
from isipo_geo.raster.read import (
    PathLike,
    _invalid_cells,
    _nullable_dtype,
    _require_crs,
    _window_transform,
    open_raster,
)

STATS: tuple[str, ...] = ("mean", "sum", "min", "max", "count")
"""The statistics :func:`zonal_stats` computes, in their default order."""
WEIGHTS: tuple[str, ...] = ("centre", "coverage")
"""How :func:`zonal_stats` weights a cell: whole when its centre is inside (``centre``), or by
the fraction of its area inside the zone (``coverage``)."""
BLOCK_SIZE = 2048
"""Largest side, in cells, of one block read by :func:`zonal_stats`."""
# --------------------------------------------------------------------------------------------
# Zonal statistics
# --------------------------------------------------------------------------------------------


def check_stats(stats: Sequence[str] | str) -> tuple[str, ...]:
    """Normalise a list of statistics (or a comma-separated string) and reject unknown ones.

    Parameters
    ----------
    stats : sequence of str or str
        Names from :data:`STATS`, e.g. ``["mean", "max"]`` or ``"Mean, max"``.

    Returns
    -------
    tuple of str
        The names in lower case, repeats dropped, in the order given.

    Raises
    ------
    InputError
        A name is not in :data:`STATS`, or none is given.

    Examples
    --------
    >>> check_stats("Mean, max,mean")
    ('mean', 'max')
    """
    if isinstance(stats, str):
        stats = stats.split(",")
    names = tuple(s.strip().lower() for s in stats if s.strip())
    unknown = [s for s in names if s not in STATS]
    if unknown or not names:

        raise InputError(message("unknown_statistic", value=", ".join(map(repr, unknown))
                                 or message("none_given"), allowed=",".join(STATS)))
    return tuple(dict.fromkeys(names))


def check_weights(weights: str) -> str:
    """Return ``weights`` if it is one of :data:`WEIGHTS`, else raise :class:`InputError`.

    Parameters
    ----------
    weights : str
        ``centre`` or ``coverage``.

    Returns
    -------
    str
        ``weights``, unchanged.

    Raises
    ------
    InputError
        ``weights`` is not one of :data:`WEIGHTS`.
    """
    if weights not in WEIGHTS:
        raise InputError(message("unknown_weights", weights=repr(weights),
                                 weights2=','.join(WEIGHTS)))
    return weights


def zonal_stats(  # long: its docstring states both cell rules, with doctested examples
    raster_path: PathLike,
    zones: gpd.GeoDataFrame,
    *,
    stats: Sequence[str] | str = STATS,
    band: int = 1,
    weights: str = "centre",
    block_size: int = BLOCK_SIZE,
) -> pd.DataFrame:
    """Statistics of the raster cells inside each zone, on the zones' index.

    **Cell-centre rule**: a cell belongs to a zone when its centre is inside the polygon, and
    then counts whole; partial cells are not weighted (coverage weights do, below). The rule
    is that of rasterio masks (``all_touched=False``), applied exactly by :func:`centre_mask`,
    so the result does not depend on ``block_size``. Nodata, NaN and masked cells are skipped.
    The zones are reprojected to the raster's CRS. Each zone reads only the window of its
    bounds, block by block (at most ``block_size`` × ``block_size`` cells at a time),
    accumulating running sums, counts, minima and maxima, so memory stays small whatever the
    raster's size.

    With ``weights="coverage"`` each valid cell is weighted instead by the fraction of its area
    inside the polygon, computed exactly by exactextract: a cell half inside counts 0.5, so
    ``count`` is the zone's valid area in cells (a real number), ``sum`` is Σ value × fraction,
    ``mean`` is ``sum / count`` (the area-weighted mean), and ``min`` and ``max`` are over every
    cell the zone covers, even in part. Cells wholly inside count 1, as under the cell-centre
    rule; the two differ only at the zone's edge, which matters on coarse rasters and small
    zones. It needs a north-up raster without rotation. Neither rule weights cells by their
    area on the ground.

    Parameters
    ----------
    raster_path : path-like
        A georeferenced raster overlapping Iran.
    zones : geopandas.GeoDataFrame
        Polygons with a CRS, e.g. :func:`isipo_geo.provinces.load_provinces`. Zones may
        overlap; each is computed on its own.
    stats : sequence of str or str
        Any of ``mean``, ``sum``, ``min``, ``max``, ``count`` (a sequence, or a comma-separated
        string), in the order of the output columns.
    band : int
        Band to read (1-based).
    weights : {'centre', 'coverage'}
        ``"centre"`` (the cell-centre rule, the default) or ``"coverage"`` (each cell weighted
        by its covered fraction).
    block_size : int
        Largest side of a block read at once (rounded to the raster's own tiles).

    Returns
    -------
    pandas.DataFrame
        One row per zone, one column per statistic. ``count`` (valid cells, ``Int64``; with
        coverage weights, their covered area in cells, ``Float64``) is 0 for a zone with no
        valid cell, and the other statistics are then missing. ``mean`` and
        ``sum`` are ``Float64``; ``min`` and ``max`` keep the band's kind (``Int64`` or
        ``Float64``). Cells are not weighted by their area.

    Raises
    ------
    InputError
        The raster is unusable (see :func:`open_raster`), the zones have no CRS, a geometry is
        not a polygon, a statistic or the weights are unknown, or coverage weights are asked
        for on a rotated raster.

    Examples
    --------
    >>> import geopandas as gpd, numpy as np, rasterio, shapely, tempfile
    >>> from affine import Affine
    >>> tif = tempfile.mkdtemp() + "/a.tif"
    >>> with rasterio.open(tif, "w", driver="GTiff", width=2, height=2, count=1,
    ...                    dtype="uint8", crs="EPSG:4326", nodata=0,
    ...                    transform=Affine(0.5, 0, 51.0, 0, -0.5, 36.0)) as dst:
    ...     dst.write(np.array([[1, 2], [0, 4]], dtype="uint8"), 1)
    >>> zones = gpd.GeoDataFrame(geometry=[shapely.box(51.0, 35.0, 52.0, 36.0)],
    ...                          index=["z"], crs="EPSG:4326")
    >>> zonal_stats(tif, zones)
           mean  sum  min  max  count
    z  2.333333  7.0    1    4      3
    >>> half = gpd.GeoDataFrame(geometry=[shapely.box(51.0, 35.5, 51.25, 36.0)],
    ...                         index=["h"], crs="EPSG:4326")
    >>> zonal_stats(tif, half, weights="coverage")
       mean  sum  min  max  count
    h   1.0  0.5    1    1    0.5
    """
    import numpy as np

    names = check_stats(stats)
    check_weights(weights)
    if not (isinstance(block_size, int) and block_size >= 16):
        raise InputError(message("block_size", block_size=repr(block_size)))
    _require_crs(zones, "zones")
    with open_raster(raster_path, band=band) as src:
        dtype = src.dtypes[band - 1]
        projected = _projected_polygons(zones, src.crs)
        # Overflow and infinite cells are checked on the totals (_check_finite), not warned.
        with np.errstate(over="ignore", invalid="ignore"):
            if weights == "coverage":
                from isipo_geo.raster.coverage import coverage_totals

                totals = coverage_totals(src, band, projected, block_size=block_size)
            else:
                totals = _centre_totals(src, band, projected, block_size=block_size)
    return _stats_table(zones, totals, names, dtype, weights, path=raster_path)


def _projected_polygons(zones: gpd.GeoDataFrame, crs: object):
    """The zones' geometries in the raster's CRS, as an array (``None`` where a zone has no
    geometry); a geometry that is not a polygon is an error naming its row."""
    geoms = zones.geometry
    located = ~(geoms.isna() | geoms.is_empty).to_numpy()
    kinds = geoms[located].geom_type
    polygonal = kinds.isin(["Polygon", "MultiPolygon"])
    if not polygonal.all():
        bad = kinds[~polygonal]
        raise InputError(
            message("zonal_needs_polygons", iloc=bad.iloc[0], index=repr(bad.index[0]),
                    bad=len(bad))
        )
    projected = geoms.to_crs(crs).to_numpy()
    projected[~located] = None
    return projected


def _stats_table(zones, totals, names, dtype, weights, *, path: object) -> pd.DataFrame:
    """The statistics ``names`` per zone from its running totals (sum, count, min, max): a
    zone without a valid cell has count 0 and the other statistics missing."""
    import numpy as np
    import pandas as pd

    total, count, low, high = totals
    empty = count == 0
    _check_finite(zones, total, low, high, empty, path=path)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    kind = _nullable_dtype(dtype)
    columns = {
        "mean": pd.array(np.where(empty, np.nan, mean), dtype="Float64"),
        "sum": pd.array(np.where(empty, np.nan, total), dtype="Float64"),
        "min": _masked_array(low, empty, kind),
        "max": _masked_array(high, empty, kind),
        "count": pd.array(count, dtype="Int64" if weights == "centre" else "Float64"),
    }
    return pd.DataFrame({s: columns[s] for s in names}, index=zones.index)

def _check_finite(zones, total, low, high, empty, *, path: object) -> None:
    """A zone whose cells include ±inf, or whose sum overflows, is an error naming the zone —
    never a table of ``inf``."""
    import numpy as np

    bad = ~empty & ~(np.isfinite(total) & np.isfinite(low) & np.isfinite(high))
    if bad.any():
        names = [str(k) for k in zones.index[bad]]
        shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
        raise InputError(
            message("zonal_overflow", names=len(names), shown=shown),
            path=path,
        )


def _centre_totals(
    src: DatasetReader, band: int, geoms: np.ndarray, *, block_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(sum, count, min, max)`` of the valid cells whose centre is inside each polygon
    (``+inf`` and ``-inf`` for a polygon without one); None geometries cover nothing."""
    import numpy as np

    n = len(geoms)
    total = np.zeros(n, dtype=np.float64)
    count = np.zeros(n, dtype=np.int64)
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    for i, geom in enumerate(geoms):
        if geom is None:
            continue
        for data, inside in _zone_blocks(src, band, geom, block_size=block_size):
            values = data[inside]
            if values.size == 0:
                continue
            total[i] += values.sum(dtype=np.float64)
            count[i] += values.size
            low[i] = min(low[i], values.min())
            high[i] = max(high[i], values.max())
    return total, count, low, high


def _masked_array(
    values: np.ndarray, missing: np.ndarray, dtype: str
) -> pd.api.extensions.ExtensionArray:
    import numpy as np
    import pandas as pd

    filled = np.where(missing, 0, values)
    if dtype != "Float64":
        filled = filled.astype(np.int64 if dtype == "Int64" else np.uint64)
    out = pd.array(filled, dtype=dtype)
    out[missing] = pd.NA
    return out


def _zone_blocks(
    src: DatasetReader, band: int, geom: object, *, block_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (data, inside) for each block of the zone's window that the zone touches.

    ``inside`` is True for valid cells whose centre is inside ``geom`` (cell-centre rule).
    """
    import numpy as np
    import shapely
    from rasterio.windows import Window

    minx, miny, maxx, maxy = geom.bounds
    inv = ~src.transform
    cs, rs = inv @ (np.array([minx, maxx, minx, maxx]), np.array([miny, miny, maxy, maxy]))
    c0, c1 = max(0, math.floor(cs.min())), min(src.width, math.ceil(cs.max()))
    r0, r1 = max(0, math.floor(rs.min())), min(src.height, math.ceil(rs.max()))
    if c0 >= c1 or r0 >= r1:
        return
    block_h, block_w = src.block_shapes[band - 1]
    step_r = max(1, block_size // block_h) * block_h if block_h <= block_size else block_size
    step_c = max(1, block_size // block_w) * block_w if block_w <= block_size else block_size
    shapely.prepare(geom)
    edges = pixel_edges(geom, inv)
    for top in range(r0 - r0 % step_r, r1, step_r):
        ra, rb = max(top, r0), min(top + step_r, r1)
        for left in range(c0 - c0 % step_c, c1, step_c):
            ca, cb = max(left, c0), min(left + step_c, c1)
            window = Window(ca, ra, cb - ca, rb - ra)
            transform = _window_transform(src.transform, window)
            xs, ys = transform @ (
                np.array([0, cb - ca, cb - ca, 0]),
                np.array([0, 0, rb - ra, rb - ra]),
            )
            footprint = shapely.Polygon(np.column_stack([xs, ys]))
            if not shapely.intersects(geom, footprint):
                continue
            data = src.read(band, window=window)
            inside = ~_invalid_cells(src, band, data, window)
            if not shapely.contains(geom, footprint):
                inside &= centre_mask(edges, row_off=ra, col_off=ca, height=rb - ra, width=cb - ca)
            yield data, inside


# --------------------------------------------------------------------------------------------
# The cell-centre rule, exactly
# --------------------------------------------------------------------------------------------


class PixelEdges(NamedTuple):
    """A polygon's non-horizontal edges in the pixel space of a raster (column, row)."""

    row_lo: np.ndarray
    row_hi: np.ndarray
    col_at_lo: np.ndarray
    dcol_drow: np.ndarray


def pixel_edges(geom: object, inverse: Affine) -> PixelEdges:
    """Return the edges of every ring of a (multi)polygon in a raster's pixel space.

    Parameters
    ----------
    geom : shapely.Polygon or shapely.MultiPolygon
        The zone, in the raster's CRS.
    inverse : affine.Affine
        The inverse of the raster's transform (``~transform``): map coordinates to (column,
        row).

    Returns
    -------
    PixelEdges
        The non-horizontal edges, each from its lower row to its higher one, with its column at
        the lower row and its slope in columns per row (for :func:`centre_mask`).
    """
    import numpy as np
    import shapely

    rings = shapely.get_rings(shapely.get_parts(np.asarray([geom], dtype=object)))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    cols, rows = inverse @ (xy[:, 0], xy[:, 1])
    same = ring[:-1] == ring[1:]  # consecutive vertices of one ring form an edge
    c1, r1, c2, r2 = cols[:-1][same], rows[:-1][same], cols[1:][same], rows[1:][same]
    sloped = r1 != r2
    c1, r1, c2, r2 = c1[sloped], r1[sloped], c2[sloped], r2[sloped]
    low_first = r1 < r2
    row_lo = np.where(low_first, r1, r2)
    row_hi = np.where(low_first, r2, r1)
    col_at_lo = np.where(low_first, c1, c2)
    return PixelEdges(row_lo, row_hi, col_at_lo, (c2 - c1) / (r2 - r1))


def centre_mask(
    edges: PixelEdges, *, row_off: int, col_off: int, height: int, width: int
) -> np.ndarray:
    """True for the cells of a window whose centre is inside the polygon (even-odd rule).

    For each row of cell centres (pixel row ``k + 0.5``) the crossings with the polygon's edges
    are found (an edge covers the half-open span ``row_lo <= y < row_hi``, so a vertex is
    counted once); a cell is inside when an odd number of crossings lies left of its centre.
    The answer for a cell depends only on the cell, never on the window it is computed in.

    Parameters
    ----------
    edges : PixelEdges
        From ``pixel_edges(geom, ~transform)``: the polygon in the raster's pixel space.
    row_off, col_off, height, width : int
        The window, in rows and columns of the raster.

    Returns
    -------
    numpy.ndarray
        Booleans of shape ``(height, width)``: True where the cell's centre is inside.
    """
    import numpy as np

    first = np.maximum(np.ceil(edges.row_lo - 0.5), row_off).astype(np.int64)
    stop = np.minimum(np.ceil(edges.row_hi - 0.5), row_off + height).astype(np.int64)
    n = np.maximum(stop - first, 0)
    total = int(n.sum())
    if total == 0:
        return np.zeros((height, width), dtype=bool)
    edge = np.repeat(np.arange(len(n)), n)
    starts = np.repeat(np.cumsum(n) - n, n)
    rows = first[edge] + (np.arange(total) - starts)
    cols = edges.col_at_lo[edge] + (rows + 0.5 - edges.row_lo[edge]) * edges.dcol_drow[edge]
    # the first cell whose centre is right of the crossing; crossings further right are dropped
    toggle = np.clip(np.floor(cols + 0.5).astype(np.int64) - col_off, 0, width)
    counts = np.bincount((rows - row_off) * (width + 1) + toggle, minlength=height * (width + 1))
    parity = np.cumsum(counts.reshape(height, width + 1).astype(np.uint8), axis=1, dtype=np.uint8)
    return (parity[:, :width] & 1).astype(bool)

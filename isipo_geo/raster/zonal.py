"""Statistics per zone (province) under the cell-centre rule, read window by window.

A cell counts, whole, when its centre lies inside the polygon; the rule is applied exactly by an
even-odd scanline over cell centres (:func:`centre_mask`)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from isipo_geo.errors import InputError

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
BLOCK_SIZE = 2048
"""Largest side, in cells, of one block read by :func:`zonal_stats`."""
# --------------------------------------------------------------------------------------------
# Zonal statistics
# --------------------------------------------------------------------------------------------


def check_stats(stats: Sequence[str] | str) -> tuple[str, ...]:
    """Normalise a list of statistics (or a comma-separated string) and reject unknown ones."""
    if isinstance(stats, str):
        stats = stats.split(",")
    names = tuple(s.strip().lower() for s in stats if s.strip())
    unknown = [s for s in names if s not in STATS]
    if unknown or not names:
        raise InputError(
            f"unknown statistic {', '.join(map(repr, unknown)) or '(none given)'}; "
            f"choose from {','.join(STATS)}"
        )
    return tuple(dict.fromkeys(names))


def zonal_stats(
    raster_path: PathLike,
    zones: gpd.GeoDataFrame,
    *,
    stats: Sequence[str] | str = STATS,
    band: int = 1,
    block_size: int = BLOCK_SIZE,
) -> pd.DataFrame:
    """Statistics of the raster cells inside each zone, on the zones' index.

    **Cell-centre rule**: a cell belongs to a zone when its centre is inside the polygon, and
    then counts whole; partial cells are not weighted (exactextract would weight them). The rule
    is that of rasterio masks (``all_touched=False``), applied exactly by :func:`centre_mask`,
    so the result does not depend on ``block_size``. Nodata, NaN and masked cells are skipped.
    The zones are reprojected to the raster's CRS. Each zone reads only the window of its
    bounds, block by block (at most ``block_size`` × ``block_size`` cells at a time),
    accumulating running sums, counts, minima and maxima, so memory stays small whatever the
    raster's size.

    Parameters
    ----------
    raster_path
        A georeferenced raster overlapping Iran.
    zones
        Polygons with a CRS, e.g. :func:`isipo_geo.provinces.load_provinces`. Zones may
        overlap; each is computed on its own.
    stats
        Any of ``mean``, ``sum``, ``min``, ``max``, ``count`` (a sequence, or a comma-separated
        string), in the order of the output columns.
    band
        Band to read (1-based).
    block_size
        Largest side of a block read at once (rounded to the raster's own tiles).

    Returns
    -------
    pandas.DataFrame
        One row per zone, one column per statistic. ``count`` (valid cells, ``Int64``) is 0 for
        a zone with no valid cell, and the other statistics are then missing. ``mean`` and
        ``sum`` are ``Float64``; ``min`` and ``max`` keep the band's kind (``Int64`` or
        ``Float64``). Cells are not weighted by their area.

    Raises
    ------
    InputError
        The raster is unusable (see :func:`open_raster`), the zones have no CRS, a geometry is
        not a polygon, or a statistic is unknown.

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
    """
    import numpy as np
    import pandas as pd

    names = check_stats(stats)
    if not (isinstance(block_size, int) and block_size >= 16):
        raise InputError(f"block_size must be an integer of at least 16, not {block_size!r}")
    _require_crs(zones, "zones")
    n = len(zones)
    total = np.zeros(n, dtype=np.float64)
    count = np.zeros(n, dtype=np.int64)
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    with open_raster(raster_path, band=band) as src:
        dtype = src.dtypes[band - 1]
        geoms = zones.geometry
        located = ~(geoms.isna() | geoms.is_empty).to_numpy()
        kinds = geoms[located].geom_type
        polygonal = kinds.isin(["Polygon", "MultiPolygon"])
        if not polygonal.all():
            bad = kinds[~polygonal]
            raise InputError(
                f"zonal statistics need polygons; {bad.iloc[0]} at row {bad.index[0]!r} "
                f"({len(bad)} non-polygon geometries)"
            )
        projected = geoms.to_crs(src.crs).to_numpy()
        for i in np.flatnonzero(located):
            for data, inside in _zone_blocks(src, band, projected[i], block_size=block_size):
                values = data[inside]
                if values.size == 0:
                    continue
                total[i] += values.sum(dtype=np.float64)
                count[i] += values.size
                low[i] = min(low[i], values.min())
                high[i] = max(high[i], values.max())
    empty = count == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    kind = _nullable_dtype(dtype)
    columns = {
        "mean": pd.array(np.where(empty, np.nan, mean), dtype="Float64"),
        "sum": pd.array(np.where(empty, np.nan, total), dtype="Float64"),
        "min": _masked_array(low, empty, kind),
        "max": _masked_array(high, empty, kind),
        "count": pd.array(count, dtype="Int64"),
    }
    return pd.DataFrame({s: columns[s] for s in names}, index=zones.index)


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
    """Edges of every ring of a (multi)polygon in a raster's pixel space (column, row);
    ``inverse`` is the inverse of the raster's transform."""
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
    edges
        From ``pixel_edges(geom, ~transform)``: the polygon in the raster's pixel space.
    row_off, col_off, height, width
        The window, in rows and columns of the raster.
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

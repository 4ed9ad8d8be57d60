"""Rasters in and out: values of a GeoTIFF at estates, statistics per province, and the
toolkit's own values written back as GeoTIFFs that QGIS opens.

* :func:`sample` — the value of the cell under each point (estates), as a Series on the points'
  index. Nodata, NaN and masked cells become missing (``<NA>``), never 0.
* :func:`zonal_stats` — ``mean``, ``sum``, ``min``, ``max``, ``count`` of the cells of each zone
  (provinces), as a DataFrame on the zones' index. **Cell-centre rule**: a cell counts, whole,
  when its centre lies inside the polygon; partial cells are neither split nor weighted (this
  is the rule of rasterio masks with ``all_touched=False``; exactextract's partial-cell
  weighting is not used). The rule is applied exactly, by an even-odd scanline over cell
  centres (:func:`centre_mask`), because GDAL's rasterizer behind rasterio masks disagrees with
  it at a few edge cells and gives different edge cells for different windows, which would make
  the statistics depend on the block size. Statistics are unweighted by cell area, which on a
  longitude/latitude raster shrinks towards the poles (by about 20% across Iran).
* :func:`export` — rasterise province polygons or estate points to a tiled, DEFLATE-compressed
  GeoTIFF in EPSG:4326 with a nodata value, written atomically.

Rasters are read window by window: each zone reads only the window of its bounds, in blocks of
at most ``block_size`` × ``block_size`` cells, and GDAL's block cache is capped, so a
20,000 × 20,000 raster needs a few hundred MB at most. Raster values are used as stored (a band's
scale and offset are not applied).

Bad input (a file that is not a raster, a raster without CRS, a band that does not exist, a
raster that does not overlap Iran) raises :class:`~isipo_geo.errors.InputError` naming the file.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from isipo_geo.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from affine import Affine
    from rasterio.io import DatasetReader
    from rasterio.windows import Window

STATS: tuple[str, ...] = ("mean", "sum", "min", "max", "count")
"""The statistics :func:`zonal_stats` computes, in their default order."""

SAMPLE_STATUSES: tuple[str, ...] = ("ok", "nodata", "outside", "no_location")
"""Why :func:`sample_status` gives a point a value or not."""

MERGES: tuple[str, ...] = ("sum", "mean", "min", "max")
"""How :func:`export` combines several points that fall into one cell."""

BLOCK_SIZE = 2048
"""Largest side, in cells, of one block read by :func:`zonal_stats`."""

GDAL_CACHE_BYTES = 64 * 2**20
"""GDAL's raster block cache while isipo_geo reads a raster (GDAL's default is 5% of RAM)."""

MAX_EXPORT_CELLS = 400_000_000
"""Largest raster :func:`export` writes (20,000 × 20,000 cells)."""

PathLike = str | os.PathLike[str]


# --------------------------------------------------------------------------------------------
# Opening and checking a raster
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def open_raster(path: PathLike, *, band: int = 1) -> Iterator[DatasetReader]:
    """Open a raster for reading after checking that isipo-geo can use it.

    Parameters
    ----------
    path
        A raster file GDAL reads (GeoTIFF, COG, JPEG2000, ...).
    band
        The band that will be read (1-based).

    Yields
    ------
    rasterio.io.DatasetReader
        The open dataset, inside a ``rasterio.Env`` whose block cache is
        :data:`GDAL_CACHE_BYTES`.

    Raises
    ------
    InputError
        The file is missing or not a raster, has no CRS or no georeferencing, has no band
        ``band``, or does not overlap Iran; or it fails while being read (a damaged file).
    """
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioError, RasterioIOError

    path = Path(path)
    if not path.exists():
        raise InputError("raster file not found", path=path)
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_BYTES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NotGeoreferencedWarning)
                src = rasterio.open(path)
        except RasterioIOError:
            raise InputError(
                "not a raster GDAL can read (expected a GeoTIFF or another raster format)",
                path=path,
            ) from None
        with src:
            _check_raster(src, path=path, band=band)
            try:
                yield src
            except RasterioError as exc:  # a damaged or truncated file fails while being read
                cause = str(exc.__cause__ or exc).splitlines()[0]
                raise InputError(f"cannot read the raster: {cause}", path=path) from None


def _check_raster(src: DatasetReader, *, path: Path, band: int) -> None:
    if src.crs is None:
        raise InputError(
            "the raster has no CRS (coordinate reference system); assign one, "
            "e.g. gdal_edit.py -a_srs EPSG:4326 FILE",
            path=path,
        )
    if src.transform.is_identity:
        raise InputError(
            "the raster has a CRS but no georeferencing (no geotransform); georeference it first",
            path=path,
        )
    if not (isinstance(band, int) and 1 <= band <= src.count):
        plural = "band" if src.count == 1 else "bands"
        raise InputError(
            f"band {band} does not exist: the raster has {src.count} {plural} "
            f"(choose 1–{src.count})",
            path=path,
        )
    if src.dtypes[band - 1] not in _SUPPORTED_DTYPES:
        raise InputError(
            f"band {band} has data type {src.dtypes[band - 1]}; "
            "only integer and real (float) bands are supported",
            path=path,
        )
    _check_overlaps_iran(src, path=path)


_SUPPORTED_DTYPES = {
    "uint8",
    "int8",
    "uint16",
    "int16",
    "uint32",
    "int32",
    "uint64",
    "int64",
    "float32",
    "float64",
}


def _check_overlaps_iran(src: DatasetReader, *, path: Path) -> None:
    import shapely
    from rasterio.errors import RasterioError
    from rasterio.warp import transform_bounds

    from isipo_geo.provinces import load_provinces

    try:
        west, south, east, north = transform_bounds(
            src.crs, "EPSG:4326", *src.bounds, densify_pts=21
        )
    except RasterioError as exc:
        raise InputError(
            f"cannot place the raster on the globe with its CRS ({exc})", path=path
        ) from None
    footprint = shapely.box(west, south, east, north)
    if not load_provinces().geometry.intersects(footprint).any():
        raise InputError(
            f"the raster does not overlap Iran (it covers longitude {west:.3f}…{east:.3f}, "
            f"latitude {south:.3f}…{north:.3f}); check its CRS",
            path=path,
        )


def _require_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        raise InputError(f"the {what} have no CRS; set one first (e.g. gdf.set_crs('EPSG:4326'))")


def _invalid_cells(src: DatasetReader, band: int, data: np.ndarray, window: object) -> np.ndarray:
    """Boolean array: True where a cell is nodata, NaN or masked by the dataset."""
    import numpy as np
    from rasterio.enums import MaskFlags

    flags = src.mask_flag_enums[band - 1]
    invalid = np.zeros(data.shape, dtype=bool)
    nodata = src.nodatavals[band - 1]
    if MaskFlags.nodata in flags and nodata is not None:
        if data.dtype.kind == "f":
            if not math.isnan(nodata):
                invalid |= data == np.array(nodata).astype(data.dtype)
        elif float(nodata).is_integer() and _fits(data.dtype, nodata):
            invalid |= data == np.array(nodata).astype(data.dtype)
    elif MaskFlags.all_valid not in flags:  # internal mask, alpha band or per-dataset mask
        invalid |= src.read_masks(band, window=window) == 0
    if data.dtype.kind == "f":
        invalid |= np.isnan(data)
    return invalid


def _window_transform(transform: Affine, window: Window) -> Affine:
    """The transform of a window (rasterio's ``window_transform`` warns under affine 3)."""
    from affine import Affine

    return transform @ Affine.translation(window.col_off, window.row_off)


def _fits(dtype: np.dtype, value: float) -> bool:
    import numpy as np

    info = np.iinfo(dtype)
    return info.min <= value <= info.max


def _nullable_dtype(dtype: str) -> str:
    if dtype.startswith("float"):
        return "Float64"
    return "UInt64" if dtype == "uint64" else "Int64"


# --------------------------------------------------------------------------------------------
# Sampling at points
# --------------------------------------------------------------------------------------------


def sample_status(
    raster_path: PathLike, points: gpd.GeoDataFrame, *, band: int = 1
) -> pd.DataFrame:
    """The cell value under each point and why a point has none.

    Parameters
    ----------
    raster_path
        A georeferenced raster (any CRS; the points are reprojected to it).
    points
        Points with a CRS (e.g. :func:`isipo_geo.estates.load_estates`). Missing or empty
        geometries are allowed (estates without a location).
    band
        Band to read (1-based).

    Returns
    -------
    pandas.DataFrame
        On the points' index: ``value`` (``Int64`` for integer bands, ``Float64`` for real
        bands; missing unless ``status == "ok"``) and ``status``, one of
        :data:`SAMPLE_STATUSES`: ``ok``; ``nodata`` (nodata value, NaN or masked cell);
        ``outside`` (the point is outside the raster); ``no_location``.

    Raises
    ------
    InputError
        The raster is unusable (see :func:`open_raster`), the points have no CRS, or a geometry
        is not a point.
    """
    import numpy as np
    import pandas as pd
    from rasterio.windows import Window

    _require_crs(points, "points")
    n = len(points)
    status = np.full(n, "no_location", dtype=object)
    with open_raster(raster_path, band=band) as src:
        dtype = src.dtypes[band - 1]
        values = np.zeros(n, dtype=dtype)
        geoms = points.geometry
        located = ~(geoms.isna() | geoms.is_empty).to_numpy()
        kinds = geoms[located].geom_type
        if not (kinds == "Point").all():
            bad = kinds[kinds != "Point"]
            raise InputError(
                f"sampling needs points; {bad.iloc[0]} at row {bad.index[0]!r} "
                f"({len(bad)} non-point geometries)"
            )
        projected = geoms[located].to_crs(src.crs)
        xs, ys = projected.x.to_numpy(), projected.y.to_numpy()
        cols_f, rows_f = ~src.transform @ (xs, ys)
        finite = np.isfinite(cols_f) & np.isfinite(rows_f)
        rows = np.floor(np.clip(np.where(finite, rows_f, -1), -1, src.height)).astype(np.int64)
        cols = np.floor(np.clip(np.where(finite, cols_f, -1), -1, src.width)).astype(np.int64)
        inside = (rows >= 0) & (rows < src.height) & (cols >= 0) & (cols < src.width)
        where = np.flatnonzero(located)
        status[where[~inside]] = "outside"
        idx_in = where[inside]
        rows, cols = rows[inside], cols[inside]
        # group the points by 512 × 512 blocks and read each group's window once
        groups = (rows // 512) * (src.width // 512 + 1) + cols // 512
        for group in np.unique(groups):
            sel = groups == group
            r, c = rows[sel], cols[sel]
            r0, c0 = int(r.min()), int(c.min())
            window = Window(c0, r0, int(c.max()) - c0 + 1, int(r.max()) - r0 + 1)
            data = src.read(band, window=window)
            invalid = _invalid_cells(src, band, data, window)
            values[idx_in[sel]] = data[r - r0, c - c0]
            status[idx_in[sel]] = np.where(invalid[r - r0, c - c0], "nodata", "ok")
    missing = status != "ok"
    value = pd.array(values, dtype=_nullable_dtype(dtype))
    value[missing] = pd.NA
    return pd.DataFrame({"value": value, "status": status.astype(str)}, index=points.index)


def sample(raster_path: PathLike, points: gpd.GeoDataFrame, *, band: int = 1) -> pd.Series:
    """The value of the raster cell under each point, on the points' index.

    The points are reprojected to the raster's CRS. A point takes the value of the cell that
    contains it (no interpolation). Nodata, NaN and masked cells, points outside the raster and
    points without a location give a missing value (``<NA>``), never 0.

    Parameters
    ----------
    raster_path
        A georeferenced raster overlapping Iran.
    points
        Points with a CRS, e.g. ``isipo_geo.estates.load_estates()``.
    band
        Band to read (1-based).

    Returns
    -------
    pandas.Series
        Named ``value``; ``Int64`` for integer bands, ``Float64`` for real bands.
        :func:`sample_status` also says why a value is missing.

    Raises
    ------
    InputError
        The raster is unusable (see :func:`open_raster`), the points have no CRS, or a geometry
        is not a point.

    Examples
    --------
    >>> import geopandas as gpd, numpy as np, rasterio, shapely, tempfile
    >>> from affine import Affine
    >>> tif = tempfile.mkdtemp() + "/a.tif"
    >>> with rasterio.open(tif, "w", driver="GTiff", width=2, height=1, count=1,
    ...                    dtype="int16", crs="EPSG:4326", nodata=-1,
    ...                    transform=Affine(0.5, 0, 51.0, 0, -0.5, 35.7)) as dst:
    ...     dst.write(np.array([[7, -1]], dtype="int16"), 1)
    >>> pts = gpd.GeoDataFrame(geometry=[shapely.Point(51.2, 35.5), shapely.Point(51.7, 35.5)],
    ...                        index=["a", "b"], crs="EPSG:4326")
    >>> sample(tif, pts).tolist()
    [7, <NA>]
    """
    return sample_status(raster_path, points, band=band)["value"]


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


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


class ExportResult(NamedTuple):
    """What :func:`export` wrote and what it left out."""

    path: Path
    width: int
    height: int
    written: int
    """Features with at least one cell in the GeoTIFF."""
    skipped: dict[str, list[str]]
    """Index labels left out, by reason: ``no_value``, ``no_location``, ``no_cell`` (a polygon
    smaller than a cell whose centre it does not cover)."""


def export(
    values: gpd.GeoDataFrame,
    column: str,
    path: PathLike,
    *,
    res_deg: float,
    nodata: float = -9999.0,
    merge: Literal["sum", "mean", "min", "max"] = "sum",
) -> ExportResult:
    """Rasterise a column of province polygons or estate points to a GeoTIFF.

    The GeoTIFF is EPSG:4326 (longitude/latitude) with square cells of ``res_deg`` degrees on a
    grid aligned to multiples of ``res_deg``, covering the features; float64, one band named
    after ``column``, tiled 256 × 256, DEFLATE-compressed, with ``nodata`` in cells no feature
    covers. It is written atomically (a temporary file replaced in one step).

    Polygons use the cell-centre rule (a cell takes a polygon's value when its centre is inside
    it; where polygons overlap, the later row wins). Points give their value to the cell that
    contains them; several points in one cell are combined by ``merge``.

    Parameters
    ----------
    values
        Polygons, or points, with a CRS and a numeric ``column``. Rows with a missing value or
        no geometry are skipped (and listed in the result).
    column
        The column to write.
    path
        Output GeoTIFF (``.tif``); its folder is created if needed.
    res_deg
        Cell size in degrees (e.g. 0.05 ≈ 5 km).
    nodata
        Value of cells without data; no value of ``column`` may equal it.
    merge
        ``sum`` (for totals such as a financing need), ``mean``, ``min`` or ``max``.

    Returns
    -------
    ExportResult
        The path, the raster's size and which rows were left out.

    Raises
    ------
    InputError
        Unknown or non-numeric column, no CRS, mixed or unsupported geometries, a value equal to
        ``nodata``, a bad ``res_deg`` or a raster that would be too large, nothing to write.
    """
    import numpy as np
    import pandas as pd
    import rasterio
    from affine import Affine
    from rasterio.windows import Window

    from isipo_geo.io import atomic_path

    if column not in values.columns or column == values.geometry.name:
        raise InputError(
            f"no column {column!r}; numeric columns: {', '.join(_numeric_columns(values)) or '-'}"
        )
    if merge not in MERGES:
        raise InputError(f"unknown merge {merge!r}; choose from {', '.join(MERGES)}")
    if not (isinstance(res_deg, int | float) and math.isfinite(res_deg) and 0 < res_deg <= 10):
        raise InputError(f"the resolution must be between 0 and 10 degrees, not {res_deg!r}")
    if not math.isfinite(nodata):
        raise InputError("nodata must be a finite number (QGIS handles -9999 better than NaN)")
    _require_crs(values, "features")
    series = values[column]
    if series.dtype == bool or str(series.dtype) == "boolean":
        series = series.astype("Float64")
    if not pd.api.types.is_numeric_dtype(series):
        raise InputError(f"column {column!r} is not numeric ({series.dtype})", column=column)
    numbers = pd.to_numeric(series).astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    geoms = values.geometry
    located = ~(geoms.isna() | geoms.is_empty).to_numpy()
    has_value = np.isfinite(numbers)
    labels = values.index.astype(str)
    skipped = {
        "no_value": list(labels[~has_value]),
        "no_location": list(labels[has_value & ~located]),
        "no_cell": [],
    }
    keep = has_value & located
    if not keep.any():
        raise InputError(f"nothing to write: no row has both a location and a {column!r} value")
    clash = keep & (numbers == nodata)
    if clash.any():
        raise InputError(
            f"row {labels[clash][0]!r} has the value {nodata:g}, which is the nodata value; "
            "choose another nodata",
            column=column,
        )
    kinds = set(geoms[keep].geom_type)
    if kinds <= {"Polygon", "MultiPolygon"}:
        points = False
    elif kinds == {"Point"}:
        points = True
    else:
        raise InputError(
            "export needs either polygons (provinces) or points (estates), "
            f"not {', '.join(sorted(kinds))}"
        )
    shapes = geoms[keep].to_crs("EPSG:4326").to_numpy()
    vals = numbers[keep]
    keep_labels = list(labels[keep])

    west, south, east, north = _bounds(shapes)
    x0 = round(math.floor(west / res_deg) * res_deg, 12)
    y1 = round((math.floor(north / res_deg) + 1) * res_deg, 12)
    width = max(1, math.floor(east / res_deg) + 1 - math.floor(west / res_deg))
    height = max(1, math.floor(north / res_deg) + 1 - math.floor(south / res_deg))
    if width * height > MAX_EXPORT_CELLS:
        raise InputError(
            f"a {width:,} × {height:,} raster is too large at {res_deg}°; choose a coarser --res"
        )
    transform = Affine(res_deg, 0.0, x0, 0.0, -res_deg, y1)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float64",
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": nodata,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
        "predictor": 3,
    }
    if points:
        xs = np.array([p.x for p in shapes])
        ys = np.array([p.y for p in shapes])
        cols = np.clip(np.floor((xs - x0) / res_deg).astype(np.int64), 0, width - 1)
        rows = np.clip(np.floor((y1 - ys) / res_deg).astype(np.int64), 0, height - 1)
        cells, inverse = np.unique(rows * width + cols, return_inverse=True)
        cell_value = _merge_points(vals, inverse, len(cells), merge)
        cell_rows, cell_cols = cells // width, cells % width
    else:
        inverse_transform = ~transform
        edges = [pixel_edges(geom, inverse_transform) for geom in shapes]
    cells_per_feature = np.zeros(len(shapes), dtype=np.int64)
    path = Path(path)
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        for top in range(0, height, 256):
            window = Window(0, top, width, min(256, height - top))
            out = np.full((window.height, width), nodata, dtype=np.float64)
            if points:
                sel = (cell_rows >= top) & (cell_rows < top + window.height)
                out[cell_rows[sel] - top, cell_cols[sel]] = cell_value[sel]
            else:
                index = np.zeros((window.height, width), dtype=np.int32)
                for i, feature_edges in enumerate(edges):  # later rows win
                    mask = centre_mask(
                        feature_edges, row_off=top, col_off=0, height=window.height, width=width
                    )
                    index[mask] = i + 1
                hit = index > 0
                out[hit] = vals[index[hit] - 1]
                cells_per_feature += np.bincount(index.ravel(), minlength=len(shapes) + 1)[1:]
            dst.write(out, 1, window=window)
        dst.set_band_description(1, column)
        dst.update_tags(
            column=column,
            merge=merge if points else "cell-centre",
            software="isipo-geo raster export",
        )
    if points:
        written = len(shapes)
    else:
        skipped["no_cell"] = [keep_labels[i] for i in np.flatnonzero(cells_per_feature == 0)]
        written = int((cells_per_feature > 0).sum())
    return ExportResult(path=path, width=width, height=height, written=written, skipped=skipped)


def _numeric_columns(df: pd.DataFrame) -> list[str]:
    import pandas as pd

    return [
        str(c)
        for c in df.columns
        if c != getattr(df, "_geometry_column_name", None)
        and pd.api.types.is_numeric_dtype(df[c])
        and not pd.api.types.is_bool_dtype(df[c])
    ]


def _bounds(shapes: np.ndarray) -> tuple[float, float, float, float]:
    import shapely

    west, south, east, north = shapely.total_bounds(shapes)
    return float(west), float(south), float(east), float(north)


def _merge_points(vals: np.ndarray, inverse: np.ndarray, n: int, merge: str) -> np.ndarray:
    import numpy as np

    inverse = inverse.ravel()
    if merge in ("sum", "mean"):
        out = np.bincount(inverse, weights=vals, minlength=n)
        if merge == "mean":
            out = out / np.bincount(inverse, minlength=n)
        return out
    out = np.full(n, np.inf if merge == "min" else -np.inf)
    (np.minimum if merge == "min" else np.maximum).at(out, inverse, vals)
    return out

"""Raster values at points (estates): the cell under each point, nodata kept missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
from isipo_geo.raster.read import (
    PathLike,
    _invalid_cells,
    _nullable_dtype,
    _require_crs,
    open_raster,
)

SAMPLE_STATUSES: tuple[str, ...] = ("ok", "nodata", "outside", "no_location")
"""Why :func:`sample_status` gives a point a value or not."""
# --------------------------------------------------------------------------------------------
# Sampling at points
# --------------------------------------------------------------------------------------------


def sample_status(
    raster_path: PathLike, points: gpd.GeoDataFrame, *, band: int = 1
) -> pd.DataFrame:
    """The cell value under each point and why a point has none.

    Parameters
    ----------
    raster_path : path-like
        A georeferenced raster (any CRS; the points are reprojected to it).
    points : geopandas.GeoDataFrame
        Points with a CRS (e.g. :func:`isipo_geo.registry.estates.load_estates`). Missing or empty
        geometries are allowed (estates without a location).
    band : int
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
                message("sampling_needs_points", iloc=bad.iloc[0], index=repr(bad.index[0]),
                        bad=len(bad))
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
    raster_path : path-like
        A georeferenced raster overlapping Iran.
    points : geopandas.GeoDataFrame
        Points with a CRS, e.g. ``isipo_geo.registry.estates.load_estates()``.
    band : int
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

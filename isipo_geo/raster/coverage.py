"""Zonal sums, weights, minima and maxima with each cell weighted by the fraction of its area
inside the zone, computed by exactextract (exact cell-coverage fractions).

Used by :func:`isipo_geo.raster.zonal_stats` with ``weights="coverage"``. The raster is read
through this package's own reader (:func:`_cell_source`): the same nodata, NaN and mask rules as the
cell-centre rule, values as stored (scale and offset not applied), GDAL's block cache capped by
:func:`~isipo_geo.raster.read.open_raster`, and at most ``block_size``² cells in memory at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message
from isipo_geo.raster.read import _invalid_cells

if TYPE_CHECKING:
    import numpy as np
    from rasterio.io import DatasetReader


def coverage_totals(
    src: DatasetReader, band: int, geoms: np.ndarray, *, block_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Coverage-weighted ``(sum, weight, min, max)`` of each polygon's valid cells.

    ``weight`` is the sum of the covered fractions of the valid cells (1 for a cell wholly
    inside, 0.5 for a cell half inside); ``sum`` is the sum of value × fraction; ``min`` and
    ``max`` are over every valid cell the polygon covers, even in part (``+inf`` and ``-inf``
    when it covers none). exactextract keeps each fraction in single precision (about seven
    significant digits); the sums are in double precision.

    Parameters
    ----------
    src
        An open raster (from :func:`~isipo_geo.raster.read.open_raster`).
    band
        The band to read (1-based).
    geoms
        Shapely polygons in the raster's CRS; None or empty geometries cover nothing.
    block_size
        At most ``block_size`` × ``block_size`` cells are held in memory at a time.

    Raises
    ------
    InputError
        The raster is rotated or not north-up (exactextract needs an axis-aligned grid).
    """
    import geopandas as gpd
    import numpy as np
    from exactextract import exact_extract

    t = src.transform
    if not (t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0):
        raise InputError(
            message("coverage_needs_north_up"),
            path=src.name,
        )
    n = len(geoms)
    total = np.zeros(n, dtype=np.float64)
    weight = np.zeros(n, dtype=np.float64)
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    geoms = np.asarray(geoms, dtype=object)
    located = np.flatnonzero([g is not None and not g.is_empty for g in geoms])
    if located.size == 0:
        return total, weight, low, high
    features = gpd.GeoDataFrame({"row": located}, geometry=list(geoms[located]), crs=src.crs)
    table = exact_extract(
        _cell_source(src, band),
        features,
        ["sum", "count", "min", "max"],
        include_cols=["row"],
        output="pandas",
        strategy="feature-sequential",
        max_cells_in_memory=block_size * block_size,
    )
    rows = table["row"].to_numpy(dtype=np.int64)
    total[rows] = table["sum"].to_numpy(dtype=np.float64)
    weight[rows] = table["count"].to_numpy(dtype=np.float64)
    hit = weight[rows] > 0
    covered = rows[hit]
    low[covered] = table["min"][hit].to_numpy(dtype=np.float64)
    high[covered] = table["max"][hit].to_numpy(dtype=np.float64)
    return total, weight, low, high


def _cell_source(src: DatasetReader, band: int) -> object:
    """An exactextract raster source over one band of ``src`` (defined here, so that
    exactextract is imported only when coverage weights are asked for)."""
    from exactextract.raster import RasterSource

    class Cells(RasterSource):
        """One band of an open rasterio dataset, with the cells isipo-geo treats as invalid
        (nodata, NaN, masked) as NaN."""

        def __init__(self, src: DatasetReader, band: int) -> None:
            super().__init__()
            self.src = src
            self.band = band

        def res(self) -> tuple[float, float]:
            return (self.src.transform.a, -self.src.transform.e)

        def extent(self) -> tuple[float, float, float, float]:
            b = self.src.bounds
            return (b.left, b.bottom, b.right, b.top)

        def srs_wkt(self) -> str:
            return self.src.crs.wkt

        def nodata_value(self) -> None:
            return None  # invalid cells come as NaN from read_window

        def read_window(self, x0: int, y0: int, nx: int, ny: int) -> np.ndarray:
            import numpy as np
            from rasterio.windows import Window

            window = Window(x0, y0, nx, ny)
            data = self.src.read(self.band, window=window)
            invalid = _invalid_cells(self.src, self.band, data, window)
            # exactextract 0.3 skips NaN but ignores a masked array's mask when the source has
            # no nodata value, so invalid cells become NaN (values as float64, as the sums are)
            values = data.astype(np.float64)
            values[invalid] = np.nan
            return values

    return Cells(src, band)

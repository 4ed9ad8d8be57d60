"""Rasterise province polygons or estate points to a tiled, compressed GeoTIFF (written
atomically)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from isipo_geo.errors import InputError
from isipo_geo.messages import message, numeral

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
from isipo_geo.raster.read import PathLike, _require_crs
from isipo_geo.raster.zonal import centre_mask, pixel_edges

MERGES: tuple[str, ...] = ("sum", "mean", "min", "max")
"""How :func:`export` combines several points that fall into one cell."""
MAX_EXPORT_CELLS = 400_000_000
"""Largest raster :func:`export` writes (20,000 × 20,000 cells)."""
# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


class ExportResult(NamedTuple):
    """What :func:`export` wrote and what it left out.

    Parameters
    ----------
    path : pathlib.Path
        The GeoTIFF written.
    width, height : int
        Its size in cells.
    written : int
        Features with at least one cell in the GeoTIFF.
    skipped : dict of str to list of str
        Index labels left out, by reason: ``no_value``, ``no_location``, ``no_cell`` (a polygon
        smaller than a cell whose centre it does not cover).
    """

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
    values : geopandas.GeoDataFrame
        Polygons, or points, with a CRS and a numeric ``column``. Rows with a missing value or
        no geometry are skipped (and listed in the result).
    column : str
        The column to write.
    path : path-like
        Output GeoTIFF (``.tif``); its folder is created if needed.
    res_deg : float
        Cell size in degrees (e.g. 0.05 ≈ 5 km).
    nodata : float
        Value of cells without data; no value of ``column`` may equal it.
    merge : {'sum', 'mean', 'min', 'max'}
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
    _check_options(values, column, res_deg=res_deg, nodata=nodata, merge=merge)
    features = _features(values, column, nodata=nodata)
    grid = _grid(features.shapes, res_deg)
    path = Path(path)
    if features.points:
        cells = _write_points(path, features, grid, nodata=nodata, merge=merge, column=column)
    else:
        cells = _write_polygons(path, features, grid, nodata=nodata, column=column)
    skipped = features.skipped
    skipped["no_cell"] = [features.labels[i] for i, n in enumerate(cells.tolist()) if n == 0]
    written = sum(n > 0 for n in cells.tolist())
    return ExportResult(
        path=path, width=grid.width, height=grid.height, written=written, skipped=skipped
    )


class _Features(NamedTuple):
    """The rows :func:`export` writes: shapes in EPSG:4326, their values and labels, whether
    they are points, and the rows left out by reason."""

    shapes: np.ndarray
    values: np.ndarray
    labels: list[str]
    points: bool
    skipped: dict[str, list[str]]


class _Grid(NamedTuple):
    """The raster's grid: size, transform and the corner the cells count from."""

    width: int
    height: int
    x0: float
    y1: float
    res_deg: float
    transform: object  # affine.Affine


def _check_options(
    values: gpd.GeoDataFrame, column: str, *, res_deg: float, nodata: float, merge: str
) -> None:
    """Refuse an unknown column, merge, resolution or nodata, and features without a CRS."""
    if column not in values.columns or column == values.geometry.name:
        raise InputError(
            message("no_column_numeric", column=repr(column),
                    value=', '.join(_numeric_columns(values)) or '-')
        )
    if merge not in MERGES:
        raise InputError(message("unknown_merge", merge=repr(merge), merges=', '.join(MERGES)))
    if not (isinstance(res_deg, int | float) and math.isfinite(res_deg) and 0 < res_deg <= 10):
        raise InputError(message("resolution_range", res_deg=repr(res_deg)))
    if not math.isfinite(nodata):
        raise InputError(message("nodata_finite"))
    _require_crs(values, "features")


def _features(values: gpd.GeoDataFrame, column: str, *, nodata: float) -> _Features:
    """The rows with both a location and a value of ``column`` (the others listed by reason),
    all polygons or all points; a value equal to ``nodata`` is refused."""
    import numpy as np
    import pandas as pd

    series = values[column]
    if series.dtype == bool or str(series.dtype) == "boolean":
        series = series.astype("Float64")
    if not pd.api.types.is_numeric_dtype(series):
        raise InputError(message("column_not_numeric", column=repr(column),
                                 dtype=series.dtype), column=column)
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
        raise InputError(message("export_nothing", column=repr(column)))
    clash = keep & (numbers == nodata)
    if clash.any():
        raise InputError(
            message("value_is_nodata", labels=repr(labels[clash][0]),
                    nodata=numeral(format(nodata, 'g'))),
            column=column,
        )
    kinds = set(geoms[keep].geom_type)
    if kinds <= {"Polygon", "MultiPolygon"}:
        points = False
    elif kinds == {"Point"}:
        points = True
    else:
        raise InputError(
            message("export_geometry_kinds", value=', '.join(sorted(kinds)))
        )
    shapes = geoms[keep].to_crs("EPSG:4326").to_numpy()
    return _Features(shapes, numbers[keep], list(labels[keep]), points, skipped)


def _grid(shapes: np.ndarray, res_deg: float) -> _Grid:
    """The grid aligned to multiples of ``res_deg`` that covers ``shapes``; a clear error when
    it would exceed :data:`MAX_EXPORT_CELLS`."""
    from affine import Affine

    west, south, east, north = _bounds(shapes)
    x0 = round(math.floor(west / res_deg) * res_deg, 12)
    y1 = round((math.floor(north / res_deg) + 1) * res_deg, 12)
    width = max(1, math.floor(east / res_deg) + 1 - math.floor(west / res_deg))
    height = max(1, math.floor(north / res_deg) + 1 - math.floor(south / res_deg))
    if width * height > MAX_EXPORT_CELLS:
        raise InputError(
            message("raster_too_large", width=numeral(format(width, ',')),
                    height=numeral(format(height, ',')), res_deg=res_deg)
        )
    return _Grid(width, height, x0, y1, res_deg, Affine(res_deg, 0.0, x0, 0.0, -res_deg, y1))


def _profile(grid: _Grid, nodata: float) -> dict[str, object]:
    """The GeoTIFF's creation options: float64, EPSG:4326, 256 × 256 tiles, DEFLATE."""
    return {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": "float64",
        "crs": "EPSG:4326",
        "transform": grid.transform,
        "nodata": nodata,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
        "predictor": 3,
    }


def _write_bands(path: Path, grid: _Grid, nodata: float, column: str, merge: str, fill) -> None:
    """Write the GeoTIFF atomically, 256 rows at a time: ``fill(out, top)`` puts the values of
    the rows from ``top`` into ``out`` (nodata elsewhere)."""
    import numpy as np
    import rasterio
    from rasterio.windows import Window

    from isipo_geo.io import atomic_path

    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **_profile(grid, nodata)) as dst:
        for top in range(0, grid.height, 256):
            window = Window(0, top, grid.width, min(256, grid.height - top))
            out = np.full((window.height, grid.width), nodata, dtype=np.float64)
            fill(out, top)
            dst.write(out, 1, window=window)
        dst.set_band_description(1, column)
        dst.update_tags(column=column, merge=merge, software="isipo-geo raster export")


def _write_points(
    path: Path, features: _Features, grid: _Grid, *, nodata: float, merge: str, column: str
) -> np.ndarray:
    """Points give their value to the cell holding them, several in one cell combined by
    ``merge``; returns cells per feature (one each)."""
    import numpy as np

    xs = np.array([p.x for p in features.shapes])
    ys = np.array([p.y for p in features.shapes])
    width, res = grid.width, grid.res_deg
    cols = np.clip(np.floor((xs - grid.x0) / res).astype(np.int64), 0, width - 1)
    rows = np.clip(np.floor((grid.y1 - ys) / res).astype(np.int64), 0, grid.height - 1)
    cells, inverse = np.unique(rows * width + cols, return_inverse=True)
    cell_value = _merge_points(features.values, inverse, len(cells), merge)
    cell_rows, cell_cols = cells // width, cells % width

    def fill(out: np.ndarray, top: int) -> None:
        sel = (cell_rows >= top) & (cell_rows < top + out.shape[0])
        out[cell_rows[sel] - top, cell_cols[sel]] = cell_value[sel]

    _write_bands(path, grid, nodata, column, merge, fill)
    return np.ones(len(features.shapes), dtype=np.int64)


def _write_polygons(
    path: Path, features: _Features, grid: _Grid, *, nodata: float, column: str
) -> np.ndarray:
    """Polygons by the cell-centre rule (where they overlap, the later row wins); returns how
    many cells each polygon got (0: smaller than a cell whose centre it does not cover)."""
    import numpy as np

    edges = [pixel_edges(geom, ~grid.transform) for geom in features.shapes]
    cells_per_feature = np.zeros(len(features.shapes), dtype=np.int64)

    def fill(out: np.ndarray, top: int) -> None:
        height, width = out.shape
        index = np.zeros((height, width), dtype=np.int32)
        for i, feature_edges in enumerate(edges):  # later rows win
            mask = centre_mask(feature_edges, row_off=top, col_off=0, height=height, width=width)
            index[mask] = i + 1
        hit = index > 0
        out[hit] = features.values[index[hit] - 1]
        cells_per_feature[:] += np.bincount(index.ravel(), minlength=len(edges) + 1)[1:]

    _write_bands(path, grid, nodata, column, "cell-centre", fill)
    return cells_per_feature


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

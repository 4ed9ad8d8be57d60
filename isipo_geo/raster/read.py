"""Opening and checking a raster: CRS, band, data type, overlap with Iran; nodata cells;
GDAL's block cache capped while isipo-geo reads."""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import Message, message, numeral

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    from affine import Affine
    from rasterio.io import DatasetReader
    from rasterio.windows import Window



GDAL_CACHE_BYTES = 64 * 2**20
"""GDAL's raster block cache while isipo_geo reads a raster (GDAL's default is 5% of RAM)."""
PathLike = str | os.PathLike[str]

# --------------------------------------------------------------------------------------------
# Opening and checking a raster
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def open_raster(path: PathLike, *, band: int = 1) -> Iterator[DatasetReader]:
    """Open a raster for reading after checking that isipo-geo can use it.

    Parameters
    ----------
    path : path-like
        A raster file GDAL reads (GeoTIFF, COG, JPEG2000, ...).
    band : int
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

        raise InputError(message("raster_not_found"), path=path)
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_BYTES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NotGeoreferencedWarning)
                src = rasterio.open(path)
        except RasterioIOError:
            raise InputError(
                message("not_a_raster"),
                path=path,
            ) from None
        with src:
            _check_raster(src, path=path, band=band)
            try:
                yield src
            except RasterioError as exc:  # a damaged or truncated file fails while being read
                cause = str(exc.__cause__ or exc).splitlines()[0]
                raise InputError(message("raster_unreadable", cause=cause), path=path) from None


def _check_raster(src: DatasetReader, *, path: Path, band: int) -> None:
    if src.crs is None:
        raise InputError(
            message("raster_no_crs"),
            path=path,
        )
    if src.transform.is_identity:
        raise InputError(
            message("raster_no_transform"),
            path=path,
        )
    if not (isinstance(band, int) and 1 <= band <= src.count):
        plural = "band" if src.count == 1 else "bands"
        raise InputError(
            message("band_missing", band=band, count=src.count,
                    plural=Message(plural, "باند")),
            path=path,
        )
    if src.dtypes[band - 1] not in _SUPPORTED_DTYPES:
        raise InputError(
            message("band_dtype", band=band, dtypes=src.dtypes[band - 1]),
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

    # the corners through the transform with ``@``: rasterio's ``bounds`` warns under affine 3
    # for a rotated raster
    xs, ys = zip(*(src.transform @ c for c in ((0, 0), (src.width, 0), (0, src.height),
                                               (src.width, src.height))), strict=True)  # fmt: skip
    try:
        west, south, east, north = transform_bounds(
            src.crs, "EPSG:4326", min(xs), min(ys), max(xs), max(ys), densify_pts=21
        )
    except RasterioError as exc:
        raise InputError(
            message("raster_crs_unusable", exc=exc), path=path
        ) from None
    footprint = shapely.box(west, south, east, north)
    if not load_provinces().geometry.intersects(footprint).any():
        raise InputError(
            message("raster_outside_iran", west=numeral(format(west, '.3f')),
                    east=numeral(format(east, '.3f')), south=numeral(format(south, '.3f')),
                    north=numeral(format(north, '.3f'))),
            path=path,
        )


def _require_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        raise InputError(message("geometries_no_crs", what=what))


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

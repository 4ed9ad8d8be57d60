"""Read a layer of unit points (CSV with lon/lat, GPKG, GeoJSON, Parquet, SHP, FGB) and check it."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message, numeral, prefixed, reason_of

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
from isipo_geo.units.assign import _point_lonlat

POINT_FILE_SUFFIXES = (".csv", ".txt", ".gpkg", ".geojson", ".json", ".parquet", ".shp", ".fgb")
_LON_NAMES = ("lon", "lng", "long", "longitude")
_LAT_NAMES = ("lat", "latitude")
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

    from isipo_geo.numbers import clean_number_text

    raw = df[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna()
    if bad.any():  # Persian digits, Arabic decimal separators: read by the one number rule
        fixed = raw[bad].map(lambda v: clean_number_text(v) if isinstance(v, str) else v)
        values[bad] = pd.to_numeric(fixed, errors="coerce")
        bad = values.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        cell = raw.iloc[pos]
        empty = cell is None or cell != cell or str(cell).strip() == ""
        said = (message("lon_lat_empty", n=int(bad.sum())) if empty
                else message("lon_lat_not_a_number", cell=repr(cell), n=int(bad.sum())))
        raise InputError(
            said,
            path=path,
            row=pos + 2,
            column=col,
        )
    arr = values.to_numpy(dtype="float64")
    out = (arr < low) | (arr > high) | ~np.isfinite(arr)
    if out.any():
        pos = int(np.flatnonzero(out)[0])
        cell = raw.iloc[pos]
        shown = repr(cell) if isinstance(cell, str) else arr[pos]
        raise InputError(
            message("lon_lat_outside", shown=shown, low=numeral(format(low, 'g')),
                    high=numeral(format(high, 'g')), value=int(out.sum())),
            path=path,
            row=pos + 2,
            column=col,
        )
    return arr


_LOOKS_NUMERIC = re.compile(r"\s*[+\-\u2212]?[.\u066b]?\d")  # \d: Latin, Persian, Arabic-Indic


def _number_columns(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Text columns whose every cell is a number or empty become numbers, read by the one rule
    of :func:`isipo_geo.numbers.number_text` (Persian digits and separators, thousands in groups
    of three), so they are summed like any numeric column. A cell written as a number that the
    rule will not guess at (``12,5``, ``1.250,5``, ``12.5%``) is refused with its row; a column
    with other text in it (names, codes, dates) is left as text."""
    import pandas as pd
    from pandas.api.types import is_object_dtype, is_string_dtype

    from isipo_geo.numbers import AmbiguousNumberError, NumberTextError, number_text
    from isipo_geo.registry import is_missing

    out = df
    for col in df.columns:
        if not (is_object_dtype(df[col].dtype) or is_string_dtype(df[col].dtype)):
            continue
        cells = df[col].tolist()
        given = [not is_missing(c) and not pd.isna(c) for c in cells]
        if not all(isinstance(c, str) and _LOOKS_NUMERIC.match(c)
                   for c, g in zip(cells, given, strict=True) if g):
            continue
        numbers = []
        for pos, (cell, g) in enumerate(zip(cells, given, strict=True)):
            if not g:
                numbers.append(float("nan"))
                continue
            try:
                numbers.append(float(number_text(cell)))
            except AmbiguousNumberError as exc:
                raise InputError(
                    prefixed(repr(cell), reason_of(exc)), path=path, row=pos + 2, column=str(col)
                ) from None
            except NumberTextError:
                break  # text, not a number: the column stays text
        else:
            if out is df:
                out = df.copy()
            out[col] = pd.Series(numbers, index=df.index, dtype="float64")
    return out


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
            message("no_named_column", missing=missing, value=', '.join(map(str, df.columns))),
            path=path,
        )
    lon = _coordinates(df, lon_col, path, -180.0, 180.0)
    lat = _coordinates(df, lat_col, path, -90.0, 90.0)
    rest = _number_columns(df.drop(columns=[lon_col, lat_col]), path)
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
    path : path-like
        A CSV (UTF-8, with columns ``lon``/``lat`` or ``longitude``/``latitude`` in degrees),
        GeoPackage, GeoJSON, Shapefile or FlatGeobuf of points, or a Parquet file (GeoParquet,
        or lon/lat columns; needs pyarrow).
    lon_column, lat_column : str, optional
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
            message("unknown_file_type", value=repr(suffix or '(none)'),
                    point_file_suffixes=', '.join(POINT_FILE_SUFFIXES)),
            path=path,
        )
    if not path.is_file():

        raise InputError(message("file_not_found"), path=path)
    if suffix in (".csv", ".txt"):
        try:
            df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
        except UnicodeDecodeError as exc:
            raise InputError(
                message("not_utf8_at", reason=exc.reason, start=exc.start),
                path=path,
            ) from None
        except pd.errors.EmptyDataError:
            raise InputError(message("file_empty_header"), path=path) from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise InputError(message("csv_unreadable", exc=exc), path=path) from None
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
            message("parquet_needs_pyarrow"),
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
        raise InputError(message("parquet_unreadable", exc=exc), path=path) from None
    return _check_layer(gdf, path)


def _read_gis(path: Path, lon_column: str | None, lat_column: str | None) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio/GDAL errors: DataSourceError, DataLayerError, ...
        raise InputError(message("gis_file_unreadable", exc=exc), path=path) from None
    if gdf.geometry.isna().all() and len(gdf) and (lon_column or lat_column):
        return _from_lonlat(gdf.drop(columns=gdf.geometry.name), path, lon_column, lat_column)
    return _check_layer(gdf, path)


def _check_layer(gdf: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    try:
        _point_lonlat(gdf)
    except InputError as exc:
        raise InputError(exc.reason, path=path) from None
    return gdf.reset_index(drop=True)

"""Write the per-province or per-estate aggregates (CSV or GPKG), atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


OUTPUT_SUFFIXES = (".csv", ".gpkg")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Return the output path if its extension is one :func:`write_aggregates` writes.

    Parameters
    ----------
    path : path-like
        The output file, ``.csv`` or ``.gpkg`` (any case).

    Returns
    -------
    pathlib.Path
        ``path``, checked before anything is computed or written.

    Raises
    ------
    InputError
        The extension is neither ``.csv`` nor ``.gpkg``.

    Examples
    --------
    >>> check_output_path("units_by_province.CSV").name
    'units_by_province.CSV'
    """
    path = Path(path)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(
            message("write_csv_or_gpkg", value=repr(path.suffix or 'a file without extension')),
            path=path,
        )
    return path


def _numeric(column: pd.Series) -> bool:
    from pandas.api.types import is_numeric_dtype

    return is_numeric_dtype(column.dtype)


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

    Parameters
    ----------
    table : pandas.DataFrame
        Counts and sums per province or estate (:func:`aggregate_units`).
    path : path-like
        The output, ``.csv`` or ``.gpkg``; written whole or not at all.
    geometries : geopandas.GeoSeries, optional
        Geometries on the table's index, for a GeoPackage.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        The extension is neither ``.csv`` nor ``.gpkg``.
    OutputError
        The file cannot be written (folder missing or read-only, disk full).
    """
    import geopandas as gpd

    from isipo_geo.io import atomic_path, atomic_write

    path = check_output_path(path)
    if path.suffix.lower() == ".csv":
        from isipo_geo.tables import neutralise_formula

        safe = table.rename(index=lambda v: neutralise_formula(v) if isinstance(v, str) else v)
        for col in safe.columns:
            if not _numeric(safe[col]):
                safe[col] = safe[col].map(
                    lambda v: neutralise_formula(v) if isinstance(v, str) else v
                )
        with atomic_write(path, encoding="utf-8-sig", newline="") as f:
            safe.to_csv(f, index=True, lineterminator="\n")
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

"""Tables of values for ``isipo-geo raster export``: read a user's file and join its values to
province polygons or estate points, ready for :func:`isipo_geo.raster.export`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import error_reason, message

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

PathLike = str | os.PathLike[str]


def _row(pos: int, path: Path | None) -> int:
    """The row a user sees: CSV line number (header is line 1), else 1-based data row."""
    return pos + 2 if path is not None and path.suffix.lower() == ".csv" else pos + 1


def read_table(path: PathLike) -> pd.DataFrame:
    """Read a CSV (UTF-8, with or without BOM), Excel sheet or GIS layer (GeoPackage,
    GeoJSON, Shapefile) of values; GIS layers come back as GeoDataFrames."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(message("input_not_found"), path=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if suffix in (".xlsx", ".xlsm"):
            # engine named: with python-calamine installed pandas 3 warns about its default
            return pd.read_excel(path, dtype=object, engine="openpyxl")
        if suffix in (".gpkg", ".geojson", ".json", ".shp", ".fgb"):
            import pyogrio

            return pyogrio.read_dataframe(path)
    except UnicodeDecodeError:
        raise InputError(message("not_utf8"), path=path) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(message("table_unreadable", exc=exc), path=path) from None
    except Exception as exc:  # pyogrio/openpyxl raise their own types for unreadable files
        raise InputError(message("file_unreadable", exc=str(exc).splitlines()[0]),
                         path=path) from None
    raise InputError(
        message("input_extension", value=repr(suffix or '(none)')),
        path=path,
    )


def numeric_column(table: pd.DataFrame, column: str, *, path: Path | str | None) -> pd.Series:
    """``column`` as Float64; text cells are read by :func:`isipo_geo.registry.parse_number`
    (Persian digits and separators) and a cell that is not a number is rejected with its row."""
    import pandas as pd

    from isipo_geo.registry import parse_number

    if column not in table.columns:
        raise InputError(
            message("no_column", column=repr(column), value=', '.join(map(str, table.columns))),
            path=path
        )
    raw = table[column]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        import numpy as np

        values = raw.astype("float64").to_numpy()
        bad = np.isinf(values) | (np.abs(np.nan_to_num(values)) > 1e300)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise InputError(
                message("not_finite_in_range", values=values[pos]),
                path=path,
                row=_row(pos, path),
                column=column,
            )
        return raw.astype("Float64")
    numbers = []
    for pos, cell in enumerate(raw.astype(object)):
        try:
            numbers.append(parse_number(None if cell is pd.NA else cell, quantity="layer_value"))
        except ValueError as exc:
            raise InputError(error_reason(exc), path=path, row=_row(pos, path),
                             column=column) from None
    return pd.Series(numbers, index=table.index, dtype="Float64")


def province_values(
    column: str, *, table: pd.DataFrame | None = None, path: Path | None = None
) -> gpd.GeoDataFrame:
    """Province polygons with the values of ``column``, ready for :func:`isipo_geo.raster.export`.

    Parameters
    ----------
    column
        Numeric column of ``table`` (or of the provinces' own attributes, e.g. ``area_km2``,
        when ``table`` is None).
    table
        One row per province with a ``province`` column (key, Persian or English name or code,
        resolved by :func:`isipo_geo.names.resolve_province`). Provinces it lacks get no value.
    path
        The file ``table`` came from, for error messages.
    """
    import pandas as pd

    from isipo_geo.errors import IsipoGeoError
    from isipo_geo.names import resolve_province
    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    if table is None:
        provinces = provinces[["key", "name_fa", "name_en", "area_km2", "geometry"]]
        if column != "area_km2":
            raise InputError(
                message("provinces_no_column", column=repr(column))
            )
        return provinces
    if "province" not in table.columns:
        raise InputError(
            message("table_needs_province"), path=path
        )
    values = numeric_column(table, column, path=path)
    keys: list[str] = []
    for pos, name in enumerate(table["province"]):
        try:
            keys.append(resolve_province(str(name)))
        except IsipoGeoError as exc:
            raise InputError(error_reason(exc), path=path, row=_row(pos, path),
                             column="province") from None
    dupes = pd.Index(keys)[pd.Index(keys).duplicated()]
    if len(dupes):
        raise InputError(
            message("province_repeated", dupes=repr(dupes[0])),
            path=path,
            column="province",
        )
    by_key = pd.Series(values.to_numpy(), index=keys, dtype="Float64")
    out = provinces[["key", "name_fa", "name_en", "geometry"]].copy()
    out[column] = by_key.reindex(out.index)
    return out


def _points_from_lonlat(table: pd.DataFrame, column: str, *, path: Path | None) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import numpy as np
    import shapely

    values = numeric_column(table, column, path=path)
    lon = numeric_column(table, "lon", path=path).to_numpy(dtype=np.float64, na_value=np.nan)
    lat = numeric_column(table, "lat", path=path).to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isnan(lon) & ((np.abs(lon) > 180) | (np.abs(lat) > 90) | np.isnan(lat))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(
            message("not_lon_lat", lon=lon[pos], lat=lat[pos]),
            path=path,
            row=_row(pos, path),
        )
    located = ~(np.isnan(lon) | np.isnan(lat))
    geoms = [
        shapely.Point(x, y) if ok else shapely.Point()
        for x, y, ok in zip(lon, lat, located, strict=True)
    ]
    out = gpd.GeoDataFrame(table.copy(), geometry=geoms, crs="EPSG:4326")
    out[column] = values.to_numpy()
    if "id" in out.columns:
        out.index = out["id"].astype(str).to_numpy()
    return out


def estate_values(
    column: str,
    *,
    table: pd.DataFrame | None = None,
    path: Path | None = None,
    registry: PathLike | None = None,
) -> gpd.GeoDataFrame:
    """Estate points with the values of ``column``, ready for :func:`isipo_geo.raster.export`.

    Parameters
    ----------
    column
        Numeric column to export.
    table
        Where the values are: a GIS layer of points (its own geometry is used); a table with
        ``lon``/``lat`` columns (EPSG:4326; e.g. a registry CSV); or a table with an ``id``
        column, joined to the registry's points. None: the registry itself (e.g.
        ``area_ha``, ``power_deficit_mw``).
    path
        The file ``table`` came from.
    registry
        Registry CSV giving the points for an ``id`` table (default: the shipped registry).
    """
    import geopandas as gpd

    from isipo_geo.registry.estates import load_estates

    if table is None:
        from isipo_geo.registry.backend import location_name

        estates = load_estates(registry)
        numeric_column(estates, column, path=location_name(registry) if registry else None)
        return estates
    if isinstance(table, gpd.GeoDataFrame):
        out = table.copy()
        out[column] = numeric_column(table, column, path=path)
        if "id" in out.columns:
            out.index = out["id"].astype(str).to_numpy()
        return out
    if {"lon", "lat"} <= set(table.columns):
        return _points_from_lonlat(table, column, path=path)
    if "id" not in table.columns:
        raise InputError(
            message("table_needs_id"), path=path
        )
    values = numeric_column(table, column, path=path)
    ids = table["id"].astype(str).str.strip()
    estates = load_estates(registry)
    unknown = ~ids.isin(estates.index)
    if unknown.any():
        pos = int(unknown.to_numpy().nonzero()[0][0])
        raise InputError(
            message("estate_id_unknown", iloc=repr(ids.iloc[pos]), value=int(unknown.sum())),
            path=path,
            row=_row(pos, path),
            column="id",
        )
    if ids.duplicated().any():
        raise InputError(
            message("estate_id_repeated", iloc=repr(ids[ids.duplicated()].iloc[0])), path=path
        )
    out = estates.loc[list(ids)].copy()
    out[column] = values.to_numpy()
    return out

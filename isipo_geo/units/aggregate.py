"""Counts and sums of unit points per province or per estate; no point is ever dropped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
from isipo_geo.units.assign import (
    CHUNK_SIZE,
    DEFAULT_MAX_DISTANCE_M,
    NO_ESTATE,
    OUTSIDE,
    Progress,
    _point_lonlat,
    _province_layer,
    assign_estates,
    province_codes,
)
from isipo_geo.units.read import _LAT_NAMES, _LON_NAMES

# --------------------------------------------------------------------------------------------
# Aggregation


def _sum_columns(points: pd.DataFrame, sum_columns: Sequence[str] | None) -> list[str]:
    from pandas.api.types import is_numeric_dtype

    geometry = getattr(points, "_geometry_column_name", None)
    if sum_columns is None:
        return [
            str(c)
            for c in points.columns
            if c != geometry
            and is_numeric_dtype(points[c].dtype)
            and not _is_identifier_or_coordinate(str(c))
        ]
    cols = []
    for col in sum_columns:
        if col not in points.columns:
            raise InputError(
                message("no_column_to_sum", col=repr(col),
                        value=', '.join(map(str, points.columns))),
                column=col,
            )
        if col == geometry or not is_numeric_dtype(points[col].dtype):
            raise InputError(message("column_not_summable", col=repr(col)), column=col)
        cols.append(str(col))
    return cols


def unsummed_columns(points: pd.DataFrame, sum_columns: Sequence[str] | None = None) -> list[str]:
    """Return the attribute columns that will not be summed (text, dates ...).

    For a note to the user: nothing in the input is left out silently. Identifier and
    coordinate columns and the geometry are not named.

    Parameters
    ----------
    points : pandas.DataFrame
        The unit points (:func:`read_points`).
    sum_columns : sequence of str, optional
        The columns to sum; None: every numeric column.

    Returns
    -------
    list of str
        The columns left out of the sums, in the table's order.

    Raises
    ------
    InputError
        A column of ``sum_columns`` is missing or not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> unsummed_columns(pd.DataFrame({"id": [1], "employees": [12], "sector": ["food"]}))
    ['sector']
    """
    geometry = getattr(points, "_geometry_column_name", None)
    summed = set(_sum_columns(points, sum_columns))
    return [
        str(c)
        for c in points.columns
        if c != geometry and str(c) not in summed and not _is_identifier_or_coordinate(str(c))
    ]


def _check_finite(points: pd.DataFrame, cols: list[str]) -> None:
    """Cells to sum must be finite (empty is fine: it is skipped)."""
    import numpy as np

    for col in cols:
        values = points[col].to_numpy(dtype="float64", na_value=np.nan)
        bad = np.isinf(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0]) + 2
            raise InputError(
                message("sum_not_finite", values=values[row - 2], value=int(bad.sum())),
                row=row,
                column=col,
            )


def _is_identifier_or_coordinate(name: str) -> bool:
    low = name.strip().lower()
    return low in ("id", "fid", *_LON_NAMES, *_LAT_NAMES) or low.endswith("_id")


def _group(codes: np.ndarray, n_groups: int, points: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``count`` and ``<col>_sum`` per group code 0..n_groups-1 (NaN cells are skipped)."""
    import numpy as np
    import pandas as pd

    out = pd.DataFrame({"count": np.bincount(codes, minlength=n_groups).astype("int64")})
    if cols:
        values = pd.DataFrame(points[cols]).reset_index(drop=True)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked below
            sums = values.groupby(codes).sum(min_count=0)
        sums = sums.reindex(range(n_groups), fill_value=0)
        for col in cols:
            total = sums[col].to_numpy()
            if total.dtype.kind == "f" and not np.isfinite(total).all():
                raise InputError(
                    message("sum_overflow"),
                    column=col,
                )
            out[f"{col}_sum"] = total
    return out


def aggregate_units(
    points: gpd.GeoDataFrame,
    *,
    by: Literal["province", "estate"] = "province",
    estates: gpd.GeoDataFrame | None = None,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    provinces: gpd.GeoDataFrame | None = None,
    sum_columns: Sequence[str] | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Count the units and sum their numeric columns per province or per estate.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Unit points with a CRS; every row needs a point.
    by : {'province', 'estate'}
        ``"province"``: one row per province (all of them, ``count`` 0 where empty) plus the row
        :data:`OUTSIDE` for points outside every province polygon. ``"estate"``: one row per
        estate of the registry (``count`` 0 where empty, also for estates without a location)
        plus the row :data:`NO_ESTATE` for points farther than ``max_distance_m`` from every
        located estate.
    estates : geopandas.GeoDataFrame, optional
        The estate registry as points, indexed by id
        (:func:`isipo_geo.registry.estates.load_estates`). Default: the registry shipped with
        isipo-geo.
    max_distance_m : float
        With ``by="estate"``: the largest geodesic distance, in metres, from a unit to its estate.
    provinces : geopandas.GeoDataFrame, optional
        Province polygons with a ``key`` column. Default: the 31 shipped provinces.
    sum_columns : sequence of str, optional
        Columns to sum. Default: every numeric (and boolean) column of ``points`` except
        identifiers and coordinates (``id``, ``fid``, ``*_id``, ``lon``, ``lat``, ...).
    chunk_size : int
        Work in chunks of this many points.
    progress : callable, optional
        Called with the number of points just processed, once per chunk.

    Returns
    -------
    pandas.DataFrame
        Indexed by province key (or estate id); columns ``name_fa``, ``name_en`` (provinces) or
        ``name_fa``, ``province`` (estates), then ``count`` and ``<column>_sum`` for each summed
        column. The counts add up to ``len(points)``.

    Raises
    ------
    InputError
        Unknown ``by``, missing CRS, rows without a point, or a ``sum_columns`` entry that is
        missing or not numeric.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> pts = gpd.GeoDataFrame({"employees": [10, 5, 7]},
    ...     geometry=[shapely.Point(51.39, 35.69), shapely.Point(51.4, 35.7), shapely.Point(0, 0)],
    ...     crs="EPSG:4326")
    >>> table = aggregate_units(pts)
    >>> table.loc["tehran", ["count", "employees_sum"]].tolist()
    [2, 15]
    >>> table.loc["outside", "count"], len(table)
    (np.int64(1), 32)
    """
    if by not in ("province", "estate"):
        raise InputError(message("aggregate_by", by=repr(by)))
    cols = _sum_columns(points, sum_columns)
    _check_finite(points, cols)
    if by == "province":
        return _by_province(points, cols, provinces, chunk_size=chunk_size, progress=progress)
    return _by_estate(
        points, cols, estates, max_distance_m, chunk_size=chunk_size, progress=progress
    )


def _by_province(points, cols, provinces, *, chunk_size, progress) -> pd.DataFrame:
    """:func:`aggregate_units` by province: a row per province and :data:`OUTSIDE`."""
    import pandas as pd

    if provinces is None:
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
    keys, polygons = _province_layer(provinces)
    lon, lat = _point_lonlat(points)
    codes = province_codes(lon, lat, polygons, chunk_size=chunk_size, progress=progress)
    table = _group(codes, len(keys) + 1, points, cols)
    table.index = pd.Index([*keys, OUTSIDE], name="province")
    info = pd.DataFrame(index=table.index)
    by_key = provinces.set_index(provinces["key"].astype(str)) if "key" in provinces else None
    for col in ("name_fa", "name_en"):
        if by_key is not None and col in by_key.columns:
            info[col] = by_key[col].reindex(table.index).astype("string")
    if "name_fa" in info:
        info.loc[OUTSIDE, "name_fa"] = "خارج از همه استان‌ها"
    if "name_en" in info:
        info.loc[OUTSIDE, "name_en"] = "outside every province"
    return pd.concat([info, table], axis=1)


def _by_estate(points, cols, estates, max_distance_m, *, chunk_size, progress) -> pd.DataFrame:
    """:func:`aggregate_units` by estate: a row per estate and :data:`NO_ESTATE`."""
    import pandas as pd

    if estates is None:
        from isipo_geo.registry.estates import load_estates

        estates = load_estates()
    if NO_ESTATE in {str(i) for i in estates.index}:
        raise InputError(message("id_reserved", no_estate=repr(NO_ESTATE)))
    assigned = assign_estates(
        points, estates, max_distance_m=max_distance_m, chunk_size=chunk_size, progress=progress
    )
    ids = [str(i) for i in estates.index]
    position = {ident: k for k, ident in enumerate([*ids, NO_ESTATE])}
    codes = assigned["estate_id"].map(position).to_numpy(dtype="int64")
    table = _group(codes, len(ids) + 1, points, cols)
    table.index = pd.Index([*ids, NO_ESTATE], name="estate_id")
    info = pd.DataFrame(index=table.index)
    for col in ("name_fa", "province"):
        if col in estates.columns:
            values = pd.Series(estates[col].to_numpy(), index=ids)
            info[col] = values.reindex(table.index).astype("string")
    if "name_fa" in info:
        info.loc[NO_ESTATE, "name_fa"] = f"دورتر از {max_distance_m:g} متر از هر شهرک"
    return pd.concat([info, table], axis=1)

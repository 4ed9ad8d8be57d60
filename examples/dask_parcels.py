"""Scale-out example: national parcel layers with dask-geopandas, partition by partition.

One machine holds 10⁶ unit points in memory easily (see ``benchmarks/RESULTS.md``); a national
cadastre of parcel polygons may not. The recipe:

1. Convert the layer once to partitioned GeoParquet, sorted so that each partition covers a
   compact area (``spatial_shuffle`` orders rows along a Hilbert curve)::

       import dask_geopandas
       parcels = dask_geopandas.read_file("parcels.gpkg", npartitions=64)
       parcels.spatial_shuffle().to_parquet("parcels_parquet/")

2. Run :func:`aggregate_partitioned`: every partition is reduced on its own to one row per
   province (its parcels' representative points are assigned with
   :func:`isipo_geo.units.aggregate_units`, with the 31 small province polygons broadcast to
   every worker), and the partial tables are added up. Memory is bounded by one partition per
   worker; the work spreads over all cores, or over a cluster with ``dask.distributed``.

Run it: ``python examples/dask_parcels.py parcels_parquet/``. Needs ``dask-geopandas`` and
``pyarrow`` (not dependencies of isipo-geo).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

EQUAL_AREA_CRS = "EPSG:6933"  # the CRS the province areas (area_km2) are measured in


def partial_by_province(
    part: gpd.GeoDataFrame,
    *,
    sum_columns: Sequence[str],
    provinces: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """One partition → one row per province (+ ``outside``): count, ``area_ha_sum`` and sums.

    Parcels are placed at their representative point (always inside the parcel); their area is
    measured in an equal-area CRS.
    """
    from isipo_geo.units import aggregate_units

    points = part[list(sum_columns)].copy()
    points["area_ha"] = part.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 10_000
    points = points.set_geometry(part.geometry.representative_point())
    table = aggregate_units(points, provinces=provinces, sum_columns=[*sum_columns, "area_ha"])
    return table.drop(columns=["name_fa", "name_en"]).reset_index()


def aggregate_partitioned(
    path: str,
    *,
    sum_columns: Sequence[str] = (),
    scheduler: str = "threads",
) -> pd.DataFrame:
    """Aggregate a partitioned GeoParquet layer of parcels per province with dask-geopandas.

    Parameters
    ----------
    path
        A folder (or glob) of GeoParquet files, e.g. written by ``dask_geopandas`` ``to_parquet``.
    sum_columns
        Numeric columns to sum besides the parcel area (``area_ha``).
    scheduler
        A dask scheduler: ``"threads"``, ``"processes"``, ``"synchronous"`` or a distributed
        client's address.

    Returns
    -------
    pandas.DataFrame
        Indexed by province key (all 31 and ``outside``): ``count``, ``<col>_sum`` and
        ``area_ha_sum`` — the same as :func:`isipo_geo.units.aggregate_units` on the whole layer.
    """
    import dask
    import dask_geopandas
    import pandas as pd

    from isipo_geo.provinces import load_provinces
    from isipo_geo.units import OUTSIDE

    provinces = load_provinces()  # small: every task gets a copy
    parcels = dask_geopandas.read_parquet(path)
    cols = ["count", *(f"{c}_sum" for c in sum_columns), "area_ha_sum"]
    meta = pd.DataFrame({"province": pd.Series(dtype="object")} | {c: [] for c in cols})
    partials = parcels.map_partitions(
        partial_by_province, sum_columns=list(sum_columns), provinces=provinces, meta=meta
    )
    with dask.config.set(scheduler=scheduler):
        frame = partials.compute()
    keys = [*provinces["key"], OUTSIDE]
    return frame.groupby("province").sum().reindex(keys, fill_value=0).rename_axis("province")


if __name__ == "__main__":
    print(aggregate_partitioned(sys.argv[1]).to_string())

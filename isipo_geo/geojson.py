"""A GeoJSON file of the package's data read with :mod:`json` and shapely (no GDAL).

Why not GDAL (pyogrio): importing it and registering its drivers makes the process ~30 MB
larger, for files (the 31 provinces, the 430 counties) that json reads as fast; a build that
writes no file through GDAL then never loads it (issue 22).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd


def read_geojson(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection in longitude/latitude as a GeoDataFrame (EPSG:4326): one
    column per property (types as pandas infers them from the JSON values), then ``geometry``.

    Parameters
    ----------
    path : str or PathLike
        The file (RFC 7946: CRS84, longitude then latitude, EPSG:4326's order for geopandas).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, in the file's order, with a RangeIndex.

    Examples
    --------
    >>> from isipo_geo import _paths
    >>> gdf = read_geojson(_paths.data_file("provinces", "provinces.geojson"))
    >>> len(gdf), gdf.crs.to_epsg(), gdf.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    (31, 4326, True)
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    table = pd.DataFrame([f["properties"] for f in features])
    geometry = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")

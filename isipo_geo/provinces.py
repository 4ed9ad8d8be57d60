"""The 31 provinces of Iran as a GeoDataFrame."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from isipo_geo import _paths

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


@cache
def province_rows() -> tuple[dict[str, str], ...]:
    """The 31 provinces' attributes, read once and shared: do not change them (see
    :func:`province_records` for copies)."""
    import csv

    with open(_paths.data_file("provinces", "provinces.csv"), encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def province_records() -> list[dict[str, str]]:
    """The 31 provinces' attributes as plain dicts of strings, in ISO 3166-2 order (no pandas,
    no geometry: for name resolution and the quick paths of the CLI)."""
    return [dict(r) for r in province_rows()]


@cache
def _read_provinces() -> gpd.GeoDataFrame:
    """The GeoJSON read by :func:`isipo_geo.geojson.read_geojson` (json and shapely), not GDAL:
    pyogrio's import and GDAL's drivers made the process 30 MB larger (171 MB after reading the
    provinces, against 141). The frame is the one pyogrio reads, value for value
    (tests/test_provinces.py)."""
    from isipo_geo.geojson import read_geojson

    gdf = read_geojson(_paths.data_file("provinces", "provinces.geojson"))
    gdf["gn_a1_code"] = gdf["gn_a1_code"].astype(str).str.zfill(2)
    return gdf.set_index("key", drop=False).rename_axis(None)


def load_provinces() -> gpd.GeoDataFrame:
    """Load the 31 province polygons (EPSG:4326), indexed by province key.

    Columns: ``key``, ``name_fa``, ``name_en``, ``iso_3166_2`` (current ISO 3166-2:IR),
    ``iso_name``, ``iso_legacy``, ``ne_iso_3166_2``, ``hasc``, ``gn_a1_code``, ``fips``,
    ``wikidata``, ``area_km2``, ``geometry``. Source: Natural Earth 1:10m admin-1 (public
    domain); see ``data/provinces/SOURCE.md``.

    Returns
    -------
    geopandas.GeoDataFrame
        31 rows, one per province, indexed by ``key`` (e.g. ``'tehran'``), with the columns
        above; ``area_km2`` in square kilometres. A copy: changing it changes no other caller's.

    Raises
    ------
    DataFileError
        The shipped ``data/provinces`` files are missing (a broken install).

    Examples
    --------
    >>> provinces = load_provinces()
    >>> len(provinces), provinces.crs.to_epsg()
    (31, 4326)
    >>> provinces.loc["tehran", "iso_3166_2"]
    'IR-23'
    """
    return _read_provinces().copy()


def province_table() -> pd.DataFrame:
    """The province attributes without geometry (no geometry libraries are imported)."""
    import pandas as pd

    df = pd.read_csv(_paths.data_file("provinces", "provinces.csv"), dtype=str, encoding="utf-8")
    df["area_km2"] = df["area_km2"].astype(float)
    return df.set_index("key", drop=False).rename_axis(None)

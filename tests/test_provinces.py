"""The shipped province polygons."""

from __future__ import annotations

import itertools

import pycountry
import pytest

from isipo_geo.provinces import load_provinces, province_table

IRAN_OFFICIAL_AREA_KM2 = 1_648_195


@pytest.fixture(scope="module")
def provinces():
    return load_provinces()


def test_31_valid_polygons_in_wgs84(provinces) -> None:
    assert len(provinces) == 31
    assert provinces.crs.to_epsg() == 4326
    assert provinces.is_valid.all()
    assert set(provinces.geom_type) <= {"Polygon", "MultiPolygon"}
    assert provinces.index.is_unique and provinces["iso_3166_2"].is_unique
    assert provinces["hasc"].is_unique and provinces["iso_legacy"].is_unique


def test_total_area_within_two_percent_of_official(provinces) -> None:
    area_km2 = provinces.to_crs("EPSG:6933").area.sum() / 1e6
    assert abs(area_km2 - IRAN_OFFICIAL_AREA_KM2) / IRAN_OFFICIAL_AREA_KM2 < 0.02


def test_provinces_meet_only_along_borders(provinces) -> None:
    projected = provinces.to_crs("EPSG:6933")
    geoms = list(projected.geometry)
    touching = 0
    for a, b in itertools.combinations(geoms, 2):
        if a.intersects(b):
            assert a.intersection(b).area < 1.0  # m²: a shared line, not a shared area
            touching += 1
    assert touching > 60  # Iran's provinces share roughly 70 borders


def test_codes_match_pycountry(provinces) -> None:
    for key, row in provinces.iterrows():
        sub = pycountry.subdivisions.get(code=row["iso_3166_2"])
        assert sub is not None and sub.country_code == "IR", key
        assert sub.name == row["iso_name"]
    assert provinces.loc["tehran", "iso_3166_2"] == "IR-23"
    assert provinces.loc["alborz", "iso_3166_2"] == "IR-30"
    assert provinces.loc["markazi", "iso_3166_2"] == "IR-00"


def test_tehran_and_alborz_no_longer_share_a_legacy_code(provinces) -> None:
    assert provinces.loc["tehran", "iso_legacy"] == "IR-07"
    assert provinces.loc["alborz", "iso_legacy"] == "IR-32"
    assert provinces.loc["alborz", "ne_iso_3166_2"] == "IR-07"  # Natural Earth's value is kept


def test_table_matches_polygons(provinces) -> None:
    table = province_table()
    assert list(table.index) == list(provinces.index)
    assert (table["name_fa"] == provinces["name_fa"]).all()
    assert table.loc["tehran", "gn_a1_code"] == "26"


def test_load_returns_a_copy(provinces) -> None:
    provinces.loc["tehran", "name_en"] = "changed"
    assert load_provinces().loc["tehran", "name_en"] == "Tehran"


def test_read_without_gdal_equals_gdals_read() -> None:
    """The polygons are read from the GeoJSON without GDAL (pyogrio's import and driver cost a
    build 44 MB before its first GeoPackage): the same frame GDAL reads, value for value."""
    import pandas as pd
    import pyogrio
    import shapely
    from pandas.testing import assert_frame_equal

    from isipo_geo import _paths

    provinces = load_provinces()  # not the module's: a test above changes that one
    by_gdal = pyogrio.read_dataframe(_paths.data_file("provinces", "provinces.geojson"))
    by_gdal["gn_a1_code"] = by_gdal["gn_a1_code"].astype(str).str.zfill(2)
    by_gdal = by_gdal.set_index("key", drop=False).rename_axis(None)
    assert list(provinces.columns) == list(by_gdal.columns)
    assert list(provinces.dtypes) == list(by_gdal.dtypes)
    assert provinces.index.equals(by_gdal.index) and provinces.index.dtype == by_gdal.index.dtype
    attributes = [c for c in provinces.columns if c != "geometry"]
    assert_frame_equal(pd.DataFrame(provinces[attributes]), pd.DataFrame(by_gdal[attributes]))
    assert provinces.crs == by_gdal.crs
    assert list(shapely.to_wkb(provinces.geometry.values)) == list(
        shapely.to_wkb(by_gdal.geometry.values)
    )


def test_reading_imports_no_gdal() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from isipo_geo.provinces import load_provinces; "
        "assert len(load_provinces()) == 31; print('pyogrio' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

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

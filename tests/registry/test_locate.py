"""UTM zones and point-in-province lookups of the importer."""

from __future__ import annotations

import numpy as np
import pytest

from isipo_geo.registry._locate import parse_zone, provinces_at, utm_to_lonlat


@pytest.mark.parametrize(
    ("cell", "zone"),
    [(39, 39), (39.0, 39), ("39N", 39), ("۴۰", 40), ("zone 41", 41), ("EPSG:32638", 38),
     ("", None), (None, None)],
)
def test_parse_zone(cell, zone):
    assert parse_zone(cell) == zone


@pytest.mark.parametrize(
    ("cell", "message"),
    [(44, "does not cover Iran"), ("39S", "southern hemisphere"), ("abc", "not a UTM zone")],
)
def test_parse_zone_refuses(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_zone(cell)


def test_utm_to_lonlat_tehran():
    # Azadi tower area, Tehran, in UTM 39N (pyproj round trip)
    from pyproj import Transformer

    e, n = Transformer.from_crs(4326, 32639, always_xy=True).transform(51.389, 35.689)
    lon, lat = utm_to_lonlat(np.array([e]), np.array([n]), np.array([39]))
    assert lon[0] == pytest.approx(51.389) and lat[0] == pytest.approx(35.689)


def test_provinces_at():
    lon = np.array([51.389, 52.531, 32.854, np.nan, 0.0])
    lat = np.array([35.689, 29.592, 39.920, 35.0, 0.0])
    assert list(provinces_at(lon, lat)) == ["tehran", "fars", None, None, None]


def test_coast_buffer_counts_points_just_off_the_polygon():
    import shapely

    from isipo_geo.provinces import load_provinces

    # a point 0.02° (about 2 km) south of Hormozgan's southernmost vertex, in the sea
    poly = load_provinces().loc["hormozgan"].geometry
    coords = np.array(shapely.get_coordinates(poly))
    x, y = coords[np.argmin(coords[:, 1])]
    assert provinces_at(np.array([x]), np.array([y - 0.02]))[0] == "hormozgan"
    assert provinces_at(np.array([x]), np.array([y - 0.5]))[0] is None


def test_a_zone_refused_says_why_in_persian_too():
    with pytest.raises(ValueError) as info:
        parse_zone("39S")
    assert info.value.args[0].fa == "زون '39S' در نیمکرهٔ جنوبی است؛ ایران در 38N تا 41N است"


def test_a_row_with_impossible_coordinates_or_no_zone_is_rejected_in_both_languages(tmp_path):
    from isipo_geo.registry.importer import import_registry

    f = tmp_path / "r.csv"
    f.write_text("نام شهرک,استان,lon,lat\nشهرک صنعتی الف,تهران,251.4,35.7\n", encoding="utf-8")
    rejects = import_registry(f).rejects
    assert rejects.loc[0, "reason"] == (
        "impossible coordinates (lon 251.4, lat 35.7): longitude must be within ±180 and "
        "latitude within ±90 degrees")
    assert rejects.loc[0, "reason_fa"] == (
        "مختصات ناممکن (طول 251.4، عرض 35.7): طول جغرافیایی باید در ±180 و عرض در ±90 درجه باشد")
    f.write_text("نام شهرک,استان,easting,northing,zone\nشهرک صنعتی الف,تهران,535000,3950000,\n",
                 encoding="utf-8")
    rejects = import_registry(f).rejects
    assert rejects.loc[0, "reason_fa"].startswith("زون UTM خالی است؛ آن را پر کنید یا ‎--utm-zone")

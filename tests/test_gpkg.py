"""isipo_geo.gpkg: a GeoPackage written with sqlite3, read back by GDAL as GDAL wrote it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pandas as pd
import pytest
import shapely

from isipo_geo.gpkg import APPLICATION_ID, write_gpkg

STAMP = "1970-01-01T00:00:00.000Z"


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "name_fa": ["شهرک الف", None, "c"],
        "need_bn_toman": pd.array([12.5, None, 0.0], dtype="Float64"),
        "estates": pd.array([3, None, 1], dtype="Int64"),
        "has_gas": pd.array([True, None, False], dtype="boolean"),
    })


def test_gdal_reads_every_value_type_and_missing_value(tmp_path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    path = tmp_path / "t.gpkg"
    points = [shapely.Point(51.4, 35.7), None, shapely.Point(52.5, 29.6)]
    write_gpkg(_frame(), points, path, layer="estates", last_change=STAMP)
    back = pyogrio.read_dataframe(path)
    assert back["name_fa"].tolist()[0] == "شهرک الف" and pd.isna(back["name_fa"][1])
    assert back["need_bn_toman"].tolist()[::2] == [12.5, 0.0] and pd.isna(back["need_bn_toman"][1])
    assert back["estates"].tolist()[::2] == [3, 1] and pd.isna(back["estates"][1])
    assert back["has_gas"].tolist()[::2] == [True, False]
    assert back.geometry[0].equals(points[0]) and back.geometry[1] is None
    info = pyogrio.read_info(path)
    assert info["geometry_type"] == "Point" and info["crs"] == "EPSG:4326"
    assert info["features"] == 3 and info["fields"].tolist() == list(_frame().columns)


def test_polygons_beside_multipolygons_are_one_multipolygon_layer(tmp_path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    square = shapely.box(50, 30, 51, 31)
    two = shapely.MultiPolygon([shapely.box(52, 30, 53, 31), shapely.box(54, 30, 55, 31)])
    path = tmp_path / "p.gpkg"
    write_gpkg(pd.DataFrame({"k": ["a", "b"]}), [square, two], path, layer="p",
               last_change=STAMP)
    assert pyogrio.read_info(path)["geometry_type"] == "MultiPolygon"
    back = pyogrio.read_dataframe(path)
    assert back.geometry[0].equals(square) and back.geometry[1].equals(two)
    with sqlite3.connect(path) as db:
        extent = db.execute("select min_x, min_y, max_x, max_y from gpkg_contents").fetchone()
    assert extent == (50.0, 30.0, 55.0, 31.0)
    mixed = tmp_path / "m.gpkg"
    write_gpkg(pd.DataFrame({"k": ["a", "b"]}), [square, shapely.Point(1, 2)], mixed,
               layer="m", last_change=STAMP)
    assert pyogrio.read_info(mixed)["geometry_type"] == "Unknown"  # GEOMETRY: any type


def test_the_file_says_it_is_a_geopackage_and_gives_the_same_bytes(tmp_path) -> None:
    paths = [tmp_path / "a.gpkg", tmp_path / "b.gpkg"]
    for path in paths:
        write_gpkg(_frame(), [None] * 3, path, layer="t", last_change=STAMP, version="1.2")
    assert paths[0].read_bytes() == paths[1].read_bytes()
    header = paths[0].read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == 10200
    with sqlite3.connect(paths[0]) as db:
        assert db.execute("select last_change from gpkg_contents").fetchone() == (STAMP,)
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (Debian gdal-bin) is missing; the header was checked above")
    info = subprocess.run(["ogrinfo", "-al", "-so", str(paths[0])], capture_output=True,
                          text=True)
    assert info.returncode == 0 and "Warning" not in info.stdout + info.stderr
    assert "Feature Count: 3" in info.stdout

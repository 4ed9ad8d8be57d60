"""Tests of isipo_geo.units and ``isipo-geo units`` on small synthetic point layers."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from isipo_geo import units as u
from isipo_geo.cli import app
from isipo_geo.errors import InputError
from isipo_geo.names import province_keys
from isipo_geo.provinces import load_provinces

GEOD = pyproj.Geod(ellps="WGS84")


def synthetic_units(n: int, *, seed: int = 8, outside: int = 0) -> gpd.GeoDataFrame:
    """n synthetic unit points inside the province polygons (+ ``outside`` far outside Iran)."""
    rng = np.random.default_rng(seed)
    provinces = load_provinces()
    which = rng.integers(0, len(provinces), n)
    lon, lat = np.empty(n), np.empty(n)
    for k, geom in enumerate(provinces.geometry):
        idx = np.flatnonzero(which == k)
        got = 0
        minx, miny, maxx, maxy = geom.bounds
        while got < idx.size:
            x = rng.uniform(minx, maxx, 200)
            y = rng.uniform(miny, maxy, 200)
            ok = shapely.contains_xy(geom, x, y)
            take = min(int(ok.sum()), idx.size - got)
            lon[idx[got : got + take]] = x[ok][:take]
            lat[idx[got : got + take]] = y[ok][:take]
            got += take
    lon = np.r_[lon, rng.uniform(-10, 10, outside)]
    lat = np.r_[lat, rng.uniform(-10, 10, outside)]
    m = len(lon)
    return gpd.GeoDataFrame(
        {
            "id": np.arange(m),
            "employees": rng.integers(1, 500, m),
            "investment_bn_toman": rng.random(m).round(3),
            "sector": rng.choice(["food", "metal"], m),
        },
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )


def brute_force_province(points: gpd.GeoDataFrame) -> list[str]:
    """First province polygon that covers each point (plain shapely, one point at a time)."""
    provinces = load_provinces()
    out = []
    for geom in points.geometry:
        hit = next((k for k, poly in provinces.geometry.items() if poly.covers(geom)), u.OUTSIDE)
        out.append(hit)
    return out


@pytest.fixture(scope="module")
def sample() -> gpd.GeoDataFrame:
    return synthetic_units(400, outside=7)


# --------------------------------------------------------------------------------------------
# provinces


def test_assign_provinces_matches_brute_force(sample):
    got = u.assign_provinces(sample, chunk_size=97)
    assert got.tolist() == brute_force_province(sample)
    assert (got == u.OUTSIDE).sum() == 7


def test_points_on_borders_and_near_coast_agree_with_brute_force():
    # vertices of every province boundary lie on (shared) borders: the hardest case
    provinces = load_provinces()
    coords = np.vstack([shapely.get_coordinates(g)[::40] for g in provinces.geometry])
    pts = gpd.GeoDataFrame(geometry=shapely.points(coords), crs="EPSG:4326")
    got = u.assign_provinces(pts)
    assert (got != u.OUTSIDE).all()  # a border point belongs to some province
    assert got.tolist() == brute_force_province(pts)


def test_aggregate_by_province_counts_and_sums(sample):
    table = u.aggregate_units(sample, chunk_size=128)
    assert table.index.tolist() == [*province_keys(), u.OUTSIDE]
    assert table.columns.tolist() == [
        "name_fa",
        "name_en",
        "count",
        "employees_sum",
        "investment_bn_toman_sum",
    ]
    assert int(table["count"].sum()) == len(sample)
    assert int(table.loc[u.OUTSIDE, "count"]) == 7
    assert table.loc[u.OUTSIDE, "name_en"] == "outside every province"
    expected = sample.assign(province=brute_force_province(sample)).groupby("province")
    for key, group in expected:
        assert table.loc[key, "count"] == len(group)
        assert table.loc[key, "employees_sum"] == group["employees"].sum()
        assert table.loc[key, "investment_bn_toman_sum"] == pytest.approx(
            group["investment_bn_toman"].sum()
        )
    assert table["employees_sum"].dtype.kind == "i"


def test_every_province_is_listed_even_when_empty():
    pts = gpd.GeoDataFrame(
        {"employees": [3, 4]},
        geometry=[shapely.Point(51.39, 35.69), shapely.Point(59.6, 36.3)],  # Tehran, Mashhad
        crs="EPSG:4326",
    )
    table = u.aggregate_units(pts)
    assert len(table) == 32
    assert table.loc["tehran", "count"] == 1
    assert table.loc["razavi_khorasan", "employees_sum"] == 4
    assert (table["count"] == 0).sum() == 30


def test_reprojected_points_give_the_same_table(sample):
    utm = sample.to_crs("EPSG:32639")
    pd.testing.assert_frame_equal(u.aggregate_units(utm), u.aggregate_units(sample))


def test_nan_values_are_skipped_and_sum_columns_selects():
    pts = gpd.GeoDataFrame(
        {"employees": [3.0, np.nan, 2.0], "area_ha": [1.0, 2.0, 3.0]},
        geometry=[shapely.Point(51.39, 35.69)] * 3,
        crs="EPSG:4326",
    )
    table = u.aggregate_units(pts, sum_columns=["employees"])
    assert table.loc["tehran", "employees_sum"] == 5.0
    assert "area_ha_sum" not in table.columns


def test_progress_is_called_per_chunk(sample):
    calls: list[int] = []
    u.aggregate_units(sample, chunk_size=100, progress=calls.append)
    assert calls == [100, 100, 100, 100, 7]


@pytest.mark.parametrize(
    ("points", "match"),
    [
        (gpd.GeoDataFrame(geometry=[shapely.Point(51, 35)]), "no coordinate reference system"),
        (
            gpd.GeoDataFrame(geometry=[shapely.Point(51, 35), None], crs="EPSG:4326"),
            "1 point\\(s\\) have no location",
        ),
        (
            gpd.GeoDataFrame(geometry=[shapely.box(51, 35, 52, 36)], crs="EPSG:4326"),
            "not points.*representative_point",
        ),
    ],
)
def test_bad_point_layers_are_rejected(points, match):
    with pytest.raises(InputError, match=match):
        u.aggregate_units(points)


def test_bad_sum_columns_and_by_are_rejected(sample):
    with pytest.raises(InputError, match="no column 'staff' to sum"):
        u.aggregate_units(sample, sum_columns=["staff"])
    with pytest.raises(InputError, match="'sector' is not numeric"):
        u.aggregate_units(sample, sum_columns=["sector"])
    with pytest.raises(InputError, match="cannot aggregate by 'county'"):
        u.aggregate_units(sample, by="county")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# estates


def synthetic_estates() -> gpd.GeoDataFrame:
    """Three located estates (two 3 km apart near Tehran, one in Isfahan) and one unlocated."""
    ids = ["E1", "E2", "E3", "E4"]
    lon2, lat2, _ = GEOD.fwd(51.30, 35.60, 90, 3_000)
    geoms = [
        shapely.Point(51.30, 35.60),
        shapely.Point(lon2, lat2),
        shapely.Point(51.67, 32.65),
        shapely.Point(),
    ]
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name_fa": ["شهرک یک", "شهرک دو", "شهرک سه", "شهرک چهار"],
            "province": ["tehran", "tehran", "isfahan", "fars"],
        },
        geometry=geoms,
        crs="EPSG:4326",
        index=ids,
    )


def _at(lon: float, lat: float, azimuth: float, distance_m: float) -> shapely.Point:
    x, y, _ = GEOD.fwd(lon, lat, azimuth, distance_m)
    return shapely.Point(x, y)


def test_nearest_estate_respects_the_distance():
    estates = synthetic_estates()
    pts = gpd.GeoDataFrame(
        {"employees": [1, 2, 4, 8, 16]},
        geometry=[
            _at(51.30, 35.60, 0, 990),  # 990 m north of E1: inside 1 km
            _at(51.30, 35.60, 0, 1_010),  # 1,010 m north of E1: outside
            _at(51.30, 35.60, 90, 1_400),  # 1.4 km east of E1 (1.6 km from E2): E1
            _at(51.30, 35.60, 90, 1_600),  # 1.6 km from E1, 1.4 km from E2: E2, none within 1 km
            _at(51.67, 32.65, 200, 500),  # 500 m from E3
        ],
        crs="EPSG:4326",
    )
    got = u.assign_estates(pts, estates, max_distance_m=1_000)
    assert got["estate_id"].tolist() == ["E1", u.NO_ESTATE, u.NO_ESTATE, u.NO_ESTATE, "E3"]
    assert got["distance_m"].iloc[0] == pytest.approx(990, abs=0.01)
    assert got["distance_m"].iloc[4] == pytest.approx(500, abs=0.01)
    assert np.isnan(got["distance_m"].iloc[1])

    wide = u.assign_estates(pts, estates, max_distance_m=1_500)
    assert wide["estate_id"].tolist() == ["E1", "E1", "E1", "E2", "E3"]
    assert wide["distance_m"].iloc[3] == pytest.approx(1_400, abs=1.0)


def test_aggregate_by_estate_lists_every_estate():
    estates = synthetic_estates()
    pts = gpd.GeoDataFrame(
        {"employees": [1, 2, 4, 8]},
        geometry=[
            _at(51.30, 35.60, 0, 100),
            _at(51.30, 35.60, 180, 200),
            _at(51.67, 32.65, 45, 4_000),
            shapely.Point(0, 0),
        ],
        crs="EPSG:4326",
    )
    table = u.aggregate_units(pts, by="estate", estates=estates, max_distance_m=2_000)
    assert table.index.tolist() == ["E1", "E2", "E3", "E4", u.NO_ESTATE]
    assert table["count"].tolist() == [2, 0, 0, 0, 2]
    assert table["employees_sum"].tolist() == [3, 0, 0, 0, 12]
    assert table.loc["E3", "province"] == "isfahan"
    assert table.loc[u.NO_ESTATE, "name_fa"].startswith("دورتر از 2000 متر")


def test_bad_distance_is_rejected(sample):
    with pytest.raises(InputError, match="positive number of metres"):
        u.assign_estates(sample, synthetic_estates(), max_distance_m=0)


# --------------------------------------------------------------------------------------------
# reading and writing files


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_points_csv_with_persian_digits(tmp_path):
    path = _write_csv(
        tmp_path / "u.csv",
        "name,Longitude,Latitude,employees\nالف,51.39,35.69,12\nب,۵۹٫۶,۳۶٫۳,3\n",
    )
    pts = u.read_points(path)
    assert pts.crs.to_epsg() == 4326
    assert pts.columns.tolist() == ["name", "employees", "geometry"]
    assert shapely.get_coordinates(pts.geometry.values).tolist() == [[51.39, 35.69], [59.6, 36.3]]


def test_read_points_gis_files(tmp_path, sample):
    small = sample.iloc[:20]
    small.to_file(tmp_path / "u.gpkg", layer="units")
    small.to_file(tmp_path / "u.geojson")
    for name in ("u.gpkg", "u.geojson"):
        pts = u.read_points(tmp_path / name)
        assert len(pts) == 20
        assert pts["employees"].tolist() == small["employees"].tolist()


def test_read_points_parquet(tmp_path, sample):
    pytest.importorskip("pyarrow")
    small = sample.iloc[:20]
    small.to_parquet(tmp_path / "geo.parquet")
    frame = pd.DataFrame({"lon": [51.39], "lat": [35.69], "employees": [5]})
    frame.to_parquet(tmp_path / "plain.parquet")
    assert len(u.read_points(tmp_path / "geo.parquet")) == 20
    assert u.aggregate_units(u.read_points(tmp_path / "plain.parquet")).loc["tehran", "count"] == 1


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x,y\n51,35\n", "no longitude \\(lon/lng/long/longitude\\) and latitude"),
        ("lon,lat\n51,35\nabc,35\n", "row 3, column 'lon': 'abc' is not a number"),
        ("lon,lat\n51,35\n52,\n", "row 3, column 'lat': is empty"),
        ("lon,lat\n51,95\n", "row 2, column 'lat': 95.0 is outside -90..90"),
        ("", "the file is empty"),
    ],
)
def test_read_points_bad_csv(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        u.read_points(_write_csv(tmp_path / "bad.csv", text))


def test_read_points_bad_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        u.read_points(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unknown file type '.xyz'"):
        u.read_points(tmp_path / "units.xyz")
    (tmp_path / "latin1.csv").write_bytes("lon,lat,name\n51,35,caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        u.read_points(tmp_path / "latin1.csv")
    (tmp_path / "junk.gpkg").write_bytes(b"\x00\x01 not a geopackage")
    with pytest.raises(InputError, match="not a readable GIS file"):
        u.read_points(tmp_path / "junk.gpkg")


def test_write_aggregates_csv_and_gpkg(tmp_path, sample):
    import pyogrio

    table = u.aggregate_units(sample)
    csv_path = u.write_aggregates(table, tmp_path / "out.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfprovince,name_fa,")
    back = pd.read_csv(csv_path, encoding="utf-8-sig", index_col=0)
    assert back["count"].sum() == len(sample)
    gpkg = u.write_aggregates(table, tmp_path / "out.gpkg", geometries=load_provinces().geometry)
    layer = pyogrio.read_dataframe(gpkg, layer="units")
    assert len(layer) == 32
    assert layer.geometry.is_empty.sum() == 1  # the 'outside' row
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.gpkg"]
    with pytest.raises(InputError, match="give a .csv or .gpkg name"):
        u.write_aggregates(table, tmp_path / "out.xlsx")


# --------------------------------------------------------------------------------------------
# CLI


@pytest.fixture
def units_csv(tmp_path, sample) -> Path:
    coords = shapely.get_coordinates(sample.geometry.values)
    frame = pd.DataFrame(
        {
            "id": sample["id"],
            "lon": coords[:, 0],
            "lat": coords[:, 1],
            "employees": sample["employees"],
        }
    )
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    return path


def test_cli_prints_the_table(runner, units_csv):
    result = runner.invoke(app, ["units", str(units_csv)])
    assert result.exit_code == 0, result.output
    assert "tehran" in result.stdout and "employees_sum" in result.stdout
    assert "407 units: 400 in provinces, 7 outside every province" in result.stdout


def test_cli_writes_csv_and_gpkg(runner, units_csv, tmp_path, sample):
    import pyogrio

    out = tmp_path / "by_province.csv"
    result = runner.invoke(app, ["units", str(units_csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig", index_col=0)
    expected = u.aggregate_units(sample, sum_columns=["employees"])
    assert table["count"].tolist() == expected["count"].tolist()
    assert table["employees_sum"].tolist() == expected["employees_sum"].tolist()
    assert "id_sum" not in table.columns

    gpkg = tmp_path / "by_province.gpkg"
    result = runner.invoke(app, ["units", str(units_csv), "-o", str(gpkg)])
    assert result.exit_code == 0, result.output
    layer = pyogrio.read_dataframe(gpkg)
    assert layer.loc[layer["province"] == "tehran", "count"].item() == table.loc["tehran", "count"]


def test_cli_by_estate_with_a_registry(runner, tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "id,name_fa,kind,province,lon,lat,location_precision\n"
        "T1,شهرک آزمایشی,industrial_estate,tehran,51.30,35.60,estate\n"
        "T2,شهرک بی‌نشان,industrial_estate,fars,,,\n",
        encoding="utf-8",
    )
    p = _at(51.30, 35.60, 30, 2_500)
    units_path = _write_csv(tmp_path / "u.csv", f"lon,lat,staff\n{p.x},{p.y},7\n51.9,35.9,1\n")
    out = tmp_path / "by_estate.csv"
    args = ["units", str(units_path), "--by", "estate", "--registry", str(registry)]
    result = runner.invoke(app, [*args, "--max-distance-m", "3000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 units: 1 within 3000 m of an estate, 1 not" in result.stdout
    table = pd.read_csv(out, encoding="utf-8-sig", index_col=0)
    assert table["count"].to_dict() == {"T1": 1, "T2": 0, "none": 1}
    assert table.loc["T1", "staff_sum"] == 7


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x,y\n51,35\n", "no longitude"),
        ("lon,lat\n51,35\n51,north\n", "row 3, column 'lat': 'north' is not a number"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(runner, tmp_path, text, match):
    path = _write_csv(tmp_path / "bad.csv", text)
    result = runner.invoke(app, ["units", str(path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert re.search(match, errors[0])
    assert "Traceback" not in result.output


def test_cli_unreadable_file_and_bad_out(runner, tmp_path, units_csv):
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"junk")
    result = runner.invoke(app, ["units", str(junk)])
    assert result.exit_code == 2
    assert "not a readable GIS file" in result.stderr
    result = runner.invoke(app, ["units", str(units_csv), "--out", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2
    assert "give a .csv or .gpkg name" in result.stderr


# --------------------------------------------------------------------------------------------
# maps of many points


def test_unit_points_map_is_one_canvas_layer(sample):
    page = u.unit_points_map_html(sample)
    assert page.count("new IsipoPoints(") == 1
    ours = page.rsplit("<script>", 1)[1]  # the page's own script, after inlined Leaflet
    assert "L.marker(" not in ours and "circleMarker" not in ours
    assert "<link" not in page and 'src="http' not in page  # nothing fetched
    data = page.split("new IsipoPoints(")[1].split("], ")[0] + "]"
    assert len(json.loads(data)) == 2 * len(sample)
    assert "7 خارج از استان‌ها / outside provinces" in page


def test_unit_points_layer_renders_in_folium(sample):
    import folium

    m = folium.Map(location=[32, 53], zoom_start=5, tiles=None)
    layer = u.unit_points_layer(sample, name="واحدها {{ 7*7 }} <b>").add_to(m)
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert page.count("new IsipoPoints(") == 1
    assert f"var {layer.get_name()} = new IsipoPoints(" in page
    assert f".addTo({m.get_name()});" in page
    assert "7*7" in page  # the name is not run as a template
    assert "<b>" not in page


def test_unit_points_layer_without_folium_says_what_to_install(sample, monkeypatch):
    import sys

    for name in ("folium", "folium.map", "branca", "branca.element"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ModuleNotFoundError, match=r"needs folium \(pip install folium\)"):
        u.unit_points_layer(sample)
    assert "IsipoPoints" in u.unit_points_map_html(sample)  # the page needs no folium


def test_unit_points_map_escapes_names(sample):
    provinces = load_provinces()
    provinces.loc["tehran", "name_en"] = "</script><script>alert(1)</script>"
    page = u.unit_points_map_html(sample, provinces=provinces, title="<i>units</i>")
    assert "<script>alert(1)" not in page
    assert "<title>&lt;i&gt;units&lt;/i&gt;</title>" in page
    with pytest.raises(InputError, match="not #rgb"):
        u.unit_points_map_html(sample, color="red;}</style>")


@pytest.mark.browser
def test_unit_points_map_draws_in_chromium(tmp_path, sample):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("headless Chromium (/usr/bin/chromium) is not installed")
    path = u.write_unit_points_map(sample, tmp_path / "units.html")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 900, "height": 700})
        page.goto(path.as_uri())
        page.wait_for_function("window.isipoReady !== null", timeout=30_000)
        drawn = page.evaluate("units.drawn")
        markers = page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length")
        browser.close()
    assert drawn == 400  # the 7 points near (0, 0) are off screen
    assert markers == 0


def test_cli_asks_whether_lon_and_lat_are_swapped_when_no_unit_lands(runner, tmp_path):
    """Tehran's units written lat,lon (35.7, 51.4 lands in no province): the summary asks."""
    path = _write_csv(tmp_path / "swapped.csv", "lon,lat\n35.70,51.40\n35.60,51.30\n")
    result = runner.invoke(app, ["units", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "2 units: 0 in provinces, 2 outside every province (are lon and lat swapped?)"
        in result.stdout
    )

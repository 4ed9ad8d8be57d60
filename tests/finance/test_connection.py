"""Connection cost from network layers: geodesic distance to the nearest feature, costs by hand."""

from __future__ import annotations

from decimal import Decimal

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from isipo_geo.errors import InputError
from isipo_geo.finance.connection import (
    CONNECTION_COLUMNS,
    NOT_COSTED,
    ConnectionCost,
    Gap,
    connection_rows,
    estates_to_connect,
    length_km,
    nearest_features,
    parse_connection_costs,
)
from isipo_geo.networks import parse_filter_option, parse_network_option, read_network

GEOD = Geod(ellps="WGS84")

# three estates near Isfahan (synthetic test points)
ESTATES = pd.DataFrame(
    {
        "id": ["E1", "E2", "E3", "E4"],
        "name_fa": ["شهرک یک", "شهرک دو", "شهرک سه", "شهرک چهار"],
        "province": ["isfahan", "isfahan", "isfahan", "isfahan"],
        "lon": [51.60, 51.90, 52.30, 51.75],
        "lat": [32.60, 32.95, 32.40, 32.70],
        "has_power": ["", "no", "", "yes"],
        "location_precision": ["estate", "estate", "town", "estate"],
    }
)
# the gaps funding costed (deficit MW, need bn toman at 3 per MW)
GAPS = {
    ("E1", "power"): Gap(Decimal(4), "mw", Decimal(12)),
    ("E3", "power"): Gap(Decimal("2.5"), "mw", Decimal("7.5")),
}


def _geod_to_point(lon, lat, plon, plat) -> float:
    return GEOD.inv(lon, lat, plon, plat)[2] / 1000.0


def _geod_to_line(lon, lat, coords) -> float:
    """Oracle: the minimum geodesic distance to a densely sampled line (1 m steps at most)."""
    best = np.inf
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
        n = int(GEOD.inv(x0, y0, x1, y1)[2]) + 2
        pts = GEOD.npts(x0, y0, x1, y1, n, initial_idx=0, terminus_idx=0)
        xs = np.array([p[0] for p in pts])
        ys = np.array([p[1] for p in pts])
        d = GEOD.inv(np.full(len(xs), lon), np.full(len(xs), lat), xs, ys)[2]
        best = min(best, float(d.min()))
    return best / 1000.0


@pytest.fixture
def substations_utm(tmp_path):
    """Two substations in UTM 39N (EPSG:32639), Persian attribute names, in a GeoPackage."""
    pts = gpd.GeoDataFrame(
        {"نام": ["پست مبارکه", "پست نجف‌آباد"], "ولتاژ": [63, 230], "کد": ["S-1", "S-2"]},
        geometry=[Point(51.50, 32.35), Point(51.36, 32.63)],
        crs=4326,
    ).to_crs(32639)
    path = tmp_path / "substations.gpkg"
    pts.to_file(path, driver="GPKG")
    return path


@pytest.fixture
def lines_wgs84(tmp_path):
    """A 63 kV line in WGS 84 GeoJSON with Persian attributes."""
    coords = [(51.70, 33.20), (52.10, 32.80), (52.50, 32.60)]
    lines = gpd.GeoDataFrame(
        {"نام": ["خط ۶۳ کیلوولت"], "ولتاژ": [63]}, geometry=[LineString(coords)], crs=4326
    )
    path = tmp_path / "lines.geojson"
    lines.to_file(path, driver="GeoJSON")
    return path, coords


def test_read_network_keeps_crs_and_persian_attributes(substations_utm):
    gdf = read_network(substations_utm, utility="power")
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf["feature_name"]) == ["پست مبارکه", "پست نجف‌آباد"]
    assert list(gdf["feature_id"]) == ["S-1", "S-2"]
    assert "ولتاژ" in gdf.columns
    assert gdf.geometry.iloc[0].x == pytest.approx(51.50, abs=1e-7)


def test_nearest_point_on_line_not_vertex(lines_wgs84):
    path, coords = lines_wgs84
    net = read_network(path, utility="power")
    pts = gpd.GeoSeries(gpd.points_from_xy(ESTATES.lon, ESTATES.lat), crs=4326)
    near = nearest_features(pts, net)
    for i, (lon, lat) in enumerate(zip(ESTATES.lon, ESTATES.lat, strict=True)):
        expected = _geod_to_line(lon, lat, coords)
        assert near["distance_km"].iloc[i] == pytest.approx(expected, rel=0.005)
        # closer than any vertex: the nearest point lies inside a segment
        vertex = min(_geod_to_point(lon, lat, x, y) for x, y in coords)
        assert near["distance_km"].iloc[i] < vertex


def test_three_estates_lengths_within_half_percent(substations_utm, lines_wgs84):
    """Substations (UTM 39N GeoPackage) and a line (WGS 84 GeoJSON) in one network: three
    estates' lengths within 0.5 % of pyproj.Geod distances × the detour factor."""
    lpath, coords = lines_wgs84
    net = pd.concat(
        [read_network(substations_utm, utility="power"), read_network(lpath, utility="power")],
        ignore_index=True,
    )
    net = gpd.GeoDataFrame(net, geometry="geometry", crs=4326)
    pts = gpd.GeoSeries(gpd.points_from_xy(ESTATES.lon[:3], ESTATES.lat[:3]), crs=4326)
    near = nearest_features(pts, net)
    detour = Decimal("1.3")
    subs = [(51.50, 32.35), (51.36, 32.63)]
    for i in range(3):
        lon, lat = ESTATES.lon[i], ESTATES.lat[i]
        oracle = min(
            [_geod_to_point(lon, lat, x, y) for x, y in subs] + [_geod_to_line(lon, lat, coords)]
        )
        got = length_km(float(near["distance_km"].iloc[i]), detour)
        assert float(got) == pytest.approx(oracle * 1.3, rel=0.005)


def test_costs_by_hand_and_supplied_estate_gets_none(substations_utm):
    net = read_network(substations_utm, utility="power")
    costs = parse_connection_costs(
        {
            "currency": "toman",
            "scale": "billion",
            "power": {
                "connection": {"cost_per_km": "2", "fixed": "10", "detour_factor": "1.25"},
                "onsite": {"unit_cost": "9", "label": "on-site generation"},
            },
        }
    )
    rows = connection_rows(
        ESTATES,
        {"power": net},
        costs,
        network_files={"power": "substations.gpkg"},
        gaps=GAPS,
        utilities=["power", "gas"],
        currency="toman",
        scale="billion",
        province_names={"isfahan": "اصفهان"},
        province_order=["isfahan"],
    )
    estate = {r["estate_id"]: r for r in rows if r["scope"] == "estate"}
    # E4 has power and no gap: no connection; E2 has no power: connected without a deficit
    assert set(estate) == {"E1", "E2", "E3"}
    e1 = estate["E1"]
    d = min(_geod_to_point(51.60, 32.60, x, y) for x, y in [(51.50, 32.35), (51.36, 32.63)])
    assert float(e1["length_km"]) == pytest.approx(d * 1.25, rel=0.001)
    assert e1["need"] == e1["length_km"] * 2 + 10
    assert e1["feature_name"] == "پست نجف‌آباد"  # 22.6 km, against 29.2 km to Mobarakeh
    assert e1["feature_id"] == "S-2"
    assert e1["component"] == "connection" and e1["basis"] == "derived"
    # on-site: 4 MW × 9 = 36 vs gap 12 + connection
    assert e1["onsite_need"] == Decimal(36)
    assert e1["cheaper_option"] == ("onsite" if 12 + e1["need"] > 36 else "network")
    assert "approximate" in estate["E3"]["note"]
    nation = [r for r in rows if r["scope"] == "nation" and r["utility"] == "power"][0]
    assert nation["need"] == sum(r["need"] for r in estate.values())
    assert nation["length_km"] == sum(r["length_km"] for r in estate.values())
    gas = [r for r in rows if r["utility"] == "gas"]
    assert len(gas) == 1 and gas[0]["need"] is None and NOT_COSTED in gas[0]["note"]


def test_without_cost_per_km_lengths_but_not_costed(substations_utm):
    net = read_network(substations_utm, utility="power")
    rows = connection_rows(
        ESTATES,
        {"power": net},
        {},
        network_files={"power": "s.gpkg"},
        gaps=GAPS,
        utilities=["power"],
        currency="toman",
        scale="billion",
        province_names={},
        province_order=["isfahan"],
    )
    estate = [r for r in rows if r["scope"] == "estate"]
    assert all(r["need"] is None and NOT_COSTED in r["note"] for r in estate)
    assert all(r["length_km"] > 0 for r in estate)
    assert [r["need"] for r in rows if r["scope"] == "nation"] == [None]


def test_estates_to_connect():
    chosen = estates_to_connect(ESTATES, "power", GAPS)
    assert list(chosen) == [True, True, True, False]
    assert not estates_to_connect(ESTATES.assign(lon=None), "power", GAPS).any()
    # a zero gap is no gap
    zero = {("E1", "power"): Gap(Decimal(0), "mw", Decimal(0))}
    assert list(estates_to_connect(ESTATES, "power", zero)) == [False, True, False, False]


def _quietly(gdf, path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL warns that the layer has no CRS: that is the test
        gdf.to_file(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: gpd.GeoDataFrame({"a": []}, geometry=[], crs=4326).to_file(p), "empty"),
        (lambda p: _quietly(gpd.GeoDataFrame({"a": [1]}, geometry=[Point(51, 32)]), p), "no CRS"),
        (
            lambda p: gpd.GeoDataFrame(
                {"a": [1]}, geometry=[Point(51, 32).buffer(0.1)], crs=4326
            ).to_file(p),
            "Polygon",
        ),
        (
            lambda p: gpd.GeoDataFrame({"a": [1]}, geometry=[Point(2.3, 48.8)], crs=4326).to_file(
                p
            ),
            "no feature lies in Iran",
        ),
    ],
)
def test_bad_layers_clear_messages(tmp_path, make, message):
    path = tmp_path / "bad.gpkg"
    make(path)
    with pytest.raises(InputError, match=message) as err:
        read_network(path, utility="power")
    assert "bad.gpkg" in str(err.value)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_network(tmp_path / "none.gpkg", utility="power")
    csv = tmp_path / "net.csv"
    csv.write_text("a\n1\n")
    with pytest.raises(InputError, match="GeoPackage"):
        read_network(csv, utility="power")


def test_filter(substations_utm):
    _, f = parse_filter_option("power:ولتاژ>=100")
    gdf = read_network(substations_utm, utility="power", where=f)
    assert list(gdf["feature_id"]) == ["S-2"]
    with pytest.raises(InputError, match="no column"):
        read_network(substations_utm, utility="power", where=parse_filter_option("p:kv>=1")[1])
    with pytest.raises(InputError, match="UTILITY:COLUMN"):
        parse_filter_option("voltage>=63")


def test_filter_on_text_cells_uses_the_number_rule(tmp_path):
    path = tmp_path / "subs.geojson"
    gpd.GeoDataFrame(
        {"kv": ["۶۳", "230", "20"]},
        geometry=[Point(51.5, 32.3), Point(51.6, 32.4), Point(51.7, 32.5)],
        crs=4326,
    ).to_file(path, driver="GeoJSON")
    gdf = read_network(path, utility="power", where=parse_filter_option("power:kv>=63")[1])
    assert list(gdf["feature_id"]) == ["1", "2"]
    bad = tmp_path / "bad.geojson"
    gpd.GeoDataFrame(
        {"kv": ["63", "12,5"]}, geometry=[Point(51.5, 32.3), Point(51.6, 32.4)], crs=4326
    ).to_file(bad, driver="GeoJSON")
    with pytest.raises(InputError, match="row 2, column 'kv'.*ambiguous"):
        read_network(bad, utility="power", where=parse_filter_option("power:kv>=63")[1])


def test_network_option():
    assert parse_network_option("Gas=pipes.geojson")[0] == "gas"
    with pytest.raises(InputError, match="UTILITY=FILE"):
        parse_network_option("pipes.geojson")


def test_detour_below_one_refused():
    with pytest.raises(InputError, match="detour_factor"):
        parse_connection_costs(
            {
                "currency": "toman",
                "scale": "billion",
                "power": {"connection": {"detour_factor": "0.9"}},
            }
        )


def test_connection_only_table_does_not_break_unit_costs():
    from isipo_geo.finance.costs import parse_costs

    costs = parse_costs(
        {
            "currency": "toman",
            "scale": "billion",
            "gas": {"connection": {"cost_per_km": "3"}},
            "water": {"deficit_unit": "lps", "unit_cost": "2.5"},
        }
    )
    assert set(costs) == {"water"}
    assert ConnectionCost  # the type is public


def test_estate_province_and_nation_rows_share_one_shape(substations_utm):
    """The three kinds of connection row (one builder since issue 22) have the same columns in
    the same order; the sums and the row of a utility without a network say what they are."""
    net = read_network(substations_utm, utility="power")
    costs = parse_connection_costs(
        {"currency": "toman", "scale": "billion",
         "power": {"connection": {"cost_per_km": "2", "fixed": "10"}}}
    )
    rows = connection_rows(
        ESTATES, {"power": net}, costs, network_files={"power": "s.gpkg"}, gaps=GAPS,
        utilities=["power", "gas"], currency="toman", scale="billion",
        province_names={"isfahan": "اصفهان"}, province_order=["isfahan"], scenario="whole",
        year="1400",
    )
    assert [(r["scope"], r["utility"]) for r in rows] == [
        ("nation", "power"), ("province", "power"), ("estate", "power"), ("estate", "power"),
        ("estate", "power"), ("nation", "gas"),
    ]
    assert len({tuple(r) for r in rows}) == 1  # one order of columns
    assert list(rows[0])[-11:] == CONNECTION_COLUMNS
    estates = [r for r in rows if r["scope"] == "estate"]
    province = rows[1]
    assert province | {"need": None, "length_km": None} == {
        **dict.fromkeys(rows[0]), "scope": "province", "province": "isfahan",
        "province_fa": "اصفهان", "estate_id": "", "estate_name_fa": "", "utility": "power",
        "scenario": "whole", "deficit_unit": "", "unit_cost_unit": "", "currency": "toman",
        "scale": "billion", "basis": "derived", "year": "1400", "cost_case": "central",
        "source": "sum of the estates' connections to network s.gpkg", "note": "3 estates",
        "component": "connection", "feature_id": "", "feature_name": "", "network_file": "s.gpkg",
        "cheaper_option": "",
    }
    assert province["need"] == sum(r["need"] for r in estates)
    assert province["length_km"] == sum(r["length_km"] for r in estates)
    assert estates[0]["unit_cost"] == Decimal(2)
    assert estates[0]["unit_cost_unit"] == "bn toman per km"
    assert rows[-1] == {
        **dict.fromkeys(rows[0]), "scope": "nation", "province": "", "province_fa": "",
        "estate_id": "", "estate_name_fa": "", "utility": "gas", "scenario": "whole",
        "deficit_unit": "", "unit_cost_unit": "", "currency": "toman", "scale": "billion",
        "basis": "", "year": "1400", "cost_case": "central", "source": "",
        "note": f"{NOT_COSTED}: no network layer given (--network gas=FILE)",
        "component": "connection", "feature_id": "", "feature_name": "", "network_file": "",
        "cheaper_option": "",
    }

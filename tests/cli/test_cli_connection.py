"""`isipo-geo funding --network`: connection rows beside the gaps, read back from the outputs."""

from __future__ import annotations

import csv
from decimal import Decimal

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from isipo_geo.cli import app

COSTS = """currency = "toman"
scale = "billion"
[water]
deficit_unit = "lps"
unit_cost = "2.5"
[power]
deficit_unit = "mw"
unit_cost = "3"
[power.connection]
cost_per_km = "1.5"
fixed = "4"
detour_factor = "1.2"
source = "test tender"
[power.onsite]
unit_cost = "8"
[gas.connection]
cost_per_km = "0.9"
detour_factor = "1.1"
"""

REGISTRY = """id,name_fa,kind,province,lon,lat,location_precision,power_deficit_mw,\
water_deficit_lps,has_power,has_gas
T1,شهرک الف,industrial_estate,isfahan,51.60,32.60,estate,4,10,yes,yes
T2,شهرک ب,industrial_estate,isfahan,51.90,32.95,estate,,,no,no
T3,شهرک ج,industrial_zone,isfahan,52.30,32.40,estate,0,5,yes,no
T4,شهرک د,industrial_estate,isfahan,51.75,32.70,estate,,,yes,yes
"""


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def inputs(tmp_path):
    reg = tmp_path / "registry.csv"
    reg.write_text(REGISTRY, encoding="utf-8")
    costs = tmp_path / "costs.toml"
    costs.write_text(COSTS, encoding="utf-8")
    subs = gpd.GeoDataFrame(
        {"نام": ["پست مبارکه", "پست نجف‌آباد"], "ولتاژ_کیلوولت": [63, 230]},
        geometry=[Point(51.50, 32.35), Point(51.36, 32.63)],
        crs=4326,
    ).to_crs(32639)
    subs.to_file(tmp_path / "substations.gpkg", driver="GPKG")
    pipes = gpd.GeoDataFrame(
        {"نام": ["خط لوله"], "قطر_اینچ": [12]},
        geometry=[LineString([(51.70, 33.20), (52.10, 32.80), (52.50, 32.60)])],
        crs=4326,
    )
    pipes.to_file(tmp_path / "pipes.geojson", driver="GeoJSON")
    return tmp_path


def test_funding_network_writes_connection_rows(runner, inputs):
    out = inputs / "f.csv"
    result = runner.invoke(
        app,
        [
            "funding",
            "--registry",
            str(inputs / "registry.csv"),
            "--registry-only",
            "--scenario",
            "registry",
            "--network",
            f"power={inputs / 'substations.gpkg'}",
            "--network",
            f"gas={inputs / 'pipes.geojson'}",
            "--costs",
            str(inputs / "costs.toml"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    assert {"component", "length_km", "feature_id", "feature_name"} <= set(rows[0])
    gaps = [r for r in rows if r["component"] == "gap"]
    conn = [r for r in rows if r["component"] == "connection"]
    assert gaps and conn
    power = {r["estate_id"]: r for r in conn if r["scope"] == "estate" and r["utility"] == "power"}
    # T1 has a 4 MW gap, T2 no power; T3 (0 MW, has power) and T4 (supplied) get none
    assert set(power) == {"T1", "T2"}
    t1 = power["T1"]
    assert Decimal(t1["need"]) == Decimal(t1["length_km"]) * Decimal("1.5") + 4
    assert t1["feature_name"] == "پست نجف‌آباد" and t1["basis"] == "derived"
    assert Decimal(t1["onsite_need"]) == 32  # 4 MW × 8
    assert "substations.gpkg" in t1["source"] and "test tender" in t1["source"]
    gas = {r["estate_id"]: r for r in conn if r["scope"] == "estate" and r["utility"] == "gas"}
    assert set(gas) == {"T2", "T3"}  # has_gas = no
    assert gas["T2"]["feature_name"] == "خط لوله"
    water = [r for r in conn if r["utility"] == "water"]
    assert len(water) == 1 and water[0]["need"] == "" and "not costed" in water[0]["note"]
    nation_power = next(r for r in conn if r["scope"] == "nation" and r["utility"] == "power")
    assert Decimal(nation_power["need"]) == sum(Decimal(r["need"]) for r in power.values())
    # the gap rows are unchanged: power need 4 MW × 3
    t1_gap = next(r for r in gaps if r["estate_id"] == "T1" and r["utility"] == "power")
    assert Decimal(t1_gap["need"]) == 12
    assert "Connections" in result.output


def test_funding_network_gpkg_has_connection_columns(runner, inputs):
    import pyogrio

    out = inputs / "f.gpkg"
    result = runner.invoke(
        app,
        [
            "funding",
            "--registry",
            str(inputs / "registry.csv"),
            "--network",
            f"power={inputs / 'substations.gpkg'}",
            "--costs",
            str(inputs / "costs.toml"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    gdf = pyogrio.read_dataframe(out)
    row = gdf[gdf["key"] == "isfahan"].iloc[0]
    assert float(row["connection_km_power"]) > 0
    assert float(row["connection_need_power"]) > 4


def test_bad_network_is_a_clear_message(runner, inputs):
    result = runner.invoke(app, ["funding", "--network", "power"])
    assert result.exit_code != 0
    assert "UTILITY=FILE" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["funding", "--network", f"power={inputs / 'none.gpkg'}"])
    assert result.exit_code != 0 and "not found" in result.output
    result = runner.invoke(app, ["funding", "--network-filter", "power:kv>=63"])
    assert result.exit_code != 0 and "--network" in result.output


def test_build_with_networks_tables_maps_and_manifest(runner, inputs):
    import json

    out = inputs / "maps"
    result = runner.invoke(
        app,
        [
            "build", "--registry", str(inputs / "registry.csv"),
            "--costs", str(inputs / "costs.toml"),
            "--network", f"power={inputs / 'substations.gpkg'}",
            "--network", f"gas={inputs / 'pipes.geojson'}", "--out-dir", str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _csv(out / "funding.csv")
    conn = [r for r in rows if r["component"] == "connection" and r["scope"] == "estate"]
    assert {(r["estate_id"], r["utility"]) for r in conn} == {
        ("T1", "power"), ("T2", "power"), ("T2", "gas"), ("T3", "gas"),
    }
    page = (out / "provinces" / "isfahan.html").read_text(encoding="utf-8")
    assert "IG.links()" in page and "IG.network()" in page
    assert "substations.gpkg" in page and "pipes.geojson" in page
    other = (out / "provinces" / "fars.html").read_text(encoding="utf-8")
    assert '"c":[]' in other.replace(" ", "")  # no connection of Isfahan's estates on Fars's map
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {"network:power", "network:gas"} <= set(manifest["inputs"])


def test_brief_lists_the_longest_connections(runner, inputs):
    out = inputs / "briefs_out"
    result = runner.invoke(
        app,
        [
            "brief", "isfahan", "--registry", str(inputs / "registry.csv"),
            "--costs", str(inputs / "costs.toml"),
            "--network", f"power={inputs / 'substations.gpkg'}",
            "--network", f"gas={inputs / 'pipes.geojson'}", "--out-dir", str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    assert 'id="connections"' in html
    section = html.split('id="connections"')[1].split("</section>")[0]
    assert section.count("<tr>") == 1 + 4  # header + the 4 connections
    assert "شهرک ب" in section and "substations.gpkg" in section
    assert "۴ اتصال بلندتر از ۴ اتصال" in section  # Persian digits in the Persian text


def test_budget_plan_is_over_the_gaps_not_the_connections(runner, inputs):
    result = runner.invoke(
        app,
        [
            "funding", "--registry", str(inputs / "registry.csv"), "--registry-only",
            "--scenario", "registry", "--costs", str(inputs / "costs.toml"),
            "--network", f"power={inputs / 'substations.gpkg'}", "--budget", "10 bn toman",
        ],
    )
    assert result.exit_code == 0, result.output


def test_brief_and_map_in_a_build_folder_keep_its_networks(runner, inputs):
    """After build --network, brief and map in that folder use the build's networks (and
    filter): map redraws a page as the build drew it, networks and connections included."""
    import json

    out = inputs / "maps"
    result = runner.invoke(
        app,
        [
            "build", "--registry", str(inputs / "registry.csv"),
            "--costs", str(inputs / "costs.toml"),
            "--network", f"power={inputs / 'substations.gpkg'}",
            "--network-filter", "power:ولتاژ_کیلوولت>=63", "--out-dir", str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["network_filter"] == ["power:ولتاژ_کیلوولت>=63"]
    result = runner.invoke(app, ["brief", "isfahan", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    assert 'id="connections"' in html and "substations.gpkg" in html
    built = (out / "provinces" / "isfahan.html").read_bytes()
    (out / "provinces" / "isfahan.html").unlink()
    result = runner.invoke(app, ["map", "province", "isfahan", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "provinces" / "isfahan.html").read_bytes() == built  # as the build drew it
    national = (out / "national.html").read_bytes()
    result = runner.invoke(app, ["map", "national", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "national.html").read_bytes() == national
    # --overwrite without --network: the page without them, as asked
    result = runner.invoke(
        app, ["map", "province", "isfahan", "--out-dir", str(out), "--overwrite"]
    )
    assert result.exit_code == 0, result.output
    assert "IG.network()" not in (out / "provinces" / "isfahan.html").read_text(encoding="utf-8")


def test_map_draws_the_networks_it_is_given(runner, inputs):
    out = inputs / "one_page"
    args = ["map", "province", "isfahan", "--registry", str(inputs / "registry.csv"),
            "--costs", str(inputs / "costs.toml"), "--out-dir", str(out),
            "--network", f"power={inputs / 'substations.gpkg'}",
            "--network", f"gas={inputs / 'pipes.geojson'}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = (out / "provinces" / "isfahan.html").read_text(encoding="utf-8")
    assert "IG.links()" in page and "IG.network()" in page
    assert "substations.gpkg" in page and "pipes.geojson" in page
    # the same page as build draws with the same options
    built = inputs / "built"
    result = runner.invoke(app, ["build", *args[3:7], "--out-dir", str(built), *args[9:]])
    assert result.exit_code == 0, result.output
    assert (built / "provinces" / "isfahan.html").read_text(encoding="utf-8") == page
    # a filter on a utility without a network is refused, as build refuses it
    bad = runner.invoke(app, ["map", "national", "--network-filter", "power:v>=63",
                              "--out-dir", str(inputs / "x")])
    assert bad.exit_code == 2 and "--network-filter needs a --network" in bad.output


@pytest.mark.parametrize("command", [["national"], ["province", "fars"], ["all"]])
def test_map_help_offers_the_network_options(runner, command):
    result = runner.invoke(app, ["map", *command, "--help"], terminal_width=200)
    assert "--network " in result.output and "--network-filter" in result.output

"""A provincial planner's registry carried faithfully: a 40-estate Isfahan workbook made from
the template (as Excel saves it), imported, then `build --registry`: every output names its
basis and year truthfully, and the other provinces keep their shipped estates."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from isipo_geo.cli import app
from isipo_geo.registry.template import COLUMNS, YEAR_CELL, write_template

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "maps"))
from test_maps import page_data, tip_words  # noqa: E402


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def isfahan(tmp_path_factory):
    """A filled template (40 estates around Isfahan, data year 1403) and its import."""
    from typer.testing import CliRunner

    tmp = tmp_path_factory.mktemp("isfahan")
    book = write_template(tmp / "isfahan_1403.xlsx")
    wb = load_workbook(book)
    ws = wb["registry"]
    ws[YEAR_CELL] = 1403
    for i in range(40):
        cells = dict.fromkeys((h for h, _, _ in COLUMNS), None) | {
            "نام شهرک": f"شهرک صنعتی آزمایشی {i + 1}",
            "نوع": "شهرک صنعتی" if i % 4 else "ناحیه صنعتی",
            "استان": "اصفهان",
            "طول جغرافیایی": 51.2 + (i % 8) * 0.1,
            "عرض جغرافیایی": 32.4 + (i // 8) * 0.1,
        }
        if i == 0:  # supplied and demand, no deficit cell: demand − supplied = 15 L/s, 8 MW
            cells |= {
                "آب تامین شده (لیتر بر ثانیه)": 15,
                "آب مورد نیاز (لیتر بر ثانیه)": 30,
                "برق تامین شده (مگاوات)": 2,
                "برق مورد نیاز (مگاوات)": 10,
            }
        elif i == 1:  # supply covers demand: no deficit, said so
            cells |= {"آب تامین شده (لیتر بر ثانیه)": 40, "آب مورد نیاز (لیتر بر ثانیه)": 30}
        elif i % 5 == 0:
            cells |= {"کمبود آب (لیتر بر ثانیه)": 5}
        ws.append(list(cells.values()))
    wb.save(book)
    runner = CliRunner()
    registry = tmp / "isfahan.csv"
    result = runner.invoke(app, ["import", str(book), "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    out = tmp / "maps"
    result = runner.invoke(app, ["build", "--registry", str(registry), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    return registry, out


def test_funding_csv_names_basis_and_year(isfahan) -> None:
    _, out = isfahan
    rows = _csv(out / "funding.csv")
    first = next(r for r in rows if r["estate_id"] and r["utility"] == "water"
                 and r["estate_name_fa"] == "شهرک صنعتی آزمایشی 1")
    assert (Decimal(first["deficit"]), first["basis"], first["year"]) == (15, "registry", "1403")
    assert first["note"] == "demand − supplied"
    assert first["source"].startswith("isfahan.csv: row ")
    covered = next(r for r in rows if r["estate_name_fa"] == "شهرک صنعتی آزمایشی 2")
    assert Decimal(covered["deficit"]) == 0 and covered["note"] == "supplied ≥ demand: no deficit"
    prov = {(r["province"], r["utility"]): r for r in rows if r["scope"] == "province"}
    isf = prov[("isfahan", "water")]
    # 15 (demand − supplied) + 0 + 7 estates × 5 L/s
    assert (Decimal(isf["deficit"]), isf["basis"], isf["year"]) == (50, "registry", "1403")
    assert (prov[("isfahan", "power")]["basis"], prov[("isfahan", "power")]["deficit"]) == (
        "registry", "8"
    )
    yazd = prov[("yazd", "water")]
    assert (yazd["basis"], yazd["year"]) == ("allocated:equal", "1400")
    nation = next(r for r in rows if r["scope"] == "nation" and r["utility"] == "water")
    assert (nation["basis"], nation["year"], Decimal(nation["deficit"])) == (
        "reported", "1400", 2300
    )


def test_gpkg_names_basis_and_year(isfahan) -> None:
    import geopandas as gpd

    _, out = isfahan
    gdf = gpd.read_file(out / "funding.gpkg").set_index("key")
    assert gdf.loc["isfahan", "basis_water_essential"] == "registry"
    assert gdf.loc["isfahan", "year_water_essential"] == "1403"
    assert gdf.loc["yazd", "year_water_essential"] == "1400"


def test_maps_name_the_registry_and_its_year(isfahan) -> None:
    _, out = isfahan
    page = page_data((out / "national.html").read_text(encoding="utf-8"))
    legend = page["legend"]
    assert "from your registry isfahan.csv, 1403 (a row, or the sum of rows)" in legend
    assert "national figure of the ISIPO performance report 1400 shared by equal shares" in legend
    assert "1400 and 1403" in page["title"]
    assert tip_words(page, "isfahan")[0] == "your registry"
    assert "Data: ISIPO performance report 1400 · registry isfahan.csv, 1403" in page["attr"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "registry isfahan.csv, 1403" in index


def test_registry_keeps_the_other_provinces_shipped_estates(isfahan, runner, tmp_path) -> None:
    from isipo_geo.registry.estates import load_estates

    registry, out = isfahan
    shipped = load_estates()
    located = shipped[~shipped.geometry.is_empty]  # county/province-located ones are drawn too
    others = int((located["province"] != "isfahan").sum())
    assert others > 700
    national = page_data((out / "national.html").read_text(encoding="utf-8"))
    assert len(national["est"]["s"]) == 40 + others  # one style per drawn estate
    isf = page_data((out / "provinces" / "isfahan.html").read_text(encoding="utf-8"))
    assert len(isf["est"]["s"]) == 40  # Isfahan's shipped rows are replaced by the registry's
    clean = tmp_path / "clean"
    result = runner.invoke(
        app, ["map", "national", "--registry", str(registry), "--registry-only",
              "--out-dir", str(clean)]
    )
    assert result.exit_code == 0, result.output
    assert len(page_data((clean / "national.html").read_text(encoding="utf-8"))["est"]["s"]) == 40


def test_png_credit_and_title_name_the_sources(isfahan) -> None:
    from isipo_geo.cli._options import Scenario, WhatData
    from isipo_geo.cli.map import Digits, load_map_data
    from isipo_geo.maps import static

    registry, _ = isfahan
    data = load_map_data(WhatData(Scenario.essential, registry=registry), Digits.latin)
    fig = static.draw_map(data, focus="isfahan")
    texts = [t.get_text() for t in fig.texts]
    credit = next(t for t in texts if t.startswith("مرزها"))
    assert "data: ISIPO performance report 1400 · registry isfahan.csv, 1403" in credit
    assert "1400" not in credit.split("registry")[1]
    # the province's title says its own figures' year (issue 21), not the nation's two
    assert any("Isfahan province — 1403" in t for t in texts)
    assert not any("Isfahan province — 1400" in t for t in texts)
    legend = texts  # the legend is drawn under the map, among the figure's texts
    assert any("your registry isfahan.csv, 1403" in t for t in legend)


def test_registry_without_a_year_says_unknown_everywhere(runner, tmp_path) -> None:
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "r.csv"
    row = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "x", "name_fa": "شهرک", "kind": "industrial_estate", "province": "qom",
        "water_deficit_lps": "4",
    }
    reg.write_text(",".join(REGISTRY_COLUMNS) + "\n" + ",".join(row.values()) + "\n", "utf-8")
    out = tmp_path / "maps"
    result = runner.invoke(
        app, ["map", "province", "qom", "--registry", str(reg), "--scenario", "registry",
              "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = page_data((out / "provinces" / "qom.html").read_text(encoding="utf-8"))
    assert "1400" not in page["title"] and "year unknown" in page["title"]
    result = runner.invoke(
        app, ["map", "national", "--registry", str(reg), "--scenario", "registry",
              "--registry-year", "۱۴۰۲", "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    national = page_data((out / "national.html").read_text(encoding="utf-8"))
    assert "Total of the registry's provinces" in national["title"]
    assert "National total" not in national["title"]
    assert "from your registry r.csv, 1402" in national["legend"]
    assert "from your registry r.csv, year unknown" in page["legend"]
    assert "performance report" not in page["legend"]


def test_a_registry_of_locations_only_is_still_credited(runner, tmp_path) -> None:
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "places.csv"
    row = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "p", "name_fa": "شهرک", "kind": "industrial_estate", "province": "qom",
        "lon": "50.9", "lat": "34.6", "location_precision": "estate", "year": "1402",
    }
    reg.write_text(",".join(REGISTRY_COLUMNS) + "\n" + ",".join(row.values()) + "\n", "utf-8")
    out = tmp_path / "maps"
    result = runner.invoke(
        app, ["map", "province", "qom", "--registry", str(reg), "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = page_data((out / "provinces" / "qom.html").read_text(encoding="utf-8"))
    assert "registry places.csv, 1402" in page["attr"]

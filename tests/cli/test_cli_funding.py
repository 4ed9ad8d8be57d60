"""`isipo-geo funding` on the shipped data, read back from its output files."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from isipo_geo.cli import app


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _nation(rows, utility, scenario="essential") -> dict[str, str]:
    return next(
        r
        for r in rows
        if r["scope"] == "nation" and r["utility"] == utility and r["scenario"] == scenario
    )


def test_essential_reproduces_the_report(runner, tmp_path) -> None:
    out = tmp_path / "needs.csv"
    result = runner.invoke(app, ["funding", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    assert Decimal(_nation(rows, "water")["need"]) == 5750
    assert Decimal(_nation(rows, "power")["need"]) == 7116
    assert Decimal(_nation(rows, "total")["need"]) == 12866
    assert _nation(rows, "water")["basis"] == "reported"
    assert _nation(rows, "water")["source"].startswith("seed:L")
    required = {
        "scope",
        "province",
        "estate_id",
        "utility",
        "scenario",
        "deficit",
        "deficit_unit",
        "unit_cost",
        "need",
        "currency",
        "scale",
        "basis",
    }
    assert required <= set(rows[0])
    provinces = [r for r in rows if r["scope"] == "province" and r["utility"] == "water"]
    assert len(provinces) == 31
    assert sum(Decimal(r["need"]) for r in provinces) == 5750
    assert {r["basis"] for r in provinces} == {"allocated:equal"}


def test_whole_scenario(runner, tmp_path) -> None:
    out = tmp_path / "whole.json"
    result = runner.invoke(app, ["funding", "--scenario", "whole", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    nation = {r["utility"]: r for r in rows if r["scope"] == "nation"}
    assert nation["water"]["need"] == 34465 and nation["power"]["need"] == 25002
    assert nation["water"]["deficit"] == 13786 and nation["power"]["deficit"] == 8334
    assert nation["water"]["basis"] == "derived"


def test_compare_and_rial(runner, tmp_path) -> None:
    out = tmp_path / "both.csv"
    result = runner.invoke(app, ["funding", "--compare", "--currency", "rial", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    assert Decimal(_nation(rows, "total", "essential")["need"]) == 128660
    assert Decimal(_nation(rows, "total", "whole")["need"]) == 594670


@pytest.mark.parametrize("alloc", ["area", "reactivation_plan"])
def test_allocation_keys_add_up(runner, tmp_path, alloc) -> None:
    out = tmp_path / "a.csv"
    result = runner.invoke(app, ["funding", "--allocate-by", alloc, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    prov = [r for r in rows if r["scope"] == "province" and r["utility"] == "power"]
    assert sum(Decimal(r["deficit"]) for r in prov) == 2372
    assert {r["basis"] for r in prov} == {f"allocated:{alloc}"}


def test_xlsx_is_right_to_left_with_persian_headers(runner, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "n.xlsx"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    ws = load_workbook(out).active
    assert ws.sheet_view.rightToLeft
    headers = [c.value for c in ws[1]]
    assert "اعتبار مورد نیاز\nneed" in headers


def test_gpkg_has_province_polygons(runner, tmp_path) -> None:
    import pyogrio

    out = tmp_path / "n.gpkg"
    result = runner.invoke(app, ["funding", "--out", str(out)])
    assert result.exit_code == 0, result.output
    gdf = pyogrio.read_dataframe(out)
    assert len(gdf) == 31 and gdf.crs.to_epsg() == 4326
    assert gdf["need_total_essential"].sum() == pytest.approx(12866)
    assert set(gdf["basis_water_essential"]) == {"allocated:equal"}


def test_budget_plan(runner, tmp_path) -> None:
    out = tmp_path / "plan.csv"
    result = runner.invoke(
        app,
        ["funding", "--budget", "1000 bn toman", "--years", "1403-1404", "--budget-out", str(out)],
    )
    assert result.exit_code == 0, result.output
    plan = _csv(out)
    assert sum(Decimal(r["funded"]) for r in plan) == 2000
    assert plan[0]["utility"] == "water"  # 2.5 bn toman per L/s is cheaper per unit than 3 per MW
    assert {r["status"] for r in plan} >= {"funded", "unfunded"}


def test_weights_file(runner, tmp_path) -> None:
    w = tmp_path / "w.csv"
    w.write_text("province,weight\nتهران,1\nاصفهان,3\n", encoding="utf-8")
    out = tmp_path / "n.csv"
    result = runner.invoke(app, ["funding", "--weights", str(w), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    water = {
        r["province"]: Decimal(r["deficit"])
        for r in rows
        if r["scope"] == "province" and r["utility"] == "water"
    }
    assert water["tehran"] == 575 and water["isfahan"] == 1725
    assert water["fars"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--currency", "dollar"], "dollar"),
        (["--budget", "5000"], "must name its currency"),
        (["--allocate-by", "population"], "unknown allocation key 'population'"),
        (["--escalation", "abc"], "--escalation 'abc' is not a number"),
        (["--out", "x.pdf"], "use one of the extensions"),
        (["--allocate-by", "weights"], "needs --weights FILE"),
    ],
)
def test_bad_options_give_one_line(runner, args, message) -> None:
    result = runner.invoke(app, ["funding", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("currency='toman'\nscale='billion'\n[water\n", "not valid TOML"),
        (
            "currency='toman'\nscale='billion'\n[water]\ndeficit_unit='lps'\nunit_cost='2.5'\n",
            "no [power] table",
        ),
    ],
)
def test_bad_costs_file(runner, tmp_path, toml, message) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    result = runner.invoke(app, ["funding", "--costs", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_registry_with_bad_deficit(runner, tmp_path) -> None:
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "reg.csv"
    header = ",".join(REGISTRY_COLUMNS)
    row = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "x1",
        "name_fa": "شهرک آزمایشی",
        "kind": "industrial_estate",
        "province": "tehran",
        "water_deficit_lps": "-3",
    }
    reg.write_text(header + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["funding", "--registry", str(reg)])
    assert result.exit_code == 2
    assert "reg.csv" in result.output and "water_deficit_lps" in result.output
    assert "Traceback" not in result.output


def test_registry_deficits_replace_the_estimate(runner, tmp_path) -> None:
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "reg.csv"
    rows = []
    for i, (prov, water) in enumerate([("tehran", "100"), ("tehran", "50.5"), ("qom", "")]):
        rows.append(
            dict.fromkeys(REGISTRY_COLUMNS, "")
            | {
                "id": f"e{i}",
                "name_fa": f"شهرک {i}",
                "kind": "industrial_estate",
                "province": prov,
                "water_deficit_lps": water,
            }
        )
    reg.write_text(
        ",".join(REGISTRY_COLUMNS) + "\n" + "\n".join(",".join(r.values()) for r in rows) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "n.csv"
    result = runner.invoke(app, ["funding", "--registry", str(reg), "--out", str(out)])
    assert result.exit_code == 0, result.output
    got = _csv(out)
    tehran = next(
        r
        for r in got
        if r["scope"] == "province" and r["province"] == "tehran" and r["utility"] == "water"
    )
    assert Decimal(tehran["deficit"]) == Decimal("150.5") and tehran["basis"] == "registry"
    estates = [r for r in got if r["scope"] == "estate"]
    assert [r["estate_id"] for r in estates] == ["e0", "e1"]
    assert Decimal(_nation(got, "water")["need"]) == 5750


def test_registry_scenario_without_deficits_says_so(runner) -> None:
    """The shipped registry has no deficit columns filled: nothing to cost, said in one line."""
    result = runner.invoke(app, ["funding", "--scenario", "registry"])
    assert result.exit_code == 2
    assert "gives no deficits (columns water_deficit_lps, power_deficit_mw, gas_deficit_km" in (
        result.output
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("province", "water", "message"),
    [
        ("tehran", "lots", "row 2, column 'water_deficit_lps': 'lots' is not a number"),
        ("Tehrn", "5", "row 2, column 'province': 'Tehrn' is not a province key"),
        ("tehran", "inf", "row 2, column 'water_deficit_lps': 'inf' is not a finite number"),
        ("tehran", "1e400", "row 2, column 'water_deficit_lps': '1e400' is out of range"),
    ],
)
def test_registry_bad_cells_name_row_and_column(runner, tmp_path, province, water, message):
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "reg.csv"
    row = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "x1",
        "name_fa": "شهرک آزمایشی",
        "kind": "industrial_estate",
        "province": province,
        "water_deficit_lps": water,
    }
    reg.write_text(",".join(REGISTRY_COLUMNS) + "\n" + ",".join(row.values()) + "\n", "utf-8")
    result = runner.invoke(app, ["funding", "--registry", str(reg)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_console_tables_show_money_and_deficits_by_the_unit_rule(runner) -> None:
    """The printed tables round needs and unit costs to the money unit's 0.1 bn toman and
    deficits to their unit's 0.1 L/s or MW (isipo_geo.display), as the maps do; the files
    keep every digit."""
    result = runner.invoke(app, ["funding"])
    assert result.exit_code == 0, result.output
    sistan = next(line for line in result.output.splitlines() if "sistan_baluchestan" in line)
    cells = [c.strip() for c in sistan.split("│") if c.strip()]
    # water 2,300 / 31 = 74.193548 L/s × 2.5 = 185.48387, power 2,372 / 31 = 76.516129 MW × 3
    # = 229.548387, total 415.032257
    assert cells[2:5] == ["185.5", "229.5", "415"]
    result = runner.invoke(app, ["funding", "--scale", "million"])
    assert result.exit_code == 0, result.output
    water = next(line for line in result.output.splitlines() if line.startswith("│ water"))
    assert [c.strip() for c in water.split("│") if c.strip()][:5] == [
        "water", "2,300", "lps", "2,500", "5,750,000"
    ]


def test_equal_shares_read_equal_and_the_table_says_it_is_rounded(runner) -> None:
    """Issue 21: with the default equal allocation every province row reads 185.5 + 229.5 =
    415 (the shares' remainders, 0.01 MW in the old allocation, showed as 229.5 or 229.6 and
    415 or 415.1); 31 × 415 is not the nation's 12,866, so the table says it is rounded."""
    result = runner.invoke(app, ["funding"])
    assert result.exit_code == 0, result.output
    rows = [
        [c.strip() for c in line.split("│") if c.strip()]
        for line in result.output.splitlines()
        if "allocated:equal" in line
    ]
    assert len(rows) == 31
    assert {tuple(r[2:5]) for r in rows} == {("185.5", "229.5", "415")}
    assert "rounded: the rounded figures add up to 12,865, not 12,866" in (
        " ".join(result.output.split())
    )


def _edit_cells(path, edits: dict[tuple[int, str], str]) -> None:
    """Rewrite some cells of a registry CSV: ``{(file row, column): text}`` (header = row 1)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for (row, column), text in edits.items():
        rows[row - 1][header.index(column)] = text
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_decimal_comma_in_an_844_estate_registry_is_refused_with_its_row(
    runner, tmp_path, make_registry
) -> None:
    """Issue 21: `12,5` was read as 125 L/s and costed at 312.5 bn toman, with no message."""
    reg = make_registry(844)
    _edit_cells(reg, {(302, "water_deficit_lps"): "12,5"})
    out = tmp_path / "funding.csv"
    result = runner.invoke(app, ["funding", "--registry", str(reg), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "row 302, column 'water_deficit_lps': '12,5' is ambiguous" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_tricky_cells_in_an_844_estate_registry_are_read_by_the_one_rule(make_registry) -> None:
    """Persian digits, thousands commas, spaces, an exponent: the values funding costs."""
    from isipo_geo.finance.deficits import registry_deficits
    from isipo_geo.registry.estates import read_registry

    reg = make_registry(844)
    cells = {10: "۱۲٫۵", 11: "١٢٫٥", 12: "1,250", 13: " 12 ", 14: "1e3"}
    _edit_cells(reg, {(row, "water_deficit_lps"): text for row, text in cells.items()})
    found = {
        d.source.split(": row ")[1].split(",")[0]: d.deficit
        for d in registry_deficits(read_registry(reg), source=reg.name)
        if d.utility == "water"
    }
    assert {int(r): v for r, v in found.items() if int(r) in cells} == {
        10: Decimal("12.5"), 11: Decimal("12.5"), 12: Decimal(1250), 13: Decimal(12),
        14: Decimal(1000),
    }

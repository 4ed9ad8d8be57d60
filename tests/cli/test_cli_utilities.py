"""A utility beyond water and power, end to end: a costs file with ``[gas]`` and a registry with
``gas_deficit_km`` give gas rows in ``funding``, a gas layer on the maps, a gas row in the brief;
the template has gas columns; a deficit column of an unlisted utility is named in a warning."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

import pytest

from isipo_geo.cli import app

COSTS = """currency = "toman"
scale = "billion"
base_year = 1400

[water]
deficit_unit = "lps"
unit_cost = "2.5"

[power]
deficit_unit = "mw"
unit_cost = "3"

[gas]
deficit_unit = "km"
unit_cost = "1.5"
source = "a test's tender"
"""


@pytest.fixture
def gas_files(tmp_path):
    """A costs file with [gas] and a registry of two Isfahan estates with gas deficits in km (and
    a column of steam, a utility the toolkit does not list)."""
    costs = tmp_path / "costs.toml"
    costs.write_text(COSTS, encoding="utf-8")
    registry = tmp_path / "reg.csv"
    header = ["id", "name_fa", "kind", "province", "water_deficit_lps", "gas_deficit_km",
              "steam_deficit_tph", "year"]
    rows = [
        ["g1", "شهرک صنعتی گازی یک", "industrial_estate", "isfahan", "10", "12", "4", "1403"],
        ["g2", "شهرک صنعتی گازی دو", "industrial_estate", "isfahan", "", "3.5", "", "1403"],
    ]
    with open(registry, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return costs, registry


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_funding_costs_gas_km_by_the_costs_file(runner, tmp_path, gas_files) -> None:
    costs, registry = gas_files
    out = tmp_path / "needs.csv"
    args = ["funding", "--costs", str(costs), "--registry", str(registry), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    gas = [r for r in _rows(out) if r["utility"] == "gas"]
    estates = {r["estate_id"]: r for r in gas if r["scope"] == "estate"}
    assert Decimal(estates["g1"]["deficit"]) == 12 and estates["g1"]["deficit_unit"] == "km"
    assert Decimal(estates["g1"]["unit_cost"]) == Decimal("1.5")
    assert Decimal(estates["g1"]["need"]) == 18  # 12 km × 1.5 bn toman
    assert Decimal(estates["g2"]["need"]) == Decimal("5.25")
    isfahan = next(r for r in gas if r["scope"] == "province" and r["province"] == "isfahan")
    assert Decimal(isfahan["need"]) == Decimal("23.25") and isfahan["basis"] == "registry"
    nation = next(r for r in gas if r["scope"] == "nation")
    assert Decimal(nation["need"]) == Decimal("23.25")
    assert "Traceback" not in result.output


def test_an_unlisted_utility_column_is_named_in_a_warning(runner, tmp_path, gas_files) -> None:
    costs, registry = gas_files
    out = tmp_path / "needs.csv"
    args = ["funding", "--costs", str(costs), "--registry", str(registry), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"warning: reg\.csv: column 'steam_deficit_tph' .*not costed", result.output)
    assert "steam" not in {r["utility"] for r in _rows(out)}


def test_a_listed_utility_without_a_cost_is_named_in_a_warning(runner, tmp_path, gas_files):
    """The shipped costs have no [gas]: the gas deficits are kept with no cost basis, and a
    warning says so, naming the column and the fix."""
    _, registry = gas_files
    out = tmp_path / "needs.csv"
    result = runner.invoke(app, ["funding", "--registry", str(registry), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: reg.csv: column 'gas_deficit_km'" in result.output
    assert "[gas]" in result.output  # the fix: a [gas] table in a costs file
    gas = [r for r in _rows(out) if r["utility"] == "gas" and r["scope"] == "estate"]
    assert [r["need"] for r in gas] == ["", ""] and Decimal(gas[0]["deficit"]) == 12


def test_the_maps_draw_a_gas_layer(runner, tmp_path, gas_files) -> None:
    costs, registry = gas_files
    args = ["map", "national", "--costs", str(costs), "--registry", str(registry),
            "--out-dir", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "national.html").read_text(encoding="utf-8")
    assert re.search(r'\["گاز",\s*"gas"\]', page), "no gas layer in the layer labels"


def test_the_brief_has_a_gas_row(runner, tmp_path, gas_files) -> None:
    costs, registry = gas_files
    args = ["brief", "isfahan", "--costs", str(costs), "--registry", str(registry),
            "--out-dir", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><td>گاز <span class="en">gas</span></td>(.*?)</tr>', page)
    assert row, "no gas row in the need table"
    assert "۱۵٫۵ کیلومتر" in row.group(1)  # 12 + 3.5 km
    assert "۲۳٫۳" in row.group(1) or "۲۳٫۲" in row.group(1)  # 23.25 bn toman, one decimal


def test_the_template_has_gas_columns(runner, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    headers = [c.value for row in sheet.iter_rows(max_row=5) for c in row if c.value]
    assert "کمبود گاز (کیلومتر)" in headers
    assert "کمبود تصفیه فاضلاب (لیتر بر ثانیه)" in headers


def test_the_template_reads_back_gas(runner, tmp_path) -> None:
    """A filled template's gas column is imported as gas_deficit_km."""
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", str(out)]).exit_code == 0
    book = load_workbook(out)
    sheet = book.worksheets[0]
    header_row = next(
        r for r in range(1, 6)
        if any(c.value == "کمبود گاز (کیلومتر)" for c in sheet[r])
    )
    cols = {c.value: c.column for c in sheet[header_row] if c.value}
    row = header_row + 1
    sheet.cell(row, cols["نام شهرک"], "شهرک صنعتی آزمون")
    sheet.cell(row, cols["استان"], "اصفهان")
    sheet.cell(row, cols["کمبود گاز (کیلومتر)"], 7)
    book.save(out)
    reg = tmp_path / "reg.csv"
    result = runner.invoke(app, ["import", str(out), "--registry", str(reg)])
    assert result.exit_code == 0, result.output
    (got,) = _rows(reg)
    assert got["gas_deficit_km"] == "7"
    report = json.loads((tmp_path / "reg.import.json").read_text(encoding="utf-8"))
    assert report

"""`isipo-geo funding --budget` with a planner's registry: order, totals, files, headings."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from openpyxl import load_workbook

from isipo_geo.cli import app
from isipo_geo.registry.schema import REGISTRY_COLUMNS


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _registry(path, year="1403") -> None:
    rows = [
        dict.fromkeys(REGISTRY_COLUMNS, "")
        | {
            "id": f"isf-{i}",
            "name_fa": name,
            "kind": "industrial_estate",
            "province": "isfahan",
            "water_supplied_lps": supplied,
            "water_demand_lps": demand,
            "year": year,
        }
        for i, (name, supplied, demand) in enumerate(
            [("شهرک صنعتی مورچه خورت", "15", "30"), ("شهرک صنعتی جی", "10", "25")]
        )
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(REGISTRY_COLUMNS))
        w.writeheader()
        w.writerows(rows)


def test_default_rule_funds_the_registry_before_estimates(runner, tmp_path) -> None:
    reg = tmp_path / "isf.csv"
    _registry(reg)
    out = tmp_path / "plan.csv"
    result = runner.invoke(
        app,
        ["funding", "--registry", str(reg), "--budget", "70 bn toman", "--years", "1403-1404",
         "--budget-out", str(out)],
    )
    assert result.exit_code == 0, result.output
    plan = _csv(out)
    # both registry gaps (15 L/s each = 37.5 bn toman) come before the 30 provinces' estimates
    # of the same 2.5 bn toman per L/s
    assert [r["estate_id"] for r in plan[:2]] == ["isf-0", "isf-1"]
    assert [r["status"] for r in plan[:2]] == ["funded", "funded"]
    assert plan[0]["estate_name_fa"] == "شهرک صنعتی مورچه خورت"
    assert plan[0]["status_fa"] == "تأمین کامل"
    assert plan[0]["basis"] == "registry" and plan[0]["year"] == "1403"
    assert {r["basis"] for r in plan[2:]} == {"allocated:equal"}
    years = _csv(tmp_path / "plan.years.csv")
    assert [(r["fiscal_year"], Decimal(r["spent"])) for r in years] == [("1403", 70), ("1404", 70)]
    provinces = {r["province"]: r for r in _csv(tmp_path / "plan.provinces.csv")}
    assert Decimal(provinces["isfahan"]["funded"]) == 75
    assert provinces["isfahan"]["province_fa"] == "اصفهان"
    assert "Rule cheapest" in result.output and "unspent" in result.output


def test_registry_scenario_plan_names_its_provinces_and_unspent_money(runner, tmp_path) -> None:
    reg = tmp_path / "isf.csv"
    _registry(reg)
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["funding", "--registry", str(reg), "--scenario", "registry", "--budget",
         "100 bn toman", "--rule", "proportional", "--budget-out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "Registry provinces: isfahan" in result.output
    assert "Nation" not in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["rule"] == "proportional" and doc["unspent"] == 25
    assert doc["covers"] == "Registry provinces: isfahan"
    assert doc["covers_fa"] == "استان‌های فهرست: اصفهان"
    assert {g["status"] for g in doc["plan"]} == {"funded"}
    assert doc["years"][0]["spent"] == 75


def test_plan_xlsx_has_plan_years_and_provinces_sheets(runner, tmp_path) -> None:
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(
        app, ["funding", "--budget", "1000 bn toman", "--years", "1403-1405",
              "--budget-out", str(out)],
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["plan", "years", "provinces", "about"]
    assert wb["years"].max_row == 4  # header + 3 years
    assert wb["provinces"].max_row == 32  # header + 31 provinces


def test_registry_year_and_registry_only_need_a_registry(runner) -> None:
    result = runner.invoke(app, ["funding", "--registry-only"])
    assert result.exit_code == 2
    assert "--registry-only needs --registry FILE" in result.output


def test_plan_tables_on_the_console_round_money_by_its_unit(runner) -> None:
    # bn toman shows one decimal, as in the maps and the funding tables (the plan printed
    # 64.528408 and 1,000.123456); the files keep the exact values
    result = runner.invoke(
        app,
        ["funding", "--budget", "1000.123456 bn toman", "--rule", "proportional",
         "--years", "1403-1404"],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "64.528408" not in out and "1,000.123456" not in out and "350.531592" not in out
    assert "64.5 " in out and "350.5 " in out and "1,000.1 " in out
    assert "budget 1,000.1 billion toman a year over 1403-1404" in out

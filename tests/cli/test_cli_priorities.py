"""`isipo-geo funding --rule score`: criteria, AHP, optimiser, discount rate, simulation."""

from __future__ import annotations

import csv
import json

import pytest

from isipo_geo.cli import app
from isipo_geo.registry.schema import REGISTRY_COLUMNS

CRITERIA = "criterion,direction,weight\njobs,benefit,3\nneed,cost,1\n"


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _registry(path) -> None:
    cells = [  # (name, supplied, demand, jobs): 2.5 bn toman per L/s
        ("شهرک صنعتی یک", "10", "30", "1000"),  # 20 L/s: 50 bn toman
        ("شهرک صنعتی دو", "20", "24", "200"),  # 4 L/s: 10 bn toman
        ("شهرک صنعتی سه", "0", "2", ""),  # 2 L/s: 5 bn toman; jobs unknown
    ]
    rows = [
        dict.fromkeys(REGISTRY_COLUMNS, "")
        | {
            "id": f"isf-{i}", "name_fa": name, "kind": "industrial_estate",
            "province": "isfahan", "water_supplied_lps": supplied, "water_demand_lps": demand,
            "year": "1403", "jobs": jobs,
        }
        for i, (name, supplied, demand, jobs) in enumerate(cells)
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(REGISTRY_COLUMNS))  # jobs among them
        w.writeheader()
        w.writerows(rows)


def _args(tmp_path, *more):
    reg = tmp_path / "isf.csv"
    _registry(reg)
    return ["funding", "--scenario", "registry", "--registry", str(reg), "--registry-only",
            "--budget", "55 bn toman", "--years", "1403-1404", *more]


def test_score_rule_plan_has_scores_explained_and_says_method_and_weights(runner, tmp_path):
    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    out = tmp_path / "plan.csv"
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--budget-out", str(out)))
    assert result.exit_code == 0, result.output
    plan = _csv(out)
    assert {"rank", "estate_id", "utility", "need", "funded", "score"} <= set(plan[0])
    # isf-0: jobs 1 x .75 + need (50 -> 0) = 0.75, 0.015 a toman; isf-1: jobs 0 + need
    # (50 - 10) / 45 x .25 = 0.2222, 0.0222 a toman; isf-2: jobs unknown: no score, last
    assert [r["estate_id"] for r in plan] == ["isf-1", "isf-0", "isf-2"]
    assert [r["score"] for r in plan] == ["0.2222", "0.75", ""]
    assert "jobs 200 → 0.000 × 0.750" in plan[0]["score_explained"]
    assert "jobs unknown (jobs empty)" in plan[2]["score_explained"]
    assert "weights (criteria file): jobs (benefit) 0.750, need (cost) 0.250" in result.output


def test_optimise_states_optimal_and_greedy_and_present_value(runner, tmp_path):
    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    out = tmp_path / "plan.json"
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--optimise",
                                      "--discount-rate", "25", "--budget-out", str(out)))
    assert result.exit_code == 0, result.output
    assert "Total score / مجموع امتیاز: optimal" in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["optimised"] is True
    assert doc["score_total"] >= doc["score_total_greedy"]
    years = doc["years"]
    # 1403: 55 buys isf-0 (50) whole; isf-1 (10) must wait: 5 + 55 = 60 in 1404
    spent = [float(y["spent"]) for y in years]
    assert spent == [50.0, 10.0]
    assert [float(y["present_value"]) for y in years] == [50.0, 8.0]  # 10 / 1.25
    assert float(doc["present_value"]) == 58.0


def test_ahp_weights_and_an_inconsistent_matrix_refused(runner, tmp_path):
    (tmp_path / "c.csv").write_text("criterion,direction\njobs,benefit\nneed,cost\n",
                                    encoding="utf-8")
    (tmp_path / "ahp.csv").write_text(",jobs,need\njobs,1,3\nneed,1/3,1\n", encoding="utf-8")
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--ahp", str(tmp_path / "ahp.csv")))
    assert result.exit_code == 0, result.output
    assert "weights (AHP, consistency ratio 0.000): jobs (benefit) 0.750" in result.output
    (tmp_path / "c3.csv").write_text(
        "criterion,direction\njobs,benefit\nneed,cost\ndeficit,benefit\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text(
        ",jobs,need,deficit\njobs,1,3,1/3\nneed,1/3,1,3\ndeficit,3,1/3,1\n", encoding="utf-8")
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c3.csv"), "--ahp", str(tmp_path / "bad.csv")))
    assert result.exit_code != 0
    assert "consistency ratio 1.149 > 0.1" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (["--rule", "score"], "--rule score needs --criteria FILE"),
        (["--criteria", "c.csv"], "--criteria FILE needs --rule score"),
        (["--optimise"], "--optimise needs --rule score"),
        (["--seed", "3"], "--seed is the seed of --simulate N"),
        (["--simulate", "100"], "gives no unit_cost_low / unit_cost_high"),
        (
            ["--rule", "score", "--criteria", "bad_criteria.csv"],
            "row 3, column 'criterion': unknown criterion 'workers'",
        ),
    ],
)
def test_bad_priority_options_say_the_fix(runner, tmp_path, more, message):
    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    (tmp_path / "bad_criteria.csv").write_text(
        "criterion,direction,weight\njobs,benefit,1\nworkers,benefit,1\n", encoding="utf-8")
    more = [str(tmp_path / m) if m.endswith(".csv") else m for m in more]
    result = runner.invoke(app, _args(tmp_path, *more))
    assert result.exit_code != 0
    assert message in result.output.replace("\n", " ")
    assert "Traceback" not in result.output


def test_simulate_gives_need_ranges_and_the_plans_cost_range(runner, tmp_path):
    costs = tmp_path / "costs.toml"
    costs.write_text(
        'currency = "toman"\nscale = "billion"\n[water]\ndeficit_unit = "lps"\n'
        'unit_cost = "2.5"\nunit_cost_low = "2"\nunit_cost_high = "3"\nsource = "test range"\n',
        encoding="utf-8",
    )
    out = tmp_path / "needs.csv"
    args = _args(tmp_path, "--costs", str(costs), "--simulate", "4000", "--seed", "5",
                 "--out", str(out))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = _csv(out)
    first = next(r for r in rows if r["estate_id"] == "isf-0")
    assert float(first["need"]) == 50
    assert float(first["need_p10"]) < 50 < float(first["need_p90"])
    assert abs(float(first["need_p50"]) - 50) / 50 < 0.01  # symmetric range: P50 at central
    assert "P10 / P50 / P90" in result.output
    again = runner.invoke(app, args)
    assert again.output == result.output  # same seed, same figures


def test_brief_budget_section_names_the_method_and_weights(runner, tmp_path):
    import html
    import re

    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    args = _args(tmp_path, "--rule", "score", "--criteria", str(tmp_path / "c.csv"),
                 "--optimise", "--discount-rate", "25", "--out-dir", str(tmp_path / "maps"))
    args[0:1] = ["brief", "isfahan"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "maps" / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("برنامه بودجه"):]))
    assert "weighted sum of min-max normalised criteria" in text
    assert "jobs (benefit) 0.750, need (cost) 0.250" in text
    assert "وزن‌ها: اشتغال 0.750، نیاز مالی 0.250" in text
    assert "مجموع امتیاز: بهینه" in text
    assert "ارزش فعلی (نرخ تنزیل" in text
    assert "jobs 1000 → 1.000 × 0.750" in text  # isf-0's score explained
    assert "jobs unknown (jobs empty)" in text  # isf-2: stated, not 0


def test_gaps_without_a_score_are_counted_in_a_warning(runner, tmp_path):
    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv")))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "warning: 1 of 3 gaps have no score" in text
    assert "never taken as 0" in text


def test_limits_bound_the_optimiser(runner, tmp_path):
    (tmp_path / "c.csv").write_text(CRITERIA, encoding="utf-8")
    # Isfahan's money at most 20 a year: isf-0 (50) can never be chosen; isf-1 (10) can
    (tmp_path / "limits.csv").write_text(
        "limit,name,amount\nprovince_ceiling,اصفهان,20\n", encoding="utf-8")
    out = tmp_path / "plan.csv"
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--optimise", "--limits",
                                      str(tmp_path / "limits.csv"), "--budget-out", str(out)))
    assert result.exit_code == 0, result.output
    funded = {r["estate_id"]: r["funded"] for r in _csv(out)}
    assert funded == {"isf-0": "0", "isf-1": "10", "isf-2": "0"}
    assert "the greedy plan ignores --limits" in " ".join(result.output.split())
    bad = tmp_path / "bad_limits.csv"
    bad.write_text("limit,name,amount\nutility_share,water,150\n", encoding="utf-8")
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--optimise", "--limits",
                                      str(bad)))
    assert result.exit_code != 0
    assert "row 2, column 'amount': a share is a % from 0 to 100" in result.output
    result = runner.invoke(app, _args(tmp_path, "--rule", "score", "--criteria",
                                      str(tmp_path / "c.csv"), "--limits", str(bad)))
    assert "--limits FILE bounds the optimiser's choice: give --optimise" in result.output


def test_persian_criteria_headers_reach_the_score_through_a_store_as_through_a_csv(
    runner, tmp_path
):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["نام شهرک", "نوع", "استان", "آب تامین شده (لیتر بر ثانیه)",
               "آب مورد نیاز (لیتر بر ثانیه)", "اشتغال", "درصد واگذاری", "سال"])
    ws.append(["شهرک صنعتی یک", "شهرک صنعتی", "اصفهان", 10, 30, "۱٬۰۰۰", "۸۰٪", 1403])
    ws.append(["شهرک صنعتی دو", "شهرک صنعتی", "اصفهان", 20, 24, "۲۰۰", "۴۰", 1403])
    ws.append(["شهرک صنعتی سه", "شهرک صنعتی", "اصفهان", 0, 2, "", "", 1403])
    wb.save(tmp_path / "isf.xlsx")
    for target in (["--registry", str(tmp_path / "reg.csv")],
                   ["--into", str(tmp_path / "store.gpkg")]):
        result = runner.invoke(app, ["import", str(tmp_path / "isf.xlsx"), *target])
        assert result.exit_code == 0, result.output
    # registry export keeps the columns, as the import's CSV has them
    exported = runner.invoke(app, ["registry", "export", str(tmp_path / "store.gpkg"),
                                   str(tmp_path / "export.csv")])
    assert exported.exit_code == 0, exported.output
    for table in ("export.csv", "reg.csv"):
        assert {r["name_fa"]: (r["jobs"], r["occupancy_pct"]) for r in _csv(tmp_path / table)
                } == {"شهرک صنعتی یک": ("1000", "80"), "شهرک صنعتی دو": ("200", "40"),
                      "شهرک صنعتی سه": ("", "")}
    (tmp_path / "c.csv").write_text(CRITERIA + "occupancy_pct,benefit,1\n", encoding="utf-8")
    plans = []
    for registry in ("reg.csv", "store.gpkg"):
        out = tmp_path / f"plan-{registry}.csv"
        result = runner.invoke(app, [
            "funding", "--scenario", "registry", "--registry", str(tmp_path / registry),
            "--registry-only", "--budget", "55 bn toman", "--years", "1403-1404", "--rule",
            "score", "--criteria", str(tmp_path / "c.csv"), "--budget-out", str(out)])
        assert result.exit_code == 0, result.output
        plans.append([(r["need"], r["score"], r["score_explained"]) for r in _csv(out)])
    assert plans[0] == plans[1]
    # one: jobs 1 x .6 + need (50 -> 0) x .2 + occupancy 1 x .2 = 0.8; two: 0 + (50 - 10)/45
    # x .2 + 0 = 0.1778; three: jobs and occupancy unknown, no score (never 0)
    assert [s for _, s, _ in plans[0]] == ["0.1778", "0.8", ""]
    assert "occupancy_pct 80 → 1.000 × 0.200" in plans[0][1][2]
    assert "occupancy_pct unknown (occupancy_pct empty)" in plans[0][2][2]

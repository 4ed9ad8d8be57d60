"""Budget plans by score: the score rule, the optimiser, present value and ranges."""

from decimal import Decimal as D  # noqa: N817

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance import budget_plan, funding_rows
from isipo_geo.finance.budget import score_rows
from isipo_geo.finance.criteria import Criterion
from isipo_geo.finance.montecarlo import draw_factors
from isipo_geo.finance.registry_figures import registry_rows_by_id


def _gap(estate, need, utility="water", province="fars"):
    return {
        "scope": "estate", "province": province, "province_fa": "فارس", "estate_id": estate,
        "estate_name_fa": estate, "utility": utility, "scenario": "registry", "deficit": D(10),
        "deficit_unit": "lps" if utility == "water" else "mw", "unit_cost": D(1), "need": D(need),
        "currency": "toman", "scale": "billion", "basis": "registry", "year": "1403",
    }


RECORDS = {
    "a": {"jobs": "1000", "water_demand_lps": "20"},
    "b": {"jobs": "200", "water_demand_lps": "100"},
    "c": {"jobs": "", "water_demand_lps": "50"},
}
JOBS_AND_NEED = [Criterion("jobs", "benefit", D(3)), Criterion("need", "cost", D(1))]


def test_score_rule_ranks_by_score_per_toman_and_explains_each_gap():
    rows = [_gap("a", 40), _gap("b", 10), _gap("c", 5)]
    scoring = score_rows(rows, RECORDS, JOBS_AND_NEED)
    plan = budget_plan(rows, budget=D(45), rule="score", scoring=scoring)
    # need normalised over the known needs 5..40 (c's need is known; its jobs are not):
    # a: jobs 1 x .75 + need 0 x .25 = 0.75 -> 0.01875 a toman;
    # b: jobs 0 + need (40 - 10) / 35 x .25 = 0.2143 -> 0.0214 a toman;
    # c: jobs unknown -> no score, after the scored gaps
    assert [g["estate_id"] for g in plan.gaps] == ["b", "a", "c"]
    assert [g["score"] for g in plan.gaps] == [0.2143, 0.75, None]
    assert [g["funded"] for g in plan.gaps] == [D(10), D(35), D(0)]
    assert plan.gaps[0]["score_explained"] == (
        "jobs 200 → 0.000 × 0.750; need 10 → 0.857 × 0.250; score 0.2143"
    )
    assert "jobs unknown (jobs empty)" in plan.gaps[2]["score_explained"]
    assert "no score" in plan.gaps[2]["reason"]
    assert "jobs (benefit) 0.750, need (cost) 0.250" in plan.scoring_text
    assert "weighted sum of min-max normalised criteria" in plan.scoring_text


def test_score_rule_needs_criteria_and_optimise_needs_score():
    rows = [_gap("a", 40)]
    with pytest.raises(InputError, match="--criteria FILE"):
        budget_plan(rows, budget=D(45), rule="score")
    with pytest.raises(InputError, match="--optimise needs --rule score"):
        budget_plan(rows, budget=D(45), rule="cheapest", optimise=True)


def test_optimise_funds_whole_gaps_and_states_greedy_beside():
    # per toman greedy takes x (7 for 6) and then nothing fits in 10; the optimum takes y and z
    # (w, jobs 0, never fits: it sets the bottom of the min-max scale, so x, y, z score 1, 5/7, 5/7)
    rows = [_gap("x", 6), _gap("y", 5), _gap("z", 5), _gap("w", 100)]
    records = {"x": {"jobs": "7"}, "y": {"jobs": "5"}, "z": {"jobs": "5"}, "w": {"jobs": "0"}}
    scoring = score_rows(rows, records, [Criterion("jobs", "benefit", D(1))])
    plan = budget_plan(rows, budget=D(10), years=[1403], rule="score", scoring=scoring,
                       optimise=True)
    funded = {g["estate_id"]: g["funded"] for g in plan.gaps}
    assert funded == {"x": D(0), "y": D(5), "z": D(5), "w": D(0)}
    assert plan.score_total == 1.4286  # 5/7 twice
    assert plan.score_total_greedy == 1.0  # x alone
    assert plan.years[0]["spent"] == D(10)
    assert plan.score_total > plan.score_total_greedy
    assert plan.years[0]["score_greedy"] == plan.score_total_greedy


def test_present_value_of_each_year_and_the_total():
    rows = [_gap("a", 100), _gap("b", 100)]
    plan = budget_plan(rows, budget=D(110), years=[1403, 1404], rule="largest",
                       discount_rate_pct=D(10))
    # 1403 spends 110 (base year: 110); 1404 spends 90 -> 90 / 1.1 = 81.8181...
    assert [y["spent"] for y in plan.years] == [D(110), D(90)]
    assert plan.years[0]["present_value"] == D(110)
    assert plan.years[1]["present_value"] == D("81.818182")  # 90 / 1.1, to a millionth
    assert plan.present_value == plan.years[0]["present_value"] + plan.years[1]["present_value"]


def test_plan_cost_range_from_a_simulation():
    rows = [_gap("a", 100), _gap("b", 50, utility="power")]
    factors = draw_factors({"water": (D(2), D(3), D(4)), "power": (D(1), D(1), D(1))},
                           runs=5000, seed=4)
    plan = budget_plan(rows, budget=D(1000), rule="largest", cost_factors=factors)
    p10, p50, p90 = plan.cost_range
    assert p10 < p50 < p90
    assert float(p50) == pytest.approx(150, rel=0.01)


def test_optimise_on_844_estates_beats_greedy_every_year_within_budget(make_registry):
    path = make_registry(844, criteria=True)
    rows = funding_rows(scenario="registry", registry=str(path), registry_only=True)
    records = registry_rows_by_id(path, registry_only=True)
    criteria = [
        Criterion("jobs", "benefit", D(4)),
        Criterion("units_idle", "benefit", D(2)),
        Criterion("investment_bn_toman", "benefit", D(2)),
        Criterion("gap_share", "benefit", D(1)),
    ]
    scoring = score_rows(rows, records, criteria)
    years = list(range(1403, 1408))
    budget = D(800)
    plan = budget_plan(rows, budget=budget, years=years, rule="score", scoring=scoring,
                       optimise=True)
    again = budget_plan(rows, budget=budget, years=years, rule="score", scoring=scoring,
                         optimise=True)
    assert again.years == plan.years and again.gaps == plan.gaps  # same input, same plan
    scored = [g for g in plan.gaps if g["score"] is not None]
    unscored = [g for g in plan.gaps if g["score"] is None and g["need"]]
    assert len(scored) > 500 and unscored  # some criteria are unknown: stated, not 0
    assert all(g["funded"] in (0, g["need"]) for g in plan.gaps if g["need"])  # whole gaps
    carried = D(0)
    cum, cum_greedy = 0.0, 0.0
    for y in plan.years:
        carried += budget - y["spent"]
        assert carried >= 0 and y["spent"] <= y["available"]
        cum += y["score"]
        cum_greedy += y["score_greedy"]
        assert cum >= cum_greedy - 1e-6
    assert plan.score_total >= plan.score_total_greedy


def test_optimise_states_why_each_gap_was_chosen_or_not_in_both_languages():
    """Each reason of a plan by the optimiser (budget_plan's reason step): chosen whole for a
    year, not chosen, no score."""
    rows = [_gap("x", 6), _gap("y", 5), _gap("z", 5), _gap("w", 100), _gap("u", 3)]
    records = {"x": {"jobs": "7"}, "y": {"jobs": "5"}, "z": {"jobs": "5"}, "w": {"jobs": "0"},
               "u": {"jobs": ""}}
    scoring = score_rows(rows, records, [Criterion("jobs", "benefit", D(1))])
    plan = budget_plan(rows, budget=D(10), years=[1403], rule="score", scoring=scoring,
                       optimise=True)
    reasons = {g["estate_id"]: (g["reason"], g["reason_fa"]) for g in plan.gaps}
    assert reasons == {
        "y": ("chosen whole by the optimiser for 1403", "انتخاب کامل بهینه‌ساز برای 1403"),
        "z": ("chosen whole by the optimiser for 1403", "انتخاب کامل بهینه‌ساز برای 1403"),
        "x": ("not chosen: a higher score fits each year's money",
              "انتخاب نشد: امتیاز بیشتری در اعتبار هر سال می‌گنجد"),
        "w": ("not chosen: a higher score fits each year's money",
              "انتخاب نشد: امتیاز بیشتری در اعتبار هر سال می‌گنجد"),
        "u": ("no score (a criterion value is unknown, not 0): not in the optimisation",
              "بدون امتیاز (مقدار معیاری نامعلوم است، نه صفر): بیرون از بهینه‌سازی"),
    }
    assert [g["estate_id"] for g in plan.gaps] == ["y", "z", "x", "w", "u"]

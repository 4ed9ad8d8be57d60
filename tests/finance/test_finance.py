"""Financing needs (pure functions) on synthetic inputs."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isipo_geo import finance
from isipo_geo.errors import InputError
from isipo_geo.finance import Deficit
from isipo_geo.finance.costs import parse_costs
from isipo_geo.provinces import province_table

D = Decimal
KEYS = list(province_table().index)


@pytest.fixture
def indicators() -> pd.DataFrame:
    rows = [
        ("water_deficit_essential_lps", 2300),
        ("power_deficit_essential_mw", 2372),
        ("water_deficit_whole_cost_bn_toman", 34465),
        ("power_deficit_whole_cost_bn_toman", 25002),
        ("water_unit_cost_bn_toman_per_lps", 2.5),
        ("power_unit_cost_bn_toman_per_mw", 3),
    ]
    frame = pd.DataFrame(
        [
            {"indicator": i, "scope": "nation", "province": "", "value": v, "source": "seed:L1"}
            for i, v in rows
        ]
    )
    plan = pd.DataFrame(
        [
            {
                "indicator": "reactivation_total_plan",
                "scope": "province",
                "province": k,
                "value": n + 1,
                "source": "seed:L2",
            }
            for n, k in enumerate(KEYS)
        ]
    )
    return pd.concat([frame, plan], ignore_index=True)


COSTS = parse_costs(
    {
        "currency": "toman",
        "scale": "billion",
        "base_year": 1400,
        "water": {"deficit_unit": "lps", "unit_cost": "2.5"},
        "power": {
            "deficit_unit": "mw",
            "unit_cost": "3",
            "unit_cost_low": "2.5",
            "unit_cost_high": "3.5",
        },
    }
)


def _rows(indicators, scenario="essential", allocate_by="equal", estates=(), **kw):
    nat = finance.national_deficits(indicators, scenario)
    w = finance.province_weights(allocate_by, provinces=province_table(), indicators=indicators)
    d = finance.combine_deficits(nat, list(estates), weights=w, allocate_by=allocate_by)
    return finance.add_totals(finance.cost_deficits(d, COSTS, scenario=scenario, **kw))


def _nation(rows, utility):
    return next(r for r in rows if r["scope"] == "nation" and r["utility"] == utility)


def test_essential_reproduces_the_report(indicators) -> None:
    rows = _rows(indicators)
    assert _nation(rows, "water")["need"] == D(5750)
    assert _nation(rows, "power")["need"] == D(7116)
    assert _nation(rows, "total")["need"] == D(12866)
    assert _nation(rows, "water")["basis"] == "reported"


def test_whole_scenario_is_derived_from_the_reported_costs(indicators) -> None:
    rows = _rows(indicators, "whole")
    assert _nation(rows, "water")["deficit"] == D(13786)
    assert _nation(rows, "power")["deficit"] == D(8334)
    assert _nation(rows, "water")["need"] == D(34465)
    assert _nation(rows, "power")["need"] == D(25002)
    assert _nation(rows, "water")["basis"] == "derived"


def test_allocated_rows_are_labelled_estimates(indicators) -> None:
    rows = _rows(indicators, allocate_by="area")
    provs = [r for r in rows if r["scope"] == "province" and r["utility"] == "water"]
    assert len(provs) == 31
    assert {r["basis"] for r in provs} == {"allocated:area"}
    assert all("estimate" in r["note"] for r in provs)
    # Kerman is the largest province by area, Qom nearly the smallest
    by = {r["province"]: r["deficit"] for r in provs}
    assert by["kerman"] > by["qom"]


def test_reactivation_plan_weights(indicators) -> None:
    rows = _rows(indicators, allocate_by="reactivation_plan")
    by = {
        r["province"]: r["deficit"]
        for r in rows
        if r["scope"] == "province" and r["utility"] == "power"
    }
    total_w = sum(range(1, 32))
    assert by[KEYS[30]] == pytest.approx(float(D(2372) * 31 / total_w), abs=0.01)


def test_allocate_exact_examples() -> None:
    assert finance.allocate_exact(D(100), {"a": D(1), "b": D(1), "c": D(1)}) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    assert finance.allocate_exact(D(10), {"a": D(0), "b": D(3)}) == {"a": D(0), "b": D(10)}
    with pytest.raises(InputError, match="add up to zero"):
        finance.allocate_exact(D(10), {"a": D(0)})
    with pytest.raises(InputError, match="negative"):
        finance.allocate_exact(D(10), {"a": D(-1), "b": D(2)})


@settings(max_examples=60, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=31).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocations_add_up_exactly(total: Decimal, weights: list[int]) -> None:
    shares = finance.allocate_exact(total, {f"k{i}": D(w) for i, w in enumerate(weights)})
    assert sum(shares.values(), D(0)) == total
    assert all(v >= 0 for v in shares.values())


@settings(max_examples=40, deadline=None)
@given(
    water=st.decimals(min_value=0, max_value=10**6, places=2),
    power=st.decimals(min_value=0, max_value=10**6, places=2),
    cost=st.decimals(min_value=0, max_value=1000, places=4),
    weight_seed=st.lists(st.integers(min_value=0, max_value=1000), min_size=31, max_size=31),
    estates=st.lists(
        st.tuples(st.sampled_from(KEYS), st.decimals(min_value=0, max_value=500, places=2)),
        max_size=8,
    ),
    currency=st.sampled_from(["toman", "rial"]),
    scale=st.sampled_from(["billion", "million"]),
)
def test_provinces_sum_exactly_to_the_nation(
    water, power, cost, weight_seed, estates, currency, scale
) -> None:
    if sum(weight_seed) == 0:
        weight_seed[0] = 1
    nat = [
        Deficit("nation", "", "", "water", water, "lps", "reported", "t"),
        Deficit("nation", "", "", "power", power, "mw", "reported", "t"),
    ]
    est = [
        Deficit("estate", k, f"e{i}", "water", v, "lps", "registry", "t")
        for i, (k, v) in enumerate(estates)
    ]
    weights = {k: D(w) for k, w in zip(KEYS, weight_seed, strict=True)}
    costs = parse_costs(
        {
            "currency": "toman",
            "scale": "billion",
            "water": {"deficit_unit": "lps", "unit_cost": str(cost)},
            "power": {"deficit_unit": "mw", "unit_cost": str(cost)},
        }
    )
    d = finance.combine_deficits(nat, est, weights=weights, allocate_by="weights")
    rows = finance.add_totals(
        finance.cost_deficits(d, costs, scenario="t", currency=currency, scale=scale)
    )
    for utility in ("water", "power", "total"):
        nation = _nation(rows, utility)
        provs = [r for r in rows if r["scope"] == "province" and r["utility"] == utility]
        assert sum((r["need"] for r in provs), D(0)) == nation["need"]
        if utility != "total":
            assert sum((r["deficit"] for r in provs), D(0)) == nation["deficit"]
    # estate rows add up to their province's row
    for key in {k for k, _ in estates}:
        prov = next(
            r
            for r in rows
            if r["scope"] == "province" and r["province"] == key and r["utility"] == "water"
        )
        assert prov["basis"] == "registry"
        assert prov["deficit"] == sum((v for k, v in estates if k == key), D(0))


def test_registry_deficits_win_over_allocation(indicators) -> None:
    est = [
        Deficit("estate", "tehran", "t1", "water", D(100), "lps", "registry", "reg: row 2"),
        Deficit("estate", "tehran", "t2", "water", D(50), "lps", "registry", "reg: row 3"),
    ]
    rows = _rows(indicators, estates=est)
    tehran = next(
        r
        for r in rows
        if r["scope"] == "province" and r["province"] == "tehran" and r["utility"] == "water"
    )
    assert tehran["deficit"] == D(150) and tehran["basis"] == "registry"
    assert tehran["source"].startswith("sum of 2 estate rows of reg;")
    others = [
        r
        for r in rows
        if r["scope"] == "province" and r["utility"] == "water" and r["province"] != "tehran"
    ]
    assert sum((r["deficit"] for r in others), D(0)) == D(2150)
    # the nation row is still the report's figure, partly placed by the registry
    assert _nation(rows, "water")["deficit"] == D(2300)
    assert _nation(rows, "water")["basis"] == "reported"
    assert "150 of it placed by the registry" in _nation(rows, "water")["note"]


def test_registry_larger_than_the_nation_is_noted(indicators) -> None:
    est = [Deficit("estate", "fars", "f1", "water", D(3000), "lps", "registry", "reg")]
    rows = _rows(indicators, estates=est)
    nation = _nation(rows, "water")
    assert nation["deficit"] == D(3000) and nation["basis"] == "registry"
    assert "exceed the national figure" in nation["note"]


def test_utility_without_cost_has_no_cost_basis_not_zero(indicators) -> None:
    est = [Deficit("estate", "yazd", "y1", "gas", D(3), "count", "reported", "reg")]
    rows = _rows(indicators, estates=est)
    gas = _nation(rows, "gas")
    assert gas["need"] is None and gas["unit_cost"] is None
    assert "no cost basis" in gas["note"]
    assert "no cost basis for gas" in _nation(rows, "total")["note"]
    assert _nation(rows, "total")["need"] == D(12866)


def test_currency_and_scale(indicators) -> None:
    rows = _rows(indicators, currency="rial", scale="million")
    assert _nation(rows, "water")["need"] == D(57_500_000)
    assert _nation(rows, "water")["unit_cost"] == D(25_000)


def test_cost_cases_and_escalation(indicators) -> None:
    low = _rows(indicators, case="low")
    assert _nation(low, "power")["need"] == D(2372) * D("2.5")
    assert "no cost basis" in _nation(low, "water")["note"]  # the water table has no low bound
    esc = _rows(indicators, escalation_pct=D(10), escalation_years=2)
    assert _nation(esc, "water")["need"] == D("5750") * D("1.21")


def test_unknown_scenario_and_key(indicators) -> None:
    with pytest.raises(InputError, match="unknown scenario 'best'"):
        finance.national_deficits(indicators, "best")
    with pytest.raises(InputError, match="unknown allocation key 'population'"):
        finance.province_weights("population", provinces=province_table())


def test_negative_registry_deficit_is_rejected() -> None:
    reg = pd.DataFrame({"id": ["a"], "province": ["qom"], "water_deficit_lps": [-5.0]})
    with pytest.raises(InputError, match=r"reg.csv, row 2, column .water_deficit_lps."):
        finance.registry_deficits(reg, source="reg.csv")


# --- budgets -----------------------------------------------------------------------------------


def _gap(province, utility, need, unit_cost):
    return {
        "scope": "province",
        "province": province,
        "province_fa": "",
        "estate_id": "",
        "utility": utility,
        "scenario": "t",
        "deficit": need / unit_cost,
        "deficit_unit": "lps",
        "unit_cost": unit_cost,
        "need": need,
        "currency": "toman",
        "scale": "billion",
        "basis": "reported",
    }


GAPS = [
    _gap("qom", "water", D(100), D("2.5")),
    _gap("fars", "power", D(300), D(3)),
    _gap("yazd", "water", D(50), D("2.5")),
]


def test_cheapest_first() -> None:
    plan = finance.prioritise(GAPS, budget=D(120), rule="cheapest")
    status = {
        (p["province"], p["utility"]): (p["status"], p["funded"], p["gap_left"]) for p in plan
    }
    # equal unit cost and basis: the smaller need first (the same money closes more gaps)
    assert status[("yazd", "water")] == ("funded", D(50), D(0))
    assert status[("qom", "water")] == ("partly funded", D(70), D(30))
    assert status[("fars", "power")] == ("unfunded", D(0), D(300))
    assert "budget exhausted" in plan[-1]["reason"]


def test_largest_first_over_years() -> None:
    plan = finance.prioritise(GAPS, budget=D(150), years=[1403, 1404, 1405], rule="largest")
    assert [p["province"] for p in plan] == ["fars", "qom", "yazd"]
    assert plan[0]["status"] == "funded" and plan[0]["funded_in"] == "1403-1404"
    assert plan[1]["status"] == "funded" and plan[1]["funded_in"] == "1405"
    assert plan[2]["status"] == "funded" and plan[2]["funded_in"] == "1405"


def test_priority_list() -> None:
    plan = finance.prioritise(GAPS, budget=D(300), rule="priority", priority=[("fars", None)])
    assert plan[0]["province"] == "fars" and plan[0]["status"] == "funded"
    assert "not on the list" in plan[1]["reason"]
    with pytest.raises(InputError, match="priority list"):
        finance.prioritise(GAPS, budget=D(1), rule="priority")


def test_parse_years() -> None:
    assert finance.parse_years("۱۴۰۳-۱۴۰۵") == [1403, 1404, 1405]
    with pytest.raises(InputError, match="1403-1407"):
        finance.parse_years("2024-2026")


def test_province_deficits_win_over_allocation(indicators) -> None:
    """A deficit given for a province replaces its share; the rest is allocated."""
    nat = finance.national_deficits(indicators, "essential")
    given = [Deficit("province", "qom", "", "water", D(300), "lps", "reported", "user file")]
    w = finance.province_weights("equal", provinces=province_table())
    rows = finance.combine_deficits(
        nat, [], weights=w, allocate_by="equal", province_deficits=given
    )
    water = [r for r in rows if r.scope == "province" and r.utility == "water"]
    qom = next(r for r in water if r.province == "qom")
    assert (qom.deficit, qom.basis) == (D(300), "reported")
    assert sum((r.deficit for r in water), D(0)) == D(2300)
    assert {r.basis for r in water if r.province != "qom"} == {"allocated:equal"}
    nation = next(r for r in rows if r.scope == "nation" and r.utility == "water")
    assert nation.deficit == D(2300) and nation.basis == "reported"


@pytest.mark.parametrize("scenario", ["essential", "whole"])
def test_equal_shares_are_equal_as_shown(scenario) -> None:
    """Issue 21: equal shares of the report's national figures read the same in every province,
    deficit and need (shown by the unit's rule), and still add up exactly to the nation."""
    from isipo_geo.display import format_number

    rows = finance.funding_rows(scenario=scenario, allocate_by="equal")
    for utility in ("water", "power", "total"):
        province = [r for r in rows if r["scope"] == "province" and r["utility"] == utility]
        nation = next(r for r in rows if r["scope"] == "nation" and r["utility"] == utility)
        assert len(province) == 31
        shown = {format_number(r["need"], digits="latin", unit="toman_billion") for r in province}
        assert len(shown) == 1, (utility, shown)
        assert sum(r["need"] for r in province) == nation["need"]
        if utility != "total":
            deficits = {format_number(r["deficit"], digits="latin", unit=r["deficit_unit"])
                        for r in province}
            assert len(deficits) == 1, (utility, deficits)
    essential = {r["utility"]: r["need"] for r in rows if r["province"] == "sistan_baluchestan"}
    if scenario == "essential":  # 2,372 / 31 = 76.516129 MW (in steps of 10⁻⁶) × 3
        assert essential["power"] in {Decimal("229.548387"), Decimal("229.54839")}


def test_combine_deficits_shares_the_rest_and_says_what_it_cannot_place() -> None:
    """combine_deficits' steps: a province's estates summed, the rest of the national figure
    shared among the other provinces by weight, the nation row the report's figure; with no
    other province to share it, the nation row is the provinces' sum and says what is left."""
    nation = Deficit("nation", "", "", "water", D(100), "lps", "reported", "report line 7",
                     year="1400")
    est = [Deficit("estate", "fars", "f1", "water", D(10), "lps", "registry", "reg.csv: row 2",
                   year="1403"),
           Deficit("estate", "fars", "f2", "water", D(20), "lps", "registry", "reg.csv: row 3",
                   year="1403")]
    weights = {"fars": D(1), "qom": D(1), "yazd": D(3)}
    rows = finance.combine_deficits([nation], est, weights=weights, allocate_by="area")
    assert [(d.scope, d.province, d.deficit, d.basis, d.source, d.note, d.year)
            for d in rows[2:]] == [
        ("province", "fars", D(30), "registry", "sum of 2 estate rows of reg.csv", "", "1403"),
        ("province", "qom", D("17.5"), "allocated:area", "report line 7",
         "estimate: share of the national figure less 30 known from the registry, by area",
         "1400"),
        ("province", "yazd", D("52.5"), "allocated:area", "report line 7",
         "estimate: share of the national figure less 30 known from the registry, by area",
         "1400"),
        ("nation", "", D(100), "reported", "report line 7",
         "the report's figure; 30 of it placed by the registry", "1400"),
    ]
    alone = finance.combine_deficits([nation], est, weights={"fars": D(1)}, allocate_by="area")
    assert [(d.scope, d.deficit, d.basis, d.source, d.note, d.year) for d in alone[2:]] == [
        ("province", D(30), "registry", "sum of 2 estate rows of reg.csv", "", "1403"),
        ("nation", D(30), "registry", "sum of province rows",
         "70 of the national figure is not placed in any province", "1403"),
    ]

"""Budget plans a planner can use: tie rules, proportional shares, totals, Persian words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo import finance
from isipo_geo.errors import InputError


def _gap(province, need, *, basis="allocated:equal", unit_cost="2.5", estate_id="", name=""):
    need = Decimal(need)
    return {
        "scope": "estate" if estate_id else "province",
        "province": province,
        "province_fa": {"isfahan": "اصفهان", "alborz": "البرز"}.get(province, ""),
        "estate_id": estate_id,
        "estate_name_fa": name,
        "utility": "water",
        "scenario": "essential",
        "deficit": need / Decimal(unit_cost),
        "deficit_unit": "lps",
        "unit_cost": Decimal(unit_cost),
        "need": need,
        "currency": "toman",
        "scale": "billion",
        "basis": basis,
        "year": "1400" if basis.startswith("allocated") else "1403",
    }


# An Isfahan registry's measured gap among provinces' allocated estimates of equal unit cost:
# the estimates are larger, and 'alborz' sorts before 'isfahan' in English.
GAPS = [
    _gap("alborz", 185),
    _gap("ardabil", 185),
    _gap("isfahan", "37.5", basis="registry", estate_id="isf-1", name="شهرک صنعتی مورچه خورت"),
]


def test_cheapest_funds_the_registrys_gaps_before_estimates_of_equal_unit_cost() -> None:
    plan = finance.budget_plan(GAPS, budget=Decimal(100))
    first = plan.gaps[0]
    assert (first["estate_id"], first["status"], first["funded"]) == (
        "isf-1", "funded", Decimal("37.5")
    )
    assert first["estate_name_fa"] == "شهرک صنعتی مورچه خورت"
    assert first["status_fa"] == "تأمین کامل"
    # then the estimates in the table's order (the official order), never by the English key
    assert [g["province"] for g in plan.gaps[1:]] == ["alborz", "ardabil"]
    assert plan.gaps[1]["status_fa"] == "تأمین بخشی"
    assert plan.gaps[2]["status_fa"] == "تأمین‌نشده"
    assert "registry's measured gaps before" in plan.rule_text


def test_largest_breaks_ties_by_basis_not_by_name() -> None:
    gaps = [_gap("alborz", 50), _gap("isfahan", 50, basis="registry", estate_id="e")]
    plan = finance.budget_plan(gaps, budget=Decimal(50), rule="largest")
    assert [g["province"] for g in plan.gaps] == ["isfahan", "alborz"]


def test_proportional_gives_every_gap_the_same_fraction() -> None:
    gaps = [_gap("alborz", 100), _gap("ardabil", 300)]
    plan = finance.budget_plan(gaps, budget=Decimal(100), years=[1403, 1404], rule="proportional")
    funded = {g["province"]: g["funded"] for g in plan.gaps}
    # 100 a year for 400 of need: 25% then 25% of the need again
    assert funded == {"alborz": Decimal(50), "ardabil": Decimal(150)}
    assert all(g["status"] == "partly funded" for g in plan.gaps)
    assert plan.gaps[0]["reason"].startswith("50% of its need")
    assert [y["spent"] for y in plan.years] == [Decimal(100), Decimal(100)]
    assert plan.unspent == 0


def test_proportional_closes_everything_and_states_the_rest() -> None:
    gaps = [_gap("alborz", 10), _gap("ardabil", 30)]
    plan = finance.budget_plan(gaps, budget=Decimal(100), rule="proportional")
    assert {g["status"] for g in plan.gaps} == {"funded"}
    assert plan.unspent == Decimal(60)


def test_plan_totals_per_year_and_province_and_unspent() -> None:
    gaps = [*GAPS, _gap("isfahan", 20, basis="registry", estate_id="isf-2")]
    plan = finance.budget_plan(gaps, budget=Decimal(200), years=[1403, 1404, 1405])
    years = [(y["fiscal_year"], y["carried_in"], y["available"], y["spent"], y["carried_out"])
             for y in plan.years]
    assert years == [
        ("1403", 0, 200, 200, 0),
        ("1404", 0, 200, 200, 0),
        ("1405", 0, 200, Decimal("27.5"), Decimal("172.5")),
    ]
    assert plan.unspent == Decimal("172.5")
    provinces = {p["province"]: p for p in plan.provinces}
    assert provinces["isfahan"]["need"] == Decimal("57.5")
    assert provinces["isfahan"]["gaps"] == 2 and provinces["isfahan"]["gaps_funded"] == 2
    assert provinces["isfahan"]["province_fa"] == "اصفهان"
    assert sum(p["funded"] for p in plan.provinces) == Decimal("427.5")
    assert sum(y["spent"] for y in plan.years) == Decimal("427.5")


def test_unknown_rule() -> None:
    with pytest.raises(InputError, match="proportional"):
        finance.budget_plan(GAPS, budget=Decimal(1), rule="fairest")


def test_a_closed_gap_is_not_funded_nor_ranked() -> None:
    gaps = [_gap("isfahan", 0, basis="registry", estate_id="e0"), _gap("alborz", 10)]
    plan = finance.budget_plan(gaps, budget=Decimal(5))
    closed = next(g for g in plan.gaps if g["estate_id"] == "e0")
    assert (closed["rank"], closed["status"], closed["status_fa"]) == (None, "no gap", "بدون کمبود")
    assert [p["province"] for p in plan.provinces] == ["alborz"]


def test_province_totals_follow_the_tables_order_not_the_funding_order() -> None:
    plan = finance.budget_plan(GAPS, budget=Decimal(100))
    assert [p["province"] for p in plan.provinces] == ["alborz", "ardabil", "isfahan"]


def test_needs_that_read_alike_are_ordered_by_the_table_not_by_their_remainders() -> None:
    """Issue 21: cheapest compares needs as shown (0.1 bn toman): 185.45 and 185.48 both read
    185.5, so the table's order decides (alborz before ardabil here); 185.4 reads smaller."""
    gaps = [_gap("alborz", "185.48"), _gap("ardabil", "185.45"), _gap("isfahan", "185.4")]
    plan = finance.budget_plan(gaps, budget=Decimal(100))
    assert [g["province"] for g in plan.gaps] == ["isfahan", "alborz", "ardabil"]
    plan = finance.budget_plan(gaps[:2], budget=Decimal(100), rule="largest")
    assert [g["province"] for g in plan.gaps] == ["alborz", "ardabil"]


def test_the_default_plan_funds_equal_shares_in_the_official_order() -> None:
    """The default plan (equal shares, cheapest) funds water in the provinces' official order
    (Markazi first), not Sistan-Baluchestan first for a remainder 0.03 bn toman smaller."""
    from isipo_geo.provinces import load_provinces

    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    plan = finance.budget_plan(rows, budget=Decimal(1000))
    official = [str(k) for k in load_provinces().index]
    assert [g["province"] for g in plan.gaps[:31]] == official
    assert {g["utility"] for g in plan.gaps[:31]} == {"water"}
    assert plan.gaps[0]["province"] == "markazi"


def test_each_rule_states_its_reason_in_both_languages() -> None:
    """The reason step of budget_plan: a share (proportional), a rank, the budget running out
    by the last year, a closed gap and an uncosted one after the plan's rows."""
    gaps = [_gap("alborz", 100), _gap("ardabil", 300)]
    shared = finance.budget_plan(gaps, budget=Decimal(100), rule="proportional")
    assert [(g["reason"], g["reason_fa"]) for g in shared.gaps] == [
        ("25% of its need, as every open gap; budget exhausted",
         "25% از نیاز آن، مانند هر کمبود باز؛ اعتبار تمام شد"),
    ] * 2
    uncosted = _gap("isfahan", 0) | {"need": None}
    plan = finance.budget_plan(
        [*gaps, _gap("qom", 0), uncosted], budget=Decimal(150), years=[1403, 1404]
    )
    assert [(g["province"], g["reason"], g["reason_fa"]) for g in plan.gaps] == [
        ("alborz", "rank 1 by cheapest", "رتبه 1 به قاعده ارزان‌ترین"),
        ("ardabil", "rank 2 by cheapest; budget exhausted by 1404",
         "رتبه 2 به قاعده ارزان‌ترین؛ اعتبار تا 1404 تمام شد"),
        ("qom", "nothing to fund", "کمبودی برای تأمین نیست"),
        ("isfahan", "no cost basis for this utility", "این تأسیسات مبنای هزینه ندارد"),
    ]

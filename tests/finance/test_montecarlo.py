"""Ranges of need: a seeded Monte Carlo over low / central / high unit costs; present value."""

from decimal import Decimal

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.money import present_value
from isipo_geo.finance.montecarlo import draw_factors, need_ranges, total_range


def test_same_seed_same_draws_other_seed_other_draws():
    ranges = {"water": (Decimal(2), Decimal(3), Decimal(5))}
    a = draw_factors(ranges, runs=1000, seed=7)
    assert a == draw_factors(ranges, runs=1000, seed=7)
    assert a != draw_factors(ranges, runs=1000, seed=8)


def test_p50_of_a_symmetric_range_is_within_one_percent_of_central():
    ranges = {"power": (Decimal(2), Decimal(3), Decimal(4))}
    factors = draw_factors(ranges, runs=20000, seed=1)
    row = {"utility": "power", "need": Decimal(300)}
    [out] = need_ranges([row], factors)
    assert abs(out["need_p50"] - 300) / 300 < Decimal("0.01")
    # triangular(2, 3, 4): P10 = 2 + sqrt(0.1 * 2) = 2.447; P90 = 4 - sqrt(0.1 * 2) = 3.553
    assert float(out["need_p10"]) == pytest.approx(100 * 2.4472, rel=0.01)
    assert float(out["need_p90"]) == pytest.approx(100 * 3.5528, rel=0.01)


def test_a_utility_without_a_range_has_no_range():
    factors = draw_factors({"water": (Decimal(1), Decimal(2), Decimal(3))}, runs=10, seed=1)
    [out] = need_ranges([{"utility": "gas", "need": Decimal(5)}], factors)
    assert out["need_p10"] is None and out["need_p90"] is None
    assert total_range({"gas": Decimal(5)}, factors) is None


def test_plan_total_range_adds_utilities_run_by_run():
    ranges = {"water": (Decimal(3), Decimal(3), Decimal(3)), "power": (Decimal(1), Decimal(2),
                                                                        Decimal(3))}
    factors = draw_factors(ranges, runs=20000, seed=3)
    p10, p50, p90 = total_range({"water": Decimal(100), "power": Decimal(50)}, factors)
    assert p10 < p50 < p90
    assert float(p50) == pytest.approx(150, rel=0.01)  # symmetric: the centre


def test_bad_ranges_and_runs():
    with pytest.raises(InputError, match="low ≤ central ≤ high"):
        draw_factors({"water": (Decimal(4), Decimal(3), Decimal(5))}, runs=10, seed=1)
    with pytest.raises(InputError, match="1 to"):
        draw_factors({"water": (Decimal(1), Decimal(3), Decimal(5))}, runs=0, seed=1)


def test_present_value_by_hand():
    # 1331 bn toman spent three years after the base year at 10 %: 1331 / 1.1^3 = 1000
    assert present_value(Decimal(1331), rate_pct=Decimal(10), years=3) == Decimal(1000)
    assert present_value(Decimal(500), rate_pct=Decimal(25), years=1) == Decimal(400)
    assert present_value(Decimal(500), rate_pct=Decimal(25), years=0) == Decimal(500)
    with pytest.raises(InputError, match="discount rate"):
        present_value(Decimal(1), rate_pct=Decimal(-100), years=1)

"""Whole-gap portfolios: greedy by score per toman against the integer programme."""

import random
from decimal import Decimal as D  # noqa: N817

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.portfolio import Limits, greedy_portfolio, optimal_portfolio


def test_greedy_is_worse_than_the_optimum():
    # budget 10: greedy takes the best score per toman (7 for 6) and then nothing fits;
    # the optimum takes the two 5s for a score of 10
    needs, scores = [D(6), D(5), D(5)], [7.0, 5.0, 5.0]
    greedy = greedy_portfolio(needs, scores, budget=D(10), years=1)
    best = optimal_portfolio(needs, scores, budget=D(10), years=1)
    assert greedy.year_of == [0, None, None]
    assert greedy.total_score == 7.0
    assert best.year_of == [None, 0, 0]
    assert best.total_score == 10.0
    assert best.spent == [D(10)]


def test_money_left_is_carried_and_a_gap_is_funded_whole_once():
    needs, scores = [D(6), D(5), D(5)], [7.0, 5.0, 5.0]
    best = optimal_portfolio(needs, scores, budget=D(10), years=2)
    assert best.year_of == [1, 0, 0]  # year 2 has 10 fresh: the 6 fits
    assert best.spent == [D(10), D(6)]
    assert best.score == [10.0, 7.0]


def test_a_gap_bigger_than_a_year_waits_for_the_carried_money():
    best = optimal_portfolio([D(15)], [1.0], budget=D(10), years=1)
    assert best.year_of == [None]  # never funded in part
    best = greedy_portfolio([D(15)], [1.0], budget=D(10), years=2)
    assert best.year_of == [1]
    best = optimal_portfolio([D(15)], [1.0], budget=D(10), years=2)
    assert best.year_of == [1]
    assert best.spent == [D(0), D(15)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimal_never_below_greedy_and_never_over_budget(seed):
    r = random.Random(seed)
    needs = [D(r.randint(1, 400)) / 4 for _ in range(300)]
    scores = [r.random() for _ in needs]
    budget = D(sum(needs)) / 8
    greedy = greedy_portfolio(needs, scores, budget=budget, years=5)
    best = optimal_portfolio(needs, scores, budget=budget, years=5)
    carried_g = carried_b = D(0)
    cum_g = cum_b = 0.0
    for t in range(5):
        carried_g += budget - greedy.spent[t]
        carried_b += budget - best.spent[t]
        assert carried_g >= 0 and carried_b >= 0  # no year spends money it does not have
        cum_g += greedy.score[t]
        cum_b += best.score[t]
        assert cum_b >= cum_g - 1e-9
    assert len([y for y in best.year_of if y is not None]) == len(
        {g for g, y in enumerate(best.year_of) if y is not None}
    )


def test_province_ceiling_and_floor():
    needs, scores = [D(5), D(5), D(5)], [3.0, 2.0, 1.0]
    provinces, utilities = ["fars", "fars", "yazd"], ["water", "water", "power"]
    free = optimal_portfolio(needs, scores, budget=D(10), years=1)
    assert free.year_of == [0, 0, None]
    capped = optimal_portfolio(
        needs, scores, budget=D(10), years=1, provinces=provinces, utilities=utilities,
        limits=Limits(province_ceiling={"fars": D(5)}),
    )
    assert capped.year_of == [0, None, 0]
    floored = optimal_portfolio(
        needs, scores, budget=D(10), years=1, provinces=provinces, utilities=utilities,
        limits=Limits(province_floor={"yazd": D(5)}),
    )
    assert floored.year_of == [0, None, 0]
    shared = optimal_portfolio(
        needs, scores, budget=D(10), years=1, provinces=provinces, utilities=utilities,
        limits=Limits(utility_share={"water": D("0.5")}),
    )
    assert shared.year_of == [0, None, 0]


def test_limits_that_cannot_be_met_are_refused():
    with pytest.raises(InputError, match="cannot all be met"):
        optimal_portfolio(
            [D(5), D(5)], [1.0, 1.0], budget=D(10), years=1, provinces=["fars", "yazd"],
            utilities=["water", "water"],
            limits=Limits(province_floor={"fars": D(5)}, province_ceiling={"fars": D(4)}),
        )


def test_bad_portfolio_inputs():
    with pytest.raises(InputError, match="score"):
        greedy_portfolio([D(1)], [float("nan")], budget=D(1), years=1)
    with pytest.raises(InputError, match="need > 0"):
        optimal_portfolio([D(0)], [1.0], budget=D(1), years=1)


@pytest.mark.parametrize("seed", range(6))
def test_one_year_matches_brute_force(seed):
    # every subset of 12 gaps tried: the optimiser's year is the best (within MIP_REL_GAP)
    from itertools import combinations

    from isipo_geo.finance.portfolio import MIP_REL_GAP

    r = random.Random(seed)
    needs = [D(r.randint(1, 60)) for _ in range(12)]
    scores = [round(r.random(), 4) for _ in needs]
    budget = D(sum(needs)) / 3
    best = 0.0
    for k in range(len(needs) + 1):
        for pick in combinations(range(len(needs)), k):
            if sum(needs[i] for i in pick) <= budget:
                best = max(best, sum(scores[i] for i in pick))
    ours = optimal_portfolio(needs, scores, budget=budget, years=1)
    assert ours.spent[0] <= budget
    assert ours.total_score >= best * (1 - MIP_REL_GAP) - 1e-9

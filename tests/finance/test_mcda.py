"""Scoring on criteria: known answers for AHP, TOPSIS and the weighted sum."""

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.mcda import (
    ahp_weights,
    check_consistency,
    normalise_minmax,
    topsis,
    weighted_sum,
)


def test_ahp_weights_of_a_consistent_matrix():
    # a consistent matrix: A = 2 B = 4 C, so the weights are 4/7, 2/7, 1/7 and CR = 0
    a = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert [round(w, 3) for w in a.weights] == [0.571, 0.286, 0.143]
    assert a.lambda_max == pytest.approx(3.0)
    assert a.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    check_consistency(a)  # accepted


def test_ahp_consistency_ratio_of_a_cyclic_matrix():
    # A 3x B, B 3x C, C 3x A: by hand, the eigenvector is (1, 1, 1) with lambda = 1 + 3 + 1/3
    # = 13/3; CI = (13/3 - 3) / 2 = 2/3; CR = CI / 0.58 (Saaty's RI for n = 3) = 1.149
    a = ahp_weights([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]])
    assert [round(w, 3) for w in a.weights] == [0.333, 0.333, 0.333]
    assert a.lambda_max == pytest.approx(13 / 3)
    assert a.consistency_ratio == pytest.approx((2 / 3) / 0.58)
    assert round(a.consistency_ratio, 3) == 1.149
    with pytest.raises(InputError, match=r"consistency ratio 1\.149 > 0\.1"):
        check_consistency(a)


def test_ahp_saaty_four_criteria_example():
    # Saaty's 4x4 example is close to consistent: CR under 0.1 (accepted) but not 0
    a = ahp_weights(
        [[1, 3, 5, 9], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 9, 1 / 5, 1 / 3, 1]]
    )
    assert sum(a.weights) == pytest.approx(1)
    assert a.weights == sorted(a.weights, reverse=True)
    assert 0 < a.consistency_ratio < 0.1


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [2, 1]], "one must be 1 over the other"),
        ([[1, 2], [0.5]], "square"),
        ([[2, 2], [0.5, 1]], "compared with itself is 1"),
        ([[1, -2], [-0.5, 1]], "> 0"),
    ],
)
def test_ahp_refuses_a_matrix_that_is_not_reciprocal(matrix, message):
    with pytest.raises(InputError, match=message):
        ahp_weights(matrix)


def test_topsis_textbook_example():
    # Yoon & Hwang's method as taught by Sennaroglu (Decision Analysis, 2009): two benefit
    # criteria P and L, weights 0.714 / 0.286; weighted normalised matrix
    # 0.5703 0.2124 / 0.3355 0.1593 / 0.2684 0.1062; closeness 1, 0.262, 0
    s = topsis([[17, 12], [10, 9], [8, 6]], ["benefit", "benefit"], [0.714, 0.286])
    weighted = [[round(v * w, 4) for v, w in zip(row, s.weights, strict=True)]
                for row in s.normalised]
    assert weighted == [[0.5703, 0.2124], [0.3355, 0.1593], [0.2684, 0.1062]]
    assert [round(c, 3) for c in s.scores] == [1.0, 0.262, 0.0]


def test_topsis_cost_criterion_reverses_the_order():
    s = topsis([[17], [10], [8]], ["cost"], [1])
    assert s.scores == [0.0, pytest.approx(7 / 9), 1.0]


def test_a_missing_value_gives_no_score_and_is_not_zero():
    s = weighted_sum([[100, 1.0], [None, 2.0], [50, 3.0]], ["benefit", "cost"], [1, 1])
    assert s.scores[1] is None
    # the missing jobs do not count as 0: 50 stays the lowest known, normalised to 0
    assert s.normalised[2][0] == 0.0
    assert s.scores == [1.0, None, 0.0]
    t = topsis([[100, 1.0], [None, 2.0], [50, 3.0]], ["benefit", "cost"], [1, 1])
    assert t.scores[1] is None
    assert t.scores[0] == pytest.approx(1.0)


def test_minmax_normalisation_by_hand():
    assert normalise_minmax([2, 4, 6], "benefit") == [0.0, 0.5, 1.0]
    assert normalise_minmax([2, 4, 6], "cost") == [1.0, 0.5, 0.0]
    assert normalise_minmax([5, 5], "benefit") == [1.0, 1.0]  # tells nothing apart


def test_weighted_sum_by_hand():
    # jobs 100 / 60 / 20 (benefit), need 10 / 30 / 20 (cost), weights 3 : 1
    s = weighted_sum([[100, 10], [60, 30], [20, 20]], ["benefit", "cost"], [3, 1])
    assert s.weights == [0.75, 0.25]
    assert s.scores == [pytest.approx(1.0), pytest.approx(0.375), pytest.approx(0.125)]


def test_weights_must_not_all_be_zero():
    with pytest.raises(InputError, match="add up to 0"):
        weighted_sum([[1]], ["benefit"], [0])
    with pytest.raises(InputError, match="benefit or cost"):
        weighted_sum([[1]], ["more"], [1])

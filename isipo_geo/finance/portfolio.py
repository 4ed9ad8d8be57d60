"""Whole-gap portfolios over fiscal years: greedy by score per toman, and the integer programme.

A gap is funded whole in one year or not at all. Each year has the same budget; money not spent
is carried into the next year.

- :func:`greedy_portfolio` — each year, the open gaps in order of score per toman (then the
  order given), each funded when it fits whole in the money left;
- :func:`optimal_portfolio` — an integer programme each year (HiGHS, through ``highspy``):
  among the gaps still open, choose ``x[g] ∈ {0, 1}`` to maximise the year's score Σ score·x
  with Σ need·x within the year's money (its budget plus what earlier years left), to within
  :data:`MIP_REL_GAP`. The solver starts from greedy's pick from the same state, so a year's
  choice never scores less than greedy's would; when that pick is already within the gap of
  the relaxation's bound (Dantzig's), it is the year's choice and the solver is not run.
  ``limits`` add, each year, per-province floors and ceilings (money) and per-utility caps (a
  share of the year's money).

Money is exact (:class:`decimal.Decimal`); the solver works in floats, so its choice is checked
in decimals afterwards (a year over budget is an error, never written).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from isipo_geo.errors import InputError
from isipo_geo.messages import message, numeral


@dataclass(frozen=True)
class Limits:
    """Optional limits on a portfolio's money in each year.

    ``province_floor`` / ``province_ceiling``: money at least / at most per province a year;
    ``utility_share``: a utility's money at most this fraction (0..1) of the year's money.
    """

    province_floor: Mapping[str, Decimal] = field(default_factory=dict)
    province_ceiling: Mapping[str, Decimal] = field(default_factory=dict)
    utility_share: Mapping[str, Decimal] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.province_floor or self.province_ceiling or self.utility_share)


@dataclass(frozen=True)
class Portfolio:
    """Which year (0-based) funds each gap (``None``: not funded), and per-year totals."""

    year_of: list[int | None]
    spent: list[Decimal]
    score: list[float]
    method: str  # "greedy" or "optimal"
    status: str = ""  # the solver's status (optimal: "Optimal")

    @property
    def total_score(self) -> float:
        return math.fsum(self.score)


def _totals(
    year_of: Sequence[int | None], needs: Sequence[Decimal], scores: Sequence[float], years: int
) -> tuple[list[Decimal], list[float]]:
    spent = [Decimal(0)] * years
    score: list[list[float]] = [[] for _ in range(years)]
    for g, t in enumerate(year_of):
        if t is not None:
            spent[t] += needs[g]
            score[t].append(scores[g])
    return spent, [math.fsum(s) for s in score]


def greedy_portfolio(
    needs: Sequence[Decimal], scores: Sequence[float], *, budget: Decimal, years: int
) -> Portfolio:
    """Fund whole gaps by score per toman (higher first; ties in the order given), each year
    those that fit in the money left (budget plus what the years before left).

    Examples
    --------
    >>> from decimal import Decimal as D
    >>> p = greedy_portfolio([D(6), D(5), D(5)], [7.0, 5.0, 5.0], budget=D(10), years=1)
    >>> p.year_of, p.total_score
    ([0, None, None], 7.0)
    """
    _check(needs, scores, budget, years)
    order = sorted(range(len(needs)), key=lambda g: (-(scores[g] / float(needs[g])), g))
    year_of: list[int | None] = [None] * len(needs)
    money = Decimal(0)
    for t in range(years):
        money += budget
        for g in order:
            if year_of[g] is None and needs[g] <= money:
                year_of[g] = t
                money -= needs[g]
    spent, score = _totals(year_of, needs, scores, years)
    return Portfolio(year_of, spent, score, "greedy")


def optimal_portfolio(
    needs: Sequence[Decimal],
    scores: Sequence[float],
    *,
    budget: Decimal,
    years: int,
    provinces: Sequence[str] = (),
    utilities: Sequence[str] = (),
    limits: Limits | None = None,
) -> Portfolio:
    """The whole-gap portfolio of the highest score each year (see the module's docstring).

    ``provinces`` and ``utilities`` (one per gap) are needed only with ``limits``.

    Examples
    --------
    >>> from decimal import Decimal as D
    >>> p = optimal_portfolio([D(6), D(5), D(5)], [7.0, 5.0, 5.0], budget=D(10), years=1)
    >>> p.year_of, p.total_score
    ([None, 0, 0], 10.0)
    """
    import numpy as np

    _check(needs, scores, budget, years)
    limits = limits or Limits()
    n = len(needs)
    if limits and (len(provinces) != n or len(utilities) != n):
        raise InputError(message("limits_need_gap_keys"))
    need_f = np.array([float(x) for x in needs])
    score_f = np.array(scores, dtype=float)
    year_of: list[int | None] = [None] * n
    open_gap = np.ones(n, dtype=bool)
    money = Decimal(0)
    status = "Optimal"
    for t in range(years):
        money += budget
        near = np.flatnonzero(open_gap & (need_f <= float(money) * (1 + 1e-9)))
        fits = np.array([g for g in near if needs[g] <= money], dtype=int)  # exactly
        start = None
        if not limits:  # greedy's pick from the same state: the solver starts from it
            start = _greedy_pick(fits, needs, score_f, money)
        if start is None:
            chosen, status = _knapsack(
                fits, need_f, score_f, money, None, limits, provinces, utilities, year=t + 1
            )
        else:
            chosen, status = _solve_from_greedy(
                fits, needs, need_f, score_f, money, start, t + 1
            )
        spent = sum((needs[g] for g in chosen), Decimal(0))
        if spent > money:  # exact check of what the floats chose
            raise InputError(message("optimiser_over_budget", value=t + 1))
        for g in chosen:
            year_of[g] = t
            open_gap[g] = False
        money -= spent
    spent_t, score_t = _totals(year_of, needs, scores, years)
    return Portfolio(year_of, spent_t, score_t, "optimal", status)


MIP_REL_GAP = 1e-4  # each year's choice is within 0.01 % of that year's best score


def _greedy_pick(fits, needs, score_f, money: Decimal) -> list[int]:
    order = sorted(fits, key=lambda g: (-(score_f[g] / float(needs[g])), g))
    pick = []
    for g in order:
        if needs[g] <= money:
            pick.append(int(g))
            money -= needs[g]
    return pick


def _lp_bound(fits, need_f, score_f, money: float) -> tuple[float, float]:
    """Dantzig's bound: the best score of the year's knapsack when gaps may be taken in part
    (by score per toman, the last one fractionally), and that last gap's score per toman
    (λ; 0 when every gap fits). No whole-gap choice scores more than the bound."""
    import numpy as np

    if len(fits) == 0:
        return 0.0, 0.0
    ratio = score_f[fits] / need_f[fits]
    order = fits[np.argsort(-ratio, kind="stable")]
    total, left = 0.0, money
    for g in order:
        if need_f[g] <= left:
            total += score_f[g]
            left -= need_f[g]
        else:
            return total + score_f[g] * left / need_f[g], float(score_f[g] / need_f[g])
    return total, 0.0


def _solve_from_greedy(fits, needs, need_f, score_f, money: Decimal, start: list[int], year: int):
    """One year's choice without limits, from greedy's pick (score ``low``) and the
    relaxation's bound ``high`` with its ratio λ: when ``low`` is within the gap of ``high``
    greedy's pick is the choice (proven); else every gap whose reduced score
    ``d = score − λ·need`` is so large that leaving it out (or, for ``d < 0``, taking it) caps
    the score below ``low`` (``high − |d| < low``) is fixed as the relaxation has it — a choice
    better than greedy's must agree — and the integer programme solves the rest."""
    import numpy as np

    low = math.fsum(score_f[start])
    high, ratio = _lp_bound(fits, need_f, score_f, float(money))
    if low >= (1 - MIP_REL_GAP) * high:
        return sorted(start), "Optimal"
    reduced = score_f[fits] - ratio * need_f[fits]
    margin = 1e-9 * max(1.0, abs(low))
    fixed = high - np.abs(reduced) < low - margin
    taken = fits[fixed & (reduced > 0)]
    core = fits[~fixed]
    left = money - sum((needs[g] for g in taken), Decimal(0))
    taken_set = {int(g) for g in taken}
    core_set = {int(g) for g in core}
    core_start = [g for g in start if g in core_set]
    if not core_start and len(core) == 0:
        return sorted(taken_set), "Optimal"
    chosen, status = _knapsack(core, need_f, score_f, left, core_start, None, (), (), year=year)
    picked = sorted(taken_set | set(chosen))
    if math.fsum(score_f[picked]) < low:
        return sorted(start), status  # never below greedy's pick from the same state
    return picked, status


def _knapsack(fits, need_f, score_f, money, start, limits, provinces, utilities, *, year):
    """One year's choice: the open gaps that fit, maximising the score within ``money``."""
    import highspy
    import numpy as np

    k = len(fits)
    if k == 0:
        return [], "Optimal"
    inf = highspy.kHighsInf
    starts, index, value, lower, upper = [0], [], [], [], []

    def row(idx, val, lo, hi) -> None:
        index.extend(int(i) for i in idx)
        value.extend(float(v) for v in val)
        starts.append(len(index))
        lower.append(lo)
        upper.append(hi)

    row(range(k), need_f[fits], -inf, float(money))
    if limits:
        for key in sorted(set(limits.province_floor) | set(limits.province_ceiling)):
            members = [i for i, g in enumerate(fits) if provinces[g] == key]
            lo = float(limits.province_floor.get(key, Decimal(0)))
            hi = limits.province_ceiling.get(key)
            if not members and lo > 0:
                raise InputError(
                    message("floor_without_gap", year=year, key=key, lo=numeral(format(lo, 'g')))
                )
            row(members, need_f[fits[members]], lo, inf if hi is None else float(hi))
        for key in sorted(limits.utility_share):
            members = [i for i, g in enumerate(fits) if utilities[g] == key]
            share = float(limits.utility_share[key]) * float(money)
            row(members, need_f[fits[members]], -inf, share)
    lp = highspy.HighsLp()
    lp.num_col_ = k
    lp.col_cost_ = score_f[fits]
    lp.col_lower_ = np.zeros(k)
    lp.col_upper_ = np.ones(k)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * k
    lp.num_row_ = len(lower)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.start_ = np.array(starts, dtype=np.int32)
    matrix.index_ = np.array(index, dtype=np.int32)
    matrix.value_ = np.array(value)
    lp.a_matrix_ = matrix
    h = _highs()
    for option, setting in _OPTIONS.items():
        h.setOptionValue(option, setting)
    h.passModel(lp)
    if start is not None:
        where = {int(g): i for i, g in enumerate(fits)}
        sol = highspy.HighsSolution()
        x = np.zeros(k)
        x[[where[g] for g in start]] = 1.0
        sol.col_value = list(x)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status == "Infeasible":
        raise InputError(
            message("limits_infeasible", year=year)
        )
    if status != "Optimal":
        raise InputError(message("optimiser_no_plan", year=year, status=status))
    x = np.array(h.getSolution().col_value)
    chosen = [int(g) for g, v in zip(fits, x, strict=True) if v > 0.5]
    if start is not None and math.fsum(score_f[chosen]) < math.fsum(score_f[start]):
        chosen = list(start)  # never below greedy's pick from the same state
    return sorted(chosen), status


_OPTIONS = {
    "output_flag": False,
    "threads": 1,
    "random_seed": 0,
    "mip_rel_gap": MIP_REL_GAP,
    "mip_feasibility_tolerance": 1e-9,
    "primal_feasibility_tolerance": 1e-9,
}
_BANNER_DONE = False


def _highs():
    """A HiGHS instance; its banner (printed to the process's stdout by the first one) is
    kept off the user's console."""
    import ctypes
    import os
    import sys

    import highspy

    global _BANNER_DONE
    if _BANNER_DONE:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _BANNER_DONE = True
    return h


def _check(needs: Sequence[Decimal], scores: Sequence[float], budget: Decimal, years: int) -> None:
    if len(needs) != len(scores):
        raise InputError(message("one_score_per_gap"))
    if years < 1:
        raise InputError(message("portfolio_no_year"))
    if budget < 0:
        raise InputError(message("budget_negative"))
    if any(x <= 0 for x in needs):
        raise InputError(message("portfolio_need_positive"))
    if any(s is None or not math.isfinite(s) or s < 0 for s in scores):
        raise InputError(message("portfolio_score_nonnegative"))

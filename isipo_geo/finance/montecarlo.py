"""Ranges of need from low / central / high unit costs: a seeded Monte Carlo (pure computation).

A utility's unit cost is one figure for every gap (the costs file gives one per utility), so a
run draws it once per utility — from the triangular distribution on (low, central, high) — and
every gap of that utility scales with it; utilities are drawn independently. A need's P10 / P50
/ P90 are then its central need times the draws' percentiles, and the plan's cost adds the
utilities up run by run. Same ranges, runs and seed → the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from isipo_geo.errors import InputError
from isipo_geo.messages import message, numeral

PERCENTILES = (10, 50, 90)
MAX_RUNS = 1_000_000


def draw_factors(
    ranges: Mapping[str, tuple[Decimal, Decimal, Decimal]], *, runs: int, seed: int
) -> dict[str, list[float]]:
    """Per utility, ``runs`` draws of unit cost ÷ central unit cost (triangular on
    low/central/high), in the order of ``ranges``' keys sorted.

    Examples
    --------
    >>> f = draw_factors({"water": (Decimal(2), Decimal(3), Decimal(4))}, runs=3, seed=1)
    >>> [round(x, 3) for x in f["water"]] == [round(x, 3) for x in draw_factors(
    ...     {"water": (Decimal(2), Decimal(3), Decimal(4))}, runs=3, seed=1)["water"]]
    True
    """
    import numpy as np

    if not 1 <= runs <= MAX_RUNS:
        raise InputError(message("simulate_runs", max_runs=numeral(format(MAX_RUNS, ',')),
                                 runs=runs))
    rng = np.random.default_rng(seed)
    out = {}
    for utility in sorted(ranges):
        low, central, high = (float(v) for v in ranges[utility])
        if not low <= central <= high or central <= 0:
            raise InputError(
                message("unit_cost_order", utility=utility)
            )
        if low == high:
            out[utility] = [1.0] * runs
            continue
        out[utility] = list(rng.triangular(low, central, high, size=runs) / central)
    return out


def percentiles(values: Iterable[float]) -> tuple[float, float, float]:
    """P10, P50, P90 (linear interpolation, numpy's default)."""
    import numpy as np

    p10, p50, p90 = np.percentile(np.fromiter(values, dtype=float), PERCENTILES)
    return float(p10), float(p50), float(p90)


def to_decimal(value: float) -> Decimal:
    """A simulated figure as a decimal of 6 significant digits (a simulation's precision)."""
    from isipo_geo.finance.money import normalize_decimal

    return normalize_decimal(Decimal(f"{value:.6g}"))


def need_ranges(
    rows: Iterable[dict], factors: Mapping[str, list[float]]
) -> list[dict]:
    """Each row with ``need_p10``, ``need_p50``, ``need_p90`` (``None`` for a utility without
    a range or a row without a need)."""
    quantiles = {u: percentiles(f) for u, f in factors.items()}
    out = []
    for r in rows:
        q = quantiles.get(r["utility"])
        if q is None or r.get("need") is None:
            out.append(r | {"need_p10": None, "need_p50": None, "need_p90": None})
            continue
        need = float(r["need"])
        out.append(
            r | {f"need_p{p}": to_decimal(need * f) for p, f in zip(PERCENTILES, q, strict=True)}
        )
    return out


def total_range(
    need_by_utility: Mapping[str, Decimal], factors: Mapping[str, list[float]]
) -> tuple[Decimal, Decimal, Decimal] | None:
    """P10 / P50 / P90 of a sum of needs (e.g. a plan's cost), run by run; ``None`` when a
    utility in it has no range."""
    if any(u not in factors for u in need_by_utility if need_by_utility[u]):
        return None
    import numpy as np

    runs = len(next(iter(factors.values()))) if factors else 0
    total = np.zeros(runs)
    for utility, need in need_by_utility.items():
        if need:
            total += float(need) * np.array(factors[utility])
    p10, p50, p90 = percentiles(total)
    return to_decimal(p10), to_decimal(p50), to_decimal(p90)

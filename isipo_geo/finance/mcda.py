"""Scoring gaps on several criteria: weighted sum, AHP weights, TOPSIS (pure computation).

A criterion is *benefit* (more is better: jobs waiting on water) or *cost* (less is better: the
need in toman). A missing value (``None``) is never read as 0: a gap with one gets no score,
and the caller says which value is missing.

- :func:`normalise_minmax` — the weighted sum's normalisation: benefit ``(x − min)/(max − min)``,
  cost ``(max − x)/(max − min)``, so every criterion runs from 0 (worst gap) to 1 (best);
  a criterion equal for every gap gives 1 to all (it tells them apart in nothing);
- :func:`weighted_sum` — Σ weight × normalised value;
- :func:`ahp_weights` — Saaty's AHP: the principal eigenvector of a pairwise comparison matrix,
  with the consistency index and ratio (random index of Saaty, 1980);
- :func:`topsis` — Hwang & Yoon's TOPSIS: vector normalisation, weighted, closeness to the
  ideal ``d− / (d+ + d−)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from isipo_geo.errors import InputError
from isipo_geo.messages import message, numeral

DIRECTIONS = ("benefit", "cost")
METHODS = ("wsm", "topsis")
METHOD_TEXT = {
    "wsm": "weighted sum of min-max normalised criteria (0 = the worst gap, 1 = the best)",
    "topsis": "TOPSIS: closeness to the ideal gap, criteria normalised by their vector length",
}
METHOD_TEXT_FA = {
    "wsm": "جمع وزنی معیارهای نرمال‌شده (کمینه-بیشینه)",
    "topsis": "تاپسیس: نزدیکی به گزینه ایده‌آل",
}
# Saaty's random consistency index for n = 1..10
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
MAX_CR = 0.1


@dataclass(frozen=True)
class Scores:
    """Scores of gaps on criteria.

    Attributes
    ----------
    scores
        One per gap (``None``: a criterion value is missing).
    normalised
        One row per gap: each criterion's normalised value (``None`` where missing).
    weights
        The criteria's weights, summing to 1.
    """

    scores: list[float | None]
    normalised: list[list[float | None]]
    weights: list[float]


@dataclass(frozen=True)
class AhpWeights:
    """Weights from a pairwise comparison matrix, with its consistency."""

    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def check_weights(weights: Sequence[float], n: int) -> list[float]:
    """Weights as fractions of their sum (each ≥ 0, the sum > 0)."""
    if len(weights) != n:
        raise InputError(message("weights_count", weights=len(weights), n=n))
    if any(w < 0 or not math.isfinite(w) for w in weights):
        raise InputError(message("criterion_weight"))
    total = math.fsum(weights)
    if total <= 0:
        raise InputError(message("weights_zero"))
    return [w / total for w in weights]


def normalise_minmax(values: Sequence[float | None], direction: str) -> list[float | None]:
    """Min-max normalisation over the known values (see the module's docstring).

    Examples
    --------
    >>> normalise_minmax([10, 20, None, 30], "benefit")
    [0.0, 0.5, None, 1.0]
    >>> normalise_minmax([10, 20, 30], "cost")
    [1.0, 0.5, 0.0]
    """
    _check_direction(direction)
    known = [v for v in values if v is not None]
    if not known:
        return [None] * len(values)
    low, high = min(known), max(known)
    span = high - low
    out: list[float | None] = []
    for v in values:
        if v is None:
            out.append(None)
        elif span == 0:
            out.append(1.0)
        elif direction == "benefit":
            out.append((v - low) / span)
        else:
            out.append((high - v) / span)
    return out


def weighted_sum(
    matrix: Sequence[Sequence[float | None]],
    directions: Sequence[str],
    weights: Sequence[float],
) -> Scores:
    """Score each row of ``matrix`` (gaps × criteria) by the weighted sum of its min-max
    normalised values; a row with a missing value gets ``None``.

    Examples
    --------
    >>> s = weighted_sum([[100, 5.0], [50, 1.0]], ["benefit", "cost"], [3, 1])
    >>> s.scores, s.weights
    ([0.75, 0.25], [0.75, 0.25])
    """
    w = check_weights(weights, len(directions))
    columns = [normalise_minmax([row[j] for row in matrix], d) for j, d in enumerate(directions)]
    normalised = [[col[i] for col in columns] for i in range(len(matrix))]
    scores: list[float | None] = []
    for row in normalised:
        if any(v is None for v in row):
            scores.append(None)
        else:
            scores.append(math.fsum(wj * v for wj, v in zip(w, row, strict=True)))  # type: ignore[operator]
    return Scores(scores, normalised, w)


def topsis(
    matrix: Sequence[Sequence[float | None]],
    directions: Sequence[str],
    weights: Sequence[float],
) -> Scores:
    """TOPSIS closeness of each row of ``matrix`` (gaps × criteria), 0..1; rows with a
    missing value are left out of the ideal points and get ``None``. ``normalised`` holds the
    vector-normalised values (before weighting).

    Examples
    --------
    >>> [round(c, 3) for c in topsis([[17, 12], [10, 9], [8, 6]], ["benefit"] * 2,
    ...                              [0.714, 0.286]).scores]
    [1.0, 0.262, 0.0]
    """
    w = check_weights(weights, len(directions))
    for d in directions:
        _check_direction(d)
    complete = [i for i, row in enumerate(matrix) if all(v is not None for v in row)]
    n = len(directions)
    norms = [math.sqrt(math.fsum(matrix[i][j] ** 2 for i in complete)) for j in range(n)]  # type: ignore[operator]
    normalised: list[list[float | None]] = []
    for row in matrix:
        normalised.append(
            [
                None if v is None else (v / norms[j] if norms[j] else 1.0)
                for j, v in enumerate(row)
            ]
        )
    scores: list[float | None] = [None] * len(matrix)
    if not complete:
        return Scores(scores, normalised, w)
    weighted = {i: [w[j] * normalised[i][j] for j in range(n)] for i in complete}  # type: ignore[operator]
    best, worst = [], []
    for j, d in enumerate(directions):
        col = [weighted[i][j] for i in complete]
        hi, lo = max(col), min(col)
        best.append(hi if d == "benefit" else lo)
        worst.append(lo if d == "benefit" else hi)
    for i in complete:
        plus = math.sqrt(math.fsum((v - b) ** 2 for v, b in zip(weighted[i], best, strict=True)))
        minus = math.sqrt(
            math.fsum((v - b) ** 2 for v, b in zip(weighted[i], worst, strict=True))
        )
        scores[i] = minus / (plus + minus) if plus + minus > 0 else 1.0
    return Scores(scores, normalised, w)


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpWeights:
    """Weights from a reciprocal pairwise comparison matrix (Saaty's AHP): the principal
    eigenvector, normalised to sum 1; ``λmax``, CI = (λmax − n)/(n − 1) and CR = CI / RI.

    Raises InputError when the matrix is not square and positive with ``a[j][i] = 1/a[i][j]``
    (to 2 %) and a unit diagonal. Checking CR against :data:`MAX_CR` is the caller's
    (:func:`check_consistency`), so the ratio can be shown either way.

    Examples
    --------
    >>> a = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    >>> [round(w, 3) for w in a.weights], round(a.consistency_ratio, 3)
    ([0.571, 0.286, 0.143], 0.0)
    """
    import numpy as np

    n = len(matrix)
    if n < 2 or any(len(row) != n for row in matrix):
        raise InputError(message("ahp_square"))
    if n > len(RANDOM_INDEX):
        raise InputError(message("ahp_too_many", random_index=len(RANDOM_INDEX), n=n))
    a = np.array(matrix, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise InputError(message("comparison_positive"))
    for i in range(n):
        if abs(a[i, i] - 1) > 1e-9:
            raise InputError(message("ahp_diagonal", value=i + 1))
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > 0.02:
                raise InputError(
                    message("ahp_reciprocal", value=i + 1, value2=j + 1,
                            a=numeral(format(a[i, j], 'g')), a2=numeral(format(a[j, i], 'g')))
                )
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vec = np.abs(vectors[:, k].real)
    weights = [float(v) for v in vec / vec.sum()]
    lam = float(values[k].real)
    ci = max(0.0, (lam - n) / (n - 1))
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri else 0.0
    return AhpWeights(weights, lam, ci, cr)


def check_consistency(ahp: AhpWeights, *, source: str = "the pairwise matrix") -> None:
    """Refuse weights whose consistency ratio exceeds :data:`MAX_CR` (Saaty's 0.1)."""
    if ahp.consistency_ratio > MAX_CR:
        raise InputError(
            message("ahp_inconsistent", source=source,
                    consistency_ratio=numeral(format(ahp.consistency_ratio, '.3f')), max_cr=MAX_CR)
        )


def score(
    matrix: Sequence[Sequence[float | None]],
    directions: Sequence[str],
    weights: Sequence[float],
    *,
    method: str = "wsm",
) -> Scores:
    """Score by ``method`` (``wsm`` or ``topsis``)."""
    if method == "wsm":
        return weighted_sum(matrix, directions, weights)
    if method == "topsis":
        return topsis(matrix, directions, weights)
    raise InputError(message("unknown_method", method=repr(method), methods=', '.join(METHODS)))


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise InputError(message("direction_unknown", direction=repr(direction)))

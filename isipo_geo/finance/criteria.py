"""What counts in a budget: criteria values per gap, and each gap's explained score (pure).

A criterion is a registry column of the estate (:data:`REGISTRY_CRITERIA`) or one derived from
the gap (:data:`DERIVED_CRITERIA`). A value the registry leaves empty is *unknown*: the gap gets
no score and its explanation says which value is missing — it is never taken as 0.

:func:`score_gaps` scores the gaps by :mod:`isipo_geo.finance.mcda` and writes, per gap, its
criterion values, normalised values and weights (``explained``): the plan and the brief show
that text, so a committee can check every rank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from isipo_geo.errors import InputError
from isipo_geo.finance import mcda
from isipo_geo.messages import message
from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS

# registry column -> (Persian header, English meaning); the criteria columns come from
# data/estates/criteria_columns.csv
REGISTRY_CRITERIA: dict[str, tuple[str, str]] = {
    **{c.column: (c.label_fa, c.note_en) for c in CRITERIA_COLUMNS},
    "area_ha": ("مساحت", "area, hectares"),
}
# derived criterion -> (Persian, English meaning)
DERIVED_CRITERIA: dict[str, tuple[str, str]] = {
    "need": ("نیاز مالی", "the gap's financing need, in the plan's money"),
    "deficit": ("کمبود", "the gap's deficit, in its utility's unit (L/s, MW)"),
    "gap_share": ("سهم کمبود", "deficit ÷ demand of the estate's utility (0..1)"),
}
CRITERIA = {**REGISTRY_CRITERIA, **DERIVED_CRITERIA}
SCORE_DIGITS = 4  # a score is rounded once, to this many decimals, and used as rounded


@dataclass(frozen=True)
class Criterion:
    """One row of a criteria file: the criterion, its direction, its weight (None: from AHP)."""

    name: str
    direction: str
    weight: Decimal | None = None


@dataclass(frozen=True)
class Scoring:
    """The gaps' scores and how they were made.

    ``scores`` and ``explained`` are keyed by :func:`gap_key`; a score is ``None`` when a
    criterion value is missing (``explained`` says which).
    """

    method: str
    criteria: list[Criterion]
    weights: list[float]
    weights_from: str  # "criteria file" or "AHP (CR 0.032)"
    scores: dict[tuple, float | None]
    explained: dict[tuple, str]
    consistency_ratio: float | None = None

    @property
    def text(self) -> str:
        """The method and weights in one line (plan files, brief, console)."""
        parts = self._weights(lambda c: f"{c.name} ({c.direction})", ", ")
        return f"{mcda.METHOD_TEXT[self.method]}; weights ({self.weights_from}): {parts}"

    @property
    def text_fa(self) -> str:
        """:attr:`text` in Persian: the method and each criterion's Persian name and weight."""
        parts = self._weights(lambda c: CRITERIA[c.name][0], "، ")
        return f"{mcda.METHOD_TEXT_FA[self.method]}؛ وزن‌ها: {parts}"

    def _weights(self, name: Callable[[Criterion], str], sep: str) -> str:
        return sep.join(
            f"{name(c)} {w:.3f}" for c, w in zip(self.criteria, self.weights, strict=True)
        )


def gap_key(gap: Mapping) -> tuple:
    """The key of a gap row (scope, province, estate, utility)."""
    return (gap["scope"], gap["province"], gap["estate_id"], gap["utility"])


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Every criterion known and given once, with a direction."""
    seen = set()
    for c in criteria:
        if c.name not in CRITERIA:
            raise InputError(
                message("unknown_criterion", name=repr(c.name), criteria=', '.join(CRITERIA))
            )
        if c.name in seen:
            raise InputError(message("criterion_twice", name=c.name))
        seen.add(c.name)
        if c.direction not in mcda.DIRECTIONS:
            raise InputError(message("criterion_direction", name=c.name,
                                     direction=repr(c.direction)))


def criterion_value(
    name: str, gap: Mapping, record: Mapping[str, object] | None
) -> tuple[float | None, str]:
    """A gap's value of one criterion and its text (``None`` and why, when unknown)."""
    if name == "need":
        need = gap.get("need")
        return (None, "unknown (no cost)") if need is None else (float(need), _show(need))
    if name == "deficit":
        return float(gap["deficit"]), _show(gap["deficit"])
    if name == "gap_share":
        if record is None:
            return None, "unknown (no registry row)"
        column = f"{gap['utility']}_demand_{gap['deficit_unit']}"
        demand = _number(record, column)
        if demand is None:
            return None, f"unknown ({column} empty)"
        if demand <= 0:
            return None, f"unknown ({column} is 0)"
        share = Decimal(gap["deficit"]) / demand
        return float(share), f"{float(share):.3f}"
    if record is None:
        return None, "unknown (no registry row: a province's estimate)"
    value = _number(record, name, quantity="registry_number")
    if value is None:
        return None, f"unknown ({name} empty)"
    return float(value), _show(value)


def _number(
    record: Mapping[str, object], column: str, *, quantity: str | None = None
) -> Decimal | None:
    """A registry row's number in ``column`` (by the one number rule), or None when empty."""
    from isipo_geo.numbers import parse_number

    cell = _cell(record, column)
    return parse_number(cell, what=column, quantity=quantity) if cell else None


def score_gaps(
    gaps: Sequence[Mapping],
    records: Mapping[str, Mapping[str, object]],
    criteria: Sequence[Criterion],
    *,
    method: str = "wsm",
    ahp: mcda.AhpWeights | None = None,
) -> Scoring:
    """Score every gap on ``criteria`` (weights from the criteria file, or ``ahp``'s).

    ``records`` are the registry's rows by estate id (province gaps have none).

    Examples
    --------
    >>> gap = dict(scope="estate", province="fars", utility="water", deficit=Decimal(5),
    ...            deficit_unit="lps")
    >>> gaps = [gap | dict(estate_id="a", need=Decimal(10)),
    ...         gap | dict(estate_id="b", need=Decimal(30))]
    >>> records = {"a": {"jobs": "100"}, "b": {"jobs": "300"}}
    >>> s = score_gaps(gaps, records, [Criterion("jobs", "benefit", Decimal(1)),
    ...                                Criterion("need", "cost", Decimal(1))])
    >>> [s.scores[gap_key(g)] for g in gaps]
    [0.5, 0.5]
    >>> s.explained[gap_key(gaps[1])]
    'jobs 300 → 1.000 × 0.500; need 30 → 0.000 × 0.500; score 0.5000'
    """
    check_criteria(criteria)
    if method not in mcda.METHODS:
        raise InputError(message("unknown_method", method=repr(method),
                                 methods=', '.join(mcda.METHODS)))
    if ahp is not None:
        if len(ahp.weights) != len(criteria):
            raise InputError(
                message("ahp_count_mismatch", weights=len(ahp.weights), criteria=len(criteria))
            )
        raw = list(ahp.weights)
        source = f"AHP, consistency ratio {ahp.consistency_ratio:.3f}"
    else:
        missing = [c.name for c in criteria if c.weight is None]
        if missing:
            raise InputError(
                message("criteria_without_weight", missing=', '.join(missing))
            )
        raw = [float(c.weight) for c in criteria]  # type: ignore[arg-type]
        source = "criteria file"
    matrix, texts = [], []
    for g in gaps:
        record = records.get(g["estate_id"]) if g["estate_id"] else None
        pairs = [criterion_value(c.name, g, record) for c in criteria]
        matrix.append([v for v, _ in pairs])
        texts.append([t for _, t in pairs])
    result = mcda.score(matrix, [c.direction for c in criteria], raw, method=method)
    scores: dict[tuple, float | None] = {}
    explained: dict[tuple, str] = {}
    for g, s, norm, text in zip(gaps, result.scores, result.normalised, texts, strict=True):
        key = gap_key(g)
        parts = []
        for c, w, n, t in zip(criteria, result.weights, norm, text, strict=True):
            parts.append(f"{c.name} {t}" if n is None else f"{c.name} {t} → {n:.3f} × {w:.3f}")
        if s is None:
            scores[key] = None
            explained[key] = "; ".join(parts) + "; no score (a value is unknown, not 0)"
        else:
            scores[key] = round(s, SCORE_DIGITS)
            explained[key] = "; ".join(parts) + f"; score {scores[key]:.{SCORE_DIGITS}f}"
    return Scoring(
        method, list(criteria), result.weights, source, scores, explained,
        ahp.consistency_ratio if ahp is not None else None,
    )


def _cell(record: Mapping[str, object], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("nan", "<na>", "none") else text


def _show(value: object) -> str:
    from isipo_geo.finance.money import normalize_decimal

    return str(normalize_decimal(Decimal(str(value))))

"""The figures model: every figure once, with its exact value and how it reads.

A figure (nation, province or estate × utility) is computed once by :mod:`isipo_geo.finance`
and rounded for readers once, by the one rule of its unit (:mod:`isipo_geo.display`). Every
output renders it from here, so a number cannot read differently in two places:

- :func:`figures` — the funding rows as :class:`Figure` s (scope, utility, exact value, unit,
  basis, year, source) with the value a reader sees;
- :func:`shared_figure` — the one figure every province shows when all read alike (equal
  shares: one class on the map, and the legend says so);
- :func:`rounding_note` — what a table says when the rounded parts do not add up to the
  rounded total.

Pure; reads no file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from isipo_geo.display import format_number, money_unit, round_shown


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: ``exact`` as computed (None: no cost basis), ``unit`` the key of its
    display rule (``lps``, ``mw``, ``toman_billion``...)."""

    scope: str  # nation / province / estate
    province: str
    estate_id: str
    utility: str  # water, power, ..., total
    quantity: str  # need or deficit
    exact: Decimal | None
    unit: str
    basis: str
    year: str
    source: str

    @property
    def shown(self) -> float | None:
        """The value as every output shows it (rounded once, by the unit's rule)."""
        return None if self.exact is None else round_shown(float(self.exact), self.unit)

    def text(self, digits: str = "fa") -> str:
        """The figure as it reads (``"—"`` without a value)."""
        return format_number(self.exact, digits=digits, unit=self.unit)


def figures(rows: Iterable[dict]) -> list[Figure]:
    """The need and the deficit of each funding row (:func:`isipo_geo.finance.funding_rows`)
    as figures, in the rows' order.

    Examples
    --------
    >>> row = {"scope": "province", "province": "fars", "estate_id": "", "utility": "water",
    ...        "need": Decimal("185.48387"), "currency": "toman", "scale": "billion",
    ...        "deficit": Decimal("74.193548"), "deficit_unit": "lps",
    ...        "basis": "allocated:equal", "year": "1400", "source": "report"}
    >>> [(f.quantity, f.text("latin")) for f in figures([row])]
    [('need', '185.5'), ('deficit', '74.2')]
    """
    out = []
    for r in rows:
        common = (r["scope"], r["province"], r.get("estate_id") or "", r["utility"])
        tail = (str(r.get("basis") or ""), str(r.get("year") or ""), str(r.get("source") or ""))
        out.append(
            Figure(*common, "need", r["need"], money_unit(r["currency"], r["scale"]), *tail)
        )
        if r["utility"] != "total" and r.get("deficit_unit"):
            out.append(Figure(*common, "deficit", r["deficit"], r["deficit_unit"], *tail))
    return out


def shared_figure(values: Sequence[float], unit: str | None) -> float | None:
    """The one value all ``values`` read as (rounded by ``unit``'s rule), or None when they read
    differently or one is unknown (NaN).

    Examples
    --------
    >>> shared_figure([415.032257, 415.032258], "toman_billion")
    415.0
    >>> shared_figure([415.0, 415.1], "toman_billion") is None
    True
    """
    shown = set()
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        shown.add(round_shown(float(v), unit))
    return shown.pop() if len(shown) == 1 else None


def rounding_note(
    parts: Sequence[Decimal | float], total: Decimal | float, unit: str, *, digits: str = "fa"
) -> tuple[str, str] | None:
    """Persian and English words for a table whose rounded ``parts`` do not add up to its
    rounded ``total`` (None when they do); ``digits`` of the Persian words (the English ones
    are Latin).

    Examples
    --------
    >>> rounding_note([Decimal("415.032258")] * 31, Decimal(12866), "toman_billion")[1]
    'rounded: the rounded figures add up to 12,865, not 12,866 (exact values in the files)'
    """
    shown = sum(Decimal(repr(round_shown(float(p), unit))) for p in parts)
    whole = Decimal(repr(round_shown(float(total), unit)))
    if shown == whole:
        return None
    fa_sum, fa_total = (format_number(v, digits=digits, unit=unit) for v in (shown, whole))
    en_sum, en_total = (format_number(v, digits="latin", unit=unit) for v in (shown, whole))
    return (
        f"ارقام گرد شده‌اند: جمع ارقام گردشده {fa_sum} است، نه {fa_total} "
        "(مقدار دقیق در فایل‌ها)",
        f"rounded: the rounded figures add up to {en_sum}, not {en_total} "
        "(exact values in the files)",
    )

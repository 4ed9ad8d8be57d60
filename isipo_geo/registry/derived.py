"""The deficit a registry row implies when it gives only supplied and demand.

One rule for every reader and writer of a registry: the deficit is the row's deficit cell when
given (``stated``); else, when both are given, demand − supplied, and 0 when the supply covers
the demand (``derived``); else unknown. ``funding`` costs it (:mod:`isipo_geo.finance.deficits`)
and the registry's exports carry it (:func:`with_derived_deficits`), by :func:`derived_deficit`.
Pure; nothing here reads or writes files.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from isipo_geo.numbers import normalize
from isipo_geo.utilities import UTILITIES

if TYPE_CHECKING:
    import pandas as pd

BASIS_STATED = "stated"
BASIS_DERIVED = "derived"

# deficit column -> (supplied column, demand column, basis column), for every utility of
# data/utilities/utilities.csv
DERIVED_DEFICITS = {
    u.column("deficit"): (u.column("supplied"), u.column("demand"), u.basis_column)
    for u in UTILITIES
}


def derived_deficit(supplied: Decimal, demand: Decimal) -> Decimal:
    """demand − supplied, exactly, and 0 when the supply covers the demand.

    Examples
    --------
    >>> derived_deficit(Decimal("20"), Decimal("50")), derived_deficit(Decimal("5"), Decimal("4"))
    (Decimal('30'), Decimal('0'))
    """
    return max(normalize(demand - supplied), Decimal(0))


def with_derived_deficits(cells: pd.DataFrame) -> pd.DataFrame:
    """A registry as text cells (:func:`isipo_geo.registry.estates.registry_cells`) with each
    empty deficit cell filled with :func:`derived_deficit` where supplied and demand are both
    given, and a basis column after each deficit column: ``stated`` (the cell was given),
    ``derived`` (filled here) or empty (unknown). A cell that is not a number is left alone."""
    out = cells.copy()
    for deficit, (supplied, demand, basis) in DERIVED_DEFICITS.items():
        if deficit not in out.columns:
            continue
        given = out[deficit].tolist()
        have = [out[c].tolist() if c in out.columns else [""] * len(out) for c in (supplied,
                                                                                    demand)]
        values, bases = [], []
        for cell, s, d in zip(given, *have, strict=True):
            if _given(cell):
                values.append(cell)
                bases.append(BASIS_STATED)
                continue
            number = _derived(s, d) if _given(s) and _given(d) else None
            values.append("" if number is None else str(number))
            bases.append("" if number is None else BASIS_DERIVED)
        out[deficit] = values
        out.insert(out.columns.get_loc(deficit) + 1, basis, bases)
    return out


def _given(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip() != ""


def _derived(supplied: str, demand: str) -> Decimal | None:
    try:
        return derived_deficit(Decimal(supplied.strip()), Decimal(demand.strip()))
    except InvalidOperation:
        return None


def blank_derived(deficits: list, bases: list, *, empty: object = "") -> list:
    """A deficit column with the cells an export derived (basis ``derived``) made ``empty``
    again: a registry read back holds the figures as given, and the deficit follows the
    supplied and demand cells a user may have edited since."""
    return [empty if basis == BASIS_DERIVED else cell
            for cell, basis in zip(deficits, bases, strict=True)]


def without_derived_deficits(cells: pd.DataFrame) -> pd.DataFrame:
    """A registry read as text without what :func:`with_derived_deficits` added: derived cells
    empty, the basis columns gone (the registry as ``import`` accepted it)."""
    present = [b for _, _, b in DERIVED_DEFICITS.values() if b in cells.columns]
    if not present:
        return cells
    out = cells.copy()
    for deficit, (_, _, basis) in DERIVED_DEFICITS.items():
        if basis in out.columns and deficit in out.columns:
            out[deficit] = blank_derived(out[deficit].tolist(), out[basis].tolist())
    return out.drop(columns=present)

"""A registry as the text its CSV holds: booleans as ``true``/``false``, numbers without
trailing zeros, unknown as an empty cell. The one writing rule of the registry CSV, of the
registry store's cells and of its exports, so the three read the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from isipo_geo.registry.schema import REGISTRY_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


def registry_to_csv_text(df: pd.DataFrame, *, derived: bool = False) -> str:
    """A registry as CSV text with the columns of REGISTRY_COLUMNS (booleans as true/false,
    numbers without trailing zeros, unknown as empty). Write it with a BOM (``utf-8-sig``).

    With ``derived`` (the registries ``import`` and ``registry export`` write), a deficit given
    only by supplied and demand is written as demand − supplied, marked ``derived`` in its
    ``<utility>_deficit_basis`` column (``stated`` where the cell was given):
    :func:`isipo_geo.registry.derived.with_derived_deficits`.

    Text a spreadsheet would run as a formula (a name starting with ``=``, ``+``, ``-``, ``@``)
    gets a leading ``'`` (:func:`isipo_geo.tables.neutralise_formula`), as in every CSV output;
    the registry readers (:mod:`isipo_geo.registry.estates`) drop it again."""
    from isipo_geo.registry.derived import with_derived_deficits
    from isipo_geo.tables import neutralise_frame

    cells = registry_cells(df)
    if derived:
        cells = with_derived_deficits(cells)
    return neutralise_frame(cells).to_csv(index=False, lineterminator="\n")


def registry_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A registry's columns of REGISTRY_COLUMNS as the text its CSV holds (``""`` = unknown)."""
    import pandas as pd

    def unknown(v: object) -> bool:
        return v is None or v is pd.NA or (isinstance(v, float) and v != v)

    columns: dict[str, list[str]] = {}
    for col, dtype in REGISTRY_COLUMNS.items():
        if col not in df.columns:
            columns[col] = [""] * len(df)
            continue
        values = df[col].astype(object).tolist()
        if dtype == "boolean":
            columns[col] = ["" if unknown(v) else "true" if bool(v) else "false" for v in values]
        elif dtype in ("Float64", "Int64"):
            columns[col] = ["" if unknown(v) else format_cell_number(float(v)) for v in values]
        else:
            columns[col] = ["" if unknown(v) else str(v) for v in values]
    return pd.DataFrame(columns, index=range(len(df)))


def format_cell_number(value: float) -> str:
    """A registry number as its CSV cell: whole numbers without a decimal point, others to at
    most 6 decimals.

    Examples
    --------
    >>> format_cell_number(12.0), format_cell_number(2.5), format_cell_number(1 / 3)
    ('12', '2.5', '0.333333')
    """
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 6))

"""Printing tables for people (rich)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def print_table(df: pd.DataFrame, *, title: str | None = None) -> None:
    """Print a DataFrame as a rich table; numbers right-aligned."""
    print_rows(list(df.columns), df.to_dict(orient="records"), title=title)


def print_rows(
    columns: Sequence[str], rows: Sequence[Mapping[str, object]], *, title: str | None = None
) -> None:
    """Print rows (dicts) as a rich table; columns holding numbers are right-aligned."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        values = [r.get(col) for r in rows]
        numeric = any(isinstance(v, int | float | Decimal) for v in values) and not any(
            isinstance(v, str) and v for v in values
        )
        table.add_column(str(col), justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_fmt(row.get(c)) for c in columns))
    console = Console()
    if not console.is_terminal:  # a file or pipe: wide enough that tables are not squeezed
        console = Console(width=160)
    console.print(table)


def _fmt(value: object) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):  # pandas NA
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)

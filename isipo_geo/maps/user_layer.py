"""A layer of the user's own: a value per province from their table (``isipo-geo map
--layer FILE``), validated with the file's rows and columns, and mapped beside the financing
need with its own palette, classes and legend, never added to it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.maps import html as _html
from isipo_geo.maps.data import _missing, _text

if TYPE_CHECKING:
    import pandas as pd

# ColorBrewer BuPu (5 classes): far from YlOrBr, so the user's layer is never read as money.
LAYER_PALETTE = ("#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c")
PROVINCE_COLUMNS = ("province", "key", "استان")  # the province column, in order of preference


@dataclass(frozen=True)
class UserLayer:
    """A value per province from the user's own table, mapped beside the financing need.

    Never added to the need: it has its own classes, legend section and layer choice.

    Parameters
    ----------
    values : pandas.Series
        float64 on the province keys, NaN = no data.
    column : str
        The table's column the values come from.
    label_fa, label_en : str
        The layer's name in Persian and English.
    unit : str
        The values' unit, shown after each value.
    source : str
        The file's name (``''`` when the table did not come from a file).
    """

    values: pd.Series  # float64 on the province keys, NaN = no data
    column: str
    label_fa: str
    label_en: str
    unit: str
    source: str  # the file's name ("" when the table did not come from a file)


def _find_column(columns: list[str], wanted: str) -> str | None:
    """``wanted`` among ``columns``: exactly, else ignoring case and spaces, or as one line of a
    two-line header ("Persian\nEnglish", as the toolkit's XLSX sheets have)."""
    if wanted in columns:
        return wanted
    key = wanted.strip().casefold()
    found = [
        c for c in columns if any(line.strip().casefold() == key for line in [c, *c.splitlines()])
    ]
    return found[0] if len(found) == 1 else None


def layer_values(
    table: pd.DataFrame,
    column: str,
    *,
    path: Any = None,
    rows: list[int] | None = None,
) -> pd.Series:
    """The values of ``column`` per province, validated (pure).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per province: a ``province`` column (or ``key``, as ``isipo-geo raster zonal``
        writes; any spelling :func:`isipo_geo.names.resolve_province` reads) and ``column``.
        Cells may be numbers or text (Persian digits and separators are read); an empty cell is
        no data. Rows without a province and without a value are skipped.
    column : str
        The column to map (matched exactly, else ignoring case and surrounding spaces).
    path : path-like, optional
        The file the table came from, for error messages.
    rows : list of int, optional
        The row number a user sees for each row of ``table`` (default: the header is row 1, so
        the first row is row 2).

    Returns
    -------
    pandas.Series
        float64 on the 31 province keys (:func:`isipo_geo.names.province_keys` order); NaN for
        provinces the table lacks or leaves empty (no data, never 0).

    Raises
    ------
    InputError
        With the file, row and column: a column is missing, a cell is not a number, a province
        is unknown, ambiguous or given twice, a value has no province, or no cell is a number.

    Examples
    --------
    >>> import pandas as pd
    >>> v = layer_values(pd.DataFrame({"province": ["قم", "Fars"], "mean": ["۱٫۵", 2]}), "mean")
    >>> float(v["qom"]), float(v["fars"]), bool(v.isna().sum() == 29)
    (1.5, 2.0, True)
    """
    import pandas as pd

    from isipo_geo.names import province_keys

    columns = [str(c) for c in table.columns]
    found, value_column = _layer_columns(columns, column, path=path)
    rows = rows if rows is not None else list(range(2, len(table) + 2))
    values = _layer_rows(
        rows,
        table.iloc[:, columns.index(found)].tolist(),
        table.iloc[:, columns.index(value_column)].tolist(),
        path=path,
        columns=(found, value_column),
    )
    if not values:
        raise InputError(
            f"column {value_column!r} holds no number; choose a column of numbers",
            path=path,
            column=value_column,
        )
    keys = province_keys()
    return pd.Series([values.get(k, math.nan) for k in keys], index=keys, dtype="float64")


def _layer_columns(columns: list[str], column: str, *, path: Any) -> tuple[str, str]:
    """The table's province column and the column to map, each found or reported."""
    shown = ", ".join(" / ".join(c.splitlines()) for c in columns)
    found = next((c for c in (_find_column(columns, w) for w in PROVINCE_COLUMNS) if c), None)
    if found is None:
        raise InputError(
            f"no 'province' column; the columns are: {shown}. Add one with the "
            "province of each row (key, Persian or English name, or code)",
            path=path,
            column="province",
        )
    value_column = _find_column(columns, column)
    if value_column is None:
        raise InputError(
            f"no column {column!r}; the columns are: {shown}",
            path=path,
            column=column,
        )
    if value_column == found:
        raise InputError(
            "the province column cannot be the value to map; give another --layer-column",
            path=path,
            column=found,
        )
    return found, value_column


def _layer_rows(
    rows: list[int], names: list[Any], cells: list[Any], *, path: Any, columns: tuple[str, str]
) -> dict[str, float]:
    """Province key -> value of each row that has one; a row without a province and without a
    value is skipped; every other problem is reported with its row and column."""
    from isipo_geo.errors import IsipoGeoError
    from isipo_geo.names import resolve_province
    from isipo_geo.registry import parse_number

    found, value_column = columns
    seen: dict[str, int] = {}
    values: dict[str, float] = {}
    for row, name, cell in zip(rows, names, cells, strict=True):
        try:
            number = parse_number(None if _missing(cell) else cell, quantity="layer_value")
        except ValueError as exc:
            raise InputError(str(exc), path=path, row=row, column=value_column) from None
        text = _text(name)
        if not text:
            if number is None:
                continue
            raise InputError(
                "a value without a province; fill in the province or delete the row",
                path=path,
                row=row,
                column=found,
            )
        try:
            key = resolve_province(text)
        except IsipoGeoError as exc:
            raise InputError(str(exc), path=path, row=row, column=found) from None
        if key in seen:
            raise InputError(
                f"{key} appears twice (rows {seen[key]} and {row}); give one row per province",
                path=path,
                row=row,
                column=found,
            )
        seen[key] = row
        if number is not None:
            values[key] = number
    return values


def layer_page(layer: UserLayer | None, li: int) -> dict[str, Any] | None:
    """What the page script needs of the user's layer (``IGD.x``): its index among the
    choropleths, palette, label and unit (escaped); ``None`` without one."""
    if layer is None:
        return None
    return {
        "i": li,
        "pal": list(LAYER_PALETTE),
        "fa": _html.escape(layer.label_fa),
        "en": _html.escape(layer.label_en),
        "u": _html.escape(layer.unit),
    }


def user_layer(
    table: pd.DataFrame,
    column: str,
    *,
    path: Any = None,
    rows: list[int] | None = None,
    label: str | None = None,
    unit: str = "",
) -> UserLayer:
    """Make a :class:`UserLayer` from a table (see :func:`layer_values`).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per province: a ``province`` (or ``key``) column and ``column``.
    column : str
        The column to map.
    path : path-like, optional
        The file the table came from: for error messages, and its name (only) as the legend's
        source.
    rows : list of int, optional
        The row number a user sees for each row of ``table`` (default: header is row 1).
    label : str, optional
        ``"Persian / English"`` (split at the first ``" / "``; one text serves both); by default
        the column's name.
    unit : str
        The values' unit, shown after each value.

    Returns
    -------
    UserLayer
        The values on the 31 province keys, with their labels, unit and source.

    Raises
    ------
    InputError
        As :func:`layer_values`, naming the file, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> layer = user_layer(pd.DataFrame({"province": ["Qom"], "mw": [3]}), "mw",
    ...                    label="برق / Power", unit="MW")
    >>> layer.label_fa, layer.label_en, float(layer.values["qom"])
    ('برق', 'Power', 3.0)
    """
    from pathlib import Path

    values = layer_values(table, column, path=path, rows=rows)
    text = (label or "").strip() or column
    fa, _, en = text.partition(" / ")
    fa, en = fa.strip(), en.strip()
    return UserLayer(
        values=values,
        column=column,
        label_fa=fa or en,
        label_en=en or fa,
        unit=unit.strip(),
        source=Path(path).name if path is not None else "",
    )

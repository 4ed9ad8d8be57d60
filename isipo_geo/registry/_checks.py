"""The registry's cell checks, column by column (the rule of :func:`estates.registry_problems`).

Each check runs over a whole column (``isin``, one regex, :func:`isipo_geo.numbers.parse_floats`)
or once per distinct cell (years, yes/no words), never once per row, so an 84,400-row registry
is checked in well under a second. Problems come out in the order the row-by-row rule gives them:
by row, then in the order of the checks below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from isipo_geo.registry.schema import (
    KINDS,
    LOCATION_PRECISIONS,
    OPERATORS,
    REGISTRY_COLUMNS,
    STATUSES,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

Problem = tuple[int, str, str]

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "بله", "دارد", "آری"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "خیر", "ندارد"})
# The columns the checks read (the other text columns are free text).
CHECKED_COLUMNS = (
    "id", "name_fa", "name_en", "kind", "province", "status", "operator", "year",
    "location_precision",
    *(c for c, t in REGISTRY_COLUMNS.items() if t in ("Float64", "Int64", "boolean")),
)  # fmt: skip
_NOT_NEGATIVE = ("_lps", "_mw", "_ha")

# The order of the checks within a row (the row-by-row rule's order).
_ID, _NAME, _KIND, _PROVINCE, _STATUS, _OPERATOR, _YEAR, _PRECISION = range(8)
_CELLS = 10  # + 2 * the column's place in REGISTRY_COLUMNS (+ 1: negative after not whole)
_TOGETHER, _LON_RANGE, _LAT_RANGE, _NEEDS_PRECISION = 1000, 1001, 1002, 1003


def frame_problems(cells: pd.DataFrame) -> tuple[list[Problem], dict[str, np.ndarray]]:
    """Every problem in a registry's cells, and its numbers.

    Parameters
    ----------
    cells
        The registry as stripped text (``""`` = unknown), one row per estate; a column of
        REGISTRY_COLUMNS it lacks counts as empty.

    Returns
    -------
    tuple
        ``[(row, column, message), ...]`` (rows count the header as row 1) and, for each
        number column, its ``float64`` values (NaN where unknown or refused).
    """
    import numpy as np
    import pandas as pd

    from isipo_geo.names import province_keys
    from isipo_geo.numbers import parse_floats

    n = len(cells)
    empty = pd.Series([""] * n, dtype=object)

    def column(name: str) -> pd.Series:
        if name not in cells.columns:
            return empty
        return cells[name].reset_index(drop=True)

    found: list[tuple[int, int, str, str]] = []

    def report(mask: object, order: int, col: str, message: Callable[[int], str]) -> None:
        for pos in np.flatnonzero(np.asarray(mask, dtype=bool)).tolist():
            found.append((pos, order, col, message(pos)))

    def given(s: pd.Series) -> np.ndarray:
        return (s != "").to_numpy(dtype=bool)

    def outside(s: pd.Series, allowed: object) -> np.ndarray:
        return ~s.isin(list(allowed)).to_numpy(dtype=bool)  # type: ignore[call-overload]

    ids = column("id")
    no_id = ~given(ids)
    report(no_id, _ID, "id", lambda _: "empty id")
    duplicate = ids.duplicated(keep="first").to_numpy(dtype=bool) & ~no_id
    if duplicate.any():
        first_rows = np.flatnonzero(~duplicate & ~no_id)
        first = dict(zip(ids.iloc[first_rows].tolist(), (first_rows + 2).tolist(), strict=True))
        report(duplicate, _ID, "id",
               lambda p: f"duplicate id {ids.iat[p]!r} (first on row {first[ids.iat[p]]})")
    report(~given(column("name_fa")) & ~given(column("name_en")), _NAME, "name_fa",
           lambda _: "empty name (give name_fa, or name_en when there is no Persian one)")
    kind = column("kind")
    report(outside(kind, KINDS), _KIND, "kind",
           lambda p: f"unknown kind {kind.iat[p]!r}; use one of {', '.join(KINDS)}")
    province = column("province")
    report(outside(province, province_keys()), _PROVINCE, "province",
           lambda p: f"{province.iat[p]!r} is not a province key (see `isipo-geo provinces`)")
    status = column("status")
    report(given(status) & outside(status, STATUSES), _STATUS, "status",
           lambda p: f"unknown status {status.iat[p]!r}; use one of {', '.join(STATUSES)}")
    operator = column("operator")
    report(given(operator) & outside(operator, OPERATORS), _OPERATOR, "operator",
           lambda p: f"unknown operator {operator.iat[p]!r}; use one of {', '.join(OPERATORS)}")
    year = column("year")
    report(given(year) & ~per_distinct(year, _is_jalali_year), _YEAR, "year",
           lambda p: f"{year.iat[p]!r} is not a Jalali year; write e.g. 1403, or leave it empty")
    precision = column("location_precision")
    report(given(precision) & outside(precision, LOCATION_PRECISIONS), _PRECISION,
           "location_precision",
           lambda p: f"unknown precision {precision.iat[p]!r}; use one of "
           f"{', '.join(LOCATION_PRECISIONS)}")

    numbers: dict[str, np.ndarray] = {}
    for place, (col, dtype) in enumerate(REGISTRY_COLUMNS.items()):
        order = _CELLS + 2 * place
        s = column(col)
        if dtype in ("Float64", "Int64"):
            values, errors = parse_floats(s, what="", quantity="registry_number")
            numbers[col] = values
            found.extend((p, order, col, reason.lstrip()) for p, reason in errors.items())
            with np.errstate(invalid="ignore"):
                if dtype == "Int64":
                    report((values != np.trunc(values)) & ~np.isnan(values), order, col,
                           lambda p, s=s: f"{s.iat[p]!r} is not a whole number")
                if col.endswith(_NOT_NEGATIVE):
                    report(values < 0, order + 1, col, lambda p, s=s: f"{s.iat[p]!r} is negative")
        elif dtype == "boolean":
            report(given(s) & ~per_distinct(s, is_yes_no), order, col,
                   lambda p, s=s: f"{s.iat[p]!r} is not true/false")

    lon_text, lat_text = column("lon"), column("lat")
    lon_given, lat_given = given(lon_text), given(lat_text)
    report(lon_given != lat_given, _TOGETHER, "", lambda _: "lon and lat must be given together")
    found = [
        (p, o, ("lat" if lon_given[p] else "lon") if o == _TOGETHER else c, m)
        for p, o, c, m in found
    ]
    lon, lat = numbers["lon"], numbers["lat"]
    with np.errstate(invalid="ignore"):
        report(~np.isnan(lon) & ~((lon >= -180) & (lon <= 180)), _LON_RANGE, "lon",
               lambda p: f"longitude {lon_text.iat[p]} is outside -180..180")
        report(~np.isnan(lat) & ~((lat >= -90) & (lat <= 90)), _LAT_RANGE, "lat",
               lambda p: f"latitude {lat_text.iat[p]} is outside -90..90")
    report(lon_given & lat_given & ~given(precision), _NEEDS_PRECISION, "location_precision",
           lambda _: "a located row needs a precision (estate/town/county/province)")

    found.sort(key=lambda f: (f[0], f[1]))
    return [(p + 2, c, m) for p, _, c, m in found], numbers


def per_distinct(s: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """``test`` of every cell, computed once per distinct cell (a boolean array)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return np.asarray([test(str(u)) for u in uniques], dtype=bool)[codes]


def is_yes_no(cell: str) -> bool:
    """Whether a yes/no cell is a word of :data:`TRUE_WORDS` or :data:`FALSE_WORDS`."""
    return cell.lower() in TRUE_WORDS or cell.lower() in FALSE_WORDS


def _is_jalali_year(year: str) -> bool:
    return year.isascii() and year.isdigit() and 1300 <= int(year) <= 1500

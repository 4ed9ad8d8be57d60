"""The registry's cell checks, column by column (the rule of :func:`estates.registry_problems`).

Each check looks at the distinct cells of a column (a registry of 84,400 rows has a few dozen
kinds, provinces, statuses and yes/no words) and goes back to the rows only for the cells that
fail, so a valid registry is checked without a pass per row; numbers are read by
:func:`isipo_geo.numbers.parse_floats`, once per distinct cell. Plain Python (lists of strings):
``isipo-geo funding`` checks registries without importing pandas. Problems come out in the order
the row-by-row rule gives them: by row, then in the order of the checks below.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from operator import not_
from typing import Any

from isipo_geo.messages import message, persian
from isipo_geo.registry.schema import (
    KINDS,
    LOCATION_PRECISIONS,
    OPERATORS,
    REGISTRY_COLUMNS,
    STATUSES,
)

Problem = tuple[int, str, str]

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "بله", "دارد", "آری"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "خیر", "ندارد"})
_NOT_NEGATIVE = ("_lps", "_mw", "_ha")

# The columns the checks read (the other text columns are free text).
CHECKED_COLUMNS = (
    "id", "name_fa", "name_en", "kind", "province", "status", "operator", "year",
    "location_precision",
    *(c for c, t in REGISTRY_COLUMNS.items() if t in ("Float64", "Int64", "boolean")),
)  # fmt: skip


def _as_list(values: list[float | None]) -> list[float | None]:
    return values


# The order of the checks within a row (the row-by-row rule's order).
_ID, _NAME, _KIND, _PROVINCE, _STATUS, _OPERATOR, _YEAR, _PRECISION = range(8)
_CELLS = 10  # + 2 * the column's place in REGISTRY_COLUMNS (+ 1: negative after not whole)
_TOGETHER, _LON_RANGE, _LAT_RANGE, _NEEDS_PRECISION = 1000, 1001, 1002, 1003


def column_problems(
    column: Callable[[str], Sequence[str] | None],
    n: int,
    *,
    numbers_as: Callable[[list[float | None]], Any] = _as_list,
) -> tuple[list[Problem], dict[str, Any]]:
    """Every problem in a registry's cells, and its numbers.

    Parameters
    ----------
    column
        A column of :data:`CHECKED_COLUMNS` by name: its ``n`` cells as stripped text (``""`` =
        unknown), or None when the registry has no such column (it counts as empty). Asked for
        one column at a time, so a big frame's columns need not all be lists at once.
    n
        The number of rows.
    numbers_as
        What to keep of a number column's values (a list of floats, None where unknown or
        refused), made as soon as the column is read: validation keeps pandas arrays, so a big
        registry's numbers are never all lists at once (25 lists of 84,400 were 17 MB).

    Returns
    -------
    tuple
        ``[(row, column, message), ...]`` (rows count the header as row 1) and, for each
        number column, its values (None where unknown or refused), as ``numbers_as`` keeps them
        (default: the list).

    Examples
    --------
    >>> cols = {"id": ["a", "a"], "name_fa": ["x", "y"], "kind": ["industrial_estate"] * 2,
    ...         "province": ["qom", "qom"], "area_ha": ["۱۲٫۵", "-1"]}
    >>> problems, numbers = column_problems(cols.get, 2)
    >>> problems
    [(3, 'id', "duplicate id 'a' (first on row 2)"), (3, 'area_ha', "'-1' is negative")]
    >>> numbers["area_ha"]
    [12.5, -1.0]
    """
    empty = [""] * n

    def cells_of(name: str) -> Sequence[str]:
        cells = column(name)
        return empty if cells is None else cells

    found: list[_Found] = []
    precision = _text_problems(cells_of, n, found)
    numbers, coordinates = _number_problems(cells_of, found, numbers_as)
    _coordinate_problems(coordinates, precision, found)
    found.sort(key=lambda f: (f[0], f[1]))
    return [(i + 2, c, m) for i, _, c, m in found], numbers


_Found = tuple[int, int, str, str]  # (row index, check order, column, message)


def _report(found: list[_Found], cells: Sequence[str], fails: Callable[[str], bool],
            order: int, col: str, text: Callable[[str], str]) -> None:
    """Add every row whose cell fails to ``found`` (``fails`` asked once per distinct cell)."""
    bad = {c for c in dict.fromkeys(cells) if fails(c)}
    if bad:
        found.extend((i, order, col, text(c)) for i, c in enumerate(cells) if c in bad)


def _text_problems(
    cells_of: Callable[[str], Sequence[str]], n: int, found: list[_Found]
) -> Sequence[str]:
    """The checks of the text columns (id, names, kind, province, status, operator, year,
    precision) into ``found``; returns the precision cells (the coordinates' checks read
    them)."""
    from isipo_geo.names import province_keys

    ids = cells_of("id")
    _report(found, ids, lambda c: not c, _ID, "id", lambda _: message("check_empty_id"))
    first = dict(zip(reversed(ids), range(n - 1, -1, -1), strict=True))  # earliest row wins
    if len(first) < n:
        found.extend(
            (i, _ID, "id",
             message("check_duplicate_id", ident=repr(ident), row=first[ident] + 2))
            for i, ident in enumerate(ids)
            if ident and first[ident] != i
        )
    names_fa = cells_of("name_fa")
    if "" in names_fa:
        found.extend(
            (i, _NAME, "name_fa", message("check_empty_name"))
            for i, (fa, en) in enumerate(zip(names_fa, cells_of("name_en"), strict=True))
            if not fa and not en
        )
    _report(found, cells_of("kind"), _outside(KINDS), _KIND, "kind",
            lambda c: message("check_unknown_kind", value=repr(c), choices=", ".join(KINDS)))
    _report(found, cells_of("province"), _outside(province_keys()), _PROVINCE, "province",
            lambda c: message("check_not_province", value=repr(c)))
    _report(found, cells_of("status"), _given_outside(STATUSES), _STATUS, "status",
            lambda c: message("check_unknown_status", value=repr(c),
                              choices=", ".join(STATUSES)))
    _report(found, cells_of("operator"), _given_outside(OPERATORS), _OPERATOR, "operator",
            lambda c: message("check_unknown_operator", value=repr(c),
                              choices=", ".join(OPERATORS)))
    _report(found, cells_of("year"), lambda c: bool(c) and not _is_jalali_year(c), _YEAR,
            "year", lambda c: message("check_not_jalali_year", value=repr(c)))
    precision = cells_of("location_precision")
    _report(found, precision, _given_outside(LOCATION_PRECISIONS), _PRECISION,
            "location_precision",
            lambda c: message("check_unknown_precision", value=repr(c),
                              choices=", ".join(LOCATION_PRECISIONS)))
    return precision


_Coordinates = dict[str, tuple[Sequence[str], list[float | None]]]  # lon/lat: cells, values


def _number_problems(
    cells_of: Callable[[str], Sequence[str]],
    found: list[_Found],
    numbers_as: Callable[[list[float | None]], Any],
) -> tuple[dict[str, Any], _Coordinates]:
    """The checks of the number and yes/no columns into ``found``; returns each number
    column's values (as ``numbers_as`` keeps them) and the lon/lat cells and values."""
    from isipo_geo.measures import column_unit
    from isipo_geo.numbers import parse_floats

    numbers: dict[str, Any] = {}
    coordinates: _Coordinates = {}
    for place, (col, dtype) in enumerate(REGISTRY_COLUMNS.items()):
        order = _CELLS + 2 * place
        if dtype not in ("Float64", "Int64", "boolean"):
            continue
        cells = cells_of(col)
        if dtype == "boolean":
            _report(found, cells, lambda c: bool(c) and not is_yes_no(c), order, col,
                    lambda c: message("check_not_yes_no", value=repr(c)))
            continue
        values, errors = parse_floats(cells, what="", quantity="registry_number",
                                      unit=column_unit(col))
        numbers[col] = numbers_as(values)
        if col in ("lon", "lat"):
            coordinates[col] = (cells, values)
        found.extend(  # a reason with its Persian starts with the cell; a plain one " 'x'"
            (i, order, col, reason if persian(reason) else reason.lstrip())
            for i, reason in errors.items()
        )
        read = dict(zip(cells, values, strict=True))  # each distinct cell's value
        if dtype == "Int64":
            _report(found, cells, lambda c, read=read: _not_whole(read[c]), order, col,
                    lambda c: message("check_not_whole", value=repr(c)))
        if col.endswith(_NOT_NEGATIVE):
            _report(found, cells, lambda c, read=read: _negative(read[c]), order + 1, col,
                    lambda c: message("check_negative", value=repr(c)))
    return numbers, coordinates


def _coordinate_problems(
    coordinates: _Coordinates, precision: Sequence[str], found: list[_Found]
) -> None:
    """The checks across lon, lat and precision into ``found``: given together, in range, a
    located row with a precision."""
    (lon_text, lon_values), (lat_text, lat_values) = coordinates["lon"], coordinates["lat"]
    lon_empty, lat_empty = list(map(not_, lon_text)), list(map(not_, lat_text))
    if lon_empty != lat_empty:
        found.extend(
            (i, _TOGETHER, "lon" if no_lon else "lat", message("check_lon_lat_together"))
            for i, (no_lon, no_lat) in enumerate(zip(lon_empty, lat_empty, strict=True))
            if no_lon != no_lat
        )
    lon_read = dict(zip(lon_text, lon_values, strict=True))
    lat_read = dict(zip(lat_text, lat_values, strict=True))
    _report(found, lon_text, lambda c: _outside_range(lon_read[c], 180), _LON_RANGE, "lon",
            lambda c: message("check_lon_range", value=c))
    _report(found, lat_text, lambda c: _outside_range(lat_read[c], 90), _LAT_RANGE, "lat",
            lambda c: message("check_lat_range", value=c))
    if "" in precision:
        found.extend(
            (i, _NEEDS_PRECISION, "location_precision", message("check_needs_precision"))
            for i, (no_lon, no_lat, p) in enumerate(
                zip(lon_empty, lat_empty, precision, strict=True)
            )
            if not no_lon and not no_lat and not p
        )


def is_yes_no(cell: str) -> bool:
    """Whether a yes/no cell is a word of :data:`TRUE_WORDS` or :data:`FALSE_WORDS`."""
    return cell.lower() in TRUE_WORDS or cell.lower() in FALSE_WORDS


def _outside(allowed: Collection[str]) -> Callable[[str], bool]:
    allowed = frozenset(allowed)
    return lambda c: c not in allowed


def _given_outside(allowed: Collection[str]) -> Callable[[str], bool]:
    allowed = frozenset(allowed)
    return lambda c: bool(c) and c not in allowed


def _is_jalali_year(year: str) -> bool:
    return year.isascii() and year.isdigit() and 1300 <= int(year) <= 1500


def _not_whole(value: float | None) -> bool:
    return value is not None and value != int(value)


def _negative(value: float | None) -> bool:
    return value is not None and value < 0


def _outside_range(value: float | None, bound: float) -> bool:
    return value is not None and not -bound <= value <= bound

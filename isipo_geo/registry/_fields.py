"""Reading the columns of an imported table into registry values, row by row (private to
:mod:`isipo_geo.registry.importer`): names, numbers with their units, yes/no, province, kind,
status.

Problems are collected per row (``Rows.reject``) and warnings kept as flags (``Rows.flag``);
nothing here reads or writes files.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from isipo_geo.errors import IsipoGeoError
from isipo_geo.messages import Message, message, province_message
from isipo_geo.names import fold
from isipo_geo.registry import _values
from isipo_geo.registry._headers import BOOL_FIELDS, QUANTITY_FIELDS, Column
from isipo_geo.registry.schema import KIND_ALIASES, LOCATION_PRECISIONS, STATUS_ALIASES
from isipo_geo.tables import formula_like
from isipo_geo.utilities import UTILITIES

ByField = dict[str, Column]
"""field -> the column of the user's table that gives it."""
Cells = Callable[[Column], list[Any]]
"""The cells of one column, one per data row."""
Out = dict[str, list[Any]]
"""registry column -> its value per data row (None = unknown)."""

# Plausibility limits for one estate (supplied, demand and deficit alike). A value above them is
# almost surely a unit or typing error (m³/day entered as L/s is 86.4× too large, kW as MW 1000×,
# m² as ha 10,000×), so the row is rejected with the limit named.
MAX_WATER_LPS = 5_000.0
"""Over twice the whole country's medium-term essential water need for all estates, 2,300 L/s
(1400 report, seed line 1708)."""
MAX_POWER_MW = 5_000.0
"""Over twice the whole country's medium-term essential power need for all estates, 2,372 MW
(1400 report, seed line 1719)."""
MAX_AREA_HA = 50_000.0
"""Over half the operational-phase land of all estates together, 95,295 ha (1400 report, seed
line 279); the largest single sites are special economic zones."""
LIMITS = {"flow": (MAX_WATER_LPS, "L/s"), "power": (MAX_POWER_MW, "MW"),
          "area": (MAX_AREA_HA, "ha"), "share": (100.0, "%")}
"""Per dimension; a length (km of gas or telecom network) has none: the report gives no
national length to bound one estate's by, and the registry's range (±10¹²) still holds."""

FLAG_HTML = "html_removed"
FLAG_FORMULA = "formula_like"  # :<column> — starts with = + - @; outputs store it as text
FLAG_NO_RESULT = "formula_without_result"
""":<column> — the cell holds a formula with no saved result (read as empty; value unknown)."""
FLAG_NO_PERSIAN_NAME = "no_persian_name"
"""A row with only a Latin name: accepted with name_en, name_fa empty; shown by its Latin name."""
FLAG_PROVINCE_SPELLING = "province_spelling"  # :<the text as written> — read as a misspelling

fold_cached = functools.lru_cache(maxsize=1 << 16)(fold)
_plain = functools.lru_cache(maxsize=1 << 16)(lambda v: _values.plain_text(v)[0])

_KIND_INDEX = {fold(a): k for k, aliases in KIND_ALIASES.items() for a in (k, *aliases)}
_STATUS_INDEX = {fold(a): k for k, aliases in STATUS_ALIASES.items() for a in (k, *aliases)}
# Kind words a name may start with ("شهرک صنعتی اسکو"); single words like "شهرک" are not used,
# they also begin place names (شهرکرد).
_KIND_PREFIXES = sorted(
    ((fold(a), k) for k, aliases in KIND_ALIASES.items() for a in aliases if " " in a),
    key=lambda p: -len(p[0]),
)


class Rows:
    """Per-row problems and flags collected while the columns are read."""

    def __init__(self, n: int) -> None:
        self.errors: list[list[tuple[str, str]]] = [[] for _ in range(n)]
        self.flags: list[list[str]] = [[] for _ in range(n)]

    def reject(self, i: int, column: str, reason: str) -> None:
        self.errors[i].append((column, reason))

    def flag(self, i: int, flag: str) -> None:
        if flag not in self.flags[i]:
            self.flags[i].append(flag)

    def ok(self, i: int) -> bool:
        return not self.errors[i]


def _cached(fn: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, str | None]]:
    """Wrap a parser: returns (value, error message) and remembers repeated cells."""
    memo: dict[Any, tuple[Any, str | None]] = {}

    def call(value: Any) -> tuple[Any, str | None]:
        try:
            key = (type(value), value)
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in memo:
            return memo[key]
        try:
            res: tuple[Any, str | None] = (fn(value), None)
        except ValueError as exc:  # a Message keeps its Persian
            first = exc.args[0] if exc.args else ""
            res = (None, first if isinstance(first, Message) else str(exc))
        if key is not None:
            memo[key] = res
        return res

    return call


def _text_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _values.plain_text(value)[0]


def read_text_fields(by_field: ByField, cells: Cells, rows: Rows, out: Out) -> None:
    n = len(rows.errors)
    out["_town"] = [None] * n
    for fld, target in (
        ("id", "id"), ("town", "_town"), ("county", "county"), ("source", "source"),
        ("flags", "flags"),
    ):
        if fld in by_field:
            for i, v in enumerate(cells(by_field[fld])):
                if not _values.is_missing(v):
                    out[target][i] = _text_id(v) or None
                    if fld in ("id", "town") and formula_like(out[target][i]):
                        rows.flag(i, f"{FLAG_FORMULA}:{by_field[fld].label}")
    names: dict[str, list[Any]] = {}
    if "name" in by_field:
        names["name"] = cells(by_field["name"])
    for fld in ("name_fa", "name_en"):
        if fld in by_field:
            names[fld] = cells(by_field[fld])
    only_markup: set[int] = set()
    for fld, values in names.items():
        label = by_field[fld].label
        for i, v in enumerate(values):
            text, had_html = _values.plain_text(v)
            if _values.is_missing(text):
                if had_html and not _values.is_missing(v):
                    only_markup.add(i)
                continue
            if had_html:
                rows.flag(i, f"{FLAG_HTML}:{label}")
            if formula_like(text):
                rows.flag(i, f"{FLAG_FORMULA}:{label}")
            if fld == "name":
                persian = any("\u0600" <= c <= "\u06ff" for c in text)
                target = "name_fa" if persian else "name_en"
                if "name_fa" in by_field and not persian:
                    target = "name_en"
                elif "name_en" in by_field:
                    target = "name_fa"
            else:
                target = fld
            out[target][i] = text
    name_label = " / ".join(by_field[f].label for f in names)
    for i in range(len(rows.errors)):
        if out["name_fa"][i]:
            continue
        if out["name_en"][i]:
            rows.flag(i, FLAG_NO_PERSIAN_NAME)  # accepted: shown by its Latin name
        elif i in only_markup:
            rows.reject(i, name_label, message("name_only_html"))
        else:
            rows.reject(i, name_label, message("name_empty"))


def read_year(by_field: ByField, cells: Cells, rows: Rows, out: Out, *, default: str) -> None:
    """The ``year`` column (Jalali, e.g. ``۱۴۰۳``) into ``out["year"]``; an empty cell takes
    ``default`` (the file's year: ``import --year`` or the template's «سال اطلاعات»), which
    may be ``""`` (unknown). A cell that is not a Jalali year rejects the row."""
    n = len(rows.errors)
    values = cells(by_field["year"]) if "year" in by_field else [None] * n
    label = by_field["year"].label if "year" in by_field else "year"
    for i, v in enumerate(values):
        if _values.is_missing(v):
            out["year"][i] = default or None
            continue
        text = jalali_year(v)
        if text is None:
            rows.reject(i, label, message("not_a_year", value=_show(v)))
        else:
            out["year"][i] = text


def jalali_year(value: Any) -> str | None:
    """``1403``, ``"۱۴۰۳"``, ``1403.0`` → ``"1403"``; None unless a year in 1300–1500."""
    from isipo_geo.names import normalize_fa

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_fa(str(value)).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isascii() and text.isdigit() and 1300 <= int(text) <= 1500:
        return text
    return None


def read_quantities(
    by_field: ByField, cells: Cells, rows: Rows, out: Out, *, power_factor: float | None
) -> None:
    from isipo_geo.measures import column_unit

    parsers: dict[str | None, Callable[[Any], tuple[Any, str | None]]] = {}
    for fld, (target, dimension) in QUANTITY_FIELDS.items():
        col = by_field.get(fld)
        if col is None:
            continue
        unit = col.unit.key if col.unit else column_unit(target)  # a cell may repeat it
        if unit not in parsers:
            parsers[unit] = _cached(lambda v, unit=unit: _values.parse_number(v, unit=unit))
        parse = parsers[unit]
        factor = col.unit.factor if col.unit else 1.0
        if col.unit and col.unit.dimension == "apparent_power":
            factor *= power_factor or math.nan
        limit, unit_label = LIMITS.get(dimension, (math.inf, ""))
        for i, v in enumerate(cells(col)):
            value, error = parse(v)
            if error:
                rows.reject(i, col.label, error)
                continue
            if value is None:
                continue
            converted = value * factor
            if value < 0:
                rows.reject(i, col.label, message("negative", value=_show(v)))
            elif converted > limit:
                rows.reject(i, col.label, message(
                    "implausible", value=_show(v), converted=f"{converted:,.6g}",
                    unit=unit_label, limit=f"{limit:,.0f}"))
            else:
                out[target][i] = converted


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def read_booleans(by_field: ByField, cells: Cells, rows: Rows, out: Out) -> None:
    parse = _cached(_values.parse_yes_no)
    for fld in BOOL_FIELDS:
        col = by_field.get(fld)
        if col is None:
            continue
        for i, v in enumerate(cells(col)):
            value, error = parse(v)
            if error:
                rows.reject(i, col.label, error)
            else:
                out[fld][i] = value


def read_province(by_field: ByField, cells: Cells, rows: Rows, out: Out) -> list[bool]:
    """Resolve the province column; returns, per row, whether a province was stated."""
    from isipo_geo.names import match_province

    given = [False] * len(rows.errors)
    col = by_field.get("province")
    if col is None:
        return given

    def resolve(value: Any) -> tuple[str, bool]:
        from isipo_geo.errors import AmbiguousProvinceError, ProvinceNotFoundError

        try:
            return match_province(value)
        except (ProvinceNotFoundError, AmbiguousProvinceError) as exc:
            raise ValueError(province_message(exc)) from None
        except IsipoGeoError as exc:
            raise ValueError(str(exc)) from None

    parse = _cached(resolve)
    for i, v in enumerate(cells(col)):
        text = _plain(v)
        if _values.is_missing(text):
            continue
        given[i] = True
        match, error = parse(text)
        if error:
            rows.reject(i, col.label, error)
        else:
            out["province"][i], guessed = match
            if guessed:  # a misspelling read as the one province it is close to
                rows.flag(i, f"{FLAG_PROVINCE_SPELLING}:{text}")
    return given


def check_kinds(by_field: ByField, cells: Cells, rows: Rows, out: Out) -> None:
    n = len(rows.errors)
    kind_col = by_field.get("kind")
    kinds = cells(kind_col) if kind_col else [None] * n
    for i, v in enumerate(kinds):
        text = _plain(v)
        if not _values.is_missing(text):
            key = _KIND_INDEX.get(fold_cached(text))
            if key is None:
                key = next((k for p, k in _KIND_PREFIXES if fold_cached(text).startswith(p)), None)
            if key is None:
                rows.reject(i, kind_col.label, message("unknown_kind", value=repr(text)))
            out["kind"][i] = key
            continue
        name = fold_cached(out["name_fa"][i] or out["name_en"][i] or "")
        key = next((k for p, k in _KIND_PREFIXES if name.startswith(p)), None)
        if key is None and out["name_en"][i] and not out["name_fa"][i]:  # "Abbas Abad
            key = next((k for p, k in _KIND_PREFIXES if name.endswith(p)), None)  # ind. estate"
        if key is None and name:
            rows.reject(i, kind_col.label if kind_col else "kind", message("kind_not_stated"))
        out["kind"][i] = key
    status_col = by_field.get("status")
    if status_col:
        for i, v in enumerate(cells(status_col)):
            text = _plain(v)
            if _values.is_missing(text):
                continue
            key = _STATUS_INDEX.get(fold_cached(text))
            if key is None:
                rows.reject(i, status_col.label, message("unknown_status", value=repr(text)))
            out["status"][i] = key
    precision_col = by_field.get("location_precision")
    if precision_col:
        for i, v in enumerate(cells(precision_col)):
            text = _plain(v).lower()
            if _values.is_missing(text):
                continue
            if text not in LOCATION_PRECISIONS:
                rows.reject(i, precision_col.label, message(
                    "unknown_precision", value=repr(text), allowed=", ".join(LOCATION_PRECISIONS)))
            elif out["lon"][i] is not None:
                out["location_precision"][i] = text


def no_result_reason(where: str) -> str:
    """Why a formula cell without a saved result (``where``: ``C4 (=CONCAT(A4,"x"))``) is empty."""
    return message("formula_no_result", where=where)


def read_unsaved_formulas(rows: Rows, found: list[tuple[int, Column, str]]) -> None:
    """Formula cells with no saved result in the columns read, read as empty: ``found`` holds
    (data row, column, the cell and its formula as :func:`no_result_reason` shows them).

    Run after every other check. A rejection of the row on that column (the estate name or the
    province is empty: the cell is, to a reader) takes the formula's reason instead; a row
    rejected for something else gets the reason added; an accepted row is flagged
    ``formula_without_result:<column>`` and the value stays unknown.
    """
    for i, col, where in found:
        reason = no_result_reason(where)
        errors = rows.errors[i]
        mine = [k for k, (c, _) in enumerate(errors)
                if c == col.label or col.label in c.split(" / ")]
        for k in mine:
            errors[k] = (errors[k][0], reason)
        if not mine and errors:
            rows.reject(i, col.label, reason)
        elif not errors:
            rows.flag(i, f"{FLAG_NO_RESULT}:{col.label}")


def check_values(rows: Rows, out: Out) -> None:
    for i in range(len(rows.errors)):
        for u in UTILITIES:
            utility = u.key
            deficit = out[u.column("deficit")][i]
            demand = out[u.column("demand")][i]
            if deficit is not None and demand is not None and deficit > demand:
                rows.flag(i, f"{utility}_deficit_exceeds_demand")
            supplied = out[u.column("supplied")][i]
            # the three figures must agree: deficit = demand − supplied, at least 0
            if None not in (deficit, demand, supplied) and not math.isclose(
                deficit, max(demand - supplied, 0.0), abs_tol=1e-6
            ):
                rows.flag(i, f"{utility}_figures_disagree")



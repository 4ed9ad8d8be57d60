"""Finding the header row of a user's table and mapping its column names to registry fields.

Column names are matched through an alias table (``data/estates/header_aliases.csv``, extendable
with a user's own file of the same columns: ``alias,field,unit``). A unit may be stated in the
header, in brackets (``کمبود آب (متر مکعب در روز)``) or at its end (``water_deficit_m3_day``);
a quantity column without a unit is never given one.

The header row is searched for in the first :data:`MAX_HEADER_SCAN` rows (title rows above it
are skipped); a two-row header made of merged cells (``کمبود`` above ``آب (لیتر بر ثانیه)`` and
``برق (مگاوات)``) is read as one.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from isipo_geo import _paths
from isipo_geo.errors import InputError
from isipo_geo.messages import message
from isipo_geo.names import fold, normalize_fa
from isipo_geo.registry._values import UNIT_INDEX, UNITS, Unit, find_unit
from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS
from isipo_geo.registry.schema import REGISTRY_COLUMNS
from isipo_geo.utilities import FIGURES, UTILITIES

MAX_HEADER_SCAN = 30  # title rows above a header rarely exceed a handful; 30 leaves room
QUIET_ROWS = 5  # rows naming no field after a header was found: the data has begun

QUANTITY_FIELDS: dict[str, tuple[str, str]] = {
    # field -> (registry column, dimension); a field per figure of every utility of
    # data/utilities/utilities.csv: water_supplied, ..., gas_deficit, ...
    "area": ("area_ha", "area"),
    **{
        f"{u.key}_{figure}": (u.column(figure), UNITS[u.unit].dimension)
        for u in UTILITIES
        for figure in FIGURES
    },
    # jobs, units_operating, ... (data/estates/criteria_columns.csv)
    **{c.field: (c.column, UNITS[c.unit].dimension) for c in CRITERIA_COLUMNS},
}
BOOL_FIELDS = tuple(c for c, dtype in REGISTRY_COLUMNS.items() if dtype == "boolean")
TEXT_FIELDS = (
    "id", "name", "name_fa", "name_en", "kind", "province", "status", "town", "county",
    "location_precision", "source", "flags", "utm_zone", "coordinates", "year",
)
COORD_FIELDS = ("lon", "lat", "x", "y", "easting", "northing")
FIELDS = (*TEXT_FIELDS, *QUANTITY_FIELDS, *BOOL_FIELDS, *COORD_FIELDS, "ignore")
NAME_FIELDS = ("name", "name_fa", "name_en")


@dataclass(frozen=True)
class Column:
    """One column of the user's table and what it means.

    ``field`` is None for a column that maps to nothing (``note`` may say why); ``problem`` is set
    when the column maps but cannot be read as it is (a quantity without a unit, an unknown unit,
    a unit of the wrong kind). Problems matter only if the column holds values.
    """

    position: int
    label: str
    field: str | None = None
    unit: Unit | None = None
    problem: str | None = None
    note: str | None = None


# ---------------------------------------------------------------------------------- aliases


def _read_alias_file(path: Path, *, shipped: bool) -> dict[str, tuple[str, str | None]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(message("alias_file_unreadable", exc=exc), path=path) from None
    if not rows or not {"alias", "field"} <= set(rows[0]):
        raise InputError(
            message("alias_file_columns"),
            path=path,
        )
    table: dict[str, tuple[str, str | None]] = {}
    for number, row in enumerate(rows, start=2):
        alias = (row.get("alias") or "").strip()
        field = (row.get("field") or "").strip()
        unit_text = (row.get("unit") or "").strip()
        if not alias:
            continue
        if field not in FIELDS:
            raise InputError(
                message("unknown_field", field=repr(field), fields=', '.join(FIELDS)),
                path=path, row=number, column="field",
            )
        unit_key: str | None = None
        if unit_text:
            unit_key = unit_text if unit_text in UNITS else UNIT_INDEX.get(fold(unit_text))
            if unit_key is None:
                raise InputError(
                    message("unknown_unit", unit_text=repr(unit_text), units=', '.join(UNITS)),
                    path=path, row=number, column="unit",
                )
        key = fold(alias)
        if shipped and key in table and table[key] != (field, unit_key):  # pragma: no cover
            raise InputError(message("alias_twice", alias=repr(alias)), path=path, row=number)
        table[key] = (field, unit_key)
    return table


@cache
def _shipped_aliases() -> dict[str, tuple[str, str | None]]:
    """The shipped alias file, and the headers every utility gets from its names (the file's
    rows win): its registry columns (``gas_deficit_km``), «کمبود گاز», «کسری گاز», «گاز تامین
    شده», «گاز مورد نیاز», "gas deficit", «دارای گاز»."""
    table = _read_alias_file(_paths.data_file("estates", "header_aliases.csv"), shipped=True)
    for alias, field, unit in (*utility_aliases(), *criteria_aliases()):
        table.setdefault(fold(alias), (field, unit))
    return table


def criteria_aliases() -> list[tuple[str, str, str | None]]:
    """``(alias, field, unit)`` of each criteria column (data/estates/criteria_columns.csv): its
    registry column (with its unit), its Persian and English names (with the unit when the name
    says it, «درصد واگذاری»; else the header must state it, «سرمایه‌گذاری (میلیارد تومان)»).

    Examples
    --------
    >>> [a for a in criteria_aliases() if a[1] == "occupancy"]  # doctest: +NORMALIZE_WHITESPACE
    [('occupancy_pct', 'occupancy', 'pct'), ('درصد واگذاری', 'occupancy', 'pct'),
     ('occupancy', 'occupancy', 'pct')]
    """
    out: list[tuple[str, str, str | None]] = []
    for c in CRITERIA_COLUMNS:
        named = c.unit if c.unit_in_label else None
        out += [(c.column, c.field, c.unit), (c.label_fa, c.field, named),
                (c.label_en, c.field, named)]
    return out


def utility_aliases() -> list[tuple[str, str, str | None]]:
    """``(alias, field, unit)`` made from each utility's names (data/utilities/utilities.csv).

    Examples
    --------
    >>> gas = [a for a in utility_aliases() if a[1] == "gas_deficit"]
    >>> gas[:3]  # doctest: +NORMALIZE_WHITESPACE
    [('gas_deficit_km', 'gas_deficit', 'km'), ('gas deficit', 'gas_deficit', None),
     ('کمبود گاز', 'gas_deficit', None)]
    """
    words_fa = {"supplied": ("{} تامین شده",), "demand": ("{} مورد نیاز", "نیاز {}"),
                "deficit": ("کمبود {}", "کسری {}")}
    out: list[tuple[str, str, str | None]] = []
    for u in UTILITIES:
        for figure in FIGURES:
            field = f"{u.key}_{figure}"
            out.append((u.column(figure), field, u.unit))
            out.append((f"{u.label_en} {figure}", field, None))
            out += [(w.format(u.label_fa), field, None) for w in words_fa[figure]]
        out += [(u.has_column, u.has_column, None), (f"دارای {u.label_fa}", u.has_column, None)]
    return out


def load_aliases(
    extra: str | os.PathLike[str] | None = None,
) -> dict[str, tuple[str, str | None]]:
    """The alias table: ``fold(alias) -> (field, unit key or None)``.

    Parameters
    ----------
    extra
        A user's CSV (``alias,field[,unit]``) whose rows are added to, and win over, the shipped
        table.
    """
    table = dict(_shipped_aliases())
    if extra is not None:
        path = Path(extra)
        if not path.is_file():
            raise InputError(message("alias_not_found"), path=path)
        table.update(_read_alias_file(path, shipped=False))
    return table


# ---------------------------------------------------------------------------------- one header

_BRACKETS = re.compile(r"[(\[{](?P<inner>[^)\]}]*)[)\]}]")
_UNIT_SUFFIXES: tuple[str, ...] = tuple(sorted(UNIT_INDEX, key=len, reverse=True))
_CONNECTORS = ("بر حسب", "برحسب", "به", "در", "بر", "in", "per", "as")
_FOLDED_CONNECTORS = tuple(sorted({fold(c) for c in _CONNECTORS}, key=len, reverse=True))


def _lookup(base: str, aliases: dict[str, tuple[str, str | None]]) -> tuple[str, str | None] | None:
    key = fold(base)
    if key in aliases:
        return aliases[key]
    for connector in _FOLDED_CONNECTORS:  # "کمبود آب به لیتر بر ثانیه", "deficit in L/s"
        if key.endswith(connector) and key[: -len(connector)] in aliases:
            return aliases[key[: -len(connector)]]
    return None


def _with_unit(
    position: int, label: str, field: str, unit: Unit | None, unit_text: str | None
) -> Column:
    if field not in QUANTITY_FIELDS:
        return Column(position, label, field)
    column, dimension = QUANTITY_FIELDS[field]
    if unit is None and unit_text:
        return Column(
            position, label, field,
            problem=message("column_unit_unknown", unit=repr(unit_text),
                            examples=_unit_examples(dimension)),
        )
    if unit is None:
        return Column(
            position, label, field,
            problem=message("column_no_unit", example=f"'{label} "
                            f"({_unit_examples(dimension).split(' (')[0]})'", column=column),
        )
    wanted = {"power": ("power", "apparent_power")}.get(dimension, (dimension,))
    if unit.dimension not in wanted:
        return Column(
            position, label, field, unit,
            problem=message("column_wrong_dimension", unit=unit.label,
                            dimension=message(f"dimension_{dimension}"),
                            examples=_unit_examples(dimension)),
        )
    return Column(position, label, field, unit)


def _unit_examples(dimension: str) -> str:
    return {
        "flow": "لیتر بر ثانیه (L/s), متر مکعب در روز (m³/day)",
        "power": "مگاوات (MW), کیلووات (kW), کیلوولت آمپر (kVA, with --power-factor)",
        "area": "هکتار (ha), متر مربع (m²)",
        "length": "کیلومتر (km)",
        "count": "نفر (persons), تعداد (count)",
        "share": "٪ (%)",
        "money": "میلیارد تومان (bn toman)",
    }[dimension]


def map_header(
    label: object, position: int, aliases: dict[str, tuple[str, str | None]]
) -> Column:
    """What one column name means.

    Examples
    --------
    >>> col = map_header("کمبود آب (متر مکعب در روز)", 0, load_aliases())
    >>> col.field, col.unit.key
    ('water_deficit', 'm3_per_day')
    >>> map_header("کمبود آب", 1, load_aliases()).problem.startswith("no unit")
    True
    """
    text = "" if label is None else normalize_fa(str(label))
    if not text:
        return Column(position, f"(column {position + 1})")
    # 1. the whole header is an alias (possibly one that implies its unit: water_deficit_lps)
    hit = _lookup(text, aliases)
    if hit:
        field, unit_key = hit
        return _with_unit(position, text, field, UNITS[unit_key] if unit_key else None, None)
    # 2. a unit in brackets: "کمبود آب (لیتر بر ثانیه)"
    match = _BRACKETS.search(text)
    if match:
        inner = match.group("inner").strip()
        base = (text[: match.start()] + " " + text[match.end():]).strip()
        hit = _lookup(base, aliases)
        if hit:
            field, alias_unit = hit
            unit = find_unit(inner)
            if field not in QUANTITY_FIELDS:
                if unit is not None:  # "آب (لیتر بر ثانیه)": which water figure is it?
                    return Column(
                        position, text,
                        note=f"{base!r} is a yes/no or text column, but a unit is stated; "
                        "name the figure, e.g. 'کمبود آب (لیتر بر ثانیه)'",
                    )
                return Column(position, text, field)  # "(فارسی)", "(درجه)": a remark
            if alias_unit and unit and alias_unit != unit.key:
                return Column(
                    position, text, field,
                    problem=message("column_two_units", first=UNITS[alias_unit].label,
                                    second=unit.label),
                )
            if alias_unit and unit is None:
                return _with_unit(position, text, field, UNITS[alias_unit], None)
            return _with_unit(position, text, field, unit, inner)
    # 3. a unit at the end: "water_deficit_m3_day", "کمبود آب لیتر بر ثانیه"
    folded = fold(text)
    for suffix in _UNIT_SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            hit = _lookup(folded[: -len(suffix)], aliases)
            if hit and hit[0] in QUANTITY_FIELDS:
                return _with_unit(position, text, hit[0], UNITS[UNIT_INDEX[suffix]], None)
    return Column(position, text)


# ---------------------------------------------------------------------------------- header row


@dataclass(frozen=True)
class Header:
    """The header found in a table: the rows it spans (0-based) and its columns."""

    rows: tuple[int, ...]
    columns: tuple[Column, ...]

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1

    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field and c.field != "ignore"}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return normalize_fa(str(value))


def _score(columns: list[Column]) -> int:
    return len({c.field for c in columns if c.field and c.field != "ignore"})


def _single(row: list[object], aliases: dict[str, tuple[str, str | None]]) -> list[Column]:
    return [map_header(v, j, aliases) for j, v in enumerate(row)]


_MEMOS: dict[int, dict[tuple[str, int], Column]] = {}
_MEMO_MAX = 50_000


def _memo(aliases: dict[str, tuple[str, str | None]]):
    """map_header with a memory of texts already seen (a header search maps many cells, and a
    batch of files repeats the same headers), kept per alias table."""
    seen = _MEMOS.setdefault(hash(frozenset(aliases.items())), {})
    if len(seen) > _MEMO_MAX:
        seen.clear()

    def mapped(value: object, position: int, _aliases: object = None) -> Column:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Column(position, _cell_text(value))  # a number names no field
        key = ("" if value is None else str(value), position)
        if key not in seen:
            seen[key] = map_header(value, position, aliases)
        return seen[key]

    return mapped


def _pair(upper: list[object], lower: list[object], mapper) -> list[Column]:
    width = max(len(upper), len(lower))
    up = [_cell_text(upper[j]) if j < len(upper) else "" for j in range(width)]
    low = [_cell_text(lower[j]) if j < len(lower) else "" for j in range(width)]
    filled, last = [], ""
    for text in up:  # a merged group label stands over the empty cells to its right
        last = text or last
        filled.append(last)
    columns = []
    for j in range(width):
        candidates = []
        if low[j] and filled[j]:
            candidates.append(f"{filled[j]} {low[j]}")
        if low[j]:
            candidates.append(low[j])
        if up[j]:
            candidates.append(up[j])
        chosen = None
        for text in candidates:
            col = mapper(text, j)
            if col.field or col.note:
                chosen = col
                break
        if chosen is None:
            chosen = mapper(candidates[0] if candidates else None, j)
        columns.append(chosen)
    return columns


def _could_be_subheader(row: list[object]) -> bool:
    """A second header row holds text only (data rows hold numbers)."""
    texts = [v for v in row if v is not None and not (isinstance(v, float) and v != v)]
    return bool(texts) and all(isinstance(v, str) and not _NUMERIC.match(v) for v in texts)


_NUMERIC = re.compile(r"^\s*[-+]?[\d\u06f0-\u06f9\u0660-\u0669.,٫٬/]+\s*$")


def find_header(
    rows: list[list[object]],
    aliases: dict[str, tuple[str, str | None]],
    *,
    fixed: bool = False,
) -> Header | None:
    """Find the header among the first rows of a table; None if no row looks like one.

    A header must name at least two fields, one of them a name column. With ``fixed``, row 0 is
    the header (GIS layers, whose attribute names are the header).
    """
    if fixed:
        return Header((0,), tuple(_single(rows[0], aliases))) if rows else None
    best: Header | None = None
    best_score = 1
    mapper = _memo(aliases)
    scan = rows[: MAX_HEADER_SCAN + 1]
    singles = [[mapper(v, j) for j, v in enumerate(r)] for r in scan]
    quiet = 0
    for i in range(min(len(scan), MAX_HEADER_SCAN)):
        # Once a header is found, a run of rows that name nothing is data: stop looking.
        quiet = quiet + 1 if _score(singles[i]) == 0 else 0
        if best is not None and quiet >= QUIET_ROWS:
            break
        candidates = [((i,), singles[i])]
        if i + 1 < len(scan) and _could_be_subheader(scan[i + 1]):
            pair = _pair(scan[i], scan[i + 1], mapper)
            # A merged group label spans two or more columns, so a real second header row adds
            # at least two fields; a data row that happens to hold one alias ("x") does not.
            if _score(pair) >= _score(singles[i]) + 2 and _score(pair) > _score(singles[i + 1]):
                candidates.append(((i, i + 1), pair))
        for span, columns in candidates:
            score = _score(columns)
            names = any(c.field in NAME_FIELDS for c in columns)
            if names and score > best_score:
                best, best_score = Header(span, tuple(columns)), score
    return best


def describe_fields() -> str:
    """A one-line reminder of the column names the importer knows, for error messages."""
    return (
        "نام شهرک / name, استان / province, نوع / kind, وضعیت / status, مساحت (هکتار) / area_ha, "
        "کمبود آب (لیتر بر ثانیه) / water_deficit_lps, کمبود برق (مگاوات) / power_deficit_mw, "
        "گاز / has_gas, طول و عرض جغرافیایی / lon, lat, easting/northing + zone, شهر / town"
    )

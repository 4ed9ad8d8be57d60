"""Import a user's estate registry (the official list, a provincial company's sheet, a GIS layer)
into the registry format of :data:`isipo_geo.registry.schema.REGISTRY_COLUMNS`, losing nothing.

Every data row of the input ends up either accepted (in the registry, perhaps with flags) or
rejected (in the rejects table, with its row number, column and reason). Nothing is guessed: a
quantity without a stated unit, a UTM coordinate without a zone, or kVA without a power factor
stops the import with a message saying what to add.

:func:`import_registry` reads and checks (no writing unless asked); :func:`write_registry`
writes the registry and the rejects atomically.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.messages import Message, message, numeral, persian, prefixed, reason_of
from isipo_geo.registry import _fields, _values
from isipo_geo.registry._fields import (
    MAX_AREA_HA,
    MAX_POWER_MW,
    MAX_WATER_LPS,
    Out,
    Rows,
    fold_cached,
)
from isipo_geo.registry._headers import NAME_FIELDS, QUANTITY_FIELDS, Column
from isipo_geo.registry.schema import REGISTRY_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from isipo_geo.registry._tables import Progress, RawTable

__all__ = [
    "DEFAULT_REGISTRY", "FLAG_SEP", "MAX_AREA_HA", "MAX_POWER_MW", "MAX_WATER_LPS",
    "ImportResult", "default_rejects_path", "generated_id", "import_registry", "write_registry",
]

FLAG_SEP = ";"
FLAG_HTML = "html_removed"  # :<column>
FLAG_FORMULA = "formula_like"  # :<column> — a name starting with = + - @ (stored as text)
FLAG_NO_RESULT = _fields.FLAG_NO_RESULT  # :<column> — a formula with no saved result
FLAG_PROVINCE_SPELLING = _fields.FLAG_PROVINCE_SPELLING  # :<text> — a misspelt province read
FLAG_DUPLICATE = "duplicate_of"  # :<id of the other estate with the same name and province>
DEFAULT_REGISTRY = Path("registry.csv")
"""Where ``isipo-geo import`` writes when no --registry is given: ``registry.csv`` in the current
folder (never the shipped ``data/estates/estates.csv``)."""


@dataclass(frozen=True)
class ImportResult:
    """What an import produced.

    Attributes
    ----------
    registry
        Accepted rows: the columns of REGISTRY_COLUMNS with their dtypes, one row per estate.
    rejects
        Rejected rows: ``row`` (as the user finds it in the file), ``column`` and ``reason``
        (several problems joined by " | "), then the row's original cells.
    rows_read
        Data rows read (blank lines and repeated header rows are not counted); always
        ``len(registry) + len(rejects)``.
    flagged
        Accepted rows that carry at least one flag.
    """

    registry: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    flagged: int
    source: Path
    sheet: str | None = None
    encoding: str | None = None
    header_rows: tuple[int, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    skipped: int = 0
    notes: tuple[str, ...] = ()

    @property
    def accepted(self) -> int:
        return len(self.registry)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def flag_counts(self) -> dict[str, int]:
        """How many accepted rows carry each flag (the part before ':'; ``point_in_province``,
        the detail of ``outside_stated_province``, is not counted apart)."""
        counts: dict[str, int] = {}
        for flags in self.registry["flags"].dropna():
            for flag in {f.split(":")[0] for f in str(flags).split(FLAG_SEP) if f} - {
                "point_in_province"
            }:
                counts[flag] = counts.get(flag, 0) + 1
        return dict(sorted(counts.items()))


def import_registry(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    registry: str | os.PathLike[str] | None = None,
    rejects: str | os.PathLike[str] | None = None,
    aliases: str | os.PathLike[str] | None = None,
    power_factor: float | None = None,
    utm_zone: int | None = None,
    year: str | int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a user's estate list and check every row.

    Parameters
    ----------
    path
        A CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1256), XLSX, GeoJSON, GeoPackage
        or Shapefile. The header row may sit below title rows and span two rows of merged cells.
    sheet
        The workbook sheet or GeoPackage layer (needed when several hold estate tables).
    registry, rejects
        When ``registry`` is given the result is also written there (and the rejects to
        ``rejects``, by default beside it) with :func:`write_registry`.
    aliases
        A CSV ``alias,field[,unit]`` of extra column names (see
        ``data/estates/header_aliases.csv``).
    power_factor
        Needed to convert kVA/MVA columns to MW (MW = kVA × power factor / 1000); never assumed.
    utm_zone
        The UTM zone (38–41) of easting/northing columns when the file has no zone column.
    year
        The Jalali year of the file's figures (e.g. 1403), for rows without a ``year`` cell.
        Without it, the year written above the header (the template's «سال اطلاعات» cell) is
        used; else the year stays unknown — never assumed.
    progress
        ``progress(stage, done, total)`` called while a large file is read.

    Returns
    -------
    ImportResult
        Accepted registry, rejects, counts.

    Raises
    ------
    InputError
        The file cannot be read, no header row or no name/province column is found, or a column
        cannot be read as it is (a quantity without unit, kVA without power factor, UTM without
        zone). Nothing is written then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "list.csv"
    >>> _ = f.write_text("نام شهرک,استان,کمبود آب (متر مکعب در روز)\\n"
    ...                  "شهرک صنعتی اسکو,آذربایجان شرقی,۸۶۴\\n", encoding="utf-8")
    >>> result = import_registry(f)
    >>> result.accepted, float(result.registry.loc[0, "water_deficit_lps"])
    (1, 10.0)
    """
    from isipo_geo.registry._headers import load_aliases
    from isipo_geo.registry._tables import read_table

    utm_zone, file_year = check_options(power_factor=power_factor, utm_zone=utm_zone, year=year)
    alias_table = load_aliases(aliases)
    table = read_table(path, sheet=sheet, progress=progress)
    result = _import_table(
        table, alias_table, power_factor=power_factor, utm_zone=utm_zone, progress=progress,
        year=file_year,
    )
    if registry is not None:
        write_registry(result, registry, rejects)
    return result


def check_options(
    *, power_factor: float | None, utm_zone: object, year: str | int | None = None
) -> tuple[int | None, str]:
    """Refuse a power factor outside (0, 1], a UTM zone not of Iran or a year that is not a
    Jalali year; returns the zone and the year (``""`` when not given)."""
    if power_factor is not None and not 0 < power_factor <= 1:
        raise InputError(message("power_factor_range", power_factor=power_factor))
    zone = None
    if utm_zone is not None:
        try:
            zone = _parse_zone(utm_zone)
        except ValueError as exc:
            raise InputError(prefixed("--utm-zone:", reason_of(exc))) from None
    file_year = ""
    if year is not None and str(year).strip():
        file_year = _fields.jalali_year(year) or ""
        if not file_year:
            raise InputError(message("year_option_bad", year=repr(year)))
    return zone, file_year


def import_table(
    table: RawTable,
    aliases: dict[str, tuple[str, str | None]],
    *,
    power_factor: float | None = None,
    utm_zone: int | None = None,
    year: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """:func:`import_registry` on a table already read (``_tables.read_tables``), with the alias
    table already loaded and the options already checked (:func:`check_options`)."""
    return _import_table(table, aliases, power_factor=power_factor, utm_zone=utm_zone,
                         progress=progress, year=year)


def _parse_zone(value: object) -> int | None:
    from isipo_geo.registry._locate import parse_zone

    return parse_zone(value)


# ---------------------------------------------------------------------------------- the table


def _import_table(
    table: RawTable,
    aliases: dict[str, tuple[str, str | None]],
    *,
    power_factor: float | None,
    utm_zone: int | None,
    progress: Progress | None,
    year: str = "",
) -> ImportResult:
    """One table read (its header found, its rows read and checked) into an import result."""
    path = table.path
    header = _table_header(table, aliases)
    header_row_numbers = tuple(table.row_numbers[i] for i in header.rows)
    columns = _check_columns(header.columns, table, path=path, header_rows=header_row_numbers,
                             power_factor=power_factor)
    data, numbers, positions, skipped = _data_rows(table, header)
    if not data:
        raise InputError(
            message("no_data_rows", header_row_numbers=header_row_numbers[-1]),
            path=path,
        )
    n = len(data)
    if progress:
        progress("check", 0, n)
    cells = _cells_of(data)
    by_field: dict[str, Column] = {c.field: c for c in columns if c.field}
    stated = _stated_year(table, header.rows[0])
    rows, out = _read_rows(
        table, header, columns, data, numbers, positions, power_factor=power_factor,
        utm_zone=utm_zone, progress=progress, year=year or stated,
    )
    accepted = [i for i in range(n) if rows.ok(i)]
    registry = _registry_frame(out, accepted)
    rejects = _rejects_frame(rows, data, numbers, header.columns)
    unmapped = tuple(c.label + (f" ({c.note})" if c.note else "") for c in header.columns
                     if not c.field and any(not _values.is_missing(v) for v in cells(c)))
    return ImportResult(
        registry=registry,
        rejects=rejects,
        rows_read=n,
        flagged=int(registry["flags"].notna().sum()),
        source=path,
        sheet=table.sheet,
        encoding=table.encoding,
        header_rows=header_row_numbers,
        columns={c.label: _target(c) for c in columns if c.field and c.field != "ignore"},
        unmapped=unmapped,
        skipped=skipped,
        notes=tuple(_import_notes(
            table, columns, by_field, power_factor=power_factor, utm_zone=utm_zone, year=year,
            stated=stated,
        )),
    )


def _table_header(table: RawTable, aliases: dict[str, tuple[str, str | None]]) -> Any:
    """The table's header (given, or found in its first rows); an error naming the first row
    and the columns to name when there is none with an estate name column."""
    from isipo_geo.registry._headers import describe_fields, find_header

    header = table.header if table.header is not None else find_header(
        table.rows, aliases, fixed=table.kind == "gis")
    if header is not None and header.fields() & set(NAME_FIELDS):
        return header
    first = next((r for r in table.rows if any(v is not None for v in r)), [])
    seen = ", ".join(repr(str(v)) for v in first if v is not None)[:300]
    more = ""
    if table.formulas:
        from isipo_geo.registry._formulas import cell_name

        k, j = min(table.formulas)
        more = message("header_formulas", n=len(table.formulas), first=cell_name(k, j))
    raise InputError(
        message("no_header_row", value=seen or message("empty_row"), value2=describe_fields(),
                more=more),
        path=table.path,
    )


def _data_rows(
    table: RawTable, header: Any
) -> tuple[list[list[Any]], list[int], list[int], int]:
    """The data rows below the header (blank rows and header rows repeated on later pages
    skipped): the rows, their numbers in the file, their places in the table, and how many
    were skipped."""
    last_header = table.rows[header.rows[-1]]
    data: list[list[Any]] = []
    numbers: list[int] = []
    positions: list[int] = []
    skipped = 0
    formula_rows = {k for k, _ in table.formulas}
    for k in range(header.first_data_row, len(table.rows)):
        row = table.rows[k]
        if table.kind != "gis" and k not in formula_rows and all(
            _values.is_missing(v) for v in row
        ):
            skipped += 1
            continue
        if table.kind != "gis" and _repeats_header(row, last_header):
            skipped += 1
            continue
        data.append(row)
        numbers.append(table.row_numbers[k])
        positions.append(k)
    return data, numbers, positions, skipped


def _cells_of(data: list[list[Any]]) -> Callable[[Column], list[Any]]:
    """A column's cells in the data rows (None beyond a short row's end)."""

    def cells(col: Column) -> list[Any]:
        j = col.position
        return [row[j] if j < len(row) else None for row in data]

    return cells


def _read_rows(
    table: RawTable,
    header: Any,
    columns: list[Column],
    data: list[list[Any]],
    numbers: list[int],
    positions: list[int],
    *,
    power_factor: float | None,
    utm_zone: int | None,
    progress: Progress | None,
    year: str,
) -> tuple[Rows, dict[str, list[Any]]]:
    """Every field of the data rows read and checked: the rows' verdicts and the registry's
    columns (sources, ids and flags given)."""
    n = len(data)
    cells = _cells_of(data)
    by_field: dict[str, Column] = {c.field: c for c in columns if c.field}
    rows = Rows(n)
    out: dict[str, list[Any]] = {c: [None] * n for c in REGISTRY_COLUMNS}
    width = len(header.columns)
    for i, row in enumerate(data):
        extra = [j for j in range(width, len(row)) if not _values.is_missing(row[j])]
        if extra:
            rows.reject(i, f"(column {extra[0] + 1})",
                        message("row_wider_than_header", cells=max(extra) + 1, width=width))
    _fields.read_text_fields(by_field, cells, rows, out)
    _fields.read_quantities(by_field, cells, rows, out, power_factor=power_factor)
    _fields.read_booleans(by_field, cells, rows, out)
    _fields.read_year(by_field, cells, rows, out, default=year)
    province_given = _fields.read_province(by_field, cells, rows, out)
    if progress:
        progress("check", n // 3, n)
    from isipo_geo.registry import _locate

    _locate.locate(
        table, by_field, cells, rows, out, positions=positions, province_given=province_given,
        utm_zone=utm_zone,
    )
    if progress:
        progress("check", 2 * n // 3, n)
    _fields.check_kinds(by_field, cells, rows, out)
    _fields.check_values(rows, out)
    if table.formulas:
        _fields.read_unsaved_formulas(rows, _unsaved_formulas(table, positions, columns))
    source = table.path.name + (
        f" [{table.sheet}]" if table.kind == "xlsx" and table.sheet else ""
    )
    for i in range(n):
        mine = f"{source} row {numbers[i]}"
        out["source"][i] = f"{out['source'][i]}; {mine}" if out["source"][i] else mine
    _assign_ids(rows, out, numbers)
    _flag_duplicates(rows, out)
    for i in range(n):
        given = [f for f in (out["flags"][i] or "").split(FLAG_SEP) if f]
        merged = given + [f for f in rows.flags[i] if f not in given]
        out["flags"][i] = FLAG_SEP.join(merged) or None
    if progress:
        progress("check", n, n)
    return rows, out


def _import_notes(
    table: RawTable,
    columns: list[Column],
    by_field: dict[str, Column],
    *,
    power_factor: float | None,
    utm_zone: int | None,
    year: str,
    stated: str,
) -> list[str]:
    """The table's notes, then what the options found nothing to act on (said, never
    silently dropped) and the data year used."""
    notes = list(table.notes)
    if power_factor is not None and not any(
        c.unit is not None and c.unit.dimension == "apparent_power" for c in columns
    ):
        notes.append(message("note_power_factor_unused", factor=f"{power_factor:g}"))
    if utm_zone is not None and not set(by_field) & {"easting", "northing", "x", "y"}:
        notes.append(message("note_utm_zone_unused", zone=utm_zone))
    if year:
        notes.append(message("note_year_option", year=numeral(year)))
    elif stated:
        notes.append(message("note_year_stated", year=numeral(stated)))
    elif "year" not in by_field:
        notes.append(message("note_year_unknown"))
    return notes


def _unsaved_formulas(
    table: RawTable, positions: list[int], columns: list[Column]
) -> list[tuple[int, Column, str]]:
    """The formula cells without a saved result in the data rows and the columns read: (data
    row, column, ``C4 (=CONCAT(A4,"x"))``)."""
    from isipo_geo.registry._formulas import cell_name, shown

    data_row = {k: i for i, k in enumerate(positions)}
    by_position = {c.position: c for c in columns if c.field and c.field != "ignore"}
    found = []
    for (k, j), formula in sorted(table.formulas.items()):
        if k in data_row and j in by_position:
            found.append((data_row[k], by_position[j], f"{cell_name(k, j)} ({shown(formula)})"))
    return found


YEAR_LABELS = ("سال اطلاعات", "data year")
"""Labels of the cell above the header that states the file's year (the template's)."""


def _stated_year(table: RawTable, header_start: int) -> str:
    """The year written beside a «سال اطلاعات» / "data year" cell above the header, or ""."""
    from isipo_geo.names import fold

    keys = tuple(fold(label) for label in YEAR_LABELS)
    for k in range(header_start):
        row = table.rows[k]
        for j, cell in enumerate(row):
            if _values.is_missing(cell) or not fold(str(cell)).startswith(keys):
                continue
            value = next((v for v in row[j + 1:] if not _values.is_missing(v)), None)
            if value is None:
                return ""
            text = _fields.jalali_year(value)
            if text is None:
                raise InputError(
                    message("data_year_bad", value=repr(value)),
                    path=table.path,
                    row=table.row_numbers[k],
                )
            return text
    return ""


def _target(col: Column) -> str:
    """The field a column fills, with the unit its values were read in (``area_ha (from ha)``;
    a :class:`~isipo_geo.messages.Message`, its Persian ``area_ha (از هکتار)``)."""
    if col.field in QUANTITY_FIELDS and col.unit:
        field = QUANTITY_FIELDS[col.field][0]
        return Message(f"{field} (from {col.unit.label})", f"{field} (از {col.unit.label_fa})")
    return col.field or ""


def _repeats_header(row: list[Any], header_row: list[Any]) -> bool:
    """A row that repeats the header (tables exported page by page)."""
    same = sum(1 for a, b in zip(row, header_row, strict=False) if a is not None and a == b)
    return same >= 2 and same >= sum(1 for h in header_row if h is not None) / 2


def _check_columns(
    columns: tuple[Column, ...],
    table: RawTable,
    *,
    path: Path,
    header_rows: tuple[int, ...],
    power_factor: float | None,
) -> list[Column]:
    """Refuse a table whose columns cannot be read as they are (file-level problems)."""
    start = max(table.row_numbers.index(r) for r in header_rows) + 1 if header_rows else 0

    def has_values(col: Column) -> bool:
        return any(
            not _values.is_missing(r[col.position])
            for r in table.rows[start:]
            if col.position < len(r)
        )

    where = (message("where_header_row", row=header_rows[-1]) if table.kind != "gis"
             else message("where_attributes"))
    used: dict[str, Column] = {}
    kept: list[Column] = []
    for col in columns:
        if not col.field or col.field == "ignore":
            continue
        if col.problem:
            if has_values(col):
                raise InputError(message("column_problem", label=repr(col.label), where=where,
                                         problem=col.problem), path=path)
            continue  # an empty column with a problem carries nothing to lose
        other = used.get(col.field)
        if other is not None:
            raise InputError(
                message("columns_same_field", label=repr(other.label), label2=repr(col.label),
                        col=_target(col)),
                path=path,
            )
        used[col.field] = col
        kept.append(col)
    fields = set(used)
    if "name" in fields and {"name_fa", "name_en"} <= fields:
        raise InputError(
            message("three_name_columns", label=repr(used['name'].label),
                    label2=repr(used['name_fa'].label), label3=repr(used['name_en'].label)),
            path=path,
        )
    has_location = bool(fields & {"lon", "lat", "x", "y", "easting", "northing", "coordinates"})
    if "province" not in fields and not (has_location or table.lon is not None):
        found = ", ".join(repr(c.label) for c in columns if not c.label.startswith("(column "))
        raise InputError(
            message("missing_province_column", where=where, found=found),
            path=path,
        )
    for col in kept:
        apparent = col.unit is not None and col.unit.dimension == "apparent_power"
        if apparent and power_factor is None and has_values(col):
            raise InputError(
                message("needs_power_factor", label=repr(col.label), label2=col.unit.label,
                        value=' / 1000' if col.unit.key == 'kva' else ''),
                path=path,
            )
    return kept


def _assign_ids(rows: Rows, out: Out, numbers: list[int]) -> None:
    seen: dict[str, int] = {}
    for i in range(len(rows.errors)):
        if not rows.ok(i):
            continue
        ident = out["id"][i]
        if ident:
            if ident in seen:
                rows.reject(i, "id", message("id_reused", value=repr(ident),
                                             row=numbers[seen[ident]]))
                continue
            seen[ident] = i
    for i in range(len(rows.errors)):
        if not rows.ok(i) or out["id"][i]:
            continue
        base = generated_id(out["province"][i], out["name_fa"][i] or out["name_en"][i])
        ident, k = base, 1
        while ident in seen:
            k += 1
            ident = f"{base}-{k}"
        seen[ident] = i
        out["id"][i] = ident


def generated_id(province: str, name: str) -> str:
    """The id given to an estate the file gives none: province key + a hash of the folded name
    (the Persian one, or the Latin one when there is none), so the same estate gets the same id
    from any file.

    Examples
    --------
    >>> generated_id("east_azerbaijan", "شهرك صنعتي اسكو") == generated_id(
    ...     "east_azerbaijan", "شهرک صنعتی اسکو")
    True
    """
    digest = hashlib.sha1(f"{province}|{fold_cached(name)}".encode()).hexdigest()[:8]
    return f"{province}-{digest}"


def _flag_duplicates(rows: Rows, out: Out) -> None:
    groups: dict[tuple[str, str], list[int]] = {}
    for i in range(len(rows.errors)):
        if rows.ok(i):
            name = out["name_fa"][i] or out["name_en"][i] or ""
            groups.setdefault((out["province"][i], fold_cached(name)), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            for i in members:
                other = members[1] if i == members[0] else members[0]
                rows.flag(i, f"{FLAG_DUPLICATE}:{out['id'][other]}")


# ---------------------------------------------------------------------------------- frames


def _registry_frame(out: dict[str, list[Any]], accepted: list[int]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    frame = {}
    for col, dtype in REGISTRY_COLUMNS.items():
        values = [out[col][i] for i in accepted]
        if dtype == "Float64":  # built from its parts: pd.array() is slow on small columns
            digits = 6 if col in ("lon", "lat") else 9
            data = np.array([np.nan if v is None else round(float(v), digits) for v in values],
                            dtype=float)
            missing = np.isnan(data)
            frame[col] = pd.arrays.FloatingArray(np.where(missing, 0.0, data), missing)
        else:
            frame[col] = pd.array(values, dtype=dtype)
    return pd.DataFrame(frame)


def _rejects_frame(
    rows: Rows, data: list[list[Any]], numbers: list[int], columns: tuple[Column, ...]
) -> pd.DataFrame:
    import pandas as pd

    labels = []
    for c in columns:
        label = c.label
        while label in ("row", "column", "reason", "reason_fa") or label in labels:
            label = f"{label} (input)"
        labels.append(label)
    records = []
    for i, errors in enumerate(rows.errors):
        if not errors:
            continue
        record: dict[str, Any] = {
            "row": numbers[i],
            "column": " | ".join(dict.fromkeys(c for c, _ in errors)),
            "reason": " | ".join(r for _, r in errors),
            "reason_fa": " | ".join(persian(r) or r for _, r in errors),
        }
        row = data[i]
        for col, label in zip(columns, labels, strict=True):
            v = row[col.position] if col.position < len(row) else None
            record[label] = "" if _values.is_missing(v) and not isinstance(v, str) else _cell(v)
        records.append(record)
    frame = pd.DataFrame(records, columns=["row", "column", "reason", "reason_fa", *labels])
    return frame.astype({"row": "int64"}) if len(frame) else frame


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------------- writing


def default_rejects_path(registry_path: str | os.PathLike[str]) -> Path:
    """``registry.csv`` → ``registry.rejects.csv`` beside it."""
    p = Path(registry_path)
    return p.with_name(f"{p.stem}.rejects.csv")


def check_outputs(targets: list[Path], *, inputs: list[Path]) -> None:
    """Refuse to write over the shipped registry, an input file, or one output twice."""
    from isipo_geo import _paths

    shipped = _paths.data_dir() / "estates" / "estates.csv"
    sources = {Path(p).resolve() for p in inputs}
    for target in targets:
        if target.resolve() == shipped.resolve():
            raise InputError(
                message("overwrite_shipped"),
                path=target,
            )
        if target.resolve() in sources:
            raise InputError(message("overwrite_input"), path=target)
    if len({t.resolve() for t in targets}) < len(targets):
        raise InputError(message("registry_rejects_same_path"), path=targets[-1])


def write_registry(
    result: ImportResult,
    registry_path: str | os.PathLike[str],
    rejects_path: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path]:
    """Write the accepted registry (UTF-8 with BOM) and the rejects together, atomically: both
    files appear or neither does (a full disk leaves the previous pair as it was).

    The rejects file is always written (with only its header when nothing was rejected), so an
    old one never lingers beside a new registry.

    Raises
    ------
    InputError
        The target is the shipped registry or the input file itself.
    """
    from isipo_geo.io import atomic_files
    from isipo_geo.registry._cells import registry_to_csv_text

    registry_path = Path(registry_path)
    rejects_path = Path(rejects_path) if rejects_path else default_rejects_path(registry_path)
    check_outputs([registry_path, rejects_path], inputs=[result.source])
    from isipo_geo.tables import neutralise_frame

    rejects = neutralise_frame(result.rejects)  # opened in Excel: no live formulas
    rejects_text = rejects.to_csv(index=False, lineterminator="\n")
    registry_text = registry_to_csv_text(result.registry, derived=True)
    with atomic_files([rejects_path, registry_path]) as (rejects_tmp, registry_tmp):
        for tmp, text in ((rejects_tmp, rejects_text), (registry_tmp, registry_text)):
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
    return registry_path, rejects_path

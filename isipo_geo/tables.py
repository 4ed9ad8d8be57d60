"""Writing result tables for Excel, QGIS and scripts: CSV, XLSX, JSON and GeoPackage, chosen by
the output file's extension, always atomically."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.io import atomic_path, atomic_write

if TYPE_CHECKING:
    import pandas as pd

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".gpkg": "gpkg"}

# Persian headers shown above the English ones in XLSX sheets.
HEADERS_FA = {
    "scope": "سطح",
    "province": "استان (کلید)",
    "province_fa": "استان",
    "estate_id": "شناسه شهرک",
    "utility": "زیرساخت",
    "scenario": "سناریو",
    "deficit": "کمبود",
    "deficit_unit": "واحد کمبود",
    "unit_cost": "هزینه واحد",
    "unit_cost_unit": "واحد هزینه",
    "need": "اعتبار مورد نیاز",
    "currency": "پول",
    "scale": "مقیاس",
    "basis": "مبنا",
    "cost_case": "حالت هزینه",
    "source": "منبع",
    "note": "یادداشت",
    "rank": "رتبه",
    "funded": "تامین شده",
    "gap_left": "کسری باقی‌مانده",
    "status": "وضعیت",
    "funded_in": "سال تامین",
    "reason": "دلیل",
    "estate_name_fa": "نام شهرک",
    "year": "سال داده",
    "status_fa": "وضعیت تأمین",
    "fiscal_year": "سال مالی",
    "budget": "اعتبار سال",
    "carried_in": "مانده از سال قبل",
    "available": "اعتبار در دسترس",
    "spent": "هزینه‌شده",
    "carried_out": "مانده به سال بعد",
    "gaps": "شمار کمبودها",
    "gaps_funded": "کمبودهای تأمین‌شده",
}


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: object) -> bool:
    """True for text a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1``, ``@SUM``).

    Examples
    --------
    >>> formula_like("=HYPERLINK(\"http://x\")"), formula_like("شهرک الف")
    (True, False)
    """
    return isinstance(text, str) and text.startswith(FORMULA_START)


def neutralise_formula(text: str) -> str:
    """Text made safe for a CSV opened in Excel, as OWASP recommends: a leading ``'`` (shown by
    no spreadsheet, which then treats the cell as text). Other text is returned unchanged."""
    return "'" + text if formula_like(text) else text


def output_format(path: str | Path, *, allowed: tuple[str, ...] = tuple(FORMATS.values())) -> str:
    """The format named by a file's extension; a clear error for any other."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None or fmt not in allowed:
        exts = ", ".join(e for e, f in FORMATS.items() if f in allowed)
        raise InputError(f"cannot write {Path(path).name}: use one of the extensions {exts}")
    return fmt


def _plain(value: object) -> object:
    """Decimal → int/float for JSON and Excel; missing → None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    try:
        if value != value:  # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    return value


def write_records(
    rows: Sequence[Mapping[str, object]],
    path: str | Path,
    *,
    columns: Sequence[str] | None = None,
    sheet_name: str = "isipo-geo",
) -> Path:
    """Write rows (dicts) as CSV, XLSX or JSON by the extension of ``path`` — no pandas needed.

    CSV is UTF-8 with a BOM (Excel then shows Persian correctly) and CRLF line ends; XLSX has a
    right-to-left sheet with Persian and English headers; JSON is a list of objects. Decimals
    are written exactly in CSV; missing values are empty cells / ``null``. Text that a
    spreadsheet would run as a formula (``= + - @``, tab, CR first) is stored as text in XLSX and
    prefixed with ``'`` in CSV (OWASP); numbers are never touched.
    """
    path = Path(path)
    fmt = output_format(path, allowed=("csv", "xlsx", "json"))
    cols = list(columns) if columns is not None else list(rows[0]) if rows else []
    if fmt == "csv":
        with atomic_write(path, encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(cols)
            for r in rows:
                writer.writerow(_csv_cell(r.get(c)) for c in cols)
    elif fmt == "json":
        records = [{c: _plain(r.get(c)) for c in cols} for r in rows]
        with atomic_write(path) as f:
            json.dump(records, f, ensure_ascii=False, indent=1)
            f.write("\n")
    else:
        _write_xlsx(cols, [[_plain(r.get(c)) for c in cols] for r in rows], path, sheet_name)
    return path


def _csv_cell(value: object) -> object:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return neutralise_formula(plain) if isinstance(plain, str) else plain


def write_table(
    df: pd.DataFrame,
    path: str | Path,
    *,
    geometries: Sequence[object] | None = None,
    sheet_name: str = "isipo-geo",
    layer: str = "isipo_geo",
) -> Path:
    """Write a DataFrame to ``path`` in the format of its extension (see :func:`write_records`);
    a GeoPackage needs ``geometries`` (aligned with ``df``'s rows, EPSG:4326) and opens in QGIS.
    """
    path = Path(path)
    fmt = output_format(path)
    if fmt != "gpkg":
        return write_records(
            df.to_dict(orient="records"), path, columns=list(df.columns), sheet_name=sheet_name
        )
    if geometries is None:
        raise InputError(f"{path.name}: this table has no geometries; write .csv or .xlsx")
    import geopandas as gpd

    plain = df.copy()
    for col in plain.columns:
        if plain[col].map(lambda v: isinstance(v, Decimal)).any():
            plain[col] = plain[col].map(_plain).astype("Float64")
    gdf = gpd.GeoDataFrame(plain, geometry=list(geometries), crs="EPSG:4326")
    with atomic_path(path) as tmp:
        gdf.to_file(tmp, driver="GPKG", layer=layer)
    return path


def _write_xlsx(columns: list[str], values: list[list[object]], path: Path, sheet: str) -> None:
    _write_sheets({sheet: (columns, values)}, path)


def _write_sheets(sheets: Mapping[str, tuple[list[str], list[list[object]]]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    first = True
    for sheet, (columns, values) in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet[:31]
        ws.sheet_view.rightToLeft = True
        ws.append([f"{HEADERS_FA[c]}\n{c}" if c in HEADERS_FA else str(c) for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in values:
            ws.append(row)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if formula_like(cell.value):  # text, never a live formula (openpyxl guesses "f")
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, col in enumerate(columns, start=1):
            width = max([len(str(col))] + [len(str(r[i - 1])) for r in values[:200]]) + 2
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(width, 60)
    save_workbook(wb, path)


def save_workbook(wb: object, path: str | Path) -> None:
    """Save an openpyxl workbook atomically. It is built in memory first, so a full disk fails
    in our own write (one OutputError naming the file) and never inside openpyxl's zip writer,
    which would leave a half-closed archive behind."""
    from io import BytesIO

    buffer = BytesIO()
    wb.save(buffer)  # type: ignore[attr-defined]
    with atomic_write(path, mode="wb") as f:
        f.write(buffer.getbuffer())


def write_plan_tables(
    tables: Mapping[str, tuple[Sequence[Mapping[str, object]], Sequence[str]]],
    path: str | Path,
    *,
    meta: Mapping[str, object] | None = None,
) -> list[Path]:
    """Write several related tables (the first is the main one) by the extension of ``path``:
    XLSX — one sheet each (``meta`` as a last sheet of key/value rows); JSON — one object with
    ``meta``'s keys and one list per table; CSV — the main table at ``path`` and each other at
    ``<stem>.<name>.csv`` beside it (``meta`` is not written: it goes to the console).

    Returns the files written.
    """
    path = Path(path)
    fmt = output_format(path, allowed=("csv", "xlsx", "json"))
    names = list(tables)
    if fmt == "csv":
        written = []
        for i, name in enumerate(names):
            rows, cols = tables[name]
            target = path if i == 0 else path.with_name(f"{path.stem}.{name}.csv")
            written.append(write_records(rows, target, columns=cols))
        return written
    if fmt == "json":
        doc: dict[str, object] = {k: _plain(v) for k, v in (meta or {}).items()}
        for name in names:
            rows, cols = tables[name]
            doc[name] = [{c: _plain(r.get(c)) for c in cols} for r in rows]
        with atomic_write(path) as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
        return [path]
    sheets = {
        name: (list(cols), [[_plain(r.get(c)) for c in cols] for r in rows])
        for name, (rows, cols) in tables.items()
    }
    if meta:
        sheets["about"] = (["key", "value"], [[k, _plain(v)] for k, v in meta.items()])
    _write_sheets(sheets, path)
    return [path]

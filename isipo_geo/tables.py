"""Writing result tables for Excel, QGIS and scripts: CSV, XLSX, JSON and GeoPackage, chosen by
the output file's extension, always atomically."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.io import atomic_path, atomic_write
from isipo_geo.labels import SCENARIO_LABELS, STATUS_LABELS, UTILITY_LABELS, basis_labels

if TYPE_CHECKING:
    import pandas as pd

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".gpkg": "gpkg"}
HEADER_STYLES = ("en", "fa", "both")  # CSV header rows: English keys, Persian, or both
GPKG_VERSION = "1.2"  # read without a warning by GDAL 3.6 (Debian 12's QGIS), unlike 1.4

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
    "utility_fa": "زیرساخت (فارسی)",
    "basis_fa": "مبنا (فارسی)",
    "scenario_fa": "سناریو (فارسی)",
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

# XLSX number formats by column: thousands separators, fixed decimals (money and allocated
# deficits are exact to 0.01; ranks are whole numbers).
NUMBER_FORMATS = {
    "deficit": "#,##0.00",
    "unit_cost": "#,##0.00",
    "need": "#,##0.00",
    "funded": "#,##0.00",
    "gap_left": "#,##0.00",
    "rank": "0",
}
_PLAN_STATUS_FA = {"funded": "تأمین کامل", "partly funded": "تأمین بخشی", "unfunded": "تأمین‌نشده"}


def persian_value(column: str, value: object) -> str:
    """The Persian word for a code a reader sees in a table (utility, basis, status, scenario);
    ``""`` when there is none.

    Examples
    --------
    >>> persian_value("utility", "water"), persian_value("basis", "allocated:equal")
    ('آب', 'برآورد، تخصیص به نسبت سهم برابر استان‌ها')
    """
    text = "" if value is None else str(value)
    if not text:
        return ""
    if column == "utility":
        return UTILITY_LABELS.get(text, (text, text))[0]
    if column == "basis":
        return basis_labels(text)[0]
    if column == "status":
        return _PLAN_STATUS_FA.get(text) or STATUS_LABELS.get(text, (text, text))[0]
    if column == "scenario":
        return SCENARIO_LABELS.get(text, (text, text))[0]
    return ""


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: object) -> bool:
    """True for text a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1``, ``@SUM``).

    Examples
    --------
    >>> formula_like("=HYPERLINK(\"http://x\")"), formula_like("شهرک الف"), formula_like("-5")
    (True, False, False)
    """
    if not isinstance(text, str) or not text.startswith(FORMULA_START):
        return False
    return not (text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text))  # "-5" is only a number


_PLAIN_NUMBER = re.compile(r"[+-]\d+(\.\d+)?([eE][+-]?\d+)?")


def neutralise_formula(text: str) -> str:
    """Text made safe for a CSV opened in Excel, as OWASP recommends: a leading ``'`` (shown by
    no spreadsheet, which then treats the cell as text). Other text is returned unchanged."""
    return "'" + text if formula_like(text) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table whose text cells are made safe for Excel (:func:`neutralise_formula`),
    for CSVs that carry a user's cells as they were (the import's rejects)."""
    return frame.map(lambda v: neutralise_formula(v) if isinstance(v, str) else v)


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
    headers: str = "en",
) -> Path:
    """Write rows (dicts) as CSV, XLSX or JSON by the extension of ``path`` — no pandas needed.

    CSV is UTF-8 with a BOM (Excel then shows Persian correctly) and CRLF line ends; its header
    row holds the stable English keys (``headers="en"``), the Persian headers (``"fa"``), or
    the English keys then a second row of Persian headers (``"both"``; read it with pandas'
    ``skiprows=[1]``). XLSX has a right-to-left sheet with two-line Persian/English headers,
    thousands separators and fixed decimals, Persian words beside the utility, basis, status
    and scenario codes, and a frozen header; JSON is a list of objects. Decimals are written
    exactly in CSV; missing values are empty cells / ``null``. Text that a spreadsheet would
    run as a formula (``= + - @``, tab, CR first) is stored as text in XLSX and prefixed with
    ``'`` in CSV (OWASP); numbers are never touched.
    """
    path = Path(path)
    fmt = output_format(path, allowed=("csv", "xlsx", "json"))
    if headers not in HEADER_STYLES:
        raise InputError(f"headers must be one of {', '.join(HEADER_STYLES)}, not {headers!r}")
    cols = list(columns) if columns is not None else list(rows[0]) if rows else []
    if fmt == "csv":
        with atomic_write(path, encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            persian = [HEADERS_FA.get(c, c) for c in cols]
            writer.writerow(persian if headers == "fa" else cols)
            if headers == "both":
                writer.writerow(persian)
            for r in rows:
                writer.writerow(_csv_cell(r.get(c)) for c in cols)
    elif fmt == "json":
        records = [{c: _plain(r.get(c)) for c in cols} for r in rows]
        with atomic_write(path) as f:
            json.dump(records, f, ensure_ascii=False, indent=1)
            f.write("\n")
    else:
        added = {f"{c}_fa" for c in cols if c in _WITH_FA and f"{c}_fa" not in cols}
        shown = [x for c in cols for x in ((c, f"{c}_fa") if f"{c}_fa" in added else (c,))]
        values = [
            [
                persian_value(c.removesuffix("_fa"), r.get(c.removesuffix("_fa")))
                if c in added
                else _plain(r.get(c))
                for c in shown
            ]
            for r in rows
        ]
        _write_xlsx(shown, values, path, sheet_name)
    return path


_WITH_FA = ("utility", "basis", "status", "scenario")  # XLSX adds a Persian column beside these


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
        gdf.to_file(
            tmp, driver="GPKG", layer=layer, dataset_options={"VERSION": GPKG_VERSION}
        )
    return path


def _write_xlsx(columns: list[str], values: list[list[object]], path: Path, sheet: str) -> None:
    _write_sheets({sheet: (columns, values)}, path)


def _write_sheets(sheets: Mapping[str, tuple[list[str], list[list[object]]]], path: Path) -> None:
    """One right-to-left sheet per table: bold two-line headers on a tinted row tall enough for
    both lines, frozen first row, a filter, :data:`NUMBER_FORMATS`, widths from the first 500
    rows. Text is always text (never a live formula or link).

    Written with XlsxWriter in constant-memory mode (rows streamed to a file in a temporary
    folder), whose bytes are then saved atomically like :func:`save_workbook` (a full disk is
    one OutputError naming the file): 150,000 rows take seconds and little memory, where
    openpyxl's cell objects took 47 s and over 1 GB at 84,400 estates."""
    import tempfile

    import xlsxwriter

    with atomic_write(path, mode="wb") as f, tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / "sheets.xlsx"
        _xlsxwriter_sheets(xlsxwriter, sheets, staged)
        f.write(staged.read_bytes())


def _xlsxwriter_sheets(xlsxwriter: Any, sheets: Mapping[str, Any], tmp: Path) -> None:
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    wb = xlsxwriter.Workbook(str(tmp), options)
    head = wb.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "pattern": 1, "bg_color": "#F5F1EC"}
    )
    formats: dict[str, object] = {}
    for sheet, (columns, values) in sheets.items():
        ws = wb.add_worksheet(sheet[:31])
        ws.right_to_left()
        for i, col in enumerate(columns):  # the header cells with their format
            ws.write_string(
                0, i, f"{HEADERS_FA[col]}\n{col}" if col in HEADERS_FA else str(col), head
            )
        ws.set_row(0, 33)  # two lines of 11 pt text: LibreOffice shows both
        ws.freeze_panes(1, 0)
        cell_formats: list[object | None] = []
        for i, col in enumerate(columns):
            number_format = NUMBER_FORMATS.get(col)
            if number_format and number_format not in formats:
                formats[number_format] = wb.add_format({"num_format": number_format})
            cell_formats.append(formats.get(number_format) if number_format else None)
            head_lines = [HEADERS_FA.get(col, ""), col]
            cells = [_shown_width(r[i], number_format) for r in values[:500]]
            ws.set_column(i, i, min(max([len(line) for line in head_lines] + cells) + 2, 60))
        write_string, write_number = ws.write_string, ws.write_number
        for r, row in enumerate(values, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):  # a line break as LF, as openpyxl stored it
                    write_string(r, c, value.replace("\r\n", "\n").replace("\r", "\n"))
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    write_number(r, c, value, cell_formats[c])
                else:
                    write_string(r, c, str(value))
        if columns:
            ws.autofilter(0, 0, len(values), len(columns) - 1)
    wb.close()


def save_workbook(wb: object, path: str | Path) -> None:
    """Save an openpyxl workbook atomically. It is built in memory first, so a full disk fails
    in our own write (one OutputError naming the file) and never inside openpyxl's zip writer,
    which would leave a half-closed archive behind."""
    from io import BytesIO

    buffer = BytesIO()
    wb.save(buffer)  # type: ignore[attr-defined]
    with atomic_write(path, mode="wb") as f:
        f.write(buffer.getbuffer())


def _shown_width(value: object, number_format: str | None) -> int:
    """About how many characters a cell shows (numbers with their separators and decimals)."""
    if value is None:
        return 0
    if number_format and isinstance(value, int | float):
        decimals = number_format.count("0") - 1 if "." in number_format else 0
        return len(f"{value:,.{decimals}f}")
    return len(str(value))


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

"""Writing result tables for Excel, QGIS and scripts: CSV, XLSX, JSON and GeoPackage, chosen by
the output file's extension, always atomically."""

from __future__ import annotations

import csv
import itertools
import json
import numbers
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.dates import jalali_fa, stated_date
from isipo_geo.display import UNIT_DECIMALS, money_unit, shown_decimals
from isipo_geo.errors import InputError
from isipo_geo.io import atomic_path, atomic_write
from isipo_geo.labels import (
    CURRENCY_LABELS,
    KIND_LABELS,
    SCENARIO_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    basis_labels,
)
from isipo_geo.messages import message, numeral
from isipo_geo.xlsx import Sheet, print_scale, write_workbook

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
    "component": "جزء هزینه",
    "length_km": "طول اتصال (کیلومتر)",
    "feature_id": "شناسه عارضه شبکه",
    "feature_name": "نام عارضه شبکه",
    "network_file": "لایه شبکه",
    "onsite_need": "هزینه تأمین در محل",
    "cheaper_option": "گزینه ارزان‌تر",
    "score": "امتیاز",
    "score_explained": "توضیح امتیاز",
    "score_greedy": "امتیاز روش حریصانه",
    "present_value": "ارزش فعلی",
    "need_p10": "نیاز (صدک ۱۰)",
    "need_p50": "نیاز (صدک ۵۰)",
    "need_p90": "نیاز (صدک ۹۰)",
    "flags": "نشانه‌ها",
    "flags_explained": "شرح نشانه‌ها",
}

# XLSX number formats. A number shows the decimals of its unit (isipo_geo.display's rule, see
# number_format): a deficit by the row's deficit_unit, money by the row's currency and scale.
UNIT_COLUMNS = {"deficit": "deficit_unit"}
MONEY_COLUMNS = (
    "unit_cost", "need", "funded", "gap_left", "onsite_need",
    "budget", "carried_in", "available", "spent", "carried_out",
    "present_value", "need_p10", "need_p50", "need_p90",
)
NUMBER_FORMATS = {"rank": "0"}  # columns with one format for every row (ranks: whole numbers)
# Columns with their unit in the name (a registry's): each cell by that unit's rule.
NAMED_UNITS = {"_lps": "lps", "_mw": "mw", "_ha": "ha"}
EXCEL_MAX_ROWS = 1_048_576  # rows of one sheet, the header included
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
    if column == "kind":
        return KIND_LABELS.get(text, (text, text))[0]
    if column == "deficit_unit":
        return UNIT_LABELS.get(text, (text, text))[0]
    if column == "province":
        return _province_names().get(text, text)
    return ""


def _province_names() -> dict[str, str]:
    """Province key -> Persian name (read once)."""
    global _PROVINCE_FA
    if _PROVINCE_FA is None:
        from isipo_geo.provinces import province_table

        table = province_table()
        _PROVINCE_FA = dict(zip(table["key"], table["name_fa"], strict=True))
    return _PROVINCE_FA


_PROVINCE_FA: dict[str, str] | None = None


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: object) -> bool:
    """True for text a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1``, ``@SUM``).

    Examples
    --------
    >>> formula_like('=HYPERLINK("http://x")'), formula_like("شهرک الف"), formula_like("-5")
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


def restore_formula(text: str) -> str:
    """The text :func:`neutralise_formula` was given: a leading ``'`` before formula-leading text
    is dropped, so a CSV the toolkit wrote reads back as the user's cell was.

    Examples
    --------
    >>> restore_formula(neutralise_formula("=1+1")), restore_formula("'quoted")
    ('=1+1', "'quoted")
    """
    return text[1:] if text[:1] == "'" and formula_like(text[1:]) else text


# A neutralised cell somewhere in a CSV's text: a quick test before looking at every cell.
NEUTRALISED = re.compile(r"'[=+\-@\t\r]")


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table whose text cells are made safe for Excel (:func:`neutralise_formula`),
    for CSVs that carry a user's cells as they were (the import's rejects)."""
    return frame.map(lambda v: neutralise_formula(v) if isinstance(v, str) else v)


def output_format(path: str | Path, *, allowed: tuple[str, ...] = tuple(FORMATS.values())) -> str:
    """The format named by a file's extension; a clear error for any other."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None or fmt not in allowed:
        exts = ", ".join(e for e, f in FORMATS.items() if f in allowed)
        from isipo_geo.messages import message

        raise InputError(message("output_extension", name=Path(path).name, exts=exts))
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
    title: str = "",
) -> Path:
    """Write rows (dicts) as CSV, XLSX or JSON by the extension of ``path`` — no pandas needed.

    CSV is UTF-8 with a BOM (Excel then shows Persian correctly) and CRLF line ends; its header
    row holds the stable English keys (``headers="en"``), the Persian headers (``"fa"``), or
    the English keys then a second row of Persian headers (``"both"``; read it with pandas'
    ``skiprows=[1]``). XLSX has a right-to-left sheet with two-line Persian/English headers,
    each number shown with thousands separators and the decimals of its unit
    (:func:`number_format`), Persian words beside the utility, basis, status and scenario
    codes, a filter and a frozen header; it prints on A4 landscape, one page wide, with the
    header on every page, ``title`` in the page header and the date written (Persian calendar)
    and «صفحه n از m» in the footer; rows are streamed (:mod:`isipo_geo.xlsx`), never
    copied. JSON is a list of objects. Decimals are written
    exactly in CSV; missing values are empty cells / ``null``. Text that a spreadsheet would
    run as a formula (``= + - @``, tab, CR first) is stored as text in XLSX and prefixed with
    ``'`` in CSV (OWASP); numbers are never touched.
    """
    path = Path(path)
    fmt = output_format(path, allowed=("csv", "xlsx", "json"))
    if headers not in HEADER_STYLES:
        raise InputError(message("unknown_header_style", header_styles=', '.join(HEADER_STYLES),
                                 headers=repr(headers)))
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
        sheet = _sheet(sheet_name, cols, rows, persian_columns=True, title=title)
        view = print_sheet(cols, rows, full=sheet, title=title)  # a wide table's print view
        with atomic_write(path, mode="wb") as f:
            write_workbook(f, [sheet] if view is None else [sheet, view])
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
        raise InputError(message("table_no_geometry", name=path.name))
    from isipo_geo.gpkg import write_gpkg

    plain = df.copy()
    for col in plain.columns:
        if plain[col].map(lambda v: isinstance(v, Decimal)).any():
            plain[col] = plain[col].map(_plain).astype("Float64")
    with atomic_path(path) as tmp:
        write_gpkg(plain, list(geometries), tmp, layer=layer, last_change=gpkg_timestamp(),
                   version=GPKG_VERSION)
    return path


def gpkg_timestamp() -> str:
    """The time a GeoPackage records as its last change (``gpkg_contents.last_change``):
    ``SOURCE_DATE_EPOCH``'s when set (the reproducible-builds convention), else the Unix epoch,
    so the same input gives the same bytes (GDAL would stamp the time of writing)."""
    import datetime as dt
    import os

    try:
        seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        seconds = 0
    stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


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
    title: str = "",
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
    sheets = [_sheet(name, cols, rows, title=title) for name, (rows, cols) in tables.items()]
    if meta:
        about = [{"key": k, "value": v} for k, v in meta.items()]
        sheets.append(_sheet("about", ["key", "value"], about, title=title))
    with atomic_write(path, mode="wb") as f:
        write_workbook(f, sheets)
    return [path]


def number_format(value: float | Decimal, unit: str | None) -> str:
    """The Excel number format of ``value`` in ``unit``, by the rule readers see everywhere
    (:func:`isipo_geo.display.shown_decimals`): thousands separated, the unit's decimals
    (L/s, MW and bn toman 1, m³/day and million toman 0); a non-zero value smaller than the
    unit's last decimal gets the decimals of its first significant digit, so 0.04 MW shows
    ``0.04`` and never ``0.0``; a value without a unit rule gets decimals by its size.

    The format is chosen per cell rather than one ``#,##0.0##`` per column, so a column reads
    with the same decimals down its length, as on the maps. Unlike the maps, a whole number keeps
    its unit's decimals (``250.0`` L/s; an Excel format cannot drop them only when zero). The
    cell holds the exact value; only its display is rounded. Values needing more than 8
    decimals show 3 significant digits (``0.00E+00``), as :func:`isipo_geo.display.format_number`.

    Examples
    --------
    >>> number_format(250.5, "lps"), number_format(0.04, "mw"), number_format(12, "toman_million")
    ('#,##0.0', '#,##0.00', '#,##0')
    """
    decimals = shown_decimals(float(value), unit)
    if decimals > 8:
        return "0.00E+00"
    return _FIXED_FORMATS[decimals]


_FIXED_FORMATS = ["#,##0"] + ["#,##0." + "0" * d for d in range(1, 9)]
# Below this size a value needs more decimals than its unit's (display.shown_decimals).
_RULES = {
    unit: (_FIXED_FORMATS[d], Decimal(5).scaleb(-d - 1)) for unit, d in UNIT_DECIMALS.items()
}


def _cell_format(value: object, unit: str | None) -> str | None:
    """:func:`number_format` of a number cell (``None`` for other cells), quick for the usual
    case of a value at least as large as its unit's last decimal."""
    kind = type(value)
    if kind is not Decimal and kind is not float and kind is not int and (
        isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal)
    ):
        return None
    if value != value:  # NaN: an empty cell
        return None
    rule = _RULES.get(unit) if unit else None
    if rule is not None and (value == 0 or abs(value) >= rule[1]):  # type: ignore[operator]
        return rule[0]
    return number_format(value, unit)  # type: ignore[arg-type]


def _sheet(
    name: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, object]],
    *,
    persian_columns: bool = False,
    title: str = "",
) -> Sheet:
    """One table as a sheet for :func:`isipo_geo.xlsx.write_workbook`: two-line Persian/English
    headers, number formats by unit (:func:`number_format`), widths from the first 500 rows,
    and the rows streamed from ``rows`` (no copy of the table). With ``persian_columns`` a
    column of Persian words follows each utility, basis, status and scenario column."""
    if len(rows) >= EXCEL_MAX_ROWS:
        raise InputError(
            message("too_many_rows_for_excel", rows=numeral(format(len(rows), ',')),
                    value=numeral(format(EXCEL_MAX_ROWS - 1, ',')))
        )
    cols = list(columns)
    added = (
        {f"{c}_fa" for c in cols if c in _WITH_FA and f"{c}_fa" not in cols}
        if persian_columns
        else set()
    )
    shown = [x for c in cols for x in ((c, f"{c}_fa") if f"{c}_fa" in added else (c,))]
    cells = _cells(shown, added, rows)
    head = [f"{HEADERS_FA[c]}\n{c}" if c in HEADERS_FA else str(c) for c in shown]
    first = [next(cells) for _ in range(min(len(rows), 500))]
    widths = [
        min(
            max(
                [len(HEADERS_FA.get(c, "")), len(c)]
                + [_shown_width(values[i], formats[i]) for values, formats in first]
            )
            + 2,
            60,
        )
        for i, c in enumerate(shown)
    ]
    return Sheet(name[:31], head, widths, itertools.chain(first, cells), len(rows),
                 title=title, date=_footer_date())


def _footer_date() -> str:
    """The date a printed sheet's footer shows: SOURCE_DATE_EPOCH's in the Persian calendar
    when set; else the print date field (``&D``, filled in by Excel or LibreOffice when the
    page is printed), so the same input gives the same bytes on any day."""
    day = stated_date()
    return jalali_fa(day) if day is not None else "&D"


def _cells(
    shown: list[str], added: set[str], rows: Sequence[Mapping[str, object]]
) -> Iterator[tuple[list[object], list[str | None]]]:
    """Each row's cells and their number formats, one row at a time."""
    keys = [c.removesuffix("_fa") if c in added else c for c in shown]
    persian = [(i, keys[i]) for i, c in enumerate(shown) if c in added]
    fixed = [NUMBER_FORMATS.get(c) for c in shown]
    by_unit = [(i, UNIT_COLUMNS[c]) for i, c in enumerate(shown) if c in UNIT_COLUMNS]
    named = [(i, unit) for i, c in enumerate(shown) for end, unit in NAMED_UNITS.items()
             if c.endswith(end)]
    money = [i for i, c in enumerate(shown) if c in MONEY_COLUMNS]
    words: dict[tuple[str, object], str] = {}
    for r in rows:
        get = r.get
        values = [get(k) for k in keys]
        for i, key in persian:
            value = values[i]
            word = words.get((key, value))
            if word is None:
                word = words[(key, value)] = persian_value(key, value)
            values[i] = word
        if not by_unit and not money and not named:
            yield values, fixed
            continue
        formats = fixed.copy()
        for i, unit in named:
            formats[i] = _cell_format(values[i], unit)
        for i, unit_key in by_unit:
            formats[i] = _cell_format(values[i], get(unit_key))
        if money:
            unit = money_unit(str(get("currency")), str(get("scale")))
            for i in money:
                formats[i] = _cell_format(values[i], unit)
        yield values, formats


def _shown_width(value: object, number_format: str | None) -> int:
    """About how many characters a cell shows (numbers with their separators and decimals)."""
    if value is None:
        return 0
    if number_format and isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        if "E" in number_format:
            return len(f"{float(value):.2E}")
        decimals = len(number_format.partition(".")[2])
        return len(f"{float(value):,.{decimals}f}")
    plain = _plain(value)
    return 0 if plain is None else len(str(plain))


# The print view of a wide table (#27): a second sheet «چاپ» holding the columns a committee
# reads, printed at PRINT_MIN_SCALE % or more, when the full sheet would print smaller. A view
# applies to a table holding all of its first columns; a column ending in _fa that the table
# lacks is the Persian word of its code column (persian_value). The cells and their number
# formats are the full sheet's (_cells): one figure, one rule.
PRINT_SHEET = "چاپ"
PRINT_MIN_SCALE = 70
PRINT_WIDTH_MAX = 40  # characters; a longer cell is cut at the column's edge on paper
PRINT_HEADER_HEIGHT = 62  # points: four lines, the Persian and the English each wrapping once
# A longer table prints as hundreds of pages whichever way (about 30 rows a page): no print
# sheet, and the workbook is written as fast as before (a print sheet costs about 1.3x the
# writing time: benchmarks/bench_print_view.py).
PRINT_MAX_ROWS = 10_000
PRINT_VIEWS = (
    (("deficit", "need", "utility"),  # funding rows
     ("province_fa", "estate_name_fa", "utility_fa", "deficit", "deficit_unit_fa", "need",
      "basis_fa")),
    (("name_fa", "province", "water_deficit_lps"),  # a registry
     ("name_fa", "province_fa", "status_fa", "water_deficit_lps", "power_deficit_mw",
      "gas_deficit_km", "telecom_deficit_km", "wastewater_deficit_lps", "year")),
)
# The print view's headers, Persian then English words that wrap (the full sheet's keys such as
# wastewater_deficit_lps would set the width of a column of short numbers).
PRINT_HEADERS = {
    "province_fa": ("استان", "province"),
    "estate_name_fa": ("نام شهرک", "estate"),
    "name_fa": ("نام شهرک", "estate"),
    "utility_fa": ("زیرساخت", "utility"),
    "deficit": ("کمبود", "deficit"),
    "deficit_unit_fa": ("واحد کمبود", "unit"),
    "need": ("اعتبار مورد نیاز", "need"),
    "basis_fa": ("مبنا", "basis"),
    "status_fa": ("وضعیت", "status"),
    "water_deficit_lps": ("کمبود آب (لیتر بر ثانیه)", "water deficit (L/s)"),
    "power_deficit_mw": ("کمبود برق (مگاوات)", "power deficit (MW)"),
    "gas_deficit_km": ("کمبود گاز (کیلومتر)", "gas deficit (km)"),
    "telecom_deficit_km": ("کمبود مخابرات (کیلومتر)", "telecom deficit (km)"),
    "wastewater_deficit_lps": ("کمبود فاضلاب (لیتر بر ثانیه)", "wastewater deficit (L/s)"),
    "year": ("سال داده", "data year"),
}


def print_columns(columns: Sequence[str]) -> list[str]:
    """The print view's columns of a table with ``columns`` (``[]``: no view fits it).

    >>> print_columns(["utility", "deficit", "deficit_unit", "need", "basis"])
    ['utility_fa', 'deficit', 'deficit_unit_fa', 'need', 'basis_fa']
    """
    have = set(columns)
    for needs, view in PRINT_VIEWS:
        if set(needs) <= have:
            return [c for c in view
                    if c in have or (c.endswith("_fa") and c.removesuffix("_fa") in have)]
    return []


def print_sheet(
    columns: Sequence[str], rows: Sequence[Mapping[str, object]], *, full: Sheet,
    title: str = "",
) -> Sheet | None:
    """The print view of a table written as ``full`` (None when ``full`` prints at
    :data:`PRINT_MIN_SCALE` % or more, no view fits the table, or it has more rows than
    :data:`PRINT_MAX_ROWS`): A4 landscape at the largest scale its columns fit, the money
    column's unit in its header when every row has one."""
    shown = print_columns(columns)
    if not shown or not rows or len(rows) > PRINT_MAX_ROWS:
        return None
    if print_scale(full.widths) >= PRINT_MIN_SCALE:
        return None
    added = {c for c in shown if c not in columns}
    cells = _cells(shown, added, rows)
    first = [next(cells) for _ in range(min(len(rows), 500))]
    heads = [PRINT_HEADERS.get(c, (HEADERS_FA.get(c, c), c)) for c in shown]
    if "need" in shown:
        units = {(str(r.get("currency")), str(r.get("scale"))) for r in rows}
        if len(units) == 1:
            label = CURRENCY_LABELS.get(units.pop())
            if label:
                fa, en = heads[shown.index("need")]
                heads[shown.index("need")] = (f"{fa} ({label[0]})", f"{en} ({label[1]})")
    widths = [
        min(max([_wrapped_width(fa), _wrapped_width(en)]
                + [_shown_width(values[i], formats[i]) for values, formats in first]) + 2,
            PRINT_WIDTH_MAX)
        for i, (fa, en) in enumerate(heads)
    ]
    return Sheet(PRINT_SHEET, [f"{fa}\n{en}" for fa, en in heads], widths,
                 itertools.chain(first, cells), len(rows), header_height=PRINT_HEADER_HEIGHT,
                 title=title or full.title, date=full.date, scale=print_scale(widths))


def _wrapped_width(text: str) -> int:
    """The width a header's text needs over two lines: half of it, or its longest word."""
    return max([(len(text) + 1) // 2] + [len(w) for w in text.split()])

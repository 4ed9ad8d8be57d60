"""Reading a user's registry file into rows of cells: CSV (UTF-8, UTF-8 with BOM, UTF-16 with
BOM, Windows-1256), XLSX, GeoJSON, GeoPackage and Shapefile.

Everything that can go wrong while reading raises :class:`isipo_geo.errors.InputError` with what
to do about it; nothing here interprets the cells.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isipo_geo.errors import InputError
from isipo_geo.messages import message

Progress = Callable[[str, int, int | None], None]
"""progress(stage, done, total): called now and then while a large file is read."""

GIS_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage",
                ".shp": "Shapefile", ".fgb": "FlatGeobuf"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

# Share of the non-ASCII letters in a Windows-1256 reading that must be Arabic-script for the
# reading to be trusted: Persian text is almost all Arabic script; other 8-bit encodings read as
# Windows-1256 give Latin accented letters and symbols.
MIN_ARABIC_SHARE = 0.9
_ARABIC = re.compile("[\u0600-\u06ff\u200c\u200f]")
# UTF-8 Persian read as Windows-1256 and saved again: every letter becomes ط/ظ/ع + a symbol.
_MOJIBAKE = re.compile("[طظع][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                       "\u02c6\u02dc\u2013-\u203a\u20ac\u2122\u0679\u067e\u0686\u0688\u0691"
                       "\u0698\u06a9\u06af\u06ba\u06be\u06c1\u200c-\u200f]")
ROWS_PER_TICK = 1000


@dataclass
class RawTable:
    """The cells of one table as read, before any interpretation.

    ``rows`` holds every row of the sheet (header and title rows included) as lists of cells
    (str, float, int, bool, datetime or None); ``row_numbers[i]`` is how the user finds
    ``rows[i]`` in the file (spreadsheet row, CSV line, feature number). GIS layers carry their
    points in ``lon``/``lat`` (EPSG:4326; NaN where a feature has no geometry) and their attribute
    names as ``rows[0]``.
    """

    path: Path
    kind: str  # "csv", "xlsx" or "gis"
    rows: list[list[Any]]
    row_numbers: list[int]
    encoding: str | None = None
    sheet: str | None = None
    lon: list[float] | None = None
    lat: list[float] | None = None
    crs: str | None = None
    notes: list[str] = field(default_factory=list)
    header: Any = None  # the header already found (by estate_tables), with the same aliases
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    """XLSX: formula cells without a saved result (read as None): (index in ``rows``, column
    index) → the formula (``=CONCAT(A2,"x")``); see :mod:`isipo_geo.registry._formulas`."""


def read_table(
    path: str | os.PathLike[str], *, sheet: str | None = None, progress: Progress | None = None
) -> RawTable:
    """Read ``path`` (format from its content, then its extension) into a :class:`RawTable`.

    CSV (UTF-8 with or without BOM, UTF-16 or Windows-1256; ``,`` ``;`` or tab), XLSX and GIS
    files (GeoPackage, GeoJSON, Shapefile, FlatGeobuf) are read; cells are kept as read,
    before any interpretation.

    Parameters
    ----------
    path : path-like
        The file.
    sheet : str, optional
        The XLSX sheet or GeoPackage layer; None: the first (or the only one).
    progress : callable, optional
        ``progress(stage, done, total)``, called now and then while a large file is read.

    Returns
    -------
    RawTable
        Every row as a list of cells (header and title rows included), the row number a user
        sees for each, the encoding, the sheet, and for GIS files the points (lon, lat in
        EPSG:4326).

    Raises
    ------
    InputError
        The file is missing, empty, of an unsupported format, in an encoding that cannot be told,
        or damaged; the message says how to save it instead.

    Examples
    --------
    >>> from isipo_geo._paths import data_file
    >>> table = read_table(data_file("provinces", "provinces.csv"))
    >>> table.kind, table.rows[0][:3], len(table.rows), table.row_numbers[:2]
    ('csv', ['key', 'name_fa', 'name_en'], 32, [1, 2])
    """
    path = Path(path)
    if not path.exists():
        raise InputError(message("file_not_found"), path=path)
    if path.is_dir():
        raise InputError(
            message("is_a_folder"), path=path
        )
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(message("cannot_open", strerror=exc.strerror), path=path) from None
    if path.stat().st_size == 0:
        raise InputError(message("file_empty_estates"),
                         path=path)
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            message("old_xls"),
            path=path,
        )
    if head.startswith(b"PK"):
        if suffix == ".gpkg" or suffix in GIS_SUFFIXES:
            return _read_gis(path, sheet=sheet)
        if suffix == ".zip":
            return _read_gis(path, sheet=sheet)
        if suffix == ".ods":
            raise InputError(message("ods_not_read"), path=path)
        return _read_xlsx(path, sheet=sheet, progress=progress)
    if head.startswith(b"SQLite format 3") or suffix in GIS_SUFFIXES:
        return _read_gis(path, sheet=sheet)
    if suffix in XLSX_SUFFIXES:
        raise InputError(
            message("xlsx_not_zip"),
            path=path,
        )
    if suffix == ".xls":
        raise InputError(message("save_as_xlsx"), path=path)
    if sheet is not None:
        raise InputError(message("sheet_option_only"), path=path)
    return _read_csv(path, progress=progress)


# ---------------------------------------------------------------------------------- text


def decode_text(data: bytes, *, path: Path) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name).

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; anything else is tried as
    Windows-1256 and accepted only if its letters are Persian/Arabic. Double-encoded files
    ("mojibake") are refused.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    if b"\x00" in body[:4096] and encoding != "utf-16":
        raise InputError(
            message("binary_not_table"),
            path=path,
        )
    try:
        text = body.decode("utf-16" if encoding == "utf-16" else "utf-8")
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(
                message("encoding_wrong_byte", encoding=encoding, start=exc.start),
                path=path,
            ) from None
        text = _try_windows_1256(body, path=path)
        encoding = "windows-1256"
    if _looks_double_encoded(text):
        raise InputError(
            message("mojibake"),
            path=path,
        )
    return text, encoding


def _try_windows_1256(body: bytes, *, path: Path) -> str:
    try:
        text = body.decode("cp1256")
    except UnicodeDecodeError:  # cp1256 leaves no byte undefined, but be safe
        text = ""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    arabic = sum(1 for c in letters if _ARABIC.match(c))
    if letters and arabic / len(letters) >= MIN_ARABIC_SHARE:
        return text
    raise InputError(
        message("encoding_unknown"),
        path=path,
    )


def _looks_double_encoded(text: str) -> bool:
    sample = text[:20000]
    hits = len(_MOJIBAKE.findall(sample))
    if hits < 3:
        return False
    try:
        repaired = sample.encode("cp1256").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return hits > len(_ARABIC.findall(sample)) / 4
    return len(_ARABIC.findall(repaired)) > 0


_DELIMITERS = (",", ";", "\t", "|", "،", "؛")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header and most rows into the same number of fields.

    Each candidate (comma, semicolon, tab, bar, Persian comma «،» and semicolon «؛») is tried by
    parsing the first 50 lines with :mod:`csv`, so delimiters inside quotes do not count, and a
    Persian comma inside names («شهرک صنعتی الف، فاز ۲») does not outvote the real delimiter.
    The score is (rows with the most common field count, that count), a title line above the
    header not counting; a file with one column reads as comma-separated.
    """
    sample = "\n".join(text.splitlines()[:50])
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        if delim not in sample:
            continue
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delim)
            widths = [len(r) for r in reader if any(c.strip() for c in r)]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w >= 2)
        if not counts:
            continue
        width, rows = max(counts.items(), key=lambda wc: (wc[1], wc[0]))
        score = (rows, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(path: Path, *, progress: Progress | None) -> RawTable:
    data = path.read_bytes()
    text, encoding = decode_text(data, path=path)
    if "<html" in text[:2000].lower() or "<!doctype" in text[:2000].lower():
        raise InputError(
            message("web_page"), path=path
        )
    delimiter = "\t" if path.suffix.lower() in {".tsv", ".tab"} else _sniff_delimiter(text)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append([cell if cell.strip() else None for cell in row])
            numbers.append(reader.line_num)
            if progress and len(rows) % ROWS_PER_TICK == 0:
                progress("read", len(rows), None)
    except csv.Error as exc:
        raise InputError(message("csv_unreadable", exc=exc),
                         path=path, row=reader.line_num) from None
    if not any(any(c is not None for c in r) for r in rows):
        raise InputError(message("file_no_cells"),
                         path=path)
    return RawTable(path, "csv", rows, numbers, encoding=encoding)


# ---------------------------------------------------------------------------------- xlsx


def _read_xlsx(
    path: Path, *, sheet: str | None, progress: Progress | None, every: bool = False
) -> Any:
    """The sheet (``sheet``, else the one holding an estate table); with ``every``, the list of
    all sheets' tables.

    Read with calamine (Rust; about 20× faster than openpyxl on the 31 provincial workbooks of
    benchmarks/bench_store.py) when it reads the file; otherwise, and for every file it cannot
    read, with openpyxl, which also says what is wrong with a damaged file."""
    tables = _read_xlsx_calamine(path, sheet=sheet)
    if tables is not None:
        if progress:
            progress("read", sum(len(t.rows) for t in tables), None)
        return _chosen(tables, path=path, sheet=sheet, every=every)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except KeyError:
        raise InputError(
            message("zip_not_xlsx"), path=path
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, TypeError) as exc:
        raise InputError(
            message("xlsx_unreadable", __name__=type(exc).__name__, exc=exc),
            path=path,
        ) from None
    try:
        names = list(wb.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise InputError(
                    message("no_such_sheet", sheet=repr(sheet), names=', '.join(names)), path=path
                )
            chosen = [sheet]
        else:
            chosen = names
        tables = []
        for name in chosen:
            ws = wb[name]
            rows: list[list[Any]] = []  # (ws.max_row would parse the whole sheet once more)
            for values in ws.iter_rows(values_only=True):
                rows.append(list(values))
                if progress and len(rows) % ROWS_PER_TICK == 0:
                    progress("read", len(rows), None)
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            tables.append(RawTable(path, "xlsx", rows, list(range(1, len(rows) + 1)), sheet=name))
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged sheets
        raise InputError(
            message("xlsx_damaged", __name__=type(exc).__name__, exc=exc),
            path=path,
        ) from None
    finally:
        wb.close()
    return _chosen(tables, path=path, sheet=sheet, every=every)


def _chosen(tables: list[RawTable], *, path: Path, sheet: str | None, every: bool) -> Any:
    if every:
        _add_formulas(tables, path=path)
        return tables
    single = sheet is not None or len(tables) == 1
    table = tables[0] if single else _pick_sheet(tables, path=path)
    _add_formulas([table], path=path)
    if not any(any(v is not None for v in r) for r in table.rows):
        if table.formulas:
            raise InputError(
                message("sheet_only_formulas", sheet=repr(table.sheet)),
                path=path,
            )
        raise InputError(message("sheet_empty", sheet=repr(table.sheet)), path=path)
    return table


def _add_formulas(tables: list[RawTable], *, path: Path) -> None:
    """Note the formula cells without a saved result (read as empty) in ``table.formulas``, and
    keep the rows that hold them even at the end of the sheet, so every row is accounted for."""
    from isipo_geo.registry._formulas import unsaved_formulas

    found = unsaved_formulas(path, [t.sheet for t in tables if t.sheet is not None])
    for table in tables:
        cells = found.get(table.sheet or "", {})
        if not cells:
            continue
        last = max(k for k, _ in cells)
        while len(table.rows) <= last:
            table.rows.append([])
            table.row_numbers.append(len(table.rows))
        table.formulas = cells


def _read_xlsx_calamine(path: Path, *, sheet: str | None) -> list[RawTable] | None:
    """The sheets as openpyxl gives them (None for an empty cell, whole numbers as int, dates as
    datetime), or None when calamine is missing or cannot read the file."""
    import datetime as dt

    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a dependency; openpyxl reads instead
        return None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        if sheet is not None and sheet not in names:
            raise InputError(
                message("no_such_sheet", sheet=repr(sheet), names=', '.join(names)), path=path
            )
        tables = []
        for name in [sheet] if sheet is not None else names:
            rows = []
            for values in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
                row = []
                for v in values:
                    if v == "" and isinstance(v, str):
                        v = None
                    elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                        v = int(v)
                    elif type(v) is dt.date:
                        v = dt.datetime.combine(v, dt.time())
                    row.append(v)
                rows.append(row)
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            tables.append(RawTable(path, "xlsx", rows, list(range(1, len(rows) + 1)), sheet=name))
    except InputError:
        raise
    except Exception:  # calamine cannot read it: openpyxl will, or will say why
        return None
    return tables


def read_tables(
    path: str | os.PathLike[str],
    *,
    sheet: str | None,
    aliases: dict[str, tuple[str, str | None]],
    progress: Progress | None = None,
) -> tuple[list[RawTable], list[str]]:
    """:func:`read_table`, or with ``sheet="all"`` every estate table of a workbook (see
    :func:`estate_tables`; other formats hold one table). Returns the tables and the names of
    the sheets left out."""
    path = Path(path)
    if sheet != "all":
        return [read_table(path, sheet=sheet, progress=progress)], []
    if path.suffix.lower() in XLSX_SUFFIXES and path.is_file():
        with open(path, "rb") as f:
            if f.read(2) == b"PK":
                return estate_tables(path, aliases, progress=progress)
    return [read_table(path, progress=progress)], []


def estate_tables(
    path: str | os.PathLike[str],
    aliases: dict[str, tuple[str, str | None]],
    *,
    progress: Progress | None = None,
) -> tuple[list[RawTable], list[str]]:
    """Every sheet of a workbook that holds an estate table (a header with a name column and
    rows below it), read once; and the names of the others (empty sheets, headers alone,
    notes), in workbook order."""
    from isipo_geo.registry._headers import NAME_FIELDS, find_header

    path = Path(path)
    found, other = [], []
    for table in _read_xlsx(path, sheet=None, progress=progress, every=True):
        header = find_header(table.rows, aliases) if table.rows else None
        has_rows = header is not None and any(
            any(v is not None and str(v).strip() for v in row)
            for row in table.rows[header.first_data_row:]
        )
        ok = has_rows and bool(header.fields() & set(NAME_FIELDS))
        table.header = header
        (found if ok else other).append(table if ok else table.sheet)
    return found, other


def _pick_sheet(tables: list[RawTable], *, path: Path) -> RawTable:
    """The one sheet with an estate table; several → the user chooses with --sheet."""
    from isipo_geo.registry._headers import find_header, load_aliases

    aliases = load_aliases()
    found = [t for t in tables if t.rows and find_header(t.rows, aliases) is not None]
    if len(found) == 1:
        return found[0]
    if not found:
        non_empty = [t for t in tables if any(any(v is not None for v in r) for r in t.rows)]
        return non_empty[0] if non_empty else tables[0]
    raise InputError(
        message("several_sheets", found=len(found), value=', '.join(repr(t.sheet) for t in found)),
        path=path,
    )


# ---------------------------------------------------------------------------------- GIS


def _read_gis(path: Path, *, sheet: str | None) -> RawTable:
    import numpy as np
    import pyogrio
    import shapely

    kind = GIS_SUFFIXES.get(path.suffix.lower(), "GIS")
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        more = ""
        if kind == "Shapefile":
            more = message("shapefile_parts")
        raise InputError(
            message("gis_unreadable_hint", kind=kind, exc=_gdal_message(exc), more=more),
            path=path,
        ) from None
    if sheet is not None and sheet not in layers:
        raise InputError(message("no_such_layer", sheet=repr(sheet),
                                 layers=", ".join(layers)), path=path)
    if sheet is None and len(layers) > 1:
        raise InputError(
            message("several_layers", layers=len(layers), layers2=', '.join(layers)),
            path=path,
        )
    layer = sheet or (layers[0] if layers else None)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
        encoding = None
        if path.suffix.lower() == ".shp" and not path.with_suffix(".cpg").exists():
            gdf, encoding = _fix_dbf_encoding(path, gdf, layer)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(message("gis_unreadable", kind=kind, exc=_gdal_message(exc)),
                         path=path) from None
    notes: list[str] = []
    crs_text = None
    lon = lat = None
    if "geometry" in gdf and gdf.geometry.notna().any():
        if gdf.crs is None:
            raise InputError(
                message("gis_no_crs", kind=kind),
                path=path,
            )
        crs_text = gdf.crs.to_string()
        geoms = gdf.geometry
        if gdf.crs.to_epsg() != 4326:
            geoms = geoms.to_crs(4326)
        values = geoms.to_numpy()
        empty = shapely.is_missing(values) | shapely.is_empty(values)
        points = np.where(empty, None, values)
        if (shapely.get_type_id(values[~empty]) != 0).any():
            notes.append(message("note_shapes_as_points"))
            points[~empty] = shapely.point_on_surface(values[~empty])
        lon = [float("nan") if p is None else shapely.get_x(p) for p in points]
        lat = [float("nan") if p is None else shapely.get_y(p) for p in points]
    attributes = gdf.drop(columns="geometry", errors="ignore")
    header = [str(c) for c in attributes.columns]
    rows = [header] + [
        [_plain_cell(v) for v in rec] for rec in attributes.itertuples(index=False)
    ]
    numbers = [0] + list(range(1, len(attributes) + 1))
    return RawTable(path, "gis", rows, numbers, encoding=encoding, sheet=layer, lon=lon, lat=lat,
                    crs=crs_text, notes=notes)


def _fix_dbf_encoding(path: Path, gdf: Any, layer: str | None) -> tuple[Any, str | None]:
    """A Shapefile without .cpg is read by GDAL as Latin-1; Persian DBFs are usually
    Windows-1256. Read it again as such when the Latin-1 text is really Persian."""
    import pyogrio

    texts = [v for c in gdf.columns if gdf[c].dtype == object or str(gdf[c].dtype) == "str"
             for v in gdf[c].tolist()[:200] if isinstance(v, str)]
    latin = "".join(texts)
    if not re.search("[\u00c0-\u00ff]", latin) or _ARABIC.search(latin):
        return gdf, None
    try:
        raw = latin.encode("latin-1")
    except UnicodeEncodeError:
        return gdf, None
    try:
        _try_windows_1256(raw, path=path)
    except InputError:
        return gdf, None
    return pyogrio.read_dataframe(path, layer=layer, encoding="cp1256"), "windows-1256"


def _gdal_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _plain_cell(value: Any) -> Any:
    """A GIS attribute as a plain Python value (numpy scalars unwrapped; NaN/NA as None)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy int64/float64/bool_
    if isinstance(value, float) and value != value:
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    return value

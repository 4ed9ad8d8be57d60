"""The estate registry: read, validate and turn into a GeoDataFrame of points.

A registry is a CSV with the columns of :data:`isipo_geo.registry.schema.REGISTRY_COLUMNS` (an
empty cell means *unknown*). The registry shipped with isipo-geo, ``data/estates/estates.csv``,
holds the estates, zones and special economic zones the 1400 report or public sources name (about
800 distinct sites, each with its sources' addresses; ``operator`` says who runs it) — not the
official list of the 844 the report counts (see :func:`isipo_geo.report.coverage`). The full list
belongs to ISIPO; import it with ``isipo-geo import``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo import _paths
from isipo_geo.errors import InputError
from isipo_geo.messages import Message, message, persian
from isipo_geo.registry._cells import (  # the registry CSV's text, public here
    registry_cells as registry_cells,
)
from isipo_geo.registry._cells import registry_to_csv_text as registry_to_csv_text
from isipo_geo.registry._checks import (
    FALSE_WORDS,
    TRUE_WORDS,
    column_problems,
)
from isipo_geo.registry._files import GEOPACKAGE_MAGIC, is_geopackage
from isipo_geo.registry._memory import system_arrow_pool
from isipo_geo.registry.schema import (
    KINDS,
    REGISTRY_COLUMNS,
    REQUIRED_COLUMNS,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

FLAG_OUTSIDE_PROVINCE = "outside_stated_province"
FLAG_SEP = ";"

_MAX_LISTED = 20


def registry_path() -> Path:
    """Path of the registry shipped with isipo-geo (``data/estates/estates.csv``)."""
    return _paths.data_file("estates", "estates.csv")


def registry_records(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read a registry CSV as plain dicts of strings (the rows as :class:`csv.DictReader` reads
    them; the quick path ``funding`` uses), checked by :func:`registry_problems`' rule.
    File-level problems raise the same errors as :func:`read_registry`."""
    import csv
    import io
    from operator import itemgetter

    from isipo_geo.registry.backend import is_server, location_name

    if is_server(path):  # a registry server's current estates
        rows = read_registry(path).to_dict(orient="records")
        raise_problems(registry_problems([{k: _text(v) for k, v in r.items()} for r in rows]),
                       path=location_name(path))
        return rows
    path = Path(path)
    if not path.is_file():
        raise InputError(message("registry_not_found"), path=path)
    if is_geopackage(path):
        rows = read_registry(path).to_dict(orient="records")
        raise_problems(registry_problems([{k: _text(v) for k, v in r.items()} for r in rows]),
                       path=path)
        return rows
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        rows, even = _dict_rows(header or [], reader)
        _restore_rows(rows, text)
    except UnicodeDecodeError as exc:
        raise InputError(
            message("not_utf8_at", reason=exc.reason, start=exc.start), path=path
        ) from None
    except csv.Error as exc:
        raise InputError(message("csv_unreadable", exc=str(exc)), path=path) from None
    if not header:
        raise InputError(message("file_empty_header"), path=path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(message("registry_missing_columns", columns=", ".join(missing)),
                         path=path)
    place: dict[str, str] = {}
    for k in dict.fromkeys(header):  # names equal once stripped: the later one, as a dict
        place[k.strip()] = k

    def column(name: str) -> list[str] | None:
        if name not in place:
            return None
        cells = map(itemgetter(place[name]), rows)
        return list(map(str.strip, cells)) if even else [v.strip() if v else "" for v in cells]

    raise_problems(column_problems(column, len(rows))[0], path=path)
    return rows


def _dict_rows(header: list[str], lines: Iterable[list[str]]) -> tuple[list[dict], bool]:
    """The rows as :class:`csv.DictReader` makes them (blank lines skipped, cells beyond the
    header under ``None``, missing cells None), and whether every row had as many cells as the
    header."""
    width = len(header)
    rows: list[dict] = []
    even = True
    for line in lines:
        if not line:
            continue
        row = dict(zip(header, line, strict=False))
        if len(line) != width:
            even = False
            if len(line) > width:
                row[None] = line[width:]
            else:
                row.update(dict.fromkeys(header[len(line):]))
        rows.append(row)
    return rows, even


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # cells beyond the header
        return ",".join(str(v) for v in value).strip()
    return str(value).strip()


def registry_problems(records: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    """Every problem in a registry's rows (cells as stripped text): ``(row, column, message)``.

    The one registry validation every command runs before it writes anything (``funding``,
    ``build``, ``map``, ``report``): ids present and unique, known kind, province, status and
    precision, numbers finite and within range (deficits and areas not negative), lon/lat
    together and on the globe, true/false cells. Rows count the header as row 1. The checks run
    column by column (:func:`isipo_geo.registry._checks.column_problems`, which takes columns).
    """
    return column_problems(lambda c: [r.get(c) or "" for r in records], len(records))[0]


def raise_problems(
    problems: list[tuple[int, str, str]], *, path: str | os.PathLike[str] | None
) -> None:
    """One InputError listing a registry's problems (the first with its row and column)."""
    if not problems:
        return
    problems = sorted(problems, key=lambda p: (p[0] or 0, p[1] or ""))
    first_row, first_col, _ = problems[0]
    lines = [
        message("registry_problem_line", row=r, column=repr(c), text=m)
        for r, c, m in problems[:_MAX_LISTED]
    ]
    more = len(problems) - _MAX_LISTED
    if more > 0:
        lines.append(message("registry_problems_more", more=more))
    joined = Message("\n  ".join(lines), "\n  ".join(persian(x) or x for x in lines))
    raise InputError(
        message("registry_problems", n=len(problems), lines=joined),
        path=path,
        row=first_row,
        column=first_col,
    )


def read_registry(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a registry as text (no type conversion); a clear error if it cannot be read.

    ``path`` is a registry CSV, or a registry store (GeoPackage written by ``isipo-geo import
    --into``) or server (a ``postgresql://`` URL), whose current estates are read."""
    return read_registry_hashed(path)[0]


def read_registry_hashed(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, str | None]:
    """:func:`read_registry`, with the SHA-256 (hex) of the bytes it parsed: a CSV is read
    from disk once, for its cells and the hash a build's manifest records. A store or a server
    has no hash here (None)."""
    import hashlib

    from isipo_geo.registry.backend import is_server

    if is_server(path):
        from isipo_geo.registry.backend import current_registry

        return current_registry(path), None
    path = Path(path)
    if not path.is_file():
        raise InputError(message("registry_not_found"), path=path)
    with open(path, "rb") as f:  # opened once: a store known by its first bytes, a CSV read
        store = f.read(16) == GEOPACKAGE_MAGIC
        if not store:
            f.seek(0)
            data = f.read()
    if store:
        from isipo_geo.registry.backend import current_registry

        return current_registry(path), None
    with system_arrow_pool():  # the registry's text in memory the later stages reuse
        frame = _csv_frame(data, path)
    return frame, hashlib.sha256(data).hexdigest()


# tables.NEUTRALISED as the text read with universal newlines meets it ("'" then "\r" never:
# a "\r" reads as "\n"); its characters are ASCII, and no UTF-8 character holds an ASCII byte,
# so the bytes tell.
_NEUTRALISED_BYTES = re.compile(rb"'[=+\-@\t]")


def _csv_frame(data: bytes, path: Path) -> pd.DataFrame:
    """A registry CSV's bytes as a frame of text, the ``'`` before formula-leading text
    dropped and the derived deficits left out (:func:`read_registry`)."""
    import io

    import pandas as pd

    from isipo_geo.registry.derived import without_derived_deficits
    from isipo_geo.tables import restore_formula

    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=False,
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            message("not_utf8_at", reason=exc.reason, start=exc.start), path=path
        ) from None
    except pd.errors.ParserError as exc:
        _check_row_widths(data, path)
        raise InputError(message("csv_unreadable", exc=str(exc)), path=path) from None
    except pd.errors.EmptyDataError:
        raise InputError(message("file_empty_header"), path=path) from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took a column as the index
        _check_row_widths(data, path)
    if _NEUTRALISED_BYTES.search(data):
        frame = frame.map(restore_formula)
    return _empty_cells_shared(without_derived_deficits(frame))


def _empty_cells_shared(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its columns of empty text cells in one buffer they share.

    An Arrow text column holds an 8-byte offset per cell even when every cell is empty: a
    registry of 84,400 estates had 22 such columns (the utilities it does not track, the budget
    criteria, notes), 15 MB of zeros (its frame is 33 MB, was 48); the estates the maps draw
    keep the text ones (flags, note, county, ...). Arrow never writes a buffer in place (a cell
    set later makes its column new buffers), so the columns share one. A frame without Arrow
    text (pandas without pyarrow) is returned as it is."""
    import pandas as pd

    try:
        import numpy as np
        import pyarrow as pa
    except ImportError:
        return frame
    if not frame.columns.is_unique:
        return frame
    empty = [
        c for c in frame.columns
        if isinstance(frame[c].dtype, pd.StringDtype) and frame[c].dtype.storage == "pyarrow"
        and bool(frame[c].eq("").all())
    ]
    if not empty:
        return frame
    n = len(frame)
    offsets = pa.py_buffer(np.zeros(n + 1, dtype=np.int64))
    cells = pa.Array.from_buffers(pa.large_string(), n, [None, offsets, pa.py_buffer(b"")])
    out = frame.copy(deep=False)  # (not assign(**...): a column may be named 'self')
    for c in empty:
        out[c] = pd.array(cells, dtype=frame[c].dtype)
    return out


def _check_row_widths(data: bytes, path: Path) -> None:
    """Raise an :class:`InputError` naming the first row with more cells than the header.

    pandas refuses such a row, or, when it is the first under the header, silently reads the
    first column as an index and shifts every cell of every row one column left."""
    import csv

    from isipo_geo.messages import message

    rows = csv.reader(data.decode("utf-8-sig").splitlines())
    width = len(next(rows, []))
    for n, row in enumerate(rows, start=2):
        if len(row) > width:
            raise InputError(
                message("row_wider_than_header", cells=len(row), width=width),
                path=path, row=n,
            )


def validate_registry(
    raw: pd.DataFrame, *, path: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Check a registry read as text and return it typed (the dtypes of REGISTRY_COLUMNS).

    Every problem is collected first; then one :class:`InputError` lists them (the first with
    its row and column). Row numbers count the header as row 1, as a spreadsheet shows them.
    Missing optional columns are added empty; extra columns are kept as text.

    Parameters
    ----------
    raw
        The registry with every cell as a string (empty string = unknown).
    path
        The file it came from, for messages.

    Returns
    -------
    pandas.DataFrame
        The registry with the columns of REGISTRY_COLUMNS first, in that order: numbers as
        ``Float64`` and yes/no columns as ``boolean`` (NA when unknown); text columns as
        ``string``, an empty string when unknown (so ``==`` and ``.str`` tests never meet NA).

    Raises
    ------
    InputError
        A required column is missing, or cells are invalid (duplicate or empty id, unknown kind,
        province, status or precision, a number that is not a number, lon/lat out of range or
        given alone).
    """
    import numpy as np
    import pandas as pd

    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            message(
                "registry_missing_columns_full", columns=", ".join(missing),
                required=", ".join(REQUIRED_COLUMNS),
                optional=", ".join(c for c in REGISTRY_COLUMNS if c not in REQUIRED_COLUMNS),
            ),
            path=path,
        )
    df = raw.set_axis([str(c).strip() for c in raw.columns], axis=1)
    for col in REGISTRY_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df.fillna("").astype(str)
    for col in df.columns:
        stripped = df[col].str.strip()
        if not stripped.equals(df[col]):  # a stripped copy only where a cell changes
            df[col] = stripped
        del stripped
    df = _empty_cells_shared(df)  # the columns added empty, or emptied by stripping

    # the checks, column by column, once; they also read the numbers
    # each number column a Float64 array as soon as it is read (not 25 lists at once)
    problems, numbers = column_problems(
        lambda c: _shared_cells(df[c]), len(df),
        numbers_as=lambda values: pd.array(values, dtype="Float64"),
    )
    raise_problems(problems, path=path)

    # the typed columns made once and framed as they are: setting them one by one
    # (``out[col] = ...``) copied every array (17 MB of numbers at 84,400 estates)
    typed: dict[str, Any] = {}
    for col, dtype in REGISTRY_COLUMNS.items():
        if dtype in ("Float64", "Int64"):
            typed[col] = numbers.pop(col).astype(dtype, copy=False)
        elif dtype == "boolean":
            codes, words = pd.factorize(df[col], use_na_sentinel=False)
            lookup = np.array([_yes_no(str(w)) for w in words] + [pd.NA], dtype=object)
            typed[col] = pd.array(lookup[codes], dtype="boolean")
        else:
            typed[col] = df[col].astype("string").array
    for col in df.columns:
        if col not in REGISTRY_COLUMNS:
            typed[col] = df[col].astype("string").array
    return pd.DataFrame(typed, index=df.index, copy=False)


def _shared_cells(column: pd.Series) -> list[str]:
    """A text column's cells as a list in which equal cells are one ``str``: made from the
    column's distinct cells (``pd.factorize`` reads the Arrow strings without a Python string
    per cell). ``tolist()`` made a string per cell, 84,400 of them a column (about 5 MB for a
    moment) for a column of a few dozen kinds, provinces or yes/no words."""
    import numpy as np
    import pandas as pd

    codes, distinct = pd.factorize(column)
    return np.array(distinct.tolist(), dtype=object)[codes].tolist()


def _yes_no(cell: str) -> object:
    import pandas as pd

    low = cell.lower()
    return True if low in TRUE_WORDS else False if low in FALSE_WORDS else pd.NA


def to_geodataframe(df: pd.DataFrame, *, check_provinces: bool = True) -> gpd.GeoDataFrame:
    """Points (EPSG:4326) from a validated registry's lon/lat, indexed by id.

    Rows without lon/lat get an empty geometry. With ``check_provinces``, a point that falls
    outside its stated province's polygon gets the flag ``outside_stated_province``
    (points are never moved or dropped). The frame shares ``df``'s columns (a shallow copy: a
    deep one copied 45 columns, 17 MB at 84,400 estates, for a moment); the flags column is
    replaced, never written in place, so ``df`` is left as it was.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    lon = df["lon"].astype("float64").to_numpy(na_value=np.nan)
    lat = df["lat"].astype("float64").to_numpy(na_value=np.nan)
    located = ~(np.isnan(lon) | np.isnan(lat))
    geoms = np.full(len(df), shapely.Point(), dtype=object)  # one shared empty point
    if located.any():
        geoms[located] = shapely.points(lon[located], lat[located])
    del lon, lat
    points = gpd.array.from_shapely(geoms, crs="EPSG:4326")
    del geoms
    gdf = gpd.GeoDataFrame(df.copy(deep=False), geometry=points)
    # the ids' own text, not a Python string per id (84,400 of them, 6 MB, for a moment)
    gdf.index = pd.Index(gdf["id"].astype(str).array)
    if check_provinces and located.any():
        outside = gdf.index.isin(points_outside_province(gdf))
        if outside.any():
            flags = gdf["flags"].copy()
            flags[outside] = [_add_flag(f, FLAG_OUTSIDE_PROVINCE) for f in flags[outside]]
            gdf["flags"] = flags
    return gdf


def points_outside_province(gdf: gpd.GeoDataFrame) -> list[str]:
    """Index labels of located rows whose point is not inside (or on) their province polygon.

    One vectorised ``shapely.covers`` per province over the points stated in it (polygons
    prepared once), so 84,400 points take about 0.1 s rather than a ``covers`` call per row.
    A row whose province is not a province key counts as outside.
    """
    import numpy as np
    import pandas as pd
    import shapely

    from isipo_geo.provinces import load_provinces

    polygons = load_provinces().geometry
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    # each province's rows by its code (no Python string per row)
    codes, keys = pd.factorize(gdf["province"].astype("string").fillna(""))
    inside = np.zeros(len(gdf), dtype=bool)
    for code in np.unique(codes[located]):
        poly = polygons.get(str(keys[code]))
        if poly is None:
            continue
        rows = np.flatnonzero(located & (codes == code))
        shapely.prepare(poly)
        inside[rows] = shapely.covers(poly, geoms[rows])
    return [str(i) for i in gdf.index[located & ~inside]]


def _add_flag(flags: object, flag: str) -> str:
    import pandas as pd

    current = "" if flags is None or flags is pd.NA or flags != flags else str(flags)
    parts = [p for p in current.split(FLAG_SEP) if p]
    if flag not in parts:
        parts.append(flag)
    return FLAG_SEP.join(parts)


def load_estates(
    path: str | os.PathLike[str] | None = None,
    *,
    check_provinces: bool = True,
    raw: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Load an estate registry as a GeoDataFrame of points (EPSG:4326), indexed by id.

    Parameters
    ----------
    path : path-like, optional
        A registry CSV (columns of :data:`isipo_geo.registry.schema.REGISTRY_COLUMNS`; UTF-8, with
        or without BOM) or a registry store (``registry.gpkg`` from ``isipo-geo import --into``:
        its current estates). Default: the registry shipped with isipo-geo: the estates the 1400
        report and public sources name — not the official list of the 844 it counts.
    check_provinces : bool
        Flag (``flags`` column: ``outside_stated_province``) points outside their province.
    raw : pandas.DataFrame, optional
        The file already read as text (:func:`read_registry`), for a caller that needs its
        cells too, so the file is read once.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per estate with the registry's typed columns; rows without lon/lat have an
        empty point.

    Raises
    ------
    InputError
        The file is missing, unreadable or has invalid cells (all problems are listed).
    DataFileError
        The shipped registry is missing (a broken installation).

    Examples
    --------
    >>> estates = load_estates()
    >>> estates.crs.to_epsg()
    4326
    >>> int((estates["kind"] == "special_economic_zone").sum())
    56
    """
    from isipo_geo.registry.backend import is_server, location_name

    source = registry_path() if path is None else path if is_server(path) else Path(path)
    if raw is None:
        raw = read_registry(source)
    with system_arrow_pool():  # checking's Arrow text in memory the later stages reuse
        df = validate_registry(raw, path=location_name(source))
        return to_geodataframe(df, check_provinces=check_provinces)


def covered(rows: object, *, among: Collection[str] | None = None) -> tuple[set[str], set[str]]:
    """The province keys and ids a registry (a DataFrame or rows of dicts) holds.

    With ``among``, only the ids among those (the shipped registry's, when a registry is laid
    over it): a frame's other ids never become Python strings (every id of 84,400 estates as a
    set took 25 MB of a build's memory, to drop a few hundred shipped rows)."""
    if hasattr(rows, "columns"):  # a frame: its two columns, each distinct cell once
        columns = rows.columns  # type: ignore[union-attr]

        def cells(col: str, among: Collection[str] | None = None) -> set[str]:
            if col not in columns:
                return set()
            # the cells as stripped text (NA: empty), without a Python string per row (an
            # array, not a Series: a Series' index would be hashed, a string per id, and kept)
            text = rows[col].astype("string").fillna("").str.strip().array  # type: ignore[index]
            if among is not None:
                text = text[text.isin(list(among))]
            return set(text.unique().tolist())

        return cells("province") - {""}, cells("id", among) - {""}
    records = list(rows)  # type: ignore[call-overload]
    provinces = {str(r.get("province") or "").strip() for r in records} - {""}
    ids = {str(r.get("id") or "").strip() for r in records} - {""}
    return provinces, ids if among is None else ids & set(among)


def overlay_records(user: list[dict], shipped: list[dict]) -> list[dict]:
    """A user's registry laid over the shipped one: the shipped rows of the provinces the user's
    registry does not cover (and whose ids it does not reuse), then the user's rows.

    Examples
    --------
    >>> shipped = [{"id": "s1", "province": "yazd"}, {"id": "s2", "province": "isfahan"}]
    >>> [r["id"] for r in overlay_records([{"id": "u1", "province": "isfahan"}], shipped)]
    ['s1', 'u1']
    """
    provinces, ids = covered(user)
    kept = [
        r for r in shipped
        if str(r.get("province") or "").strip() not in provinces
        and str(r.get("id") or "").strip() not in ids
    ]
    return kept + list(user)


def load_registry(
    path: str | os.PathLike[str] | None = None,
    *,
    registry_only: bool = False,
    check_provinces: bool = True,
    raw: pd.DataFrame | None = None,
    shipped_raw: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The estates maps and tables show: the shipped registry, or a user's registry laid over it.

    A user's registry replaces the shipped rows of the provinces it covers and keeps the rest
    (a provincial planner's file for Isfahan leaves the other 30 provinces' shipped estates on
    the national map); ``registry_only`` uses the user's registry alone. The user's rows carry
    the file's name in a ``registry_file`` column (empty on shipped rows).

    Parameters
    ----------
    path
        The user's registry CSV; None for the shipped registry alone.
    registry_only
        Leave out the shipped rows (a clean slate).
    check_provinces
        As for :func:`load_estates`.
    raw
        The user's registry already read as text (:func:`read_registry`), so that a caller
        that needs its cells too (funding's exact figures) reads the file once.
    shipped_raw
        The shipped registry already read as text, likewise (None: read here when needed).
    """
    import numpy as np
    import pandas as pd

    user = load_estates(path, check_provinces=check_provinces, raw=raw)
    if path is not None:  # which rows are the user's, for credits ("registry <file>, <year>")
        from isipo_geo.registry.backend import short_name

        user["registry_file"] = pd.array([short_name(path)] * len(user), dtype="string")
    if path is None or registry_only:
        return user
    shipped = load_estates(None, check_provinces=check_provinces, raw=shipped_raw)
    provinces, ids = covered(user, among=shipped["id"].tolist())
    # set look-ups over the shipped rows (isin over 84,400 user ids took 0.4 s)
    keep = [
        p not in provinces and i not in ids
        for p, i in zip(shipped["province"].tolist(), shipped["id"].tolist(), strict=True)
    ]
    kept = shipped[np.asarray(keep, dtype=bool)]
    if kept.empty:
        return user
    if user.empty:
        return kept
    extra = [c for c in user.columns if c not in kept.columns]
    kept = kept.copy(deep=False)  # set one by one: assign(**...) took a column 'self' as its own
    for c in extra:
        kept[c] = pd.Series(pd.NA, index=kept.index, dtype=user[c].dtype)
    out = pd.concat([kept[user.columns], user])
    return out.set_crs(user.crs, allow_override=True) if out.crs is None else out


def _restore_rows(rows: list[dict], text: str) -> None:
    """Drop the ``'`` the CSV writer put before formula-leading text (in place)."""
    from isipo_geo.tables import NEUTRALISED, restore_formula

    if not NEUTRALISED.search(text):
        return
    for row in rows:
        for k, v in row.items():
            if type(v) is str and v[:1] == "'":
                row[k] = restore_formula(v)


ESTATE_LIST_COLUMNS = (
    "id", "name_fa", "name_en", "kind", "operator", "province", "county", "status",
    "status_year", "area_ha", "location_precision", "lon", "lat", "geonames_id",
    "utilities_stated", "source", "flags", "note",
)  # fmt: skip


def resolve_kind(text: str) -> str:
    """The registry kind a word names: a key (``industrial_zone``) or a Persian/English word
    («ناحیه صنعتی», «ناحیه», "zone", "SEZ").

    Raises
    ------
    InputError
        The word names no kind; the message lists them.

    Examples
    --------
    >>> resolve_kind("ناحيه صنعتي")
    'industrial_zone'
    >>> resolve_kind("SEZ")
    'special_economic_zone'
    """
    from isipo_geo.names import fold
    from isipo_geo.registry.schema import KIND_ALIASES

    key = fold(text or "")
    for kind in KINDS:
        if key in {fold(kind), *(fold(a) for a in KIND_ALIASES.get(kind, ()))}:
            return kind
    raise InputError(message("unknown_kind_word", value=repr(text), choices=", ".join(KINDS)))


def list_estates(
    province: str | None = None,
    *,
    kind: str | None = None,
    name: str | None = None,
    registry: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The estates of a registry, optionally of one province, one kind and one name, as a table.

    Parameters
    ----------
    province
        Any spelling :func:`isipo_geo.names.resolve_province` accepts; None: every province.
    kind
        A kind key or word (:func:`resolve_kind`); None: every kind.
    name
        A name in any spelling: the estates whose name, English name or another spelling their
        sources give (``note``: «also written: …») is that name (:func:`spells`).
    registry
        A registry CSV, a registry store (.gpkg) or a server URL; None: the shipped one.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`ESTATE_LIST_COLUMNS` (those the registry has), one row per estate,
        in the registry's order (province, kind, name for the shipped one).

    Examples
    --------
    >>> qom = list_estates("قم", kind="zone")
    >>> sorted(set(qom["kind"]))
    ['industrial_zone']
    """
    import pandas as pd

    from isipo_geo.names import resolve_province

    df = pd.DataFrame(load_estates(registry, check_provinces=False).drop(columns="geometry"))
    if province is not None:
        df = df[df["province"] == resolve_province(province)]
    if kind is not None:
        df = df[df["kind"] == resolve_kind(kind)]
    if name is not None:
        hits = [
            spells(name, [r.get("name_fa"), r.get("name_en"), *other_spellings(r.get("note"))])
            for r in df.to_dict("records")
        ]
        df = df[hits] if len(df) else df
    return df[[c for c in ESTATE_LIST_COLUMNS if c in df.columns]].reset_index(drop=True)


_ALSO_WRITTEN = "also written: "


def other_spellings(note: object) -> list[str]:
    """The other spellings of an estate its ``note`` lists («also written: a · b»).

    >>> other_spellings("location: …; also written: شهرک صنعتی پایتخت · شهرک صنعتی علی اباد")
    ['شهرک صنعتی پایتخت', 'شهرک صنعتی علی اباد']
    """
    text = _text(note)
    if _ALSO_WRITTEN not in text:
        return []
    tail = text.split(_ALSO_WRITTEN, 1)[1].split("; ")[0]
    return [s.strip() for s in tail.split(" · ") if s.strip()]


def spells(name: str, spellings: list[object]) -> bool:
    """Whether ``name`` is one of ``spellings``: the same letters (:func:`isipo_geo.names.fold`),
    or the same estate identity (kind word, number in digits or words:
    :func:`isipo_geo.registry.identity.estate_identity`), or the name without its kind word.

    >>> spells("چهار کرمان", ["شهرک صنعتی شماره 4 کرمان", "شهرک صنعتی چهار کرمان"])
    True
    """
    from isipo_geo.names import fold
    from isipo_geo.registry.identity import estate_identity, split_kind

    key = fold(name)
    if not key:
        return False
    ident = estate_identity(name)
    for spelling in spellings:
        text = _text(spelling)
        if not text:
            continue
        if key in (fold(text), fold(split_kind(text)[1])):
            return True
        other = estate_identity(text)
        if ident.core and (ident.core, ident.number) == (other.core, other.number):
            return True
    return False

"""A table and its geometries written as a GeoPackage with Python's own sqlite3 (no GDAL).

The GeoPackage standard (OGC 12-128r18, version 1.2) is a SQLite file with three tables of
metadata and one table per layer: what this module writes for one layer in EPSG:4326, without a
spatial index (an optional extension). Why not GDAL: loading it (pyogrio) costs ~44 MB of memory
— at 84,400 estates ``build --registry`` peaked 42 MB lower without it (issue 22) — and the
file GDAL writes for a table of 31 provinces is no different to QGIS or GDAL's own readers.

The same table gives the same bytes: the one time stamp (``gpkg_contents.last_change``) is
given by the caller.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSIONS = {"1.2": 10200, "1.3": 10300}
SRS_ID = 4326
# EPSG:4326 in WKT 1, as GDAL writes it into gpkg_spatial_ref_sys
WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_METADATA = (
    "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, "
    "organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, "
    "definition TEXT NOT NULL, description TEXT)",
    "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, "
    "identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL, "
    "min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, "
    "CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))",
    "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
    "geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, "
    "m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), "
    "CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY "
    "(table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY "
    "(srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))",
)
_SRS_ROWS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate "
     "reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate "
     "reference system"),
    ("WGS 84 geodetic", SRS_ID, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in "
     "decimal degrees on the WGS 84 spheroid"),
)
# a single type and its multi type are written as the multi type (as GDAL promotes them)
_PROMOTED = {
    frozenset({"Polygon", "MultiPolygon"}): "MultiPolygon",
    frozenset({"Point", "MultiPoint"}): "MultiPoint",
    frozenset({"LineString", "MultiLineString"}): "MultiLineString",
}


def write_gpkg(
    frame: pd.DataFrame,
    geometries: Sequence[object],
    path: str | Path,
    *,
    layer: str,
    last_change: str,
    version: str = "1.2",
) -> None:
    """Write ``frame`` with ``geometries`` (shapely, EPSG:4326, None where unknown; aligned with
    its rows) as the one layer of a new GeoPackage at ``path``.

    Columns become ``TEXT``, ``REAL``, ``INTEGER`` or ``BOOLEAN`` by their dtype; missing values
    are NULL. A geometry column of one type is declared as that type (polygons beside
    multipolygons as ``MULTIPOLYGON``, and so for points and lines), of several as ``GEOMETRY``.

    Parameters
    ----------
    frame : DataFrame
        The attributes, one row per feature.
    geometries : sequence of shapely geometries
        The features' geometries, in longitude/latitude (EPSG:4326).
    path : str or Path
        The file to write; it must not exist (write into a staging path).
    layer : str
        The layer's (table's) name.
    last_change : str
        ``gpkg_contents.last_change``, e.g. ``1970-01-01T00:00:00.000Z``.
    version : {'1.2', '1.3'}
        The GeoPackage version the file says it follows.

    Examples
    --------
    >>> import tempfile, pandas as pd, shapely
    >>> path = Path(tempfile.mkdtemp()) / "x.gpkg"
    >>> write_gpkg(pd.DataFrame({"name": ["a"]}), [shapely.Point(51.4, 35.7)], path,
    ...            layer="x", last_change="1970-01-01T00:00:00.000Z")
    >>> sqlite3.connect(path).execute("select geometry_type_name from gpkg_geometry_columns")\\
    ...     .fetchone()
    ('POINT',)
    """
    import shapely

    geoms = _promoted(list(geometries))
    columns = [str(c) for c in frame.columns]
    kinds = [_sql_type(frame[c]) for c in frame.columns]
    blobs = [_geometry_blob(g) for g in geoms]
    present = [g for g in geoms if g is not None and not shapely.is_empty(g)]
    bounds = shapely.total_bounds(present) if present else [None] * 4
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {USER_VERSIONS[version]}")
        for statement in _METADATA:
            db.execute(statement)
        db.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SRS_ROWS)
        db.execute(
            "INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)",
            (layer, layer, last_change, *map(_plain, bounds), SRS_ID),
        )
        db.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            (layer, _type_name(geoms), SRS_ID),
        )
        fields = "".join(f", {_quoted(c)} {k}" for c, k in zip(columns, kinds, strict=True))
        db.execute(
            f"CREATE TABLE {_quoted(layer)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
            f"geom {_type_name(geoms)}{fields})"
        )
        marks = ", ".join("?" * (len(columns) + 1))
        names = ", ".join(_quoted(c) for c in ("geom", *columns))
        values = zip(blobs, *(map(_plain, frame[c].tolist()) for c in frame.columns), strict=True)
        db.executemany(f"INSERT INTO {_quoted(layer)} ({names}) VALUES ({marks})", values)
        db.commit()
    finally:
        db.close()


def _promoted(geoms: list[object]) -> list[object]:
    """The geometries, single ones made multi where the layer mixes both."""
    import shapely

    types = {g.geom_type for g in geoms if g is not None}  # type: ignore[attr-defined]
    multi = _PROMOTED.get(frozenset(types))
    if multi is None:
        return geoms
    make = {"MultiPolygon": shapely.MultiPolygon, "MultiPoint": shapely.MultiPoint,
            "MultiLineString": shapely.MultiLineString}[multi]
    return [
        make([g]) if g is not None and g.geom_type != multi else g  # type: ignore[attr-defined]
        for g in geoms
    ]


def _type_name(geoms: list[object]) -> str:
    types = {g.geom_type for g in geoms if g is not None}  # type: ignore[attr-defined]
    return types.pop().upper() if len(types) == 1 else "GEOMETRY"


def _geometry_blob(geom: object) -> bytes | None:
    """A geometry as GeoPackage binary: ``GP``, version 0, flags (little-endian, an x/y
    envelope, or empty), the SRS id, the envelope (min x, max x, min y, max y), then ISO WKB."""
    import shapely

    if geom is None:
        return None
    wkb = shapely.to_wkb(geom, byte_order=1, flavor="iso")
    if shapely.is_empty(geom):
        return b"GP" + bytes([0, 0b10001]) + struct.pack("<i", SRS_ID) + wkb
    min_x, min_y, max_x, max_y = shapely.bounds(geom)
    envelope = struct.pack("<4d", min_x, max_x, min_y, max_y)
    return b"GP" + bytes([0, 0b11]) + struct.pack("<i", SRS_ID) + envelope + wkb


def _sql_type(column: pd.Series) -> str:
    from pandas.api import types

    if types.is_bool_dtype(column.dtype):
        return "BOOLEAN"
    if types.is_integer_dtype(column.dtype):
        return "INTEGER"
    if types.is_float_dtype(column.dtype):
        return "REAL"
    return "TEXT"


def _plain(value: object) -> object:
    """A cell as sqlite3 stores it: None for a missing value (None, NaN, pd.NA), numpy
    scalars as Python's."""
    import pandas as pd

    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()  # type: ignore[attr-defined]
    return value


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

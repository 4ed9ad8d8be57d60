"""Utility network layers a planner holds: substations and lines, water mains, gas pipelines.

Read from a GeoPackage, GeoJSON or Shapefile in any CRS (the layer's own CRS is used, never
guessed), checked, and returned in EPSG:4326 with the columns the connection costing reads
(:mod:`isipo_geo.finance.connection`). Attribute names stay as the layer has them (Persian
included); ``feature_id`` and ``feature_name`` are taken from the first of the usual columns
found, else the feature's 1-based position.

This module does the reading; the nearest-feature search and the costs are pure functions in
:mod:`isipo_geo.finance.connection`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message, prefixed

if TYPE_CHECKING:
    import geopandas as gpd

SUFFIXES = (".gpkg", ".geojson", ".json", ".shp")

# Iran with a margin of about 1 degree: a layer none of whose features fall in it is refused.
IRAN_BOUNDS = (43.0, 24.0, 64.5, 40.5)

# Columns read as a feature's id and name, in order of preference (matched without case).
ID_COLUMNS = ("id", "fid", "code", "feature_id", "شناسه", "کد")
NAME_COLUMNS = ("name", "name_fa", "نام", "name_en", "title", "عنوان")

_FILTER = re.compile(r"^\s*(?P<column>.+?)\s*(?P<op>>=|<=|=|>|<)\s*(?P<value>\S.*?)\s*$")


@dataclass(frozen=True)
class NetworkFilter:
    """Keep only features whose ``column`` compares with ``value`` (``voltage_kv>=63``)."""

    column: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.column}{self.op}{self.value:g}"


def parse_network_option(text: str) -> tuple[str, Path]:
    """``UTILITY=FILE`` (the CLI's ``--network``) as (utility, path).

    >>> parse_network_option("power=substations.gpkg")
    ('power', PosixPath('substations.gpkg'))
    """
    utility, sep, path = text.partition("=")
    utility = utility.strip().lower()
    if not sep or not utility or not path.strip():
        raise InputError(
            message("network_option_form", text=repr(text))
        )
    return utility, Path(path.strip())


def parse_filter_option(text: str) -> tuple[str, NetworkFilter]:
    """``UTILITY:COLUMN>=VALUE`` (the CLI's ``--network-filter``) as (utility, filter).

    >>> parse_filter_option("power:voltage_kv>=63")
    ('power', NetworkFilter(column='voltage_kv', op='>=', value=63.0))
    """
    from isipo_geo.numbers import parse_number

    utility, sep, rest = text.partition(":")
    m = _FILTER.match(rest) if sep else None
    if not m:
        raise InputError(
            message("network_filter_form", text=repr(text))
        )
    try:
        value = parse_number(m["value"], what="--network-filter value")
    except InputError as exc:
        raise InputError(prefixed(f"--network-filter {text!r}:", exc.reason)) from None
    return utility.strip().lower(), NetworkFilter(m["column"], m["op"], float(value))


def read_network(
    path: str | os.PathLike[str],
    *,
    utility: str,
    where: NetworkFilter | None = None,
) -> gpd.GeoDataFrame:
    """A network layer in EPSG:4326 with ``feature_id``, ``feature_name``, ``utility`` and the
    layer's own columns.

    Raises
    ------
    InputError
        The file is missing or unreadable, has no CRS, no features, geometries that are not
        points or lines, no feature inside Iran, or a filter column it does not have. The
        message names the file and what to do.
    """
    import geopandas as gpd
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise InputError(message("network_not_found"), path=path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            message("network_unsupported", value=repr(path.suffix or '(no extension)')),
            path=path,
        )
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # GDAL's errors come in several types
        raise InputError(message("gis_file_unreadable", exc=str(exc).splitlines()[0]),
                         path=path) from None
    if len(gdf) == 0:
        raise InputError(message("layer_empty"), path=path)
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.isna().all():
        raise InputError(message("layer_no_geometry"), path=path)
    if gdf.crs is None:
        raise InputError(
            message("layer_no_crs"),
            path=path,
        )
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    kinds = set(gdf.geom_type)
    allowed = {"Point", "MultiPoint", "LineString", "MultiLineString"}
    if not kinds <= allowed:
        raise InputError(
            message("network_geometry_kinds", value=', '.join(sorted(kinds - allowed))),
            path=path,
        )
    gdf = gdf.to_crs(4326).reset_index(drop=True)
    id_col = _first_column(gdf, ID_COLUMNS)
    name_col = _first_column(gdf, NAME_COLUMNS)
    gdf.insert(0, "feature_id", gdf[id_col].astype(str) if id_col else _positions(gdf))
    names = gdf[name_col].astype("string").fillna("") if name_col else ""
    gdf.insert(1, "feature_name", names)
    gdf.insert(2, "utility", utility)
    if where is not None:
        gdf = _apply_filter(gdf, where, path)
    minx, miny, maxx, maxy = IRAN_BOUNDS
    inside = gdf.geometry.intersects(_box(minx, miny, maxx, maxy))
    if not inside.any():
        x0, y0, x1, y1 = (round(v, 2) for v in gdf.total_bounds)
        raise InputError(
            message("layer_outside_iran", x0=x0, x1=x1, y0=y0, y1=y1),
            path=path,
        )
    return gdf[inside].reset_index(drop=True)


def _first_column(gdf: gpd.GeoDataFrame, candidates: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in gdf.columns if c != gdf.geometry.name}
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _positions(gdf: gpd.GeoDataFrame) -> list[str]:
    return [str(i + 1) for i in range(len(gdf))]


def _apply_filter(gdf: gpd.GeoDataFrame, where: NetworkFilter, path: Path) -> gpd.GeoDataFrame:
    import operator

    import pandas as pd

    column = _first_column(gdf, (where.column.lower(),))
    if column is None:
        cols = ", ".join(str(c) for c in gdf.columns if c not in ("geometry",))
        raise InputError(
            message("network_filter_no_column", column=repr(where.column), cols=cols), path=path
        )
    raw = gdf[column]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
    else:  # text cells: the one number rule (Persian digits, «۶۳ کیلوولت» refused as a unit)
        from isipo_geo.numbers import parse_floats

        cells = [None if pd.isna(v) else str(v) for v in raw]
        floats, refused = parse_floats(cells, what=f"--network-filter column {column!r}")
        if refused:
            pos, reason = next(iter(refused.items()))
            raise InputError(reason, path=path, row=pos + 1, column=str(column))
        values = pd.Series(floats, index=gdf.index, dtype="Float64")
    ops = {
        ">=": operator.ge,
        "<=": operator.le,
        "=": operator.eq,
        ">": operator.gt,
        "<": operator.lt,
    }
    keep = ops[where.op](values, where.value).fillna(False).astype(bool)
    if not keep.any():
        raise InputError(message("network_filter_empty", where=where), path=path)
    return gdf[keep].reset_index(drop=True)


def _box(minx: float, miny: float, maxx: float, maxy: float):  # noqa: ANN202
    from shapely.geometry import box

    return box(minx, miny, maxx, maxy)


def read_networks(
    specs: list[str], filters: list[str] | None = None
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """The layers of the CLI's ``--network UTILITY=FILE`` options (several files of one
    utility are drawn together) with their ``--network-filter`` options; and each utility's
    file names, as rows cite them.

    Raises
    ------
    InputError
        A malformed option, a filter for a utility without a network, or a bad layer.
    """
    import geopandas as gpd
    import pandas as pd

    parsed = [parse_network_option(s) for s in specs]
    wheres: dict[str, NetworkFilter] = {}
    for text in filters or []:
        utility, where = parse_filter_option(text)
        if utility not in {u for u, _ in parsed}:
            raise InputError(
                message("network_filter_no_network", text=repr(text), utility=utility)
            )
        wheres[utility] = where
    layers: dict[str, list[gpd.GeoDataFrame]] = {}
    files: dict[str, list[str]] = {}
    for utility, path in parsed:
        layers.setdefault(utility, []).append(
            read_network(path, utility=utility, where=wheres.get(utility))
        )
        files.setdefault(utility, []).append(path.name)
    networks = {
        u: gpd.GeoDataFrame(pd.concat(gs, ignore_index=True), geometry="geometry", crs=4326)
        for u, gs in layers.items()
    }
    return networks, {u: " + ".join(f) for u, f in files.items()}

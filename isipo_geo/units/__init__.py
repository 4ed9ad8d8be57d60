"""Unit-level point layers: assign industrial units to provinces and estates, then aggregate.

Below the estates lie tens of thousands of industrial units and contracts. This module takes a
layer of unit points (one row per unit, any numeric attributes such as employees or investment)
and answers *how many units, and how much of each attribute, per province or per estate*:

- :func:`assign_provinces` — point in polygon against the 31 province polygons, vectorised
  (``shapely.intersects_xy`` on prepared polygons after a bounding-box filter), in chunks.
- :func:`assign_estates` — the nearest located estate within a distance in metres. Candidates
  are searched in :data:`IRAN_LCC` (a Lambert conformal conic centred on Iran, scale error under
  1 % over the country) within 1.05 × the distance; the nearest is then chosen by the geodesic
  distance on the WGS 84 ellipsoid (``pyproj.Geod``), so distances are true metres.
- :func:`aggregate_units` — counts and sums per province (all 31, plus :data:`OUTSIDE`) or per
  estate (every estate in the registry, plus :data:`NO_ESTATE`). Points are never dropped: those
  outside every province or beyond the distance from every estate get their own row.

File reading (:func:`read_points`) and writing (:func:`write_aggregates`,
:func:`write_unit_points_map`) are kept apart from the computation. A map of many points is drawn
on one canvas from one inlined coordinate array (:func:`unit_points_map_html`,
:func:`unit_points_layer`), never one DOM marker per point.

Modules: :mod:`~isipo_geo.units.read` (files in), :mod:`~isipo_geo.units.assign` and
:mod:`~isipo_geo.units.aggregate` (the computation), :mod:`~isipo_geo.units.write` and
:mod:`~isipo_geo.units.points_map` (files out). The units package may import the registry, the
maps' HTML helpers and the base modules; never finance or the CLI.
"""

from isipo_geo.units.aggregate import aggregate_units, unsummed_columns
from isipo_geo.units.assign import (
    CHUNK_SIZE,
    DEFAULT_MAX_DISTANCE_M,
    IRAN_LCC,
    NO_ESTATE,
    OUTSIDE,
    Progress,
    assign_estates,
    assign_provinces,
    province_codes,
)
from isipo_geo.units.points_map import (
    unit_points_layer,
    unit_points_map_html,
    write_unit_points_map,
)
from isipo_geo.units.read import POINT_FILE_SUFFIXES, read_points
from isipo_geo.units.write import OUTPUT_SUFFIXES, check_output_path, write_aggregates

__all__ = [
    "unsummed_columns",
    "CHUNK_SIZE",
    "DEFAULT_MAX_DISTANCE_M",
    "IRAN_LCC",
    "NO_ESTATE",
    "OUTPUT_SUFFIXES",
    "OUTSIDE",
    "POINT_FILE_SUFFIXES",
    "Progress",
    "aggregate_units",
    "assign_estates",
    "assign_provinces",
    "check_output_path",
    "province_codes",
    "read_points",
    "unit_points_layer",
    "unit_points_map_html",
    "write_aggregates",
    "write_unit_points_map",
]

"""Rasters in and out: values of a GeoTIFF at estates, statistics per province, and the
toolkit's own values written back as GeoTIFFs that QGIS opens.

* :func:`sample` — the value of the cell under each point (estates), as a Series on the points'
  index. Nodata, NaN and masked cells become missing (``<NA>``), never 0.
* :func:`zonal_stats` — ``mean``, ``sum``, ``min``, ``max``, ``count`` of the cells of each zone
  (provinces), as a DataFrame on the zones' index. **Cell-centre rule** (the default): a cell
  counts, whole, when its centre lies inside the polygon; partial cells are neither split nor
  weighted (this is the rule of rasterio masks with ``all_touched=False``). With
  ``weights="coverage"`` each cell is weighted instead by the exact fraction of its area inside
  the polygon, computed by exactextract (:mod:`~isipo_geo.raster.coverage`). The centre rule
  is applied exactly, by an even-odd scanline over cell centres (:func:`centre_mask`), because
  GDAL's rasterizer behind rasterio masks disagrees with it at a few edge cells and gives
  different edge cells for different windows, which would make the statistics depend on the
  block size. Statistics are unweighted by cell area, which on a
  longitude/latitude raster shrinks towards the poles (by about 20% across Iran).
* :func:`export` — rasterise province polygons or estate points to a tiled, DEFLATE-compressed
  GeoTIFF in EPSG:4326 with a nodata value, written atomically.

Rasters are read window by window: each zone reads only the window of its bounds, in blocks of
at most ``block_size`` × ``block_size`` cells, and GDAL's block cache is capped, so a
20,000 × 20,000 raster needs a few hundred MB at most. Raster values are used as stored (a band's
scale and offset are not applied).

Bad input (a file that is not a raster, a raster without CRS, a band that does not exist, a
raster that does not overlap Iran) raises :class:`~isipo_geo.errors.InputError` naming the file.

Modules: :mod:`~isipo_geo.raster.read` (open and check), :mod:`~isipo_geo.raster.sample`,
:mod:`~isipo_geo.raster.zonal`, :mod:`~isipo_geo.raster.coverage`,
:mod:`~isipo_geo.raster.export` (the computations) and
:mod:`~isipo_geo.raster.inputs` (province and estate values ready for export). The raster package
may import the registry and the base modules (errors, io, names, provinces); never maps, finance
or the CLI.
"""

from isipo_geo.raster.export import MAX_EXPORT_CELLS, MERGES, ExportResult, export
from isipo_geo.raster.read import GDAL_CACHE_BYTES, open_raster
from isipo_geo.raster.sample import SAMPLE_STATUSES, sample, sample_status
from isipo_geo.raster.zonal import (
    BLOCK_SIZE,
    STATS,
    WEIGHTS,
    centre_mask,
    check_stats,
    check_weights,
    pixel_edges,
    zonal_stats,
)

__all__ = [
    "BLOCK_SIZE",
    "GDAL_CACHE_BYTES",
    "MAX_EXPORT_CELLS",
    "MERGES",
    "SAMPLE_STATUSES",
    "STATS",
    "WEIGHTS",
    "ExportResult",
    "centre_mask",
    "check_stats",
    "check_weights",
    "export",
    "open_raster",
    "pixel_edges",
    "sample",
    "sample_status",
    "zonal_stats",
]

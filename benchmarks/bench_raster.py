"""Benchmark: zonal statistics of the 31 provinces (``isipo_geo.raster.zonal_stats``) on a
generated 20,000 × 20,000 raster, against rasterio reading the whole band once, in the same run.

Measured: wall time and peak resident memory (RSS) of each, each in a process of its own (peak
RSS from ``os.wait4`` of that process, via ``_common.run_command``; tracemalloc would miss GDAL's
memory). Target: zonal statistics need less memory than the band held in memory (400 MB of
uint8), i.e. they stay window-by-window.

The raster is synthetic test data written into a temporary folder at benchmark time and deleted
afterwards (never committed): uint8, 512 × 512 tiles, DEFLATE, nodata 0, over Iran's bounding
box (44–63.5°E, 25–40°N; cells of about 0.001°). Both measured processes run with
``GDAL_CACHEMAX=64`` (MB), the cap isipo_geo sets on its own reads, so that GDAL's default cache
(5% of RAM) does not inflate the baseline.

Run alone with ``python benchmarks/bench_raster.py [--quick] [--size N]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = 20_000
SIZE_QUICK = 4_000
TILE = 512
WEST, SOUTH, EAST, NORTH = 44.0, 25.0, 63.5, 40.0
TARGET = "<= 1x"

# Worker processes: each writes a JSON result to argv[2] (run_command discards stdout).
_ZONAL = """
import json, sys, time
start = time.perf_counter()
from isipo_geo.provinces import load_provinces
from isipo_geo.raster import zonal_stats
zones = load_provinces()
ready = time.perf_counter()
table = zonal_stats(sys.argv[1], zones)
done = time.perf_counter()
json.dump({"seconds": done - ready, "startup_s": ready - start,
           "count": int(table["count"].sum()), "sum": float(table["sum"].sum()),
           "empty": int((table["count"] == 0).sum())}, open(sys.argv[2], "w"))
"""

_WHOLE = """
import json, sys, time
start = time.perf_counter()
import numpy as np, rasterio
from isipo_geo.provinces import load_provinces
import isipo_geo.raster
load_provinces()  # the same imports and data as the zonal worker, so RSS compares like for like
ready = time.perf_counter()
with rasterio.open(sys.argv[1]) as src:
    band = src.read(1)
count = int(np.count_nonzero(band))  # nodata is 0; no temporary array
total = float(band.sum(dtype=np.float64))
done = time.perf_counter()
json.dump({"seconds": done - ready, "startup_s": ready - start, "count": count,
           "sum": total, "bytes": int(band.nbytes)}, open(sys.argv[2], "w"))
"""

_IMPORTS = """
import json, sys
from isipo_geo.provinces import load_provinces
import isipo_geo.raster, rasterio, numpy
load_provinces()
json.dump({}, open(sys.argv[2], "w"))
"""


def make_raster(path: Path, size: int, *, seed: int = 1400) -> None:
    """Write the synthetic ``size`` × ``size`` uint8 raster strip by strip (small memory)."""
    import numpy as np
    import rasterio
    from affine import Affine

    rng = np.random.default_rng(seed)
    transform = Affine((EAST - WEST) / size, 0.0, WEST, 0.0, -(NORTH - SOUTH) / size, NORTH)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "uint8",
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": 0,
        "tiled": True,
        "blockxsize": TILE,
        "blockysize": TILE,
        "compress": "deflate",
        "BIGTIFF": "IF_SAFER",
    }
    cols = np.arange(size)
    with rasterio.open(path, "w", **profile) as dst:
        for top in range(0, size, TILE):
            rows = np.arange(top, min(top + TILE, size))[:, None]
            # a smooth field plus noise: compresses like a real layer, not like a constant
            field = (rows // 64) * 3 + (cols[None, :] // 64) * 7
            data = (field % 200 + 20 + rng.integers(0, 8, size=field.shape)).astype(np.uint8)
            data[:, : size // 10] = np.where(rows < size // 10, 0, data[:, : size // 10])
            dst.write(data, 1, window=((top, top + len(rows)), (0, size)))


def _measure(code: str, raster: Path, out: Path) -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, peak RSS MB, the worker's JSON) of one worker process."""
    from _common import python, run_command

    elapsed, rss_mb, _ = run_command(
        [python(), "-c", code, str(raster), str(out)], env={"GDAL_CACHEMAX": "64"}
    )
    return elapsed, rss_mb, json.loads(out.read_text(encoding="utf-8"))


def run(*, quick: bool = False, size: int | None = None) -> list[dict[str, Any]]:
    """Generate the raster, then time zonal statistics and a whole-band read once each."""
    from _common import row

    size = size or (SIZE_QUICK if quick else SIZE)
    target = TARGET if size >= 10_000 else None  # below that, imports outweigh the raster
    with tempfile.TemporaryDirectory(prefix="bench_raster_") as tmp:
        raster = Path(tmp) / f"synthetic_{size}.tif"
        start = time.perf_counter()
        make_raster(raster, size)
        make_s = time.perf_counter() - start
        file_mb = raster.stat().st_size / 2**20
        _, imports_mb, _ = _measure(_IMPORTS, raster, Path(tmp) / "imports.json")
        zonal_wall, zonal_mb, zonal = _measure(_ZONAL, raster, Path(tmp) / "zonal.json")
        whole_wall, whole_mb, whole = _measure(_WHOLE, raster, Path(tmp) / "whole.json")
    band_mb = whole["bytes"] / 2**20
    label = f"{size:,} × {size:,} uint8 raster"
    share = zonal["count"] / whole["count"] if whole["count"] else float("nan")
    return [
        row(
            f"zonal_stats, 31 provinces, {label}: time",
            zonal["seconds"],
            "s",
            baseline_name="rasterio reads the whole band once (+ sum)",
            baseline_value=whole["seconds"],
            note=f"process wall times incl. start-up {zonal_wall:.1f} s vs {whole_wall:.1f} s; "
            f"{zonal['count']:,} cells counted in provinces ({share:.0%} of valid cells), "
            f"{zonal['empty']} provinces empty",
        ),
        row(
            f"zonal_stats, 31 provinces, {label}: peak RSS",
            zonal_mb,
            "MB",
            baseline_name="peak RSS of rasterio reading the whole band",
            baseline_value=whole_mb,
            target=target,
            note=f"RSS of the same imports alone: {imports_mb:.0f} MB, so zonal statistics "
            f"add {zonal_mb - imports_mb:.0f} MB and the whole read {whole_mb - imports_mb:.0f} MB "
            "(GDAL_CACHEMAX=64 MB in both)",
        ),
        row(
            f"zonal_stats, 31 provinces, {label}: peak RSS vs band size",
            zonal_mb,
            "MB",
            baseline_name="the band's size in memory",
            baseline_value=band_mb,
            target=target,
            note=f"GeoTIFF on disk: {file_mb:.0f} MB (DEFLATE, {TILE}×{TILE} tiles)",
        ),
        row(
            f"generate the {label} (setup)",
            make_s,
            "s",
            note="synthetic test raster written strip by strip into a temporary folder",
        ),
    ]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"a {SIZE_QUICK:,}² raster")
    parser.add_argument("--size", type=int, default=None, help="side of the raster in cells")
    args = parser.parse_args()
    for r in run(quick=args.quick, size=args.size):
        print(json.dumps(r, ensure_ascii=False))

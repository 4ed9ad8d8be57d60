"""Benchmark: zonal statistics of the 31 provinces (``isipo_geo.raster.zonal_stats``) on a
generated 20,000 × 20,000 raster, against rasterio reading the whole band once, in the same run;
and the two weightings side by side: the cell-centre rule (our scanline, the default) against
coverage weights (``weights="coverage"``, exactextract's exact cell-coverage fractions read
through our reader), and exactextract alone (its own rasterio reader, its default settings).

Measured: wall time and peak resident memory (RSS) of each, each in a process of its own (peak
RSS from ``os.wait4`` of that process, via ``_common.run_command``; tracemalloc would miss GDAL's
memory). Target: zonal statistics need less memory than the band held in memory (400 MB of
uint8), i.e. they stay window-by-window, with either weighting. Values: the largest difference,
over the 31 provinces, between coverage weights and the cell-centre rule, on the big raster
(cells of about 0.001°) and on coarse versions of the same field (about 0.05° and 0.25°, like
CHIRPS or ERA5 grids), where edge cells weigh more.

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
table = zonal_stats(sys.argv[1], zones, weights=sys.argv[3])
done = time.perf_counter()
json.dump({"seconds": done - ready, "startup_s": ready - start,
           "count": float(table["count"].sum()), "sum": float(table["sum"].sum()),
           "empty": int((table["count"] == 0).sum()),
           "table": table.astype(float).to_dict("list")}, open(sys.argv[2], "w"))
"""

# exactextract alone: its own rasterio reader (RasterioRasterSource) and default settings
_EXACT = """
import json, sys, time
start = time.perf_counter()
import rasterio
from exactextract import exact_extract
from exactextract.raster import RasterioRasterSource
from isipo_geo.provinces import load_provinces
import isipo_geo.raster
zones = load_provinces()
ready = time.perf_counter()
with rasterio.open(sys.argv[1]) as src:
    table = exact_extract(RasterioRasterSource(src), zones.to_crs(src.crs),
                          ["mean", "sum", "count", "min", "max"], output="pandas")
done = time.perf_counter()
json.dump({"seconds": done - ready, "startup_s": ready - start,
           "count": float(table["count"].sum()), "sum": float(table["sum"].sum()),
           "table": table.astype(float).to_dict("list")}, open(sys.argv[2], "w"))
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


def _measure(code: str, raster: Path, out: Path, *args: str) -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, peak RSS MB, the worker's JSON) of one worker process."""
    from _common import python, run_command

    elapsed, rss_mb, _ = run_command(
        [python(), "-c", code, str(raster), str(out), *args], env={"GDAL_CACHEMAX": "64"}
    )
    return elapsed, rss_mb, json.loads(out.read_text(encoding="utf-8"))


def _largest_differences(coverage: dict[str, list], centre: dict[str, list]) -> dict[str, float]:
    """Largest relative difference over the provinces, per statistic (count, sum, mean)."""
    import numpy as np

    out = {}
    for stat in ("count", "sum", "mean"):
        a, b = np.asarray(coverage[stat], float), np.asarray(centre[stat], float)
        both = (b != 0) & np.isfinite(a) & np.isfinite(b)
        out[stat] = float(np.max(np.abs(a[both] - b[both]) / np.abs(b[both])))
    return out


def _cells(size: int) -> str:
    """The cell size of the ``size`` × ``size`` raster over Iran's box, in degrees."""
    return f"cells {(EAST - WEST) / size:.3g}° × {(NORTH - SOUTH) / size:.3g}°"


def _coarse_rows(tmp: Path) -> list[dict[str, Any]]:
    """Coverage weights against the cell-centre rule on coarse grids of the same field."""
    from _common import row

    from isipo_geo.provinces import load_provinces
    from isipo_geo.raster import zonal_stats

    zones = load_provinces()
    rows = []
    for size, like in ((400, "CHIRPS's 0.05°"), (80, "ERA5's 0.25°")):
        label = f"{_cells(size)}, near {like}"
        path = tmp / f"coarse_{size}.tif"
        make_raster(path, size)
        centre = zonal_stats(path, zones)
        coverage = zonal_stats(path, zones, weights="coverage")
        diff = _largest_differences(
            coverage.astype(float).to_dict("list"), centre.astype(float).to_dict("list")
        )
        counts = centre["count"].astype(float)
        smallest = counts.idxmin()
        rows.append(
            row(
                f"coverage vs cell-centre, {size} × {size} raster ({label}): "
                "largest per-province |Δ mean|",
                100 * diff["mean"],
                "%",
                note=f"largest |Δ count| {100 * diff['count']:.1f}%, |Δ sum| "
                f"{100 * diff['sum']:.1f}%; smallest province {smallest}: "
                f"{int(counts[smallest])} cells by centre, "
                f"{float(coverage.loc[smallest, 'count']):.1f} by coverage",
            )
        )
    return rows


def run(*, quick: bool = False, size: int | None = None) -> list[dict[str, Any]]:
    """Generate the raster, then time zonal statistics (both weightings, alternating, median of
    3 runs each) and a whole-band read and exactextract alone once each."""
    from statistics import median

    from _common import repeats, row

    size = size or (SIZE_QUICK if quick else SIZE)
    target = TARGET if size >= 10_000 else None  # below that, imports outweigh the raster
    with tempfile.TemporaryDirectory(prefix="bench_raster_") as tmp_dir:
        tmp = Path(tmp_dir)
        raster = tmp / f"synthetic_{size}.tif"
        start = time.perf_counter()
        make_raster(raster, size)
        make_s = time.perf_counter() - start
        file_mb = raster.stat().st_size / 2**20
        _, imports_mb, _ = _measure(_IMPORTS, raster, tmp / "imports.json")
        # the two weightings alternate, so that a busy machine slows both alike
        centre_s, coverage_s = [], []
        for _ in range(repeats(full=3, fast=1)):
            zonal_wall, zonal_mb, zonal = _measure(_ZONAL, raster, tmp / "zonal.json", "centre")
            cov_wall, cov_mb, cov = _measure(_ZONAL, raster, tmp / "cov.json", "coverage")
            centre_s.append(zonal["seconds"])
            coverage_s.append(cov["seconds"])
        zonal["seconds"], cov["seconds"] = median(centre_s), median(coverage_s)
        whole_wall, whole_mb, whole = _measure(_WHOLE, raster, tmp / "whole.json")
        exact_wall, exact_mb, exact = _measure(_EXACT, raster, tmp / "exact.json")
        coarse = _coarse_rows(tmp)
    band_mb = whole["bytes"] / 2**20
    diff = _largest_differences(cov["table"], zonal["table"])
    exact_diff = _largest_differences(exact["table"], cov["table"])
    label = f"{size:,} × {size:,} uint8 raster"
    share = zonal["count"] / whole["count"] if whole["count"] else float("nan")
    weights_rows = [
        row(
            f"zonal_stats --weights coverage, 31 provinces, {label}: time",
            cov["seconds"],
            "s",
            baseline_name="zonal_stats, cell-centre rule (default), same run",
            baseline_value=zonal["seconds"],
            note=f"median of {len(coverage_s)} runs each, alternating: coverage "
            f"{min(coverage_s):.1f}–{max(coverage_s):.1f} s, centre "
            f"{min(centre_s):.1f}–{max(centre_s):.1f} s; exactextract's coverage fractions "
            "over our reader (float64 blocks, NaN for invalid cells)",
        ),
        row(
            f"zonal_stats --weights coverage, 31 provinces, {label}: peak RSS",
            cov_mb,
            "MB",
            baseline_name="peak RSS of rasterio reading the whole band",
            baseline_value=whole_mb,
            target=target,
            note=f"cell-centre rule: {zonal_mb:.0f} MB; at most block_size² = 2048² cells in "
            "memory (exactextract's max_cells_in_memory)",
        ),
        row(
            f"coverage vs cell-centre, {label} ({_cells(size)}): largest per-province |Δ mean|",
            100 * diff["mean"],
            "%",
            note=f"largest |Δ count| {100 * diff['count']:.4f}%, |Δ sum| "
            f"{100 * diff['sum']:.4f}%; min and max equal: "
            f"{'yes' if cov['table']['min'] == zonal['table']['min'] else 'no'}/"
            f"{'yes' if cov['table']['max'] == zonal['table']['max'] else 'no'}",
        ),
        *coarse,
        row(
            f"exactextract alone (its rasterio reader, defaults), {label}: time",
            exact["seconds"],
            "s",
            baseline_name="zonal_stats --weights coverage",
            baseline_value=cov["seconds"],
            note=f"peak RSS {exact_mb:.0f} MB vs ours {cov_mb:.0f} MB (its default "
            "max_cells_in_memory is 30 million cells); largest |Δ| from ours: "
            f"count {exact_diff['count']:.1e}, sum {exact_diff['sum']:.1e} (relative); "
            f"process wall time incl. start-up {exact_wall:.1f} s",
        ),
    ]
    return [
        row(
            f"zonal_stats, 31 provinces, {label}: time",
            zonal["seconds"],
            "s",
            baseline_name="rasterio reads the whole band once (+ sum)",
            baseline_value=whole["seconds"],
            note=f"process wall times incl. start-up {zonal_wall:.1f} s vs {whole_wall:.1f} s; "
            f"{zonal['count']:,.0f} cells counted in provinces ({share:.0%} of valid cells), "
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
        *weights_rows,
    ]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"a {SIZE_QUICK:,}² raster")
    parser.add_argument("--size", type=int, default=None, help="side of the raster in cells")
    args = parser.parse_args()
    for r in run(quick=args.quick, size=args.size):
        print(json.dumps(r, ensure_ascii=False))

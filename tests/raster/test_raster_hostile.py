"""Rasters with infinite cells or values whose sum overflows: zonal statistics refuse them with
one message naming the raster and the zones, never a table of ``inf`` (nor a numpy warning)."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from isipo_geo.cli import app


def _tif(path, fill):
    data = np.full((40, 60), fill, dtype="float64")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=60,
        height=40,
        count=1,
        dtype="float64",
        crs="EPSG:4326",
        transform=Affine(0.5, 0, 44, 0, -0.5, 40),
        nodata=-9999,
    ) as dst:
        dst.write(data, 1)
    return path


@pytest.mark.parametrize("fill", [1e308, np.inf, -np.inf])
@pytest.mark.parametrize("weights", ["centre", "coverage"])
def test_zonal_refuses_infinite_totals(runner, tmp_path, fill, weights) -> None:
    tif = _tif(tmp_path / "r.tif", fill)
    out = tmp_path / "z.csv"
    result = runner.invoke(
        app,
        [
            "raster",
            "zonal",
            str(tif),
            "--stats",
            "sum,mean",
            "--weights",
            weights,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2, result.output
    assert f"{tif}: the raster's values in 31 zone(s)" in result.output
    assert "are infinite or add up beyond the range of numbers" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_zonal_of_large_but_finite_values_still_works(runner, tmp_path) -> None:
    tif = _tif(tmp_path / "r.tif", 1e300)
    result = runner.invoke(app, ["raster", "zonal", str(tif), "--stats", "max"])
    assert result.exit_code == 0, result.output

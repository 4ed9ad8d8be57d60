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


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([np.inf, 1.0], "row 1, column 'v': inf is not a finite number"),  # row of a GIS layer
        ([1.0, -1e301], "row 2, column 'v': -1e\\+301 is not a finite number within"),
    ],
)
def test_numeric_columns_from_gis_or_excel_are_checked(values, message) -> None:
    import pandas as pd

    from isipo_geo.errors import InputError
    from isipo_geo.raster.inputs import numeric_column

    table = pd.DataFrame({"v": values})
    with pytest.raises(InputError, match=message):
        numeric_column(table, "v", path=None)


def test_large_table_values_export(runner, tmp_path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("province,v\ntehran,5e15\nfars,2\n", encoding="utf-8")
    out = tmp_path / "t.tif"
    result = runner.invoke(
        app,
        [
            "raster",
            "export",
            "--value",
            "v",
            "--res",
            "0.5",
            "--input",
            str(src),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with rasterio.open(out) as ds:
        assert np.nanmax(ds.read(1, masked=True)) == 5e15

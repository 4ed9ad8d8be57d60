"""Area-weighted zonal statistics (``weights="coverage"``, exactextract) on small GeoTIFFs.

Expected values are computed independently: each cell's covered fraction is the area of
``polygon ∩ cell`` from shapely, divided by the cell's area. exactextract keeps fractions in
single precision, hence ``rel=1e-6``; the cell-centre rule misses these values by far more.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine

from isipo_geo import raster
from isipo_geo.cli import app
from isipo_geo.errors import InputError
from isipo_geo.provinces import load_provinces

# The 4 × 4 grid of test_raster.py: 0.5° cells, west 51.0, north 36.0, nodata -1.
GEO_TRANSFORM = Affine(0.5, 0.0, 51.0, 0.0, -0.5, 36.0)
BAND1 = np.array([[1, 2, 3, -1], [5, 6, 7, 8], [9, -1, 11, 12], [13, 14, 15, 16]], dtype=np.int16)


def write_tif(path: Path, bands: list[np.ndarray], **profile: object) -> Path:
    height, width = bands[0].shape
    meta = {"driver": "GTiff", "width": width, "height": height, "count": len(bands),
            "dtype": str(bands[0].dtype)}  # fmt: skip
    meta.update(profile)
    with rasterio.open(path, "w", **meta) as dst:
        for i, band in enumerate(bands, start=1):
            dst.write(band, i)
    return path


def zones(boxes: dict[str, tuple[float, float, float, float]], crs: str = "EPSG:4326"):
    return gpd.GeoDataFrame(
        geometry=[shapely.box(*b) for b in boxes.values()], index=list(boxes), crs=crs
    )


def covered_fractions(geom: object, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Fraction of each cell's area inside ``geom`` (a north-up grid), with shapely."""
    height, width = shape
    rows, cols = np.mgrid[0:height, 0:width]
    x0, y0 = transform @ (cols, rows)
    x1, y1 = transform @ (cols + 1, rows + 1)
    cells = shapely.box(x0, y1, x1, y0)
    return shapely.area(shapely.intersection(cells, geom)) / shapely.area(cells)


@pytest.fixture
def geo_tif(tmp_path: Path) -> Path:
    """The 4 × 4 int16 grid of test_raster (0.5° cells from 51°E, 36°N), nodata -1."""
    return write_tif(
        tmp_path / "geo.tif", [BAND1], crs="EPSG:4326", transform=GEO_TRANSFORM, nodata=-1
    )


def test_half_a_cell_weighs_one_half(geo_tif: Path) -> None:
    gdf = zones(
        {
            "half": (51.0, 35.5, 51.25, 36.0),  # the left half of cell (0, 0), value 1
            "quarter": (51.5, 35.75, 51.75, 36.0),  # a quarter of cell (0, 1), value 2
            # three quarters of cell (1, 0) = 5 and a quarter of cell (1, 1) = 6
            "straddle": (51.125, 35.0, 51.625, 35.5),
        }
    )
    result = raster.zonal_stats(geo_tif, gdf, weights="coverage")
    assert list(result.columns) == ["mean", "sum", "min", "max", "count"]
    assert result.loc["half"].tolist() == [1.0, 0.5, 1, 1, 0.5]
    assert result.loc["quarter"].tolist() == [2.0, 0.5, 2, 2, 0.25]
    assert result.loc["straddle", "count"] == pytest.approx(1.0)
    assert result.loc["straddle", "sum"] == pytest.approx(0.75 * 5 + 0.25 * 6)
    assert result.loc["straddle", "mean"] == pytest.approx(5.25)
    # min and max are over every cell the zone covers, even in part
    assert result.loc["straddle", ["min", "max"]].tolist() == [5, 6]
    # the cell-centre rule on the same zones: "quarter" covers no centre, "straddle" one
    centre = raster.zonal_stats(geo_tif, gdf)
    assert centre["count"].tolist()[1:] == [0, 1]
    assert centre.loc["straddle", "sum"] == 5.0


def test_whole_cells_agree_with_the_cell_centre_rule(geo_tif: Path) -> None:
    gdf = zones({"top_left": (51.0, 35.0, 52.0, 36.0), "whole": (50.0, 33.0, 54.0, 37.0)})
    coverage = raster.zonal_stats(geo_tif, gdf, weights="coverage")
    centre = raster.zonal_stats(geo_tif, gdf)
    valid = BAND1[BAND1 != -1]
    assert coverage.loc["top_left"].tolist() == [3.5, 14.0, 1, 6, 4.0]
    assert coverage.loc["whole"].tolist() == [valid.mean(), valid.sum(), 1, 16, 14.0]
    assert coverage.astype("Float64").equals(centre.astype("Float64"))


def test_dtypes_and_empty_zones(geo_tif: Path) -> None:
    gdf = zones(
        {
            "half": (51.0, 35.5, 51.25, 36.0),
            "nodata_only": (52.55, 35.55, 52.95, 35.95),  # inside the -1 cell at (0, 3)
            "outside": (58.0, 28.0, 59.0, 29.0),
        }
    )
    gdf.loc["no_geometry"] = None
    result = raster.zonal_stats(geo_tif, gdf, weights="coverage")
    assert list(result.index) == ["half", "nodata_only", "outside", "no_geometry"]
    assert result["count"].dtype == "Float64"  # cells' worth of area, not a whole number
    assert result["mean"].dtype == "Float64" and result["sum"].dtype == "Float64"
    assert result["min"].dtype == "Int64" and result["max"].dtype == "Int64"
    for row in ("nodata_only", "outside", "no_geometry"):
        assert result.loc[row, "count"] == 0
        assert result.loc[row, ["mean", "sum", "min", "max"]].isna().all()


def test_triangle_and_multipolygon_with_hole_match_shapely_areas(tmp_path: Path) -> None:
    rng = np.random.default_rng(16)
    data = rng.random((40, 50)) * 100
    data[7:11, 20:30] = np.nan
    transform = Affine(0.1, 0.0, 50.0, 0.0, -0.1, 37.0)
    tif = write_tif(tmp_path / "f.tif", [data], crs="EPSG:4326", transform=transform,
                    nodata=np.nan, tiled=True, blockxsize=16, blockysize=16)  # fmt: skip
    outer = shapely.Polygon(
        [(50.23, 36.81), (52.77, 36.52), (52.31, 34.13)],
        holes=[[(51.5, 36.2), (52.1, 36.1), (51.9, 35.3)]],
    )
    multi = shapely.MultiPolygon([outer, shapely.box(53.03, 34.47, 53.66, 35.21)])
    triangle = shapely.Polygon([(50.113, 35.917), (54.381, 35.2237), (51.0071, 32.6113)])
    gdf = gpd.GeoDataFrame(geometry=[multi, triangle], index=["multi", "tri"], crs="EPSG:4326")
    valid = ~np.isnan(data)
    for block in (16, 40, 2048):  # the answer does not depend on the block size
        result = raster.zonal_stats(tif, gdf, weights="coverage", block_size=block)
        for key, geom in zip(gdf.index, gdf.geometry, strict=True):
            frac = covered_fractions(geom, transform, data.shape)
            weight = np.where(valid, frac, 0.0)
            row = result.loc[key]
            assert row["count"] == pytest.approx(weight.sum(), rel=1e-6)
            assert row["sum"] == pytest.approx((np.nan_to_num(data) * weight).sum(), rel=1e-6)
            assert row["min"] == data[valid & (frac > 0)].min()
            assert row["max"] == data[valid & (frac > 0)].max()
        assert result.loc["multi", "count"] > 100  # a real test: many cells, most partial
    # the cell-centre rule gives other numbers on the same zones (0.1° cells, small polygons)
    centre = raster.zonal_stats(tif, gdf)
    assert (abs(centre["count"] - result["count"]) > 0.25).all()  # 1.16 and 0.36 cells


def test_utm_raster_lonlat_zones_and_masks(tmp_path: Path) -> None:
    """Zones are reprojected to the raster's CRS; an internal mask hides a cell."""
    transform = Affine(1000.0, 0.0, 500_000.0, 0.0, -1000.0, 3_950_000.0)
    path = tmp_path / "masked_utm.tif"
    with (
        rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True),
        rasterio.open(
            path, "w", driver="GTiff", width=2, height=2, count=1, dtype="uint16",
            crs="EPSG:32639", transform=transform,
        ) as dst,
    ):  # fmt: skip
        dst.write(np.array([[10, 20], [30, 40]], dtype=np.uint16), 1)
        dst.write_mask(np.array([[255, 0], [255, 255]], dtype=np.uint8))
    # half of the left column (cells 10 and 30), drawn in UTM and given in lon/lat
    utm = zones({"z": (500_000.0, 3_948_000.0, 500_500.0, 3_950_000.0)}, crs="EPSG:32639")
    result = raster.zonal_stats(path, utm.to_crs("EPSG:4326"), weights="coverage")
    assert result.loc["z", "count"] == pytest.approx(1.0, rel=1e-4)  # 2 × ½, up to reprojection
    assert result.loc["z", "mean"] == pytest.approx(20.0, rel=1e-4)
    whole = zones({"w": (500_000.0, 3_948_000.0, 502_000.0, 3_950_000.0)}, crs="EPSG:32639")
    assert raster.zonal_stats(path, whole, weights="coverage").loc["w"].tolist() == [
        80 / 3, 80.0, 10, 40, 3.0,
    ]  # fmt: skip


def test_weights_errors(geo_tif: Path, tmp_path: Path) -> None:
    gdf = zones({"z": (51.0, 35.0, 52.0, 36.0)})
    with pytest.raises(InputError, match="unknown weights 'area'; choose from centre,coverage"):
        raster.zonal_stats(geo_tif, gdf, weights="area")
    rotated = write_tif(
        tmp_path / "rotated.tif",
        [BAND1],
        crs="EPSG:4326",
        transform=Affine(0.5, 0.05, 51.0, 0.05, -0.5, 36.0),
    )
    with pytest.raises(InputError, match=r"rotated\.tif: coverage weights need a north-up"):
        raster.zonal_stats(rotated, gdf, weights="coverage")
    # the cell-centre rule handles the same raster
    assert raster.zonal_stats(rotated, gdf)["count"].iloc[0] > 0


def test_damaged_raster_with_coverage(tmp_path: Path) -> None:
    data = np.random.default_rng(1).random((600, 600), dtype=np.float32)
    whole = write_tif(tmp_path / "whole.tif", [data], crs="EPSG:4326",
                      transform=Affine(0.01, 0.0, 51.0, 0.0, -0.01, 36.0), tiled=True,
                      blockxsize=256, blockysize=256, compress="deflate")  # fmt: skip
    damaged = tmp_path / "damaged.tif"
    damaged.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError, match=r"damaged\.tif: cannot read the raster: .*failed"):
        raster.zonal_stats(damaged, zones({"z": (51.0, 30.0, 57.0, 36.0)}), weights="coverage")


# ------------------------------------------------------------------------------------ the CLI


@pytest.fixture
def iran_tif(tmp_path: Path) -> Path:
    """0.25° cells of value 7 over all of Iran, with a nodata stripe (as in test_raster)."""
    data = np.full((64, 84), 7, dtype=np.uint8)
    data[:, 40] = 0
    transform = Affine(0.25, 0.0, 43.5, 0.0, -0.25, 40.0)
    return write_tif(tmp_path / "iran.tif", [data], crs="EPSG:4326", transform=transform, nodata=0)


def test_cli_zonal_weights_coverage(runner, iran_tif: Path, tmp_path: Path) -> None:
    out = tmp_path / "zonal.csv"
    args = ["raster", "zonal", str(iran_tif), "--weights", "coverage", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig").set_index("province")
    assert len(table) == 31
    assert (table["mean"] == 7).all() and (table["min"] == 7).all()
    assert table["sum"].to_numpy() == pytest.approx(7 * table["count"].to_numpy(), rel=1e-12)
    # Tehran's covered area in cells, computed independently with shapely (nodata column 40)
    tehran = load_provinces().loc["tehran", "geometry"]
    transform = Affine(0.25, 0.0, 43.5, 0.0, -0.25, 40.0)
    frac = covered_fractions(tehran, transform, (64, 84))
    frac[:, 40] = 0.0
    assert table.loc["tehran", "count"] == pytest.approx(frac.sum(), rel=1e-6)
    assert table.loc["tehran", "count"] != round(table.loc["tehran", "count"])


def test_cli_zonal_weights_help_and_bad_value(runner, iran_tif: Path) -> None:
    help_text = runner.invoke(app, ["raster", "zonal", "--help"]).output
    assert "--weights" in help_text and "coverage" in help_text and "exactextract" in help_text
    result = runner.invoke(app, ["raster", "zonal", str(iran_tif), "--weights", "area"])
    assert result.exit_code == 2
    assert "Invalid value for '--weights'" in result.stderr and "'centre'" in result.stderr

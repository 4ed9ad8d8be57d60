"""Tests of isipo_geo.raster and ``isipo-geo raster`` on small GeoTIFFs written in tmp_path."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import Transformer

from isipo_geo import raster
from isipo_geo.cli import app
from isipo_geo.errors import InputError
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.schema import REGISTRY_COLUMNS

# A 4 × 4 grid of 0.5° cells, west 51.0, north 36.0 (Tehran, Qom, Semnan, Markazi).
GEO_TRANSFORM = Affine(0.5, 0.0, 51.0, 0.0, -0.5, 36.0)
BAND1 = np.array(
    [
        [1, 2, 3, -1],
        [5, 6, 7, 8],
        [9, -1, 11, 12],
        [13, 14, 15, 16],
    ],
    dtype=np.int16,
)
BAND2 = BAND1 * 100  # nodata -1 becomes -100: a real value in band 2

# UTM zone 39N: 5 × 4 cells of 1 km, west 500 km (51°E), north 3,950 km (≈ 35.69°N).
UTM_TRANSFORM = Affine(1000.0, 0.0, 500_000.0, 0.0, -1000.0, 3_950_000.0)
UTM = np.array(
    [
        [0.5, 1.5, 2.5, 3.5, 4.5],
        [10.0, -9999.0, 12.0, 13.0, 14.0],
        [20.0, 21.0, np.nan, 23.0, 24.0],
        [30.25, 31.0, 32.0, 33.0, -9999.0],
    ],
    dtype=np.float32,
)


def write_tif(path: Path, bands: list[np.ndarray], **profile: object) -> Path:
    height, width = bands[0].shape
    meta = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": len(bands),
        "dtype": str(bands[0].dtype),
    }
    meta.update(profile)
    with rasterio.open(path, "w", **meta) as dst:
        for i, band in enumerate(bands, start=1):
            dst.write(band, i)
    return path


@pytest.fixture
def geo_tif(tmp_path: Path) -> Path:
    """EPSG:4326, two int16 bands, nodata -1."""
    return write_tif(
        tmp_path / "geo.tif", [BAND1, BAND2], crs="EPSG:4326", transform=GEO_TRANSFORM, nodata=-1
    )


@pytest.fixture
def utm_tif(tmp_path: Path) -> Path:
    """EPSG:32639 (UTM 39N), float32, nodata -9999 and one NaN cell."""
    return write_tif(
        tmp_path / "utm.tif", [UTM], crs="EPSG:32639", transform=UTM_TRANSFORM, nodata=-9999.0
    )


def centre(transform: Affine, row: int, col: int) -> tuple[float, float]:
    return transform @ (col + 0.5, row + 0.5)


def points(coords: dict[str, tuple[float, float] | None], crs: str = "EPSG:4326"):
    geoms = [shapely.Point(c) if c is not None else shapely.Point() for c in coords.values()]
    return gpd.GeoDataFrame(geometry=geoms, index=list(coords), crs=crs)


def zones(boxes: dict[str, tuple[float, float, float, float]], crs: str = "EPSG:4326"):
    return gpd.GeoDataFrame(
        geometry=[shapely.box(*b) for b in boxes.values()], index=list(boxes), crs=crs
    )


def utm_to_lonlat(x: float, y: float) -> tuple[float, float]:
    return Transformer.from_crs("EPSG:32639", "EPSG:4326", always_xy=True).transform(x, y)


# ----------------------------------------------------------------------------------- sample


def test_sample_values_nodata_outside_and_missing(geo_tif: Path) -> None:
    pts = points(
        {
            "a": centre(GEO_TRANSFORM, 0, 0),
            "b": centre(GEO_TRANSFORM, 1, 2),
            "c": centre(GEO_TRANSFORM, 0, 3),  # nodata
            "d": centre(GEO_TRANSFORM, 3, 3),
            "e": (55.0, 30.0),  # in Iran, outside the raster
            "f": None,  # no location
            "g": (51.1, 35.9),  # off-centre, still cell (0, 0)
        }
    )
    result = raster.sample_status(geo_tif, pts)
    assert list(result.index) == list("abcdefg")
    assert result["value"].dtype == "Int64"
    assert result["value"].tolist() == [1, 7, pd.NA, 16, pd.NA, pd.NA, 1]
    assert result["status"].tolist() == [
        "ok",
        "ok",
        "nodata",
        "ok",
        "outside",
        "no_location",
        "ok",
    ]
    series = raster.sample(geo_tif, pts)
    assert series.name == "value"
    assert series.tolist() == result["value"].tolist()


def test_sample_second_band(geo_tif: Path) -> None:
    pts = points({"a": centre(GEO_TRANSFORM, 2, 1), "b": centre(GEO_TRANSFORM, 3, 0)})
    # band 2 has no -1 cells: BAND1's nodata cell holds -100 there, a real value
    assert raster.sample(geo_tif, pts, band=2).tolist() == [-100, 1300]


def test_sample_reprojects_points(geo_tif: Path) -> None:
    lonlat = {"a": centre(GEO_TRANSFORM, 2, 3), "b": centre(GEO_TRANSFORM, 1, 0)}
    mercator = points(lonlat).to_crs("EPSG:3857")
    assert raster.sample(geo_tif, mercator).tolist() == [12, 5]


def test_sample_utm_raster_with_lonlat_points(utm_tif: Path) -> None:
    cells = {"a": (0, 0), "b": (3, 0), "c": (1, 1), "d": (2, 2), "e": (2, 4), "f": (3, 4)}
    pts = points({k: utm_to_lonlat(*centre(UTM_TRANSFORM, *rc)) for k, rc in cells.items()})
    result = raster.sample_status(utm_tif, pts)
    assert result["value"].dtype == "Float64"
    assert result["value"].tolist() == [0.5, 30.25, pd.NA, pd.NA, 24.0, pd.NA]
    assert result["status"].tolist() == ["ok", "ok", "nodata", "nodata", "ok", "nodata"]


def test_internal_mask_and_nan_nodata(tmp_path: Path) -> None:
    """Cells hidden by an internal mask band, or NaN when nodata is NaN, count as missing."""
    data = np.array([[1.5, 2.5], [np.nan, 4.5]], dtype=np.float64)
    nan_tif = write_tif(
        tmp_path / "nan.tif", [data], crs="EPSG:4326", transform=GEO_TRANSFORM, nodata=np.nan
    )
    masked_tif = tmp_path / "masked.tif"
    with (
        rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True),
        rasterio.open(
            masked_tif, "w", driver="GTiff", width=2, height=2, count=1, dtype="uint16",
            crs="EPSG:4326", transform=GEO_TRANSFORM,
        ) as dst,
    ):  # fmt: skip
        dst.write(np.array([[10, 20], [30, 40]], dtype=np.uint16), 1)
        dst.write_mask(np.array([[255, 0], [255, 255]], dtype=np.uint8))
    pts = points({f"{r}{c}": centre(GEO_TRANSFORM, r, c) for r in (0, 1) for c in (0, 1)})
    assert raster.sample(nan_tif, pts).tolist() == [1.5, 2.5, pd.NA, 4.5]
    assert raster.sample(masked_tif, pts).tolist() == [10, pd.NA, 30, 40]
    whole = zones({"z": (51.0, 35.0, 52.0, 36.0)})
    assert raster.zonal_stats(nan_tif, whole).loc["z"].tolist() == [8.5 / 3, 8.5, 1.5, 4.5, 3]
    assert raster.zonal_stats(masked_tif, whole).loc["z"].tolist() == [80 / 3, 80.0, 10, 40, 3]


def test_sample_rejects_non_points(geo_tif: Path) -> None:
    gdf = zones({"z": (51.0, 35.0, 52.0, 36.0)})
    with pytest.raises(InputError, match="sampling needs points; Polygon at row 'z'"):
        raster.sample(geo_tif, gdf)


def test_sample_rejects_points_without_crs(geo_tif: Path) -> None:
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(51.2, 35.8)])
    with pytest.raises(InputError, match="the points have no CRS"):
        raster.sample(geo_tif, gdf)


# ------------------------------------------------------------------------------ zonal stats


def test_zonal_stats_cell_centre_rule(geo_tif: Path) -> None:
    gdf = zones(
        {
            "top_left": (51.0, 35.0, 52.0, 36.0),  # cells 1 2 / 5 6
            "whole": (50.0, 33.0, 54.0, 37.0),  # all 14 valid cells
            # covers the centres of columns 0-1 (51.25, 51.75) but not column 2 (52.25)
            "partial": (51.1, 34.1, 52.2, 34.4),  # bottom row: 13 14
            "nodata_only": (52.55, 35.55, 52.95, 35.95),  # the -1 cell at (0, 3)
            "outside": (58.0, 28.0, 59.0, 29.0),
        }
    )
    result = raster.zonal_stats(geo_tif, gdf)
    assert list(result.columns) == ["mean", "sum", "min", "max", "count"]
    assert list(result.index) == list(gdf.index)
    valid = BAND1[BAND1 != -1]
    assert result.loc["top_left"].tolist() == [3.5, 14.0, 1, 6, 4]
    assert result.loc["whole"].tolist() == [valid.mean(), valid.sum(), 1, 16, 14]
    assert result.loc["partial"].tolist() == [13.5, 27.0, 13, 14, 2]
    for row in ("nodata_only", "outside"):
        assert result.loc[row, "count"] == 0
        assert result.loc[row, ["mean", "sum", "min", "max"]].isna().all()
    assert result["count"].dtype == "Int64"
    assert result["min"].dtype == "Int64"
    assert result["mean"].dtype == "Float64"


def test_zonal_stats_band_and_stats_order(geo_tif: Path) -> None:
    gdf = zones({"z": (51.0, 34.5, 52.0, 35.5)})  # cells 5 6 / 9 -1 → band 2: 500 600 900 -100
    result = raster.zonal_stats(geo_tif, gdf, stats="count,max, min", band=2)
    assert list(result.columns) == ["count", "max", "min"]
    assert result.loc["z"].tolist() == [4, 900, -100]


def test_zonal_stats_zones_in_another_crs(geo_tif: Path) -> None:
    gdf = zones({"z": (51.0, 35.0, 52.0, 36.0)}).to_crs("EPSG:32639")
    assert raster.zonal_stats(geo_tif, gdf, stats=["sum"]).loc["z", "sum"] == 14.0


def test_zonal_stats_utm_raster(utm_tif: Path) -> None:
    # the zone is drawn in UTM around cells (0..1, 0..2), then given to zonal_stats in lon/lat
    gdf = zones({"z": (500_000.0, 3_948_000.0, 503_000.0, 3_950_000.0)}, crs="EPSG:32639")
    result = raster.zonal_stats(utm_tif, gdf.to_crs("EPSG:4326"))
    # cells 0.5 1.5 2.5 / 10 (nodata) 12
    assert result.loc["z"].tolist() == [26.5 / 5, 26.5, 0.5, 12.0, 5]
    assert result["min"].dtype == "Float64"


def test_zonal_stats_blocks_match_whole_read(tmp_path: Path) -> None:
    """Tiny blocks (16 cells) over a tiled raster give exactly the whole-array result."""
    rng = np.random.default_rng(7)
    data = rng.integers(0, 200, size=(70, 90), dtype=np.uint8)
    data[5:9, 10:30] = 255
    transform = Affine(0.05, 0.0, 50.0, 0.0, -0.05, 36.0)
    tif = write_tif(
        tmp_path / "t.tif",
        [data],
        crs="EPSG:4326",
        transform=transform,
        nodata=255,
        tiled=True,
        blockxsize=16,
        blockysize=16,
    )
    # vertices off the grid, so that no cell centre lies on an edge
    triangle = shapely.Polygon([(50.113, 35.917), (54.381, 35.2237), (51.0071, 32.6113)])
    gdf = gpd.GeoDataFrame(geometry=[triangle], index=["t"], crs="EPSG:4326")
    # reference: cell centres tested with shapely, independent of rasterio's masks
    rows, cols = np.mgrid[0:70, 0:90]
    xs, ys = transform @ (cols + 0.5, rows + 0.5)
    inside = shapely.contains_xy(triangle, xs, ys) & (data != 255)
    expected = data[inside].astype(np.int64)
    for block in (16, 32, 2048):
        result = raster.zonal_stats(tif, gdf, block_size=block).loc["t"]
        assert result["count"] == expected.size
        assert result["sum"] == expected.sum()
        assert result["min"] == expected.min()
        assert result["max"] == expected.max()
        assert result["mean"] == pytest.approx(expected.mean(), rel=1e-15)


def test_centre_mask_matches_shapely_and_any_window() -> None:
    """A multipolygon with a hole: cell centres inside by the even-odd rule, window-independent."""
    transform = Affine(0.1, 0.0, 50.0, 0.0, -0.1, 37.0)
    outer = shapely.Polygon(
        [(50.23, 36.81), (52.77, 36.52), (52.31, 34.13)],
        holes=[[(51.5, 36.2), (52.1, 36.1), (51.9, 35.3)]],
    )
    geom = shapely.MultiPolygon([outer, shapely.box(53.03, 34.47, 53.66, 35.21)])
    rows, cols = np.mgrid[0:40, 0:50]
    xs, ys = transform @ (cols + 0.5, rows + 0.5)
    expected = shapely.contains_xy(geom, xs, ys)
    edges = raster.pixel_edges(geom, ~transform)
    whole = raster.centre_mask(edges, row_off=0, col_off=0, height=40, width=50)
    assert (whole == expected).all()
    assert whole.sum() == expected.sum() > 300
    part = raster.centre_mask(edges, row_off=13, col_off=21, height=9, width=17)
    assert (part == expected[13:22, 21:38]).all()


def test_zonal_stats_unknown_statistic(geo_tif: Path) -> None:
    with pytest.raises(InputError, match="unknown statistic 'median'; choose from mean,sum"):
        raster.zonal_stats(geo_tif, zones({"z": (51, 35, 52, 36)}), stats="mean,median")


def test_zonal_stats_rejects_points(geo_tif: Path) -> None:
    with pytest.raises(InputError, match="zonal statistics need polygons; Point"):
        raster.zonal_stats(geo_tif, points({"p": (51.2, 35.8)}))


# ------------------------------------------------------------------------------- bad rasters


@pytest.fixture
def bad_rasters(tmp_path: Path) -> dict[str, tuple[Path, int, str]]:
    """name -> (file, band, expected message)."""
    text = tmp_path / "notes.tif"
    text.write_text("this is not a raster\n", encoding="utf-8")
    no_crs = write_tif(tmp_path / "nocrs.tif", [BAND1], transform=GEO_TRANSFORM)
    europe = write_tif(
        tmp_path / "europe.tif",
        [BAND1],
        crs="EPSG:4326",
        transform=Affine(0.5, 0.0, 2.0, 0.0, -0.5, 48.0),
    )
    two_bands = write_tif(tmp_path / "two.tif", [BAND1, BAND2], crs="EPSG:4326",
                          transform=GEO_TRANSFORM)  # fmt: skip
    return {
        "missing": (tmp_path / "missing.tif", 1, "raster file not found"),
        "not_raster": (text, 1, "not a raster GDAL can read"),
        "no_crs": (no_crs, 1, "the raster has no CRS"),
        "band": (two_bands, 3, r"band 3 does not exist: the raster has 2 bands \(choose 1–2\)"),
        "band0": (two_bands, 0, "band 0 does not exist"),
        "not_iran": (europe, 1, "the raster does not overlap Iran"),
    }


@pytest.mark.parametrize("case", ["missing", "not_raster", "no_crs", "band", "band0", "not_iran"])
def test_bad_raster_api(bad_rasters, case: str) -> None:
    path, band, message = bad_rasters[case]
    pts = points({"a": (51.2, 35.8)})
    with pytest.raises(InputError, match=message) as info:
        raster.sample(path, pts, band=band)
    assert str(path) in str(info.value)
    with pytest.raises(InputError, match=message):
        raster.zonal_stats(path, zones({"z": (51, 35, 52, 36)}), band=band)


def test_damaged_raster(tmp_path: Path) -> None:
    data = np.random.default_rng(1).random((600, 600), dtype=np.float32)
    whole = write_tif(
        tmp_path / "whole.tif",
        [data],
        crs="EPSG:4326",
        transform=Affine(0.01, 0.0, 51.0, 0.0, -0.01, 36.0),
        tiled=True,
        blockxsize=256,
        blockysize=256,
        compress="deflate",
    )
    damaged = tmp_path / "damaged.tif"
    damaged.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError, match=r"damaged\.tif: cannot read the raster: .*failed"):
        raster.zonal_stats(damaged, zones({"z": (51.0, 30.0, 57.0, 36.0)}))


@pytest.mark.parametrize("case", ["missing", "not_raster", "no_crs", "band", "not_iran"])
@pytest.mark.parametrize("command", ["sample", "zonal"])
def test_bad_raster_cli(runner, bad_rasters, registry_csv: Path, case: str, command: str) -> None:
    path, band, message = bad_rasters[case]
    args = ["raster", command, str(path), "--band", str(band)]
    if command == "sample":
        args += ["--registry", str(registry_csv)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2  # English, then Persian
    assert lines[0].startswith(f"error: {path}: ")
    assert lines[1].startswith(f"خطا: {path}")
    assert re.search(message, lines[0])
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------- CLI


@pytest.fixture
def registry_csv(tmp_path: Path) -> Path:
    """A registry of three estates: two located in the geo_tif grid, one without a location."""
    rows = [
        {"id": "E1", "name_fa": "شهرک یک", "kind": "industrial_estate", "province": "tehran",
         "lon": "51.25", "lat": "35.75", "location_precision": "estate"},
        {"id": "E2", "name_fa": "شهرک دو", "kind": "industrial_estate", "province": "qom",
         "lon": "51.75", "lat": "34.25", "location_precision": "town"},
        {"id": "E3", "name_fa": "شهرک سه", "kind": "industrial_zone", "province": "semnan"},
    ]  # fmt: skip
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(REGISTRY_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_raster_commands_registered(runner) -> None:
    result = runner.invoke(app, ["raster", "--help"])
    assert result.exit_code == 0
    for command in ("sample", "zonal", "export"):
        assert command in result.output
    zonal_help = runner.invoke(app, ["raster", "zonal", "--help"]).output
    assert "Cell-centre rule" in zonal_help


def test_cli_sample_csv(runner, geo_tif: Path, registry_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "sample.csv"
    result = runner.invoke(
        app, ["raster", "sample", str(geo_tif), "--registry", str(registry_csv), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["id", "name_fa", "province", "value", "status"]
    assert table["id"].tolist() == ["E1", "E2", "E3"]
    assert table["value"].tolist() == ["1", "14", ""]
    assert table["status"].tolist() == ["ok", "ok", "no_location"]
    assert "3 estates: 2 ok, 0 nodata, 0 outside, 1 no_location" in result.stderr


def test_cli_sample_band_and_table(runner, geo_tif: Path, registry_csv: Path) -> None:
    result = runner.invoke(
        app, ["raster", "sample", str(geo_tif), "--band", "2", "--registry", str(registry_csv)]
    )
    assert result.exit_code == 0, result.output
    assert "1,400" in result.stdout  # E2 on band 2
    assert "شهرک یک" in result.stdout


def test_cli_sample_gpkg(runner, utm_tif: Path, registry_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "sample.gpkg"
    args = ["raster", "sample", str(utm_tif), "--registry", str(registry_csv), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    gdf = pyogrio.read_dataframe(out)
    assert gdf.crs.to_epsg() == 4326
    assert gdf["id"].tolist() == ["E1", "E2", "E3"]
    assert gdf["status"].tolist() == ["outside", "outside", "no_location"]


def test_cli_rejects_output_extension(runner, geo_tif: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.txt"
    result = runner.invoke(app, ["raster", "zonal", str(geo_tif), "--out", str(out)])
    assert result.exit_code == 2
    assert "cannot write stats.txt: use one of the extensions .csv" in result.stderr
    assert not out.exists()


@pytest.fixture
def iran_tif(tmp_path: Path) -> Path:
    """0.25° cells of value 7 over all of Iran, with a nodata stripe."""
    data = np.full((64, 84), 7, dtype=np.uint8)
    data[:, 40] = 0
    transform = Affine(0.25, 0.0, 43.5, 0.0, -0.25, 40.0)
    return write_tif(tmp_path / "iran.tif", [data], crs="EPSG:4326", transform=transform, nodata=0)


def test_cli_zonal_provinces(runner, iran_tif: Path, tmp_path: Path) -> None:
    out = tmp_path / "zonal.csv"
    result = runner.invoke(app, ["raster", "zonal", str(iran_tif), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns) == ["province", "name_fa", "name_en", "mean", "sum", "min",
                                   "max", "count"]  # fmt: skip
    assert len(table) == 31
    assert (table["count"] > 0).all()
    assert (table["mean"] == 7).all() and (table["min"] == 7).all() and (table["max"] == 7).all()
    assert (table["sum"] == 7 * table["count"]).all()
    # Tehran's count by the cell-centre rule, computed independently with shapely
    tehran = load_provinces().loc["tehran", "geometry"]
    rows, cols = np.mgrid[0:64, 0:84]
    xs, ys = Affine(0.25, 0.0, 43.5, 0.0, -0.25, 40.0) @ (cols + 0.5, rows + 0.5)
    expected = int((shapely.contains_xy(tehran, xs, ys) & (cols != 40)).sum())
    assert table.set_index("province").loc["tehran", "count"] == expected


def test_cli_zonal_gpkg_and_print(runner, iran_tif: Path, tmp_path: Path) -> None:
    out = tmp_path / "zonal.gpkg"
    args = ["raster", "zonal", str(iran_tif), "--stats", "sum,count", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    gdf = pyogrio.read_dataframe(out)
    assert len(gdf) == 31
    assert list(gdf.columns) == ["province", "name_fa", "name_en", "sum", "count", "geometry"]
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    xlsx = tmp_path / "zonal.xlsx"
    assert runner.invoke(app, ["raster", "zonal", str(iran_tif), "-o", str(xlsx)]).exit_code == 0
    assert pd.read_excel(xlsx, engine="openpyxl").shape == (31, 8)
    printed = runner.invoke(app, ["raster", "zonal", str(iran_tif), "--stats", "count"])
    assert printed.exit_code == 0
    assert "tehran" in printed.stdout and "تهران" in printed.stdout


def test_cli_zonal_bad_stats(runner, iran_tif: Path) -> None:
    result = runner.invoke(app, ["raster", "zonal", str(iran_tif), "--stats", "mean,std"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: unknown statistic 'std'; choose from mean,sum,min,max,count",
        "خطا: آماره ناشناخته 'std'؛ یکی از mean,sum,min,max,count را برگزینید"]


# ------------------------------------------------------------------------------------ export


def read_tif(path: Path) -> tuple[np.ndarray, dict, dict]:
    with rasterio.open(path) as src:
        return src.read(1), src.profile, {"tags": src.tags(), "desc": src.descriptions}


def value_at(path: Path, lon: float, lat: float) -> float:
    with rasterio.open(path) as src:
        col, row = ~src.transform @ (lon, lat)
        return float(src.read(1)[int(row), int(col)])


def test_export_provinces_area(tmp_path: Path) -> None:
    provinces = load_provinces()
    out = tmp_path / "maps" / "area.tif"
    result = raster.export(provinces, "area_km2", out, res_deg=0.25)
    assert result.path == out and result.written == 31
    assert result.skipped == {"no_value": [], "no_location": [], "no_cell": []}
    data, profile, meta = read_tif(out)
    assert profile["crs"].to_epsg() == 4326
    assert profile["nodata"] == -9999.0
    assert profile["compress"] == "deflate" and profile["tiled"]
    assert profile["dtype"] == "float64"
    assert meta["desc"] == ("area_km2",)
    west, north = profile["transform"].c, profile["transform"].f
    assert (west, north) == (44.0, 40.0)  # bounds 44.03…63.33 E, 25.06…39.78 N, snapped out
    assert (result.width, result.height) == (profile["width"], profile["height"]) == (78, 60)
    # every cell whose centre is inside Tehran holds Tehran's area
    rows, cols = np.mgrid[0 : result.height, 0 : result.width]
    xs, ys = profile["transform"] @ (cols + 0.5, rows + 0.5)
    tehran = shapely.contains_xy(provinces.loc["tehran", "geometry"], xs, ys)
    assert tehran.sum() > 10
    assert set(data[tehran].tolist()) == {provinces.loc["tehran", "area_km2"]}
    assert data[0, 0] == -9999.0  # north-west corner: Turkey
    assert [p.name for p in out.parent.iterdir()] == ["area.tif"]  # no temporary or .aux.xml


def test_cli_export_province_table(runner, tmp_path: Path) -> None:
    table = tmp_path / "need.csv"
    table.write_text(
        'province,need_bn_toman\nتهران,۱۲۵۰٫۵\nIsfahan,\nقم,"2,000"\n', encoding="utf-8-sig"
    )
    out = tmp_path / "need.tif"
    args = ["raster", "export", "--value", "need_bn_toman", "--res", "0.1", "--input", str(table),
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 province features" in result.stderr
    assert "skipped 29 (no_value)" in result.stderr
    data, profile, _ = read_tif(out)
    assert profile["crs"].to_epsg() == 4326
    assert set(np.unique(data).tolist()) == {-9999.0, 1250.5, 2000.0}
    assert value_at(out, 50.9, 34.6) == 2000.0  # Qom city
    assert value_at(out, 51.4, 35.7) == 1250.5  # Tehran city


def test_export_points_merge(tmp_path: Path) -> None:
    gdf = points({"a": (51.21, 35.71), "b": (51.29, 35.79), "c": (52.05, 35.05), "d": None})
    gdf["need"] = [10.0, 30.0, 5.0, 7.0]
    out = tmp_path / "e.tif"
    result = raster.export(gdf, "need", out, res_deg=0.1)
    assert result.written == 3 and result.skipped["no_location"] == ["d"]
    data, profile, meta = read_tif(out)
    assert profile["transform"] == Affine(0.1, 0.0, 51.2, 0.0, -0.1, 35.8)
    assert data.shape == (8, 9)
    assert value_at(out, 51.25, 35.75) == 40.0  # a + b summed
    assert value_at(out, 52.05, 35.05) == 5.0
    assert (data != -9999.0).sum() == 2
    assert meta["tags"]["merge"] == "sum"
    raster.export(gdf, "need", out, res_deg=0.1, merge="mean")
    assert value_at(out, 51.25, 35.75) == 20.0


def test_cli_export_estates_by_id(runner, registry_csv: Path, tmp_path: Path) -> None:
    values = tmp_path / "v.csv"
    values.write_text("id,power_deficit_mw\nE1,12\nE2,3.5\nE3,9\n", encoding="utf-8")
    out = tmp_path / "p.tif"
    args = ["raster", "export", "--level", "estate", "--value", "power_deficit_mw",
            "--res", "0.5", "--input", str(values), "--registry", str(registry_csv),
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "skipped 1 (no_location): E3" in result.stderr
    assert value_at(out, 51.25, 35.75) == 12.0
    assert value_at(out, 51.75, 34.25) == 3.5


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("province,x\nتهران,-9999\n", [], "has the value -9999, which is the nodata value"),
        ("province,x\nتهران,ده\n", [], r"need\.csv, row 2, column 'x': 'ده' is not a number"),
        ("province,x\nتهران,1\nNarnia,2\n", [], r"row 3, column 'province': unknown province"),
        ("province,x\nتهران,1\nTehran,2\n", [], "'tehran' appears more than once"),
        ("province,y\nتهران,1\n", [], "no column 'x'; columns: province, y"),
        ("id,x\nE9,1\n", ["--level", "estate"], r"row 2, column 'id': estate id 'E9' is not in"),
        ("province,x\nتهران,1\n", ["--res", "0.00005"], "raster is too large at"),
        ("province,x\nتهران,1\n", ["--res", "0"], "resolution must be between 0 and 10"),
    ],
)
def test_cli_export_bad_input(
    runner, registry_csv: Path, tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    table = tmp_path / "need.csv"
    table.write_text(content, encoding="utf-8")
    out = tmp_path / "out.tif"
    base = ["raster", "export", "--value", "x", "--res", "0.5", "--input", str(table),
            "--registry", str(registry_csv), "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, base + args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 2  # English, then Persian
    assert re.search(message, result.stderr)
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["need.csv", "registry.csv"]


def test_cli_export_default_provinces_table(runner, tmp_path: Path) -> None:
    out = tmp_path / "area.tif"
    result = runner.invoke(
        app, ["raster", "export", "--value", "area_km2", "--res", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert value_at(out, 55.5, 30.5) == load_provinces().loc["kerman", "area_km2"]
    wrong = runner.invoke(
        app, ["raster", "export", "--value", "population", "--res", "1", "--out", str(out)]
    )
    assert wrong.exit_code == 2
    assert "no numeric column 'population'" in wrong.stderr
    png = runner.invoke(
        app, ["raster", "export", "--value", "area_km2", "--res", "1", "--out", "a.png"]
    )
    assert png.exit_code == 2
    assert "the output must be a GeoTIFF (.tif)" in png.stderr


def test_export_api_errors(tmp_path: Path) -> None:
    gdf = points({"a": (51.2, 35.7)})
    gdf["name"] = ["x"]
    gdf["v"] = [1.0]
    with pytest.raises(InputError, match="column 'name' is not numeric"):
        raster.export(gdf, "name", tmp_path / "a.tif", res_deg=0.1)
    with pytest.raises(InputError, match="no column 'w'; numeric columns: v"):
        raster.export(gdf, "w", tmp_path / "a.tif", res_deg=0.1)
    mixed = pd.concat([gdf, zones({"z": (51, 35, 52, 36)}).assign(v=2.0)])
    with pytest.raises(InputError, match="either polygons .* or points .*, not Point, Polygon"):
        raster.export(mixed, "v", tmp_path / "a.tif", res_deg=0.1)
    gdf["v"] = [float("nan")]
    with pytest.raises(InputError, match="nothing to write"):
        raster.export(gdf, "v", tmp_path / "a.tif", res_deg=0.1)
    assert list(tmp_path.iterdir()) == []

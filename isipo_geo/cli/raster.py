"""``isipo-geo raster``: raster values at estates, statistics per province, GeoTIFF export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._options import registry_option

raster_app = typer.Typer(
    help=(
        "Rasters in and out: values at estates, statistics per province (cell-centre rule), "
        "GeoTIFF export.\n\n"
        "رسترها: مقدار در محل شهرک‌ها، آمار هر استان، و خروجی GeoTIFF."
    ),
    no_args_is_help=True,
)
app.add_typer(raster_app, name="raster")

_RASTER = typer.Argument(
    help="A georeferenced raster (GeoTIFF or any format GDAL reads) overlapping Iran.",
    show_default=False,
)
_BAND = typer.Option("--band", "-b", help="Band to read (1-based).")
_OUT = typer.Option(
    "--out",
    "-o",
    help="Write the table to FILE, by extension: .csv (UTF-8 with BOM, opens in Excel), .gpkg "
    "(GeoPackage with geometries, opens in QGIS), .xlsx or .json. Without it, print a table.",
    show_default=False,
)


class Level(StrEnum):
    province = "province"
    estate = "estate"


class Weights(StrEnum):
    centre = "centre"
    coverage = "coverage"


class Merge(StrEnum):
    sum = "sum"
    mean = "mean"
    min = "min"
    max = "max"


@raster_app.command(
    "sample",
    help="The raster's value at each estate of the registry (the cell under its point).\n\n"
    "Points are reprojected to the raster's CRS. Nodata cells, estates outside the raster and "
    "estates without a location get an empty value (never 0); the status column says which.\n\n"
    "Example: isipo-geo raster sample ghi.tif --out ghi_estates.csv",
)
@handles_errors
def sample_cmd(
    raster: Annotated[Path, _RASTER],
    band: Annotated[int, _BAND] = 1,
    registry: Annotated[
        Path | None,
        registry_option("Its estates alone are sampled (default: the registry shipped with "
                        "isipo-geo)."),
    ] = None,
    out: Annotated[Path | None, _OUT] = None,
) -> None:
    """The raster's value at each estate of the registry."""
    import pandas as pd

    from isipo_geo import raster as r
    from isipo_geo.registry.estates import load_estates
    from isipo_geo.tables import output_format

    if out is not None:
        output_format(out)
    estates = load_estates(registry)
    result = r.sample_status(raster, estates, band=band)
    table = pd.DataFrame(
        {
            "id": estates.index.astype(str),
            "name_fa": estates["name_fa"].array,
            "province": estates["province"].array,
            "value": result["value"].array,
            "status": result["status"].array,
        }
    )
    counts = result["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in r.SAMPLE_STATUSES)
    _finish(table, out, geometry=estates.geometry, title=f"{raster.name}, band {band}")
    typer.echo(f"{len(table)} estates: {summary}", err=True)


@raster_app.command(
    "zonal",
    help="Statistics of the raster per province (the 31 provinces).\n\n"
    "Cell-centre rule (as rasterio masks, the default): a cell counts, whole, when its centre is "
    "inside the province; partial cells are not weighted. With --weights coverage each cell "
    "is weighted by the fraction of its area inside the province (exactextract): count becomes "
    "the covered area in cells, mean the area-weighted mean; best for coarse rasters and small "
    "provinces, about 3 times slower. Either way nodata cells are skipped, cells are not "
    "weighted by their area on the ground, and large rasters are read window by window.\n\n"
    "Example: isipo-geo raster zonal population.tif --stats sum,count --out pop.gpkg\n\n"
    "Example: isipo-geo raster zonal rain_0.25deg.tif --weights coverage --out rain.csv",
)
@handles_errors
def zonal_cmd(
    raster: Annotated[Path, _RASTER],
    stats: Annotated[
        str, typer.Option(help="Comma-separated statistics: any of mean,sum,min,max,count.")
    ] = "mean,sum,min,max,count",
    band: Annotated[int, _BAND] = 1,
    weights: Annotated[
        Weights,
        typer.Option(
            help="centre: a cell counts whole when its centre is inside; coverage: each cell "
            "weighted by its covered fraction (exact, for coarse rasters)."
        ),
    ] = Weights.centre,
    out: Annotated[Path | None, _OUT] = None,
) -> None:
    """Statistics of the raster per province."""
    import pandas as pd

    from isipo_geo import raster as r
    from isipo_geo.provinces import load_provinces
    from isipo_geo.tables import output_format

    names = r.check_stats(stats)
    if out is not None:
        output_format(out)
    provinces = load_provinces()
    result = r.zonal_stats(raster, provinces, stats=names, band=band, weights=weights.value)
    table = pd.concat(
        [provinces[["key", "name_fa", "name_en"]].rename(columns={"key": "province"}), result],
        axis=1,
    ).reset_index(drop=True)
    _finish(table, out, geometry=provinces.geometry, title=f"{raster.name}, band {band}")


@raster_app.command(
    "export",
    help="Rasterise a province or estate value to a GeoTIFF that QGIS opens (EPSG:4326, "
    "float64, nodata, DEFLATE, tiled).\n\n"
    "Provinces use the cell-centre rule; each estate fills the cell containing it.\n\n"
    "Example: isipo-geo raster export --value area_km2 --res 0.05 --out area.tif",
)
@handles_errors
def export_cmd(
    value: Annotated[
        str, typer.Option("--value", help="Numeric column to rasterise.", show_default=False)
    ],
    res: Annotated[
        float,
        typer.Option("--res", help="Cell size in degrees (0.05 ≈ 5 km).", show_default=False),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output GeoTIFF (.tif).", show_default=False)
    ],
    level: Annotated[
        Level, typer.Option(help="province: polygons; estate: points.")
    ] = Level.province,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help="Table of values (.csv, .xlsx, .gpkg, .geojson): for --level province a "
            "'province' column (key or name); for --level estate an 'id' column (joined to the "
            "registry), lon/lat columns, or point geometries. Default: the provinces' own "
            "attributes (area_km2) or the registry's columns (area_ha, power_deficit_mw, ...).",
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        registry_option("It gives the points of an 'id' table (default: the shipped "
                        "registry)."),
    ] = None,
    nodata: Annotated[float, typer.Option(help="Value of cells without data.")] = -9999.0,
    merge: Annotated[
        Merge, typer.Option(help="How several estates in one cell combine.")
    ] = Merge.sum,
) -> None:
    """Rasterise a province or estate value to a GeoTIFF."""
    from isipo_geo import raster as r
    from isipo_geo.errors import InputError
    from isipo_geo.raster import inputs

    if out.suffix.lower() not in (".tif", ".tiff"):
        from isipo_geo.messages import message

        raise InputError(message("output_not_geotiff"), path=out)
    table = inputs.read_table(input_file) if input_file is not None else None
    if level is Level.province:
        features = inputs.province_values(value, table=table, path=input_file)
    else:
        features = inputs.estate_values(value, table=table, path=input_file, registry=registry)
    result = r.export(features, value, out, res_deg=res, nodata=nodata, merge=merge.value)
    typer.echo(
        f"wrote {result.path} ({result.width} × {result.height} cells of {res}°): "
        f"{result.written} {level.value} features",
        err=True,
    )
    for reason, labels in result.skipped.items():
        if labels:
            shown = ", ".join(labels[:10]) + (" …" if len(labels) > 10 else "")
            typer.echo(f"skipped {len(labels)} ({reason}): {shown}", err=True)


def _finish(table, out: Path | None, *, geometry, title: str) -> None:
    """Write ``table`` to ``out`` (format by extension) or print it."""
    if out is None:
        from isipo_geo.cli import _console

        printable = table.astype(object).where(table.notna(), None)  # <NA> prints as empty
        _console.print_table(printable, title=title)
    else:
        from isipo_geo.tables import write_table

        write_table(table, out, geometries=geometry.to_numpy(), layer=out.stem)
        typer.echo(f"wrote {out} ({len(table)} rows)", err=True)

"""``isipo-geo units``: count and sum unit points per province or per estate."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors


class GroupBy(StrEnum):
    province = "province"
    estate = "estate"


@app.command()
@handles_errors
def units(
    file: Annotated[
        Path,
        typer.Argument(
            help="Unit points: CSV with lon/lat columns, GeoPackage, GeoJSON or Parquet.",
            show_default=False,
        ),
    ],
    by: Annotated[GroupBy, typer.Option("--by", help="One row per province or per estate.")] = (
        GroupBy.province
    ),
    max_distance_m: Annotated[
        float,
        typer.Option(
            "--max-distance-m",
            help="With --by estate: largest geodesic distance (metres) from a unit to its estate.",
        ),
    ] = 5_000.0,
    registry: Annotated[
        Path | None,
        typer.Option(help="Estate registry CSV for --by estate (default: the shipped one)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the table to this .csv or .gpkg file."),
    ] = None,
    lon_column: Annotated[
        str | None, typer.Option(help="Name of the longitude column (default: lon/longitude).")
    ] = None,
    lat_column: Annotated[
        str | None, typer.Option(help="Name of the latitude column (default: lat/latitude).")
    ] = None,
    sum_column: Annotated[
        list[str] | None,
        typer.Option("--sum", help="Sum only this column (repeatable; default: all numeric)."),
    ] = None,
) -> None:
    """Assign unit points to provinces (or the nearest estate) and aggregate them.

    Prints one row per province (all 31, plus 'outside' for points outside every province)
    with the number of units and the sum of each numeric column; with --by estate, one row per
    estate plus 'none' for units farther than --max-distance-m from every located estate.

    Examples: isipo-geo units units.csv; isipo-geo units units.gpkg --by estate
    --max-distance-m 3000 --out by_estate.csv
    """
    from isipo_geo import units as u

    if out is not None:
        u.check_output_path(out)  # fail before the work, not after
    points, estates, table = _aggregate(
        file, by, registry=registry, max_distance_m=max_distance_m, lon_column=lon_column,
        lat_column=lat_column, sum_columns=sum_column or None,
    )
    skipped = u.unsummed_columns(points, sum_column or None)
    if skipped:
        typer.echo(f"note: not summed (not numbers): {', '.join(skipped)}", err=True)
    summary = _summary(table, len(points), by, max_distance_m)
    if out is not None:
        geometries = None
        if out.suffix.lower() == ".gpkg":
            if by is GroupBy.province:
                from isipo_geo.provinces import load_provinces

                geometries = load_provinces().geometry
            else:
                geometries = estates.geometry  # type: ignore[union-attr]
        u.write_aggregates(table, out, geometries=geometries)
        typer.echo(f"{summary}; wrote {len(table)} rows to {out}")
        return
    from isipo_geo.cli import _console

    label_fa = "استان" if by is GroupBy.province else "شهرک"
    _console.print_table(
        table.reset_index(), title=f"واحدها به تفکیک {label_fa} / Units by {by.value}"
    )
    typer.echo(summary)


def _aggregate(file, by, *, registry, max_distance_m, lon_column, lat_column, sum_columns):
    """Read the points and aggregate them by province or estate, with a progress bar on
    stderr; returns the points, the estates (``None`` by province) and the table. A bad column
    is an error naming ``file``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from isipo_geo import units as u
    from isipo_geo.errors import InputError

    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        reading = bar.add_task(f"reading {file.name}", total=None)
        points = u.read_points(file, lon_column=lon_column, lat_column=lat_column)
        bar.update(reading, total=1, completed=1)
        estates = None
        if by is GroupBy.estate:
            from isipo_geo.registry.estates import load_estates

            estates = load_estates(registry)
        task = bar.add_task(f"assigning to {by.value}s", total=len(points))
        try:
            table = u.aggregate_units(
                points,
                by=by.value,
                estates=estates,
                max_distance_m=max_distance_m,
                sum_columns=sum_columns,
                progress=lambda n: bar.advance(task, n),
            )
        except InputError as exc:  # name the file the bad column came from
            if exc.path is not None:
                raise
            raise InputError(exc.reason, path=file, row=exc.row, column=exc.column) from None
    return points, estates, table


def _summary(table, n: int, by: GroupBy, max_distance_m: float) -> str:
    """One line: how many of the ``n`` units were placed, and how many were not."""
    from isipo_geo import units as u

    rest_key = u.OUTSIDE if by is GroupBy.province else u.NO_ESTATE
    n_rest = int(table.loc[rest_key, "count"])
    if by is GroupBy.province:
        summary = f"{n:,} units: {n - n_rest:,} in provinces, {n_rest:,} outside every province"
        if n and n_rest == n:
            summary += " (are lon and lat swapped?)"
        return summary
    return f"{n:,} units: {n - n_rest:,} within {max_distance_m:g} m of an estate, {n_rest:,} not"

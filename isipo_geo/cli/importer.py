"""``isipo-geo import``: turn a user's estate list into a registry, losing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors

PROGRESS_MIN_BYTES = 512 * 1024  # show a progress bar for files this large (≈ 5,000 rows)
SHOW_REJECTS = 10


@app.command("import")
@handles_errors(outputs=("registry", "rejects"))
def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV, XLSX, GeoJSON, GeoPackage or Shapefile to import.")
    ],
    sheet: Annotated[
        str | None, typer.Option(help="Workbook sheet or GeoPackage layer to read.")
    ] = None,
    registry: Annotated[
        Path,
        typer.Option(help="Registry to write (replaced atomically). Never the shipped one."),
    ] = Path("registry.csv"),
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Rejected rows (row, column, reason, cells). [default: REGISTRY with .rejects.csv]"
        ),
    ] = None,
    aliases: Annotated[
        Path | None,
        typer.Option(
            help="Your own column names: a CSV alias,field[,unit] (see "
            "data/estates/header_aliases.csv)."
        ),
    ] = None,
    power_factor: Annotated[
        float | None,
        typer.Option(help="Power factor to convert kVA/MVA columns to MW (never assumed)."),
    ] = None,
    utm_zone: Annotated[
        int | None,
        typer.Option(help="UTM zone (38-41) of easting/northing columns without a zone column."),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            help="Jalali year of the file's figures (e.g. 1403), for rows without a year "
            "column. Default: the «سال اطلاعات» cell of the template; else unknown (maps and "
            "tables then say 'year unknown', never 1400).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import an estate list (CSV, XLSX, GeoJSON, GeoPackage, Shapefile) into a registry CSV.

    Every row is accepted (perhaps flagged) or rejected with its row, column and reason.

    Units must be stated in the headers, e.g. کمبود آب (لیتر بر ثانیه), کمبود برق (مگاوات).

    Exit 0: a registry was written. Exit 2: the file cannot be read or mapped; nothing is written.

    Use the registry with --registry PATH in funding, map and report.

    Example: isipo-geo import estates.xlsx --sheet 1400 --registry maps/registry.csv
    """
    from isipo_geo.registry.importer import import_registry, write_registry

    with _progress(file) as progress:
        result = import_registry(
            file,
            sheet=sheet,
            aliases=aliases,
            power_factor=power_factor,
            utm_zone=utm_zone,
            year=year,
            progress=progress,
        )
    registry_path, rejects_path = write_registry(result, registry, rejects)
    _summary(result, registry_path, rejects_path)


def _progress(file: Path):
    import contextlib

    try:
        size = file.stat().st_size
    except OSError:
        size = 0
    if size < PROGRESS_MIN_BYTES:
        return contextlib.nullcontext(None)
    return _rich_progress(file.name)


def _rich_progress(name: str):
    import contextlib

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    @contextlib.contextmanager
    def bar():
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            tasks: dict[str, int] = {}

            def update(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    label = {"read": f"reading {name}", "check": "checking rows"}.get(stage, stage)
                    tasks[stage] = progress.add_task(label, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            yield update

    return bar()


def _summary(result, registry_path: Path, rejects_path: Path) -> None:
    echo = typer.echo
    where = [f"{result.source}"]
    if result.sheet:
        where.append(f"sheet/layer {result.sheet!r}")
    if result.header_rows and result.header_rows != (0,):
        rows = "–".join(str(r) for r in result.header_rows)
        where.append(f"header on row {rows}")
    if result.encoding:
        where.append(f"encoding {result.encoding}")
    echo("Read " + ", ".join(where))
    echo(
        f"rows read: {result.rows_read} = accepted {result.accepted} + rejected "
        f"{result.rejected}; flagged: {result.flagged}"
        + (f" (blank or repeated header rows skipped: {result.skipped})" if result.skipped else "")
    )
    counts = result.flag_counts()
    if counts:
        echo("flags: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    echo("columns: " + "; ".join(f"{k} → {v}" for k, v in result.columns.items()))
    if result.unmapped:
        echo(
            "not imported (no matching field; add one with --aliases): "
            + "; ".join(result.unmapped)
        )
    for note in result.notes:
        echo(f"note: {note}")
    flagged = result.registry[result.registry["flags"].notna()]
    if len(flagged):
        echo(f"flagged rows (first {min(SHOW_REJECTS, len(flagged))}; kept in the registry):")
        for rec in flagged.head(SHOW_REJECTS).itertuples(index=False):
            row = str(rec.source).rsplit(" row ", 1)[-1]
            echo(f"  row {row}, {rec.name_fa} ({rec.province}): {rec.flags}")
    if result.rejected:
        echo(f"rejected rows (first {min(SHOW_REJECTS, result.rejected)}):")
        for rec in result.rejects.head(SHOW_REJECTS).itertuples(index=False):
            echo(f"  row {rec.row}, {rec.column}: {rec.reason}")
    if not result.accepted:
        echo("warning: no row was accepted; see the rejects file", err=True)
    echo(f"registry written: {registry_path} ({result.accepted} estates)")
    echo(f"rejects written: {rejects_path} ({result.rejected} rows)")
    echo(f"use it with: --registry {registry_path}")

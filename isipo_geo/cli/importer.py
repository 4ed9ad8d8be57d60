"""``isipo-geo import``: turn a user's estate list into a registry, losing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._console import flag_counts_text, flags_text, reason_text
from isipo_geo.cli._options import Lang, LangOpt, store_location

PROGRESS_MIN_BYTES = 512 * 1024  # show a progress bar for files this large (≈ 5,000 rows)
SHOW_REJECTS = 10


@app.command("import")
@handles_errors(outputs=("registry", "rejects", "into"))  # and out_dir, always a folder
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="CSV, XLSX, GeoJSON, GeoPackage or Shapefile files to import, or "
                       "folders of them (one submission per file, or per sheet with --sheet all)."),
    ],
    sheet: Annotated[
        str | None,
        typer.Option(help="Workbook sheet or GeoPackage layer to read; 'all': every sheet of "
                     "each workbook that holds an estate table (one province per sheet)."),
    ] = None,
    registry: Annotated[
        Path,
        typer.Option(help="Registry CSV to write (replaced atomically). Never the shipped one. "
                     "A .gpkg path is a registry store, as with --into."),
    ] = Path("registry.csv"),
    into: Annotated[
        Path | None,
        typer.Option(help="Registry store to add the files to as submissions, keeping "
                     "history: a GeoPackage (created if missing) or a registry server "
                     "(postgresql://USER@HOST/DB, created by `isipo-geo registry init`; the "
                     "password from PGPASSWORD or ~/.pgpass). Each submission replaces the "
                     "current rows of the province(s) it covers. See `isipo-geo registry "
                     "--help`.", parser=store_location, envvar="ISIPO_GEO_STORE",
                     metavar="STORE"),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date of the submission in the store (YYYY-MM-DD or Persian "
                     "1403-01-15); default: today (UTC)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="Who ran the import, kept in the store's record.")
    ] = None,
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
    out_dir: Annotated[
        Path | None,
        typer.Option(help="With --into a registry server: the folder its rejects "
                     "(registry.rejects.csv) and report (registry.import.json) are written to "
                     "[default: the current folder]. A GeoPackage store's or registry CSV's go "
                     "beside it.", show_default=False),
    ] = None,
    lang: LangOpt = Lang.both,
) -> None:
    """Import estate lists (CSV, XLSX, GeoJSON, GeoPackage, Shapefile) into a registry CSV or a
    registry store with history.

    Every row is accepted (perhaps flagged) or rejected with its row, column and reason; rows
    read = accepted + rejected, per file and in total. The same estate in two files is kept
    once and flagged duplicate_in; a summary is also written as REGISTRY.import.json.

    Units must be stated in the headers, e.g. کمبود آب (لیتر بر ثانیه), کمبود برق (مگاوات).

    Exit 0: a registry was written. Exit 2: a file cannot be read or mapped; nothing is written.

    Use the registry (CSV or .gpkg store) with --registry PATH in funding, map and build.

    Examples: isipo-geo import estates.xlsx --sheet 1400 --registry maps/registry.csv ·
    isipo-geo import submissions_1403/ --sheet all --into registry.gpkg --user "Planning office"
    """
    from isipo_geo.io import output_transaction

    with output_transaction():  # registry (or store), rejects and report: together or none
        _import(files, sheet=sheet, registry=registry, into=into, date=date, user=user,
                rejects=rejects, aliases=aliases, power_factor=power_factor, utm_zone=utm_zone,
                year=year, lang=lang.value, out_dir=out_dir)


def _import(
    files, *, sheet, registry, into, date, user, rejects, aliases, power_factor, utm_zone, year,
    lang, out_dir=None,
) -> None:
    from isipo_geo.errors import InputError
    from isipo_geo.registry.backend import is_server

    store = into if into is not None else registry if registry.suffix.lower() == ".gpkg" else None
    if out_dir is not None and not (store is not None and is_server(store)):
        raise InputError("--out-dir is where a server import (--into postgresql://…) writes "
                         "its rejects and report; a registry CSV's or GeoPackage store's go "
                         "beside it: leave --out-dir out")
    if store is None and len(files) == 1 and files[0].is_file() and sheet != "all":
        _import_one(files[0], sheet=sheet, registry=registry, rejects=rejects, aliases=aliases,
                    power_factor=power_factor, utm_zone=utm_zone, year=year, lang=lang)
        return
    from isipo_geo.registry.backend import coverage
    from isipo_geo.registry.batch import import_files, write_batch

    others = coverage(store) if store is not None else None
    with _progress(files[0]) as progress:
        batch = import_files(files, sheet=sheet, aliases=aliases, power_factor=power_factor,
                             utm_zone=utm_zone, year=year, progress=progress, others=others)
    if store is None:
        registry_path, rejects_path, report_path = write_batch(batch, registry, rejects)
        _batch_summary(batch, lang=lang)
        typer.echo(f"registry written: {registry_path} ({batch.totals()['estates']} estates)")
    else:
        from isipo_geo.registry.backend import import_into, location_name

        result = import_into(batch, store, date=date, user=user, rejects=rejects,
                             out_dir=out_dir)
        _batch_summary(batch, numbers=result.numbers, lang=lang)
        for repeat in result.repeats:
            typer.echo(f"note: the store already had this content: {repeat}")
        typer.echo(
            f"store updated: {location_name(store)} (submissions {result.numbers[0]}–"
            f"{result.numbers[-1]}; {result.estates} current estates, {result.replaced} rows "
            "moved to history)"
        )
        rejects_path, report_path = result.rejects, result.report
        registry_path = location_name(store)
    typer.echo(f"rejects written: {rejects_path} ({batch.totals()['rejected']} rows)")
    typer.echo(f"report written: {report_path}")
    typer.echo(f"use it with: --registry {registry_path}")


def _import_one(
    file: Path, *, sheet, registry, rejects, aliases, power_factor, utm_zone, year, lang
) -> None:
    from isipo_geo.registry.batch import default_report_path, write_report
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
    from isipo_geo.registry.batch import single_report

    write_report(single_report(result), default_report_path(registry_path))
    _summary(result, registry_path, rejects_path, lang)


def _batch_summary(batch, numbers: list[int] | None = None, *, lang: str = "both") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("#", "file", "covers", "read", "accepted", "rejected", "flagged", "merged",
                "estates"):
        table.add_column(col, justify="right" if col not in ("file", "covers") else "left")
    for k, s in enumerate(batch.submissions):
        r = s.report
        table.add_row(str(numbers[k]) if numbers else str(k + 1), s.label,
                      ", ".join(s.covers) or "-", str(r["rows_read"]), str(r["accepted"]),
                      str(r["rejected"]), str(r["flagged"]), str(r["merged"]), str(r["estates"]))
    t = batch.totals()
    table.add_row("", "total", "", str(t["rows_read"]), str(t["accepted"]), str(t["rejected"]),
                  str(t["flagged"]), str(t["merged"]), str(t["estates"]))
    Console(width=160, highlight=False, soft_wrap=True, markup=False).print(table)
    echo = typer.echo
    echo(f"rows read: {t['rows_read']} = accepted {t['accepted']} + rejected {t['rejected']}; "
         f"flagged: {t['flagged']}; merged duplicates (counted once): {t['merged']}; "
         f"estates: {t['estates']}")
    counts: dict[str, int] = {}
    for s in batch.submissions:
        for k, v in s.report["flags"].items():
            counts[k] = counts.get(k, 0) + v
    if counts:
        echo("flags: " + flag_counts_text(dict(sorted(counts.items())), lang))
    if t["province_from_location"]:
        echo(f"assumed: the province of {t['province_from_location']} rows was taken from their "
             "point (no province given; flag province_from_location)")
    notes: dict[str, int] = {}
    for s in batch.submissions:
        for note in s.report["notes"]:
            notes[note] = notes.get(note, 0) + 1
    for note, n in notes.items():
        echo(f"note ({n} of {len(batch.submissions)} submissions): {note}")
    for note in batch.skipped:
        echo(f"skipped: {note}")
    shown = 0
    for s in batch.submissions:
        for d in s.report["duplicates"]:
            if shown < SHOW_REJECTS:
                echo(f"  duplicate: {d['merged']} is the same estate as {d['kept']} (kept once)")
            shown += 1
    shown = 0
    for s in batch.submissions:
        for rec in s.result.rejects.itertuples(index=False):
            if shown < SHOW_REJECTS:
                echo(f"  rejected: {s.label} row {_shown(rec.row)}, {_shown(rec.column)}: "
                     f"{reason_text(rec, lang)}")
            shown += 1


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


def _shown(value: object) -> str:
    """A cell as the summary prints it: missing (None, NaN, pd.NA) as empty, never 'nan'."""
    import pandas as pd

    return "" if value is None or value is pd.NA or value != value else str(value)


def _summary(result, registry_path: Path, rejects_path: Path, lang: str = "both") -> None:
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
        echo("flags: " + flag_counts_text(counts, lang))
    if counts.get("province_from_location"):
        echo(f"assumed: the province of {counts['province_from_location']} rows was taken from "
             "their point (no province given; flag province_from_location)")
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
            row = _shown(rec.source).rsplit(" row ", 1)[-1]
            name = _shown(rec.name_fa) or _shown(rec.name_en)
            echo(f"  row {row}, {name} ({_shown(rec.province)}): "
                 f"{flags_text(_shown(rec.flags), lang)}")
    if result.rejected:
        echo(f"rejected rows (first {min(SHOW_REJECTS, result.rejected)}):")
        for rec in result.rejects.head(SHOW_REJECTS).itertuples(index=False):
            echo(f"  row {_shown(rec.row)}, {_shown(rec.column)}: {reason_text(rec, lang)}")
    if not result.accepted:
        echo("warning: no row was accepted; see the rejects file", err=True)
    echo(f"registry written: {registry_path} ({result.accepted} estates)")
    echo(f"rejects written: {rejects_path} ({result.rejected} rows)")
    echo(f"use it with: --registry {registry_path}")

"""``isipo-geo import``: turn a user's estate list into a registry, losing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._console import flag_counts_text, flags_text, reason_text, say, say_row
from isipo_geo.cli._options import Lang, LangOpt, store_location

PROGRESS_MIN_BYTES = 512 * 1024  # show a progress bar for files this large (≈ 5,000 rows)
SHOW_REJECTS = 10


@app.command("import")
@handles_errors(outputs=("registry", "rejects", "into"))  # and out_dir, always a folder
def import_(  # long: 13 options, each with its type, default and help; the body is one call
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
        from isipo_geo.messages import message

        raise InputError(message("out_dir_not_server"))
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
        say("summary_registry_written", lang, path=registry_path, n=batch.totals()["estates"])
    else:
        from isipo_geo.registry.backend import import_into, location_name

        result = import_into(batch, store, date=date, user=user, rejects=rejects,
                             out_dir=out_dir)
        _batch_summary(batch, numbers=result.numbers, lang=lang)
        for repeat in result.repeats:
            say("summary_store_repeat", lang, repeat=repeat)
        say("summary_store_updated", lang, store=location_name(store), first=result.numbers[0],
            last=result.numbers[-1], estates=result.estates, replaced=result.replaced)
        rejects_path, report_path = result.rejects, result.report
        registry_path = location_name(store)
    say("summary_rejects_written", lang, path=rejects_path, n=batch.totals()["rejected"])
    say("summary_report_written", lang, path=report_path)
    say("summary_use_it", lang, path=registry_path)


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
    say("summary_rows_batch", lang, read=t["rows_read"], accepted=t["accepted"],
        rejected=t["rejected"], flagged=t["flagged"], merged=t["merged"], estates=t["estates"])
    counts: dict[str, int] = {}
    for s in batch.submissions:
        for k, v in s.report["flags"].items():
            counts[k] = counts.get(k, 0) + v
    if counts:
        _say_flags(dict(sorted(counts.items())), lang)
    if t["province_from_location"]:
        say("summary_assumed", lang, n=t["province_from_location"])
    notes: dict[str, int] = {}
    for s in batch.submissions:
        for note in s.report["notes"]:
            notes[note] = notes.get(note, 0) + 1
    for note, n in notes.items():
        say("summary_note_batch", lang, n=n, total=len(batch.submissions), note=note)
    for note in batch.skipped:
        say("summary_skipped_file", lang, note=note)
    shown = 0
    for s in batch.submissions:
        for d in s.report["duplicates"]:
            if shown < SHOW_REJECTS:
                say_row("summary_duplicate", lang, merged=d["merged"], kept=d["kept"])
            shown += 1
    shown = 0
    for s in batch.submissions:
        for rec in s.result.rejects.itertuples(index=False):
            if shown < SHOW_REJECTS:
                say_row("summary_rejected_batch_row", lang, file=s.label, row=_shown(rec.row),
                        column=_shown(rec.column), reason=reason_text(rec, lang))
            shown += 1


def _say_flags(counts: dict[str, int], lang: str) -> None:
    """The flags' counts: with both, the English line (codes and their Persian sentences) only,
    as before; else the line in ``lang``."""
    if lang == "both":
        typer.echo("flags: " + flag_counts_text(counts, "both"))
    else:
        say("summary_flags", lang, flags=flag_counts_text(counts, lang))


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
    from isipo_geo.messages import Message, message, numeral, persian

    where = [str(result.source)]
    if result.sheet:
        where.append(message("summary_sheet", sheet=repr(result.sheet)))
    if result.header_rows and result.header_rows != (0,):
        rows = numeral("–".join(str(r) for r in result.header_rows))
        where.append(message("summary_header_rows", rows=rows))
    if result.encoding:
        where.append(message("summary_encoding", encoding=result.encoding))
    said = message("summary_read", where=", ".join(where))  # each part in its language:
    said.fa = message("summary_read", where="، ".join(getattr(w, "fa", w) for w in where)).fa
    for text in ([said] if lang == "en" else [said.fa] if lang == "fa" else [said, said.fa]):
        typer.echo(text)
    skipped = (message("summary_header_rows_skipped", n=result.skipped) if result.skipped
               else "")
    say("summary_rows", lang, read=result.rows_read, accepted=result.accepted,
        rejected=result.rejected, flagged=result.flagged, skipped=skipped)
    counts = result.flag_counts()
    if counts:
        _say_flags(counts, lang)
    if counts.get("province_from_location"):
        say("summary_assumed", lang, n=counts["province_from_location"])
    pairs = result.columns.items()
    say("summary_columns", lang, columns=Message(
        "; ".join(f"{k} → {v}" for k, v in pairs),
        "; ".join(f"{k} → {persian(v) or v}" for k, v in pairs),
    ))
    if result.unmapped:
        say("summary_unmapped", lang, columns="; ".join(result.unmapped))
    for note in result.notes:
        say("summary_note", lang, note=note)
    flagged = result.registry[result.registry["flags"].notna()]
    if len(flagged):
        say("summary_flagged_rows", lang, n=min(SHOW_REJECTS, len(flagged)))
        for rec in flagged.head(SHOW_REJECTS).itertuples(index=False):
            say_row("summary_flagged_row", lang, row=_shown(rec.source).rsplit(" row ", 1)[-1],
                    name=_shown(rec.name_fa) or _shown(rec.name_en),
                    province=_shown(rec.province), flags=flags_text(_shown(rec.flags), lang))
    if result.rejected:
        say("summary_rejected_rows", lang, n=min(SHOW_REJECTS, result.rejected))
        for rec in result.rejects.head(SHOW_REJECTS).itertuples(index=False):
            say_row("summary_rejected_row", lang, row=_shown(rec.row),
                    column=_shown(rec.column), reason=reason_text(rec, lang))
    if not result.accepted:
        say("summary_none_accepted", lang, err=True)
    say("summary_registry_written", lang, path=registry_path, n=result.accepted)
    say("summary_rejects_written", lang, path=rejects_path, n=result.rejected)
    say("summary_use_it", lang, path=registry_path)

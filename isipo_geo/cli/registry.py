"""``isipo-geo registry log | show | diff | export``: read a registry store and its history;
``registry init | add-user``: set up a registry server shared by headquarters and the 31
provincial companies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._options import Lang, LangOpt, store_location
from isipo_geo.messages import message

registry_app = typer.Typer(
    help="A registry store (registry.gpkg from `isipo-geo import FILE... --into registry.gpkg`, "
    "or a PostgreSQL/PostGIS server shared by the 31 provincial companies: postgresql://…): "
    "its submissions, what each changed, and the registry at any date; `init` and `add-user` "
    "set up a server.",
    no_args_is_help=True,
)
app.add_typer(registry_app, name="registry")

_STORE_HELP = ("The registry store: a .gpkg file or a server URL (postgresql://USER@HOST/DB; "
               "password from PGPASSWORD or ~/.pgpass). Leave it out to use the environment "
               "variable ISIPO_GEO_STORE.")
StoreArg = Annotated[  # before another positional argument: read from ISIPO_GEO_STORE by
    Path | None,       # :func:`_store_or_env` when only that one is given
    typer.Argument(help=_STORE_HELP, parser=store_location, metavar="STORE",
                   show_default=False),
]
StoreOrEnvArg = Annotated[  # the only positional argument: it may come from ISIPO_GEO_STORE
    Path,
    typer.Argument(help=_STORE_HELP, parser=store_location, envvar="ISIPO_GEO_STORE",
                   metavar="STORE", show_default=False),
]
SHOW_ROWS = 20


def _store_or_env(first: Path | None, second: object, *, what: str) -> tuple[Path | str, str]:
    """``[STORE] WHAT``: the store and the other argument, given both or only WHAT (the store
    then from ``ISIPO_GEO_STORE``), as ``log`` and ``diff`` take their only argument."""
    import os

    from isipo_geo.errors import InputError
    from isipo_geo.messages import message

    if second is not None and first is not None:
        return first, str(second)
    env = os.environ.get("ISIPO_GEO_STORE", "")
    if first is None or not env:
        raise InputError(message("store_or_env", what=what))
    return store_location(env), str(first)


@registry_app.command("log")
@handles_errors
def log(store: StoreOrEnvArg) -> None:
    """Every submission, oldest first: number, date (Persian calendar), file [sheet], provinces
    it covers, rows read / accepted / rejected / flagged / merged, rows it moved to history, who
    ran it.

    Example: isipo-geo registry log registry.gpkg
    """
    from rich.console import Console
    from rich.table import Table

    from isipo_geo.dates import jalali
    from isipo_geo.registry.backend import read_store

    subs = read_store(store).submissions
    table = Table(box=None, pad_edge=False)
    columns = ("submission", "date", "file", "sheet", "provinces", "rows_read", "accepted",
               "rejected", "flagged", "merged", "replaced", "user")
    heads = {"submission": "#", "rows_read": "read", "date": "تاریخ / date"}
    for col in columns:
        table.add_column(heads.get(col, col))
    for rec in subs.to_dict(orient="records"):
        rec["date"] = jalali(rec["date"])
        table.add_row(*(str(rec[c]).replace(";", ", ") for c in columns))
    Console(width=200, highlight=False, soft_wrap=True, markup=False).print(table)
    typer.echo(f"{len(subs)} submissions")


@registry_app.command("show")
@handles_errors
def show(
    store: StoreArg = None,
    submission: Annotated[
        int | None, typer.Argument(help="The submission number (see `log`).",
                                   metavar="SUBMISSION", show_default=False)
    ] = None,
    lang: LangOpt = Lang.both,
) -> None:
    """One submission: its record, what it assumed and flagged, its duplicates and rejects, and
    the estates it brought.

    Example: isipo-geo registry show registry.gpkg 12 (or ISIPO_GEO_STORE=registry.gpkg
    isipo-geo registry show 12)
    """
    from isipo_geo.cli._console import flag_counts_text, reason_text
    from isipo_geo.dates import jalali
    from isipo_geo.errors import InputError
    from isipo_geo.messages import message
    from isipo_geo.registry.backend import submission_detail

    store, number = _store_or_env(store, submission, what="SUBMISSION")
    if not number.isdigit():
        raise InputError(message("not_a_submission", value=repr(number)))
    submission = int(number)
    record, report, estates = submission_detail(store, submission)
    echo = typer.echo
    for key in ("submission", "date", "file", "sheet", "sha256", "provinces", "user"):
        value = record[key]
        echo(f"{key}: {jalali(value)} ({value})" if key == "date" else f"{key}: {value}")
    echo(f"rows read: {record['rows_read']} = accepted {record['accepted']} + rejected "
         f"{record['rejected']}; flagged: {record['flagged']}; merged: {record['merged']}; "
         f"rows it moved to history: {record['replaced']}")
    if report.get("flags"):
        echo("flags: " + flag_counts_text(report["flags"], lang.value))
    if report.get("columns"):
        echo("columns: " + "; ".join(f"{k} → {v}" for k, v in report["columns"].items()))
    for d in report.get("duplicates", []):
        echo(f"duplicate: {d['merged']} is the same estate as {d['kept']} (kept once)")
    for r in report.get("rejects", [])[:SHOW_ROWS]:
        echo(f"rejected: row {r['row']}, {r['column']}: {reason_text(r, lang.value)}")
    current = int((estates["current"]).sum())
    echo(f"estates it brought: {len(estates)} ({current} still current)")
    for rec in estates.head(SHOW_ROWS).to_dict(orient="records"):
        mark = "" if rec["current"] else " (since replaced)"
        echo(f"  {rec['id']}: {rec['name_fa'] or rec['name_en']} ({rec['province']}){mark}")


@registry_app.command("diff")
@handles_errors
def diff(
    store: StoreOrEnvArg,
    from_: Annotated[
        int | None,
        typer.Option("--from", help="Submission number of the older state (0: empty). "
                     "[default: the one before --to]"),
    ] = None,
    to: Annotated[
        int | None, typer.Option(help="Submission number of the newer state. [default: latest]")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """What changed between two states of the registry: estates added (+), removed (-) and
    changed (~) field by field, with the estate's name, e.g.
    ~ «شهرک صنعتی اسکو» (east_azerbaijan, …): water deficit 40 → 25 L/s.

    Default: the latest submission against the state before it.

    Example: isipo-geo registry diff registry.gpkg --from 31 --to 33
    """
    from isipo_geo.registry.backend import read_store
    from isipo_geo.registry.store import diff as store_diff
    from isipo_geo.registry.store import diff_records, format_diff

    opened = read_store(store)
    d = store_diff(opened, a=from_, b=to)
    if as_json:
        typer.echo(json.dumps(diff_records(d), ensure_ascii=False, indent=1))
        return
    subs = opened.submissions
    dates = dict(zip(subs["submission"].astype(int), subs["date"].astype(str), strict=True))
    for line in format_diff(d, dates):
        typer.echo(line)


@registry_app.command("export")
@handles_errors
def export(
    store: StoreArg = None,
    out: Annotated[Path | None, typer.Argument(help="Registry to write: .csv (a registry CSV), "
                                               ".xlsx (a sheet to read and print) or .gpkg (one "
                                               "point layer for QGIS).", metavar="OUT",
                                               show_default=False)] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="The registry as it stood on this date (YYYY-MM-DD or Persian "
                     "1403-01-15): after the last submission dated on or before it. "
                     "[default: now]"),
    ] = None,
    submission: Annotated[
        int | None, typer.Option(help="The registry as it stood after this submission.")
    ] = None,
) -> None:
    """Write the registry of a store (now, as of a date, or after a submission) as a registry
    CSV that every command takes with --registry, or as a GeoPackage layer.

    Example: isipo-geo registry export registry.gpkg registry_1402.csv --as-of 1402-12-29
    (or ISIPO_GEO_STORE=registry.gpkg isipo-geo registry export registry_1402.csv)
    """
    from isipo_geo.registry.backend import export_registry

    store, written = _store_or_env(store, out, what="OUT")
    out = Path(written)

    path, n, after = export_registry(store, out, as_of=as_of, submission=submission)
    typer.echo(f"wrote {path}: {n} estates, the registry after submission {after}")


@registry_app.command("init")
@handles_errors
def init(
    url: Annotated[
        str,
        typer.Argument(help="The database (postgresql://OWNER@HOST/DB), empty or holding a "
                       "registry to upgrade.", envvar="ISIPO_GEO_STORE", metavar="URL",
                       show_default=False),
    ],
) -> None:
    """Create the registry on a PostgreSQL/PostGIS database, or upgrade it; running it again
    changes nothing. Run it as the database's owner.

    It creates the schema isipo (submissions, history, users), the row-level security that
    lets a provincial company read and submit only its province while headquarters reads all,
    and the layer isipo.estates_current (points, EPSG:4326) with its QGIS style (kind and
    status, Persian labels) as the default in public.layer_styles.

    Example: isipo-geo registry init postgresql://isipo_admin@db.example/isipo
    """
    from isipo_geo.errors import InputError
    from isipo_geo.maps.qgis_style import STYLE_NAME, registry_qml
    from isipo_geo.registry.backend import is_server, location_name
    from isipo_geo.registry.server import init_registry, set_layer_style

    if not is_server(url):
        raise InputError(message("init_needs_server"), path=url)
    applied = init_registry(url)
    set_layer_style(url, name=STYLE_NAME, qml=registry_qml(),
                    description="estates by kind and status (isipo-geo)")
    name = location_name(url)
    if applied:
        typer.echo(f"{name}: registry schema created or upgraded (migrations "
                   f"{', '.join(map(str, applied))}); QGIS layer isipo.estates_current styled")
    else:
        typer.echo(f"{name}: registry schema up to date; QGIS style refreshed")
    typer.echo("next: isipo-geo registry add-user NAME --province KEY --registry URL")


@registry_app.command("add-user")
@handles_errors
def add_user(
    name: Annotated[str, typer.Argument(help="The login role to create (or update).",
                                        show_default=False)],
    province: Annotated[
        str | None,
        typer.Option(help="The province the role submits and reads (a key: isipo-geo "
                     "provinces), e.g. fars."),
    ] = None,
    hq: Annotated[bool, typer.Option("--hq", help="Headquarters: reads and submits every "
                                     "province.")] = False,
    password: Annotated[
        str | None,
        typer.Option(help="The role's password (never printed); without it, set one later "
                     "or sign in by the server's other means."),
    ] = None,
    registry: Annotated[
        str,
        typer.Option(help="The registry server (postgresql://OWNER@HOST/DB).",
                     envvar="ISIPO_GEO_STORE", metavar="URL", show_default=False),
    ] = "",
) -> None:
    """Create a login role of the registry: a provincial company's (--province KEY) or
    headquarters' (--hq). The database enforces it: a provincial role reads, adds and replaces
    only its province's estates and submissions.

    Example: isipo-geo registry add-user fars_company --province fars --password '…' --registry
    postgresql://isipo_admin@db.example/isipo
    """
    from isipo_geo.errors import InputError
    from isipo_geo.registry.backend import is_server, location_name
    from isipo_geo.registry.server import add_user as add

    if (province is None) == (not hq):
        raise InputError(message("province_or_hq"))
    if not is_server(registry):
        raise InputError(message("add_user_needs_server"))
    new = add(registry, name, province=province, password=password)
    who = f"province {province}" if province else "headquarters (all provinces)"
    typer.echo(f"{location_name(registry)}: role {name!r} {'created' if new else 'updated'}: "
               f"{who}" + ("; password set" if password is not None else ""))

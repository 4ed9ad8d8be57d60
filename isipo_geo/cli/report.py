"""``isipo-geo report``: the 1400 report's headline figures, the registry's coverage of the 844
estates it counts, and where the report contradicts itself."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.messages import message


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def _json_value(value: object) -> object:
    """Plain JSON values: integral floats as int, NA/NaN and empty text as null."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return value


def _print_provinces(cov) -> None:
    """Per province: what the registry names against the count public sources give."""
    from isipo_geo.cli import _console

    def sourced(row) -> str:
        if row.sourced_count is None or row.sourced_count != row.sourced_count:
            return ""
        year = "" if row.sourced_count_year != row.sourced_count_year else row.sourced_count_year
        year = f", {year}" if year not in ("", None) else ", undated"
        status = row.sourced_count_status.replace("unknown", "not stated")
        what = {"estates and zones": "E+Z", "estates": "E", "zones": "Z"}[row.sourced_count_of]
        return f"{row.sourced_count} {what} ({status}{year})"

    show = cov[
        [
            "name_fa",
            "name_en",
            "industrial_estate",
            "industrial_zone",
            "counted",
            "counted_operational",
            "other_bodies",
        ]
    ].copy()
    show["sourced count"] = [
        sourced(r) for r in cov.astype(object).where(cov.notna(), None).itertuples()
    ]
    share = cov["named_share_pct"].astype(object)
    show["named/sourced %"] = [
        "" if v is None or v != v else f"{float(v):.0f}" for v in share.where(share.notna(), None)
    ]
    _console.print_table(
        show.rename(
            columns={
                "name_fa": "استان",
                "name_en": "province",
                "industrial_estate": "estates",
                "industrial_zone": "zones",
                "counted": "ISIPO's",
                "counted_operational": "operational",
                "other_bodies": "others'",
            }
        ),
        title="پوشش هر استان / coverage by province: estates named vs the count sources give",
    )
    typer.echo(
        "  Sourced count: E+Z estates and zones, E estates, Z zones, with the status counted and "
        "the year, from public pages (data/estates/province_counts.csv, each with its address); "
        "years and definitions differ, so a share is a guide, not a measure."
    )


@app.command()
@handles_errors
def report(
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            help="An estate registry CSV to measure coverage for (default: the shipped one).",
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: headline, coverage and conflicts; json: every indicator row.",
        ),
    ] = ReportFormat.table,
) -> None:
    """The 1400 report's figures / ارقام گزارش عملکرد ۱۴۰۰.

    Prints the headline figures (Persian and English labels, with the report line each comes
    from), how many of the 844 estates, zones and SEZs the registry holds (by kind, and per
    province against the counts public sources give, with their year), and the places where
    the report contradicts itself. --format json prints every indicator row.

    Examples: isipo-geo report; isipo-geo report --registry my_estates.csv;
    isipo-geo report --format json > indicators.json
    """
    if fmt is ReportFormat.json:
        if registry is not None:
            from isipo_geo.errors import InputError

            raise InputError(
                message("json_with_registry")
            )
        _print_json()
        return
    from isipo_geo import report as rep

    cov = rep.coverage(registry)  # read the registry first: a bad one fails before any output
    _print_headline(rep.headline())
    _print_coverage(cov)
    typer.echo(rep.registry_summary(registry))
    _print_provinces(rep.coverage(registry, by="province"))
    _print_conflicts(rep.conflicts())


def _print_json() -> None:
    """Every indicator row of the report, as JSON."""
    from isipo_geo import report as rep

    df = rep.load_indicators()
    rows = [
        {col: _json_value(v) for col, v in zip(df.columns, rec, strict=True)}
        for rec in df.itertuples(index=False, name=None)
    ]
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))


def _print_headline(head) -> None:
    """The headline figures with their labels, units, report lines and a mark on conflicts."""
    from isipo_geo.cli import _console

    head["value"] = head["value"].astype(float)
    head["!"] = head["conflict"].map(lambda c: "⚠" if c else "")
    _console.print_table(
        head[["label_fa", "label_en", "value", "unit", "source", "!"]].rename(
            columns={"label_fa": "شاخص", "label_en": "indicator"}
        ),
        title="گزارش عملکرد ۱۴۰۰ — ارقام اصلی / 1400 report — headline figures",
    )


def _print_coverage(cov) -> None:
    """The registry's coverage by kind, and each kind's note."""
    from isipo_geo.cli import _console

    cov_show = cov[
        [
            "label_fa",
            "label_en",
            "reported",
            "in_registry",
            "in_registry_isipo",
            "in_registry_operational",
            "located_town",
            "located_county",
            "located_province",
        ]
    ].rename(
        columns={
            "label_fa": "نوع",
            "label_en": "kind",
            "reported": "in report",
            "in_registry": "in registry",
            "in_registry_isipo": "ISIPO's",
            "in_registry_operational": "operational",
            "located_town": "at town",
            "located_county": "at county",
            "located_province": "at province",
        }
    )
    _console.print_table(
        cov_show.astype(object).where(cov_show.notna(), ""),
        title="پوشش فهرست شهرک‌ها / registry coverage",
    )
    for row in cov.itertuples():
        if row.note:
            typer.echo(f"  {row.label_en}: {row.note}")


def _print_conflicts(conf) -> None:
    """The places where the report contradicts itself."""
    from isipo_geo.cli import _console

    conf_show = conf[["label_en", "value", "source", "conflict"]].copy()
    conf_show["value"] = conf_show["value"].astype(float)
    _console.print_table(
        conf_show.rename(columns={"label_en": "figure"}),
        title="تناقض‌های گزارش / where the report contradicts itself",
    )

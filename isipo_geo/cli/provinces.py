"""``isipo-geo provinces``: list the provinces or resolve one name."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.messages import message


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
@handles_errors
def provinces(
    name: Annotated[
        str | None,
        typer.Argument(help="A province name or code to resolve (Persian, English, ISO, HASC)."),
    ] = None,
    scheme: Annotated[
        str | None,
        typer.Option(help="Read NAME as a code of this scheme: iso, legacy, hasc, geonames, fips."),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = (
        TableFormat.table
    ),
) -> None:
    """List the 31 provinces with their codes, or resolve one NAME to its province.

    Examples: isipo-geo provinces; isipo-geo provinces "كهگيلويه و بوير احمد";
    isipo-geo provinces IR-07 --scheme legacy
    """
    from isipo_geo.errors import InputError
    from isipo_geo.names import resolve_province
    from isipo_geo.provinces import province_table

    if scheme is not None and name is None:
        raise InputError(message("scheme_needs_name"))
    table = province_table()
    if name is not None:
        table = table.loc[[resolve_province(name, scheme=scheme)]]
    cols = ["key", "name_fa", "name_en", "iso_3166_2", "iso_legacy", "hasc", "gn_a1_code"]
    table = table[cols]
    if fmt is TableFormat.csv:
        typer.echo(table.to_csv(index=False), nl=False)
    elif fmt is TableFormat.json:
        typer.echo(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
    else:
        from isipo_geo.cli import _console

        _console.print_table(table, title="Provinces of Iran / استان‌های ایران")

"""``isipo-geo template``: a blank registry workbook for the provinces to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors


@app.command()
@handles_errors
def template(
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")] = Path(
        "registry_template.xlsx"
    ),
) -> None:
    """Write a blank registry workbook (right-to-left, Persian headers with units, drop-down
    lists for kind, status, province and yes/no) that `isipo-geo import` reads back.

    Example: isipo-geo template estates_1403.xlsx
    """
    from isipo_geo.registry.template import write_template
    from isipo_geo.tables import output_format

    output_format(out, allowed=("xlsx",))
    typer.echo(f"wrote {write_template(out)}")

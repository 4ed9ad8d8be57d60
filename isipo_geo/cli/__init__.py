"""The ``isipo-geo`` command line: a thin layer over the library.

``app``, :func:`handles_errors` and the shared option types live here; each command lives in its
own module in this package and is imported at the bottom of this file.

Each command parses options, makes one or two library calls and prints. Errors a user can cause
(:class:`isipo_geo.errors.IsipoGeoError`) become one line on stderr and exit code 2. Heavy
libraries are imported inside commands so that ``--help`` is instant.
"""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from isipo_geo.errors import IsipoGeoError

app = typer.Typer(
    name="isipo-geo",
    help=(
        "Planning toolkit for Iran's industrial estates (ISIPO): provinces, the 1400 report's "
        "figures, utility deficits, financing needs and offline maps.\n\n"
        "ابزار برنامه‌ریزی شهرک‌ها و نواحی صنعتی ایران."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        from isipo_geo import __version__

        typer.echo(f"isipo-geo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Planning toolkit for Iran's industrial estates (ISIPO)."""


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def handles_errors(fn):
    """Turn library errors into one line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IsipoGeoError as exc:
            _err(str(exc))
            raise typer.Exit(2) from None

    return wrapper


def main() -> None:
    """Entry point of the ``isipo-geo`` console script."""
    app()


# Commands register themselves on ``app``; one module per command (or command group). The import
# order is the order `isipo-geo --help` lists them in: the main job first, then by workflow.
# isort: off
from isipo_geo.cli import build as _build  # noqa: E402,F401
from isipo_geo.cli import provinces as _provinces  # noqa: E402,F401
from isipo_geo.cli import report as _report  # noqa: E402,F401
from isipo_geo.cli import estates as _estates  # noqa: E402,F401
from isipo_geo.cli import funding as _funding  # noqa: E402,F401
from isipo_geo.cli import map as _map  # noqa: E402,F401
from isipo_geo.cli import brief as _brief  # noqa: E402,F401
from isipo_geo.cli import importer as _importer  # noqa: E402,F401
from isipo_geo.cli import registry as _registry  # noqa: E402,F401
from isipo_geo.cli import template as _template  # noqa: E402,F401
from isipo_geo.cli import raster as _raster  # noqa: E402,F401
from isipo_geo.cli import units as _units  # noqa: E402,F401
# isort: on

"""The ``isipo-geo`` command line: a thin layer over the library.

``app``, :func:`handles_errors` and the shared option types live here; each command lives in its
own module in this package and is imported at the bottom of this file.

Each command parses options, makes one or two library calls and prints. Errors a user can cause
(:class:`isipo_geo.errors.IsipoGeoError`) become one line on stderr and exit code 2. Heavy
libraries are imported inside commands so that ``--help`` is instant.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Annotated

import typer

from isipo_geo.errors import IsipoGeoError
from isipo_geo.io import output_lock

__all__ = ["app", "main"]  # the typer app (tests drive it) and the console script's entry point

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


def _err(message: str, fa: str = "", *, lang: str = "both", translated: bool = True) -> None:
    """An error's line on stderr: ``error: English`` then ``خطا: Persian`` (``lang`` both), or
    one of them (``import --lang``; an untranslated message keeps its English line in fa)."""
    from isipo_geo.messages import message as catalogue_message
    from isipo_geo.registry.backend import redact

    prefix = catalogue_message("error_prefix")
    if lang != "fa" or not translated or not fa:
        typer.echo(f"{prefix} {redact(message)}", err=True)  # a server's password never shown
    if lang != "en" and fa:
        typer.echo(f"{prefix.fa} {redact(fa)}", err=True)


def _lang(kwargs: dict) -> str:
    """The command's ``--lang`` (import, registry show), else both."""
    return str(getattr(kwargs.get("lang"), "value", kwargs.get("lang") or "both"))


# Options naming what a command writes: files (their folder is locked) or folders.
_OUTPUT_FILES = ("out", "budget_out")
_OUTPUT_DIRS = ("out_dir",)


def handles_errors(fn=None, *, outputs: tuple[str, ...] = _OUTPUT_FILES):
    """Run a command with its outputs' folders locked; turn errors into one line (no traceback).

    - Library errors (:class:`IsipoGeoError`) and usage errors: one line, exit code 2.
    - ``OSError`` reading an input: one line, exit code 2.
    - Anything else is a bug in isipo-geo: one line saying so, exit code 3; set
      ``ISIPO_GEO_DEBUG=1`` to see the traceback.

    ``outputs`` names the parameters holding output files (``out_dir`` is always a folder);
    while the command runs, a second run writing into the same folder is refused.
    """
    if fn is None:
        return functools.partial(handles_errors, outputs=outputs)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import os

        try:
            with contextlib.ExitStack() as stack:
                for folder in _output_folders(kwargs, outputs):
                    stack.enter_context(output_lock(folder, command=f"isipo-geo {fn.__name__}"))
                return fn(*args, **kwargs)
        except IsipoGeoError as exc:
            from isipo_geo.messages import is_translated, persian_error

            _err(str(exc), persian_error(exc), lang=_lang(kwargs),
                 translated=is_translated(exc))
            raise typer.Exit(2) from None
        except BrokenPipeError as exc:
            if exc.filename is not None:  # a pipe the command opened itself, not its output
                raise
            end_on_closed_pipe()
        except OSError as exc:
            if os.environ.get("ISIPO_GEO_DEBUG"):
                raise
            from isipo_geo.messages import message

            name = f"{exc.filename}: " if exc.filename else ""
            said = message("cannot_read_or_write", strerror=exc.strerror or exc)
            _err(f"{name}{said}", f"{name}{said.fa}", lang=_lang(kwargs))
            raise typer.Exit(2) from None
        except Exception as exc:
            if os.environ.get("ISIPO_GEO_DEBUG") or _is_cli_exception(exc):
                raise
            from isipo_geo.messages import message

            said = message("internal_error", what=f"{type(exc).__name__}: {str(exc)[:200]}")
            _err(said, said.fa, lang=_lang(kwargs))
            raise typer.Exit(3) from None

    return wrapper


# Exit status when the output pipe was closed: 1, as click, rich (tables) and Python's own
# documentation (signal module, "Note on SIGPIPE") end then, so every path ends the same.
PIPE_CLOSED_EXIT = 1


def end_on_closed_pipe() -> None:
    """End quietly because the reader of our output went away (``isipo-geo estates | head -1``),
    as Unix tools do: no message, exit status 1. Standard output is pointed at the null
    device first, so that Python's own flush at exit does not complain a second time."""
    import os
    import sys

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        fd = None
    if fd is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    raise typer.Exit(PIPE_CLOSED_EXIT)


def _is_cli_exception(exc: BaseException) -> bool:
    """typer/click's own exits and usage errors (typer vendors click: matched by class name)."""
    names = {c.__name__ for c in type(exc).__mro__}
    return bool(names & {"ClickException", "Exit", "Abort"})


def _output_folders(kwargs: dict, outputs: tuple[str, ...]) -> list[str]:
    from pathlib import Path

    from isipo_geo.registry.backend import is_server

    folders = set()
    for name in outputs:
        value = kwargs.get(name)
        if value is not None and not is_server(value):  # a server's store locks itself
            folders.add(str(Path(value).resolve().parent))
    for name in _OUTPUT_DIRS:
        value = kwargs.get(name)
        if value is not None:
            folders.add(str(Path(value).resolve()))
    return sorted(folders)


def main() -> None:
    """Entry point of the ``isipo-geo`` console script."""
    import os
    import sys

    # Arrow's buffers (pandas' text columns) in the system allocator, as Python's own memory,
    # not in pyarrow's mimalloc pool, which keeps what it frees for Arrow alone: at 84,400
    # estates `build --registry` peaked at 359,000 KB instead of 389,000, no slower (issue 22).
    # Set before pyarrow is first imported; a user's own choice stands.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

    try:
        app()
    except BrokenPipeError:  # output outside a command (``--help | head -1``)
        try:
            end_on_closed_pipe()
        except typer.Exit:
            sys.exit(PIPE_CLOSED_EXIT)


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

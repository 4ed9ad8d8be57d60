"""Printing tables for people (rich)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def print_table(df: pd.DataFrame, *, title: str | None = None) -> None:
    """Print a DataFrame as a rich table; numbers right-aligned."""
    print_rows(list(df.columns), df.to_dict(orient="records"), title=title)


Unit = str | Callable[[Mapping[str, object]], str]


def print_rows(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, object]],
    *,
    title: str | None = None,
    units: Mapping[str, Unit] | None = None,
) -> None:
    """Print rows (dicts) as a rich table; columns holding numbers are right-aligned.

    ``units`` gives a column's unit (a key of :data:`isipo_geo.display.UNIT_DECIMALS`, e.g.
    ``toman_billion``, or a function of the row, e.g. its ``deficit_unit``): its numbers are
    shown by that unit's rule (:func:`isipo_geo.display.format_number`, Latin digits), as the
    maps show them; other numbers are shown whole."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        values = [r.get(col) for r in rows]
        numeric = any(isinstance(v, int | float | Decimal) for v in values) and not any(
            isinstance(v, str) and v for v in values
        )
        table.add_column(str(col), justify="right" if numeric else "left")
    units = units or {}
    for row in rows:
        table.add_row(*(_fmt(row.get(c), _unit(units.get(c), row)) for c in columns))
    console = Console()
    if not console.is_terminal:  # a file or pipe: wide enough that tables are not squeezed
        console = Console(width=160)
    console.print(table)


def _unit(unit: Unit | None, row: Mapping[str, object]) -> str | None:
    return unit(row) if callable(unit) else unit


def _fmt(value: object, unit: str | None = None) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):  # pandas NA
        return ""
    if isinstance(value, bool):
        return str(value)
    if unit and isinstance(value, int | float | Decimal):
        from isipo_geo.display import format_number

        return format_number(value, digits="latin", unit=unit)
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@contextlib.contextmanager
def pages_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar over ``total`` pages (gone when done); yields the callback a writer calls
    with each page's name (:func:`isipo_geo.maps.atlas.write_atlas`'s ``progress``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("maps", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)


def say_pages(written: Sequence[object], shown: object) -> None:
    """What a run of every map wrote: the number of pages, the folder, the index to open."""
    import typer

    pages = [
        p for p in written if str(p).endswith(".html") and not str(p).endswith(".embed.html")
    ]
    typer.echo(
        f"wrote {len(pages)} HTML pages (national, 31 provinces, index) to {shown} "
        f"({len(written)} files)"
    )
    typer.echo(f"open {shown}/index.html")


# Messages in the language --lang asks for (isipo_geo.messages holds the texts).


def reason_text(rec, lang: str) -> str:
    """A reject's reason in ``lang``, from its ``reason`` and ``reason_fa`` (a rejects table's
    row, or a dict of the import report)."""
    from isipo_geo.messages import bilingual

    get = rec.get if isinstance(rec, dict) else lambda k, d="": getattr(rec, k, d)
    reason, fa = get("reason", ""), get("reason_fa", "")
    return bilingual(reason if isinstance(reason, str) else "", lang,
                     fa=fa if isinstance(fa, str) else "")


def flags_text(flags: str, lang: str) -> str:
    """A row's flags (``a;b:detail``), each in ``lang``."""
    from isipo_geo.messages import flag_text

    return "; ".join(flag_text(f, lang) for f in str(flags).split(";") if f)


def flag_counts_text(counts: dict[str, int], lang: str) -> str:
    """``name n`` per flag; in Persian the sentence, with both: ``name n (sentence)``."""
    from isipo_geo.messages import flag_text

    if lang == "both":
        return ", ".join(f"{k} {v} ({flag_text(k, 'fa')})" if flag_text(k, "fa") != k
                         else f"{k} {v}" for k, v in counts.items())
    return ", ".join(f"{flag_text(k, lang)} {v}" for k, v in counts.items())


def say(key: str, lang: str, *, err: bool = False, **values: object) -> None:
    """A fixed line of the catalogue (``data/messages/messages.csv``) as ``--lang`` asks: its
    English, its Persian, or (both) the English line then the Persian line."""
    import typer

    from isipo_geo.messages import message

    said = message(key, **values)
    for text in ([said] if lang == "en" else [said.fa] if lang == "fa" else [said, said.fa]):
        typer.echo(text, err=err)


def say_row(key: str, lang: str, **values: object) -> None:
    """A row's line (a reject, a flagged row): one line, in Persian with ``fa``, else in English
    (its reason or flags already in ``lang``)."""
    import typer

    from isipo_geo.messages import message

    said = message(key, **values)
    typer.echo(said.fa if lang == "fa" else said)

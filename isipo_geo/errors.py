"""Exceptions raised by isipo_geo.

Every error a user can cause derives from :class:`IsipoGeoError`; the CLI turns these into one
line on stderr and a non-zero exit, anything else is a bug. Mix-ins let callers also catch the
builtin they expect (``ValueError``, ``LookupError``, ``OSError``).
"""

from __future__ import annotations


class IsipoGeoError(Exception):
    """Root of every error isipo_geo raises on purpose."""


class ProvinceNotFoundError(IsipoGeoError, LookupError):
    """A province name or code matched nothing; ``candidates`` holds the closest names."""

    def __init__(self, text: str, candidates: list[str] | None = None) -> None:
        from isipo_geo.messages import message

        self.text = text
        self.candidates = candidates or []
        names = ", ".join(self.candidates)
        super().__init__(message(
            "province_unknown", value=repr(text),
            hint=f"; did you mean: {names}?" if names else "",
            hint_fa=f"؛ آیا منظورتان {names} است؟" if names else ""))


class AmbiguousProvinceError(IsipoGeoError, LookupError):
    """A name matched more than one province (e.g. 'Khorasan')."""

    def __init__(self, text: str, keys: list[str]) -> None:
        from isipo_geo.messages import message

        self.text = text
        self.keys = keys
        super().__init__(message("province_ambiguous", value=repr(text), keys=", ".join(keys)))


class InputError(IsipoGeoError, ValueError):
    """Bad user input, located as precisely as known (file, row, column)."""

    def __init__(
        self,
        message: str,
        *,
        path: object | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = path
        self.row = row
        self.column = column
        self.reason = message
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DataFileError(IsipoGeoError, OSError):
    """A file the toolkit needs is missing or unreadable."""


class OutputError(IsipoGeoError, OSError):
    """An output file cannot be written (folder missing or read-only, disk full ...)."""


class StoreServerError(IsipoGeoError, ConnectionError):
    """The registry's PostgreSQL server cannot be reached, or the connection was lost; the
    message names the server (never its password) and what to do."""


def persian_error(exc: BaseException) -> str:
    """The Persian of an error's message, located as its English is (``file، سطر 12، ستون
    'lat': …``). An error raised with plain English text (no :class:`isipo_geo.messages.Message`
    from ``data/messages/messages.csv``) says it is not yet translated.

    >>> persian_error(InputError("x", path="r.csv", row=3))
    'r.csv، سطر 3: (این پیام هنوز ترجمه نشده است؛ متن انگلیسی را ببینید)'
    """
    from isipo_geo.messages import message, persian, reason_of

    if isinstance(exc, InputError):
        fa = persian(exc.reason) or message("untranslated").fa
        where = [] if exc.path is None else [str(exc.path)]
        if exc.row is not None:
            where.append(message("where_row", row=exc.row).fa)
        if exc.column is not None:
            where.append(message("where_column", column=repr(exc.column)).fa)
        return f"{'، '.join(where)}: {fa}" if where else fa
    return persian(reason_of(exc)) or message("untranslated").fa


def is_translated(exc: BaseException) -> bool:
    """Whether an error's message has its Persian text (it was raised with a message)."""
    from isipo_geo.messages import persian, reason_of

    return bool(persian(exc.reason if isinstance(exc, InputError) else reason_of(exc)))

"""Exceptions raised by isipo_geo.

Every error a user can cause derives from :class:`IsipoGeoError`; the CLI turns these into one
line on stderr and a non-zero exit, anything else is a bug. Mix-ins let callers also catch the
builtin they expect (``ValueError``, ``LookupError``, ``OSError``).
"""

from __future__ import annotations


class IsipoGeoError(Exception):
    """Root of every error isipo_geo raises on purpose."""


class ProvinceNotFoundError(IsipoGeoError, LookupError):
    """A province name or code matched nothing; ``candidates`` holds the closest names.

    Parameters
    ----------
    text : str
        The name or code as the user wrote it.
    candidates : list of str, optional
        The closest province names, offered in the message ("did you mean: ...").
    """

    def __init__(self, text: str, candidates: list[str] | None = None) -> None:
        self.text = text
        self.candidates = candidates or []
        hint = f"; did you mean: {', '.join(self.candidates)}?" if self.candidates else ""
        super().__init__(f"unknown province {text!r}{hint}")


class AmbiguousProvinceError(IsipoGeoError, LookupError):
    """A name matched more than one province (e.g. 'Khorasan').

    Parameters
    ----------
    text : str
        The name as the user wrote it.
    keys : list of str
        The province keys it could mean; the message lists them and asks for the full name.
    """

    def __init__(self, text: str, keys: list[str]) -> None:
        self.text = text
        self.keys = keys
        super().__init__(
            f"province {text!r} is ambiguous: it could be {', '.join(keys)}; give the full name"
        )


class InputError(IsipoGeoError, ValueError):
    """Bad user input, located as precisely as known (file, row, column).

    The message reads ``FILE, row ROW, column 'COLUMN': MESSAGE`` with the parts that are known;
    ``reason`` keeps ``message`` alone.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    path : path-like, optional
        The file the input came from.
    row : int, optional
        The row as the user sees it (the CSV line, the spreadsheet row, the feature number).
    column : str, optional
        The column's header as written in the file.

    Examples
    --------
    >>> str(InputError("not a number; write digits", path="a.csv", row=3, column="area_ha"))
    "a.csv, row 3, column 'area_ha': not a number; write digits"
    """

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

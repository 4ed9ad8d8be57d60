"""Where a registry store lives: the one interface over its two backends.

A store *location* is either

- a GeoPackage path (``registry.gpkg``): the embedded default, one planner on one machine
  (:mod:`isipo_geo.registry.store`); or
- a PostgreSQL/PostGIS server URL (``postgresql://user@host/db``, ``postgresql://`` alone takes
  everything from libpq's ``PG*`` variables, ``postgresql:///?service=isipo`` from a service
  file): one registry shared by headquarters and the 31 provincial companies
  (:mod:`isipo_geo.registry.server`).

``ISIPO_GEO_STORE`` names the store commands use when none is given. Every command reads and
adds submissions through :func:`read_store` and :func:`add_to_store`, so both backends give the
same registry, the same history and the same outputs. A password in a URL is never shown:
:func:`location_name` is what messages print.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from isipo_geo.registry.batch import Batch
    from isipo_geo.registry.store import Store

__all__ = ["ENV_STORE", "add_to_store", "as_location", "default_store", "is_server",
           "location_name", "read_store", "redact", "short_name"]

ENV_STORE = "ISIPO_GEO_STORE"
_SCHEMES = ("postgresql:", "postgres:")
_PASSWORD_IN_NETLOC = re.compile(r"(://[^/@:?#]*):[^@/?#]*@")
_PASSWORD_PARAM = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)


def is_server(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL server (a ``postgresql://`` URL), not a file.

    >>> is_server("postgresql://fars@db.example/isipo"), is_server("registry.gpkg")
    (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(_SCHEMES)


def redact(text: str) -> str:
    """``text`` with any password of a connection string replaced by ``***``.

    >>> redact("postgresql://fars:s3cret@db/isipo?sslmode=require&password=x")
    'postgresql://fars:***@db/isipo?sslmode=require&password=***'
    """
    return _PASSWORD_PARAM.sub(r"\1***", _PASSWORD_IN_NETLOC.sub(r"\1:***@", text))


def location_name(location: str | os.PathLike[str]) -> str:
    """How messages name a store: the path, or the server URL without its password."""
    return redact(location) if is_server(location) else str(location)


def short_name(location: str | os.PathLike[str]) -> str:
    """How a registry is cited (credits, rows' sources): a file's name, or the server URL
    without its password and options.

    >>> short_name("postgresql://fars:pw@db.example/isipo?sslmode=require"), short_name("a/r.csv")
    ('postgresql://fars:***@db.example/isipo', 'r.csv')
    """
    if is_server(location):
        return redact(str(location)).split("?", 1)[0]
    return Path(location).name


def default_store() -> str | None:
    """The store named by ``ISIPO_GEO_STORE`` (a URL or a .gpkg path), or None."""
    value = os.environ.get(ENV_STORE, "").strip()
    return value or None


def as_location(text: str | os.PathLike[str]) -> str | Path:
    """A command-line value as a store location: a server URL kept as text, else a path."""
    return str(text) if is_server(str(text)) else Path(text)


def read_store(location: str | os.PathLike[str]) -> Store:
    """The whole store at ``location`` (for a provincial user of a server: what it may read).

    Raises
    ------
    InputError
        The file is missing or not a store; the server has no registry schema.
    StoreServerError
        The server cannot be reached (or the connection was lost).
    """
    if is_server(location):
        from isipo_geo.registry.server import read_server_store

        return read_server_store(str(location))
    from isipo_geo.registry.store import read_gpkg_store

    return read_gpkg_store(location)


def add_to_store(
    batch: Batch,
    location: str | os.PathLike[str],
    *,
    date: str,
    user: str | None,
    before_commit: Callable[[list[int]], Any],
) -> tuple[Store, Store, list[int]]:
    """Add a batch of submissions to the store at ``location``: (store before, store after, the
    submissions' numbers). ``before_commit(numbers)`` writes the command's other outputs
    while the store can still refuse the batch as a whole: a GeoPackage is replaced after it,
    a server commits after it (and rolls back if it fails)."""
    if is_server(location):
        from isipo_geo.registry.server import add_to_server

        return add_to_server(batch, str(location), date=date, user=user,
                             before_commit=before_commit)
    from isipo_geo.registry.store import add_batch, empty_store, read_gpkg_store, write_store

    path = Path(location)
    old = read_gpkg_store(path) if path.exists() else empty_store()
    new, numbers = add_batch(old, batch, date=date, user=user)
    before_commit(numbers)
    write_store(new, path)
    return old, new, numbers

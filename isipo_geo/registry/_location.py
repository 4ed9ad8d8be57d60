"""Store locations as text: a GeoPackage path or a PostgreSQL server URL, how messages name
them (never with a password) and the store ``ISIPO_GEO_STORE`` names. Pure; the stores
themselves are read and written by :mod:`isipo_geo.registry.backend`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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

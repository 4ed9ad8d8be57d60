"""What kind of file a registry path is: a GeoPackage, and among those a registry store (the
GeoPackage ``isipo-geo import --into`` writes). Asked by the readers and by the batch import
before either opens the file, so none of them needs the store's module to ask.
"""

from __future__ import annotations

import os

GEOPACKAGE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of an SQLite database (so of a GeoPackage)."""
STORE_LAYERS = ("estates", "history", "submissions")
"""The tables of a registry store (:mod:`isipo_geo.registry.store`)."""


def is_geopackage(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` is an SQLite database (a GeoPackage), by its first bytes."""
    with open(path, "rb") as f:
        return f.read(16) == GEOPACKAGE_MAGIC


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a registry store (a GeoPackage with the store's tables)."""
    import pyogrio

    try:
        layers = {str(r[0]) for r in pyogrio.list_layers(path)}
    except Exception:  # not a GeoPackage at all
        return False
    return set(STORE_LAYERS) <= layers

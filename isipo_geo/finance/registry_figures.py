"""A registry's per-estate deficits for funding: the shipped registry, a user's laid over it, or
one given as a table — and, for commands that also draw the estates, both from one reading.

:func:`registry_figures` gives the deficits :func:`isipo_geo.finance.funding_rows` costs;
:func:`read_registry_once` reads a user's registry file once (read, validate, lay over the
shipped rows) and returns its deficits — exact, from the cells' text — with the estates the maps
draw (:func:`isipo_geo.registry.estates.load_registry`'s frame), so ``build`` and ``map`` neither
read nor validate the file twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from isipo_geo.finance.deficits import Deficit, registry_deficits

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class RegistryFigures:
    """A registry's per-estate deficits, read once and laid over the shipped registry's as asked.

    Made by :func:`read_registry_once`; pass it as ``registry`` to
    :func:`isipo_geo.finance.funding_rows`.

    Parameters
    ----------
    deficits : list of Deficit
        The per-estate deficits, each in its utility's unit (``lps``, ``mw``, ...).
    name : str
        The file's name, as rows cite it.
    deficit_columns : tuple of str
        The user's ``*_deficit_*`` columns that hold a value.
    sha256 : str or None
        The SHA-256 (hex) of the file's bytes as read, which a build's manifest records; None
        for a store, a server or a table.
    """

    deficits: list[Deficit]
    name: str  # the file's name, as rows cite it
    deficit_columns: tuple[str, ...] = ()  # the user's *_deficit_* columns holding a value
    sha256: str | None = None  # of the file's bytes as read (None: a store, a server, a table)


def registry_figures(
    registry: object, keys: list[str], *, registry_only: bool, registry_year: str
) -> RegistryFigures:
    """The per-estate deficits of the shipped registry, a user's registry laid over it, or a
    registry given as a table (or already read: :class:`RegistryFigures`), with the name rows
    cite (the file's name, not its folder) and the user's ``*_deficit_*`` columns that hold a
    value (for :func:`isipo_geo.utilities.deficit_column_warnings`)."""
    from isipo_geo.registry.estates import registry_path, registry_records

    if isinstance(registry, RegistryFigures):
        return registry
    if registry is None:
        shipped_path = registry_path()
        shipped_name = _shipped_name()
        return RegistryFigures(registry_deficits(
            registry_records(shipped_path), source=shipped_name, province_keys=keys
        ), shipped_name)
    if isinstance(registry, str | bytes) or hasattr(registry, "__fspath__"):
        from isipo_geo.registry.backend import as_location, short_name

        path = as_location(registry)  # type: ignore[arg-type]
        user = registry_records(path)
        name = short_name(path)
    else:
        user = registry  # type: ignore[assignment]
        name = "registry"
    mine = registry_deficits(user, source=name, province_keys=keys, year=registry_year)
    if not registry_only:
        mine = _kept_shipped(user, keys) + mine
    return RegistryFigures(mine, name, filled_deficit_columns(user))


def filled_deficit_columns(table: object) -> tuple[str, ...]:
    """The columns of a registry (a DataFrame or rows as dicts) named ``*_deficit_*`` that hold
    at least one value: every one funding must cost, or name in a warning.

    Examples
    --------
    >>> filled_deficit_columns([{"id": "a", "steam_deficit_tph": "4", "gas_deficit_km": ""}])
    ('steam_deficit_tph',)
    """
    if hasattr(table, "columns") and hasattr(table, "to_dict"):
        names = [str(c) for c in table.columns]  # type: ignore[union-attr]

        def cells(c: str) -> list:
            return table[c].tolist()  # type: ignore[index]
    else:
        records = table if isinstance(table, list) else list(table)  # type: ignore[call-overload]
        names = list(dict.fromkeys(str(k) for r in records[:1] for k in r if k is not None))

        def cells(c: str) -> list:
            return [r.get(c) for r in records]
    return tuple(
        c for c in names
        if "_deficit_" in c and any(_filled(v) for v in cells(c))
    )


def _filled(value: object) -> bool:
    if value is None:
        return False
    try:
        if value != value:  # NaN
            return False
    except (TypeError, ValueError):  # pandas NA
        return False
    return bool(str(value).strip())


def read_registry_once(
    path: str | os.PathLike[str],
    *,
    registry_only: bool = False,
    registry_year: str = "",
    check_provinces: bool = True,
) -> tuple[RegistryFigures, gpd.GeoDataFrame]:
    """Read a user's registry once, for funding and for maps.

    The file is read as text and validated once; the deficits come from the text, so a figure
    of 20 significant digits stays exact (a float would not keep it).

    Parameters
    ----------
    path : path-like or str
        The registry: a CSV, XLSX or GIS file, a registry store (``.gpkg``) or a server's
        address (:func:`isipo_geo.registry.backend.as_location`).
    registry_only : bool
        Use the registry alone, without the shipped rows of the provinces it does not cover.
    registry_year : str
        The Jalali year of rows without a ``year`` cell (``""``: unknown).
    check_provinces : bool
        Check each estate's point lies in its stated province.

    Returns
    -------
    figures : RegistryFigures
        Its deficits (with the shipped registry's for the provinces it does not cover, unless
        ``registry_only``), for :func:`isipo_geo.finance.funding_rows`.
    estates : geopandas.GeoDataFrame
        The estates the maps draw (:func:`isipo_geo.registry.estates.load_registry`).

    Raises
    ------
    InputError
        The file cannot be read or a row is invalid; the message names the file, row and
        column.
    """
    from isipo_geo.provinces import province_records
    from isipo_geo.registry.backend import as_location, short_name
    from isipo_geo.registry.estates import (
        load_registry,
        read_registry,
        read_registry_hashed,
        registry_path,
        system_arrow_pool,
    )

    path = as_location(path)
    with system_arrow_pool():  # the registry's text where the later stages reuse it
        raw, sha256 = read_registry_hashed(path)
        # the shipped registry, read once: the estates it keeps on the maps and its deficits
        shipped = None if registry_only else read_registry(registry_path())
        estates = load_registry(
            path,
            registry_only=registry_only,
            check_provinces=check_provinces,
            raw=raw,
            shipped_raw=shipped,
        )
    keys = [p["key"] for p in province_records()]
    name = short_name(path)
    mine = registry_deficits(raw, source=name, province_keys=keys, year=registry_year)
    if shipped is not None:
        mine = _kept_shipped(raw, keys, shipped) + mine
    return RegistryFigures(mine, name, filled_deficit_columns(raw), sha256), estates


def _shipped_name() -> str:
    from isipo_geo.registry.estates import registry_path

    return f"{registry_path().name} (shipped)"


def _kept_shipped(user: object, keys: list[str], shipped: object = None) -> list[Deficit]:
    """The shipped registry's deficits of the provinces (and ids) ``user`` does not cover;
    ``shipped`` is the shipped registry already read (None: read here)."""
    from isipo_geo.registry.estates import covered, registry_path, registry_records

    if shipped is None:
        shipped = registry_records(registry_path())
    deficits = registry_deficits(shipped, source=_shipped_name(), province_keys=keys)
    # the user's ids among the shipped ones only (not every id of a big registry as a string)
    provinces, ids = covered(user, among={d.estate_id for d in deficits})
    return [d for d in deficits if d.province not in provinces and d.estate_id not in ids]


def registry_rows_by_id(
    path: str | os.PathLike[str] | None, *, registry_only: bool = False
) -> dict[str, dict]:
    """A registry's rows by estate id, as text (for the budget criteria): the shipped
    registry's, with a user's file laid over it (only the user's with ``registry_only``)."""
    from isipo_geo.registry.estates import registry_path, registry_records

    out: dict[str, dict] = {}
    if path is None or not registry_only:
        out.update((str(r.get("id") or ""), r) for r in registry_records(registry_path()))
    if path is not None:
        out.update((str(r.get("id") or ""), r) for r in registry_records(path))
    out.pop("", None)
    return out

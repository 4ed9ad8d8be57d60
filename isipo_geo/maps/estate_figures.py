"""Each estate's figures (need, deficit) per utility, as columns aligned with an array of ids.

The maps read an estate's need and costed deficit per utility from the funding table. Held as a
dict of dicts, 84,400 estates cost 2 × 17 MB of dicts, 7 MB of floats and 5 MB of id strings
(tracemalloc, ``build --registry`` at 84,400): :class:`EstateFigures` keeps the distinct ids as
one Arrow string array and one float64 array (and one presence mask) per utility, about 3 MB,
and still reads as the ``{estate id: {utility: figure}}`` mapping it replaces. The markers read
it column-wise with :func:`estate_columns`, aligned with the estates frame in one Arrow look-up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class EstateFigures(Mapping):
    """A read-only ``{estate id: {utility: figure}}`` mapping held as columns.

    Reads like the dict of dicts it replaces (``figures[id]``, ``.get(id, {})``, ``in``,
    iteration in the order the ids were first met, ``len``, ``dict(figures)``, ``==`` with a
    dict, ``figures | {...}`` a dict); an estate's figures are a new ``dict`` of Python floats
    each time they are read. Make one with :func:`estate_figures`.

    Parameters
    ----------
    ids : pyarrow.Array
        The distinct estate ids (strings), each with at least one figure.
    columns : dict of str to numpy.ndarray
        Per utility, a float64 figure aligned with ``ids``.
    present : dict of str to numpy.ndarray
        Per utility, a bool mask aligned with ``ids``: whether the estate has that figure (a
        figure may be NaN, unknown, and still be present).
    """

    __slots__ = ("_positions", "columns", "ids", "present")

    def __init__(self, ids: Any, columns: dict[str, Any], present: dict[str, Any]) -> None:
        self.ids = ids
        self.columns = columns
        self.present = present
        self._positions: dict[str, int] | None = None  # built on the first look-up by id

    def _position(self, ident: object) -> int:
        if self._positions is None:
            self._positions = {k: n for n, k in enumerate(self.ids.to_pylist())}
        return self._positions[ident]  # type: ignore[index]

    def __getitem__(self, ident: object) -> dict[str, float]:
        n = self._position(ident)
        return {
            u: float(column[n]) for u, column in self.columns.items() if self.present[u][n]
        }

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids.to_pylist())

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, ident: object) -> bool:
        try:
            self._position(ident)
        except (KeyError, TypeError):
            return False
        return True

    def __or__(self, other: Mapping) -> dict[str, dict[str, float]]:
        return dict(self) | dict(other)

    def __repr__(self) -> str:
        return f"EstateFigures({len(self)} estates, utilities {list(self.columns)})"


def estate_figures(ids: Any, utilities: Any, values: Any, keep: Any) -> EstateFigures:
    """The figures of a funding table's estate rows as :class:`EstateFigures`.

    Parameters
    ----------
    ids : pyarrow.Array
        Each row's estate id (strings, no nulls).
    utilities : numpy.ndarray
        Each row's utility, as an object array of strings.
    values : numpy.ndarray
        Each row's figure (float64).
    keep : numpy.ndarray
        Bool, the rows that give a figure; where one estate has two rows for a utility, the
        later row's figure is kept (as a dict filled row by row keeps it).

    Returns
    -------
    EstateFigures
        By estate id (in the order first met among the kept rows), by utility (in the order
        first met), the figure.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> f = estate_figures(pa.array(["e1", "e2", "e1"]), np.array(["water", "water", "power"],
    ...     dtype=object), np.array([1.0, 2.0, 3.0]), np.array([True, False, True]))
    >>> dict(f)
    {'e1': {'water': 1.0, 'power': 3.0}}
    """
    import numpy as np
    import pyarrow as pa

    rows = np.flatnonzero(keep)
    encoded = ids.take(pa.array(rows, type=pa.int64())).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    size = len(encoded.dictionary)
    kinds: dict[str, int] = {}
    kind = np.fromiter(
        (kinds.setdefault(u, len(kinds)) for u in utilities[rows].tolist()),
        dtype=np.int64,
        count=len(rows),
    )
    columns, present = {}, {}
    for utility, k in kinds.items():
        mine = np.flatnonzero(kind == k)
        # the last row of each estate for this utility, as a dict filled row by row keeps
        last = len(mine) - 1 - np.unique(codes[mine][::-1], return_index=True)[1]
        mine = mine[last]
        column = np.full(size, np.nan)
        column[codes[mine]] = values[rows[mine]]
        mask = np.zeros(size, dtype=bool)
        mask[codes[mine]] = True
        columns[utility], present[utility] = column, mask
    return EstateFigures(encoded.dictionary, columns, present)


def estate_columns(figures: Mapping, idents: Any) -> dict[str, Any]:
    """Per utility, the figure of each estate of ``idents`` (NaN where it has none), as a
    float64 array aligned with ``idents``.

    Parameters
    ----------
    figures : Mapping
        ``{estate id: {utility: figure}}``: an :class:`EstateFigures` (read column-wise in one
        Arrow look-up) or any mapping of that shape (read estate by estate).
    idents : pandas.Index or sequence
        The estates, by id (each as ``str(id)``).

    Returns
    -------
    dict of str to numpy.ndarray
        One array per utility that any estate has, in ``figures``' utility order.

    Examples
    --------
    >>> estate_columns({"e1": {"water": 1.0}}, ["e2", "e1"])["water"].tolist()
    [nan, 1.0]
    """
    import math

    import numpy as np

    if not isinstance(figures, EstateFigures):
        out: dict[str, Any] = {}
        for n, ident in enumerate(idents):
            for utility, value in figures.get(str(ident), {}).items():
                out.setdefault(utility, np.full(len(idents), math.nan))[n] = value
        return out
    positions = _positions(figures.ids, idents)
    found = positions >= 0
    safe = np.where(found, positions, 0)
    out = {}
    for utility, column in figures.columns.items():
        if not len(column):
            continue
        here = found & figures.present[utility][safe]
        out[utility] = np.where(here, column[safe], np.nan)
    return out


def _positions(ids: Any, idents: Any) -> Any:
    """The position of each of ``idents`` (as ``str(id)``) in the Arrow array ``ids``; -1 for
    one not there. A string index is looked up as Arrow strings (no Python string per id)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    index = pd.Index(idents)
    if pd.api.types.is_string_dtype(index.dtype) and index.dtype != object:
        keys = pa.array(index.array)
        if isinstance(keys, pa.ChunkedArray):
            keys = keys.combine_chunks()
    else:
        keys = pa.array([str(i) for i in index], type=pa.large_string())
    return pc.index_in(keys, value_set=ids.cast(keys.type)).fill_null(-1).to_numpy()

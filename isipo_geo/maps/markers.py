"""The estate markers of a map, built column-wise once for every page (pure; no HTML pages).

84,400 estates make 84,400 popups, but most of their lines repeat (kind and status, a deficit, a
need): each distinct line is made once, kept in :attr:`Markers.lines`, and an estate holds the
positions of its lines. Columns are read once as lists; no row is looked up with ``.loc``. What
each line says is in :mod:`isipo_geo.maps.estate_marks`.

A page carries its estates as columns (:func:`page_estates`): the points as integers of 10⁻⁵
degree and a style per point (kind, ring, approximate) to draw them, and apart from them the
text — a table of distinct strings (names and popup lines, plain text: the page builds popups
with text nodes when one is opened) and per estate the positions of its names and lines. A page
of more than ``deflate_min`` estates carries that text deflated (zlib, base64), inflated by the
browser when it is first needed.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.labels import PRECISION_LABELS, UNIT_LABELS, UTILITY_LABELS, label_of, utility_key
from isipo_geo.maps.data import TOTAL, ProvinceNeeds, _arrow_texts, _column_texts, _float
from isipo_geo.maps.estate_figures import estate_columns
from isipo_geo.maps.estate_marks import (
    KIND_COLORS,
    RING,
    flag,
    head_lines,
    source_parts,
    status_of,
)
from isipo_geo.maps.html import format_number
from isipo_geo.registry.estates import other_spellings
from isipo_geo.utilities import UTILITIES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import geopandas as gpd
    import pandas as pd

ESTATE_COLUMNS = ("name_fa", "kind")
SOURCE_PREFIX = ("منبع ", (0, "source"), ": ")  # (0, text): a word in English, set apart


class Ragged(Sequence):
    """A list of int tuples held flat: the ints in one ``array('i')`` and where each tuple
    starts in another; ``ragged[i]`` is a tuple, as the list of tuples it replaces gave.

    The popup lines of 84,400 estates as 2 × 84,400 tuples held 20 MB alive through the atlas
    (tracemalloc, ``build --registry`` at 84,400); flat, 2 × 2.5 MB.
    """

    __slots__ = ("_starts", "_values")

    def __init__(self) -> None:
        self._values = array("i")
        self._starts = array("q", [0])

    def append(self, values: Any) -> None:
        """Add one tuple (any iterable of ints) at the end."""
        self._values.extend(values)
        self._starts.append(len(self._values))

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return tuple(self._values[self._starts[i] : self._starts[i + 1]])

    def __len__(self) -> int:
        return len(self._starts) - 1

    def flat(self, rows: Any) -> tuple[Any, Any]:
        """The ints of the tuples at ``rows`` (an int array), one after another, and each
        tuple's length, as numpy arrays."""
        import numpy as np

        starts = np.frombuffer(self._starts, dtype=np.int64)  # views, no copy
        values = np.frombuffer(self._values, dtype=np.int32) if self._values else np.zeros(0)
        rows = np.asarray(rows, dtype=np.int64)
        lengths = starts[rows + 1] - starts[rows]
        if len(rows) == len(self) and (rows == np.arange(len(rows))).all():
            return values.astype(np.int32), lengths  # every tuple (a national page)
        return values[_spread(starts[rows], lengths)].astype(np.int32), lengths

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  (mutable, as a list)

    def __repr__(self) -> str:
        return f"Ragged({list(self)!r})"


class Texts(Sequence):
    """A column of texts held as an Arrow string array, read as a list of ``str``
    (``texts[i]``, iteration, ``.index``, ``in``, ``==`` with a list); :meth:`take` makes the
    Python strings of some positions only.

    84,400 estates' ids and names as Python strings held 20 MB alive from the map data to the
    last page (tracemalloc, ``build --registry`` at 84,400); as Arrow, 9 MB, and a page makes
    the strings of its own estates.
    """

    __slots__ = ("array",)

    def __init__(self, array: Any) -> None:
        self.array = array

    def take(self, positions: Any) -> list[str]:
        """The texts at ``positions`` (ints), as a list of ``str``."""
        import numpy as np
        import pyarrow as pa

        return self.array.take(pa.array(np.asarray(positions, dtype=np.int64))).to_pylist()

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.array[i].to_pylist()
        return self.array[i].as_py()

    def __len__(self) -> int:
        return len(self.array)

    def __iter__(self) -> Iterator[str]:
        return iter(self.array.to_pylist())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Texts({len(self)} texts)"


@dataclass(frozen=True)
class Markers:
    """One row per located estate, sorted by id; each field a column (a list)."""

    ids: Sequence[str] = field(default_factory=list)  # Texts from estate_markers
    province: list[str] = field(default_factory=list)
    lat: Sequence[float] = field(default_factory=list)  # a float64 array from estate_markers
    lon: Sequence[float] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)  # a key of KIND_COLORS ("": other)
    status: list[str] = field(default_factory=list)  # the ring: a key of estate_marks.RING
    approx: list[bool] = field(default_factory=list)  # located to its town, county or province
    precision: list[str] = field(default_factory=list)  # a key of PRECISION_LABELS
    lines_fa: Ragged = field(default_factory=Ragged)  # per marker, positions in ``lines``
    lines_en: Ragged = field(default_factory=Ragged)
    # the distinct popup lines: plain text, or for sources a tuple of parts (text, (0, English
    # word), (1, address, site): see estate_marks.source_parts)
    lines: list[Any] = field(default_factory=list)
    # plain text (the Latin name if none): Texts from estate_markers, made into Python strings
    # a page at a time (page_estates)
    names_fa: Sequence[str] = field(default_factory=list)
    names_en: Sequence[str] = field(default_factory=list)
    groups: dict[str, Sequence[int]] = field(default_factory=dict)  # province -> positions

    def __len__(self) -> int:
        return len(self.ids)


def select(markers: Markers, focus: str | None) -> Sequence[int]:
    """The positions of one province's markers (a list), or every marker's when ``focus`` is
    None (a ``range``: 84,400 positions without an int object each)."""
    if focus is None:
        return range(len(markers))
    return list(markers.groups.get(focus, []))


def records(markers: Markers, positions: list[int]) -> list[dict[str, Any]]:
    """The markers at ``positions`` as dicts (province, lat, lon, kind, status, approx,
    precision), for drawing them one by one."""
    names = ("province", "lat", "lon", "kind", "status", "approx", "precision")
    columns = [getattr(markers, n) for n in names]
    return [dict(zip(names, (c[i] for c in columns), strict=True)) for i in positions]


def _mapped(values: list[Any], fn: Callable[[Any], Any]) -> list[Any]:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct value (by type and value)."""
    seen: dict[tuple[type, Any], Any] = {}
    out = []
    for v in values:
        try:
            key = (type(v), v)
            result = seen[key]
        except KeyError:
            result = seen[key] = fn(v)
        except TypeError:  # unhashable
            result = fn(v)
        out.append(result)
    return out


def _column(estates: pd.DataFrame, name: str) -> list[Any]:
    return estates[name].tolist() if name in estates.columns else [None] * len(estates)


def _floats(estates: pd.DataFrame, name: str) -> Any:
    """A column as a float64 array (NaN: unknown), as :func:`isipo_geo.maps.data._float` reads
    a cell (an array: 84,400 float objects a utility were 2.7 MB each)."""
    import numpy as np
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if name in estates.columns:
        dtype = estates[name].dtype
        if is_numeric_dtype(dtype) and not is_bool_dtype(dtype):
            return estates[name].to_numpy(dtype="float64", na_value=math.nan, copy=True)
    return np.array(_mapped(_column(estates, name), _float), dtype="float64")


_TEXT_COLUMNS = (
    "province",
    "location_precision",
    "kind",
    "status",
    "status_year",
    "operator",
    "county",
    "source",
    "note",
)  # the names are read in Arrow (_names)


class _PopupLines:
    """The popups' lines, each text kept once (:attr:`table`) and referred to by its number;
    a line made for one estate is reused for every estate that reads the same."""

    def __init__(self, *, digits: str, money: str, money_labels: tuple[str, str]) -> None:
        self.digits, self.money, self.money_labels = digits, money, money_labels
        self.table: dict[Any, int] = {}
        self._heads: dict[tuple, tuple[str, tuple[int, ...], tuple[int, ...]]] = {}
        self._pairs: dict[tuple, tuple[int, int]] = {}

    def ids(self, lines: list[Any]) -> tuple[int, ...]:
        return tuple(self.table.setdefault(line, len(self.table)) for line in lines)

    def _pair(self, fa: str, en: str) -> tuple[int, int]:
        return self.ids([fa])[0], self.ids([en])[0]

    def head(self, status: str, cells: dict[str, str]) -> tuple[str, tuple[int, ...], tuple]:
        """(ring, Persian and English head lines) of an estate's kind, status and operator."""
        key = (status, *cells.values())
        if key not in self._heads:
            ring, lines_fa, lines_en = head_lines(cells, status, self.digits)
            self._heads[key] = (ring, self.ids(lines_fa), self.ids(lines_en))
        return self._heads[key]

    def deficit(self, utility: str, unit: str, amount: float) -> tuple[int, int]:
        key = ("deficit", utility, unit, amount)
        if key not in self._pairs:
            lfa, len_ = UTILITY_LABELS[utility]
            unit_fa, unit_en = label_of(UNIT_LABELS, unit)
            fa = f"کمبود {lfa}: {format_number(amount, digits=self.digits, unit=unit)} {unit_fa}"
            amount_en = format_number(amount, digits="latin", unit=unit)
            self._pairs[key] = self._pair(fa, f"{len_} deficit: {amount_en} {unit_en}")
        return self._pairs[key]

    def need(self, utility: str, value: float) -> tuple[int, int]:
        key = ("need", utility, value)
        if key not in self._pairs:
            lfa, len_ = label_of(UTILITY_LABELS, utility)
            (money_fa, money_en), money = self.money_labels, self.money
            shown = format_number(value, digits=self.digits, unit=money)
            value_en = format_number(value, digits="latin", unit=money)
            self._pairs[key] = self._pair(
                f"نیاز {lfa}: {shown} {money_fa}", f"{len_} need: {value_en} {money_en}"
            )
        return self._pairs[key]

    def spellings(self, note: str) -> tuple[int, int] | None:
        """The other spellings sources give a merged estate (the registry's ``note``: «also
        written: …»), so a planner who knows it by another name finds it; None for one."""
        names = other_spellings(note) if note else []
        if not names:
            return None
        joined = " · ".join(names)
        return self._pair(f"نام‌های دیگر: {joined}", f"also written: {joined}")

    def precision(self, precision: str, county: str) -> tuple[int, int]:
        key = ("precision", precision, county)
        if key not in self._pairs:
            pfa, pen = PRECISION_LABELS[precision]
            self._pairs[key] = self._pair(pfa + (f" — {county}" if county else ""), pen)
        return self._pairs[key]


def _points(estates: gpd.GeoDataFrame) -> tuple[Any, Any, Any]:
    """Which estates have a point, and their x and y (NaN for the others), as arrays."""
    import numpy as np
    import shapely

    geoms = estates.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    xs, ys = np.full(len(geoms), math.nan), np.full(len(geoms), math.nan)
    xs[located], ys[located] = shapely.get_x(geoms[located]), shapely.get_y(geoms[located])
    return located, xs, ys


def estate_markers(
    estates: gpd.GeoDataFrame | None, needs: ProvinceNeeds, *, digits: str
) -> tuple[Markers, dict[str, int]]:
    """The markers of the located estates, and the number of estates without a location per
    province (they are counted, not drawn).

    Popups: the head lines (:func:`isipo_geo.maps.estate_marks.head_lines`), the other
    spellings sources give (the registry's ``note``: «also written: …»), the water and
    power deficits, the estate's need per utility (``needs.estate_need``, in the order of
    :data:`isipo_geo.labels.UTILITY_ORDER`), how approximate the location is, and the sources.
    The deficits (popup and ring) are those the funding table costed for the estate
    (``needs.estate_deficit``: the deficit cell, or demand − supplied when the cell is empty),
    else the registry's deficit cells.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if estates is None or len(estates) == 0:
        return Markers(), {}
    missing = [c for c in ESTATE_COLUMNS if c not in estates.columns]
    if missing:
        raise InputError(f"the estates table lacks the columns {', '.join(missing)}")
    text = {
        c: _column_texts(estates[c]) if c in estates.columns else [""] * len(estates)
        for c in _TEXT_COLUMNS
    }
    located, xs, ys = _points(estates)
    ids = _texts_of(estates.index)
    # by id as Python sorts strings (UTF-8 bytes sort as code points; Arrow's sort is stable)
    order = pc.sort_indices(ids).to_numpy()
    unlocated: dict[str, int] = {}
    for n in order[~located[order]].tolist():
        province = text["province"][n]
        unlocated[province] = unlocated.get(province, 0) + 1
    at = order[located[order]]
    shown = at.tolist()
    kinds = {k: k for k in KIND_COLORS}  # one string object per kind, province, precision
    precisions = {p: p for p in PRECISION_LABELS}
    provinces: dict[str, str] = {}
    out = Markers(
        ids=Texts(ids.take(at)),
        province=[provinces.setdefault(p, p) for p in (text["province"][n] for n in shown)],
        # as round(x, 5) of each (not numpy's round), in arrays: no float object per estate
        lat=np.array([round(y, 5) for y in ys[at].tolist()], dtype=float),
        lon=np.array([round(x, 5) for x in xs[at].tolist()], dtype=float),
        kind=[kinds.get(k, "") for k in (text["kind"][n] for n in shown)],
        approx=[text["location_precision"][n] != "estate" for n in shown],
        precision=[precisions.get(text["location_precision"][n], "estate") for n in shown],
        names_fa=Texts(_names(estates, at)),
        names_en=Texts(_arrow_column(estates, "name_en").take(at)),
    )
    del ids, order
    # the Arrow work is done: the pages Arrow's pool (mimalloc) kept of it go back to the
    # system before the popups' Python objects are made (build --registry at 84,400 estates:
    # RSS after the map data 559 -> 525 MB, the build's maxrss 545,060 -> 539,440 KB)
    pa.default_memory_pool().release_unused()
    _add_popups(out, estates, needs, text, shown, digits=digits)
    for i, province in enumerate(out.province):
        out.groups.setdefault(province, array("i")).append(i)
    return out, unlocated


def _texts_of(index: pd.Index) -> Any:
    """The estates' ids as ``str(id)``, as an Arrow string array."""
    import pandas as pd
    import pyarrow as pa

    if index.dtype != object and pd.api.types.is_string_dtype(index.dtype):
        ids = pa.array(index.array)
        return ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    return pa.array([str(i) for i in index], type=pa.large_string())


def _arrow_column(estates: pd.DataFrame, name: str) -> Any:
    """A text column as :func:`isipo_geo.maps.data._text` reads its cells, in Arrow."""
    import pyarrow as pa

    if name not in estates.columns:
        return pa.array([""] * len(estates), type=pa.large_string())
    return _arrow_texts(estates[name])


def _names(estates: pd.DataFrame, at: Any) -> Any:
    """The Persian names of the estates at rows ``at`` (the English name where there is none),
    in Arrow: the pages make Python strings of a page's names only (84,400 Persian and English
    names as Python strings were 15 MB alive from the map data to the last page)."""
    import pyarrow.compute as pc

    fa, en = _arrow_column(estates, "name_fa"), _arrow_column(estates, "name_en")
    return pc.if_else(pc.equal(fa, ""), en, fa).take(at)


def _any_known(column: Any) -> bool:
    """Whether a float64 array has a value that is not NaN."""
    import numpy as np

    return bool(len(column)) and not np.isnan(column).all()


def _add_popups(
    out: Markers,
    estates: gpd.GeoDataFrame,
    needs: ProvinceNeeds,
    text: dict[str, list[str]],
    shown: list[int],
    *,
    digits: str,
) -> None:
    """Fill ``out``'s rings and popup lines for the estates at rows ``shown``."""
    from isipo_geo.finance.money import CURRENCY_LABELS

    money_labels = CURRENCY_LABELS.get(
        (needs.currency, needs.scale), (needs.currency, needs.currency)
    )
    lines = _PopupLines(digits=digits, money=needs.money, money_labels=money_labels)
    # each utility's deficit per estate (data/utilities/utilities.csv), as funding costed it
    by_utility = {u.key: _floats(estates, u.column("deficit")) for u in UTILITIES}
    units = _funding_deficits(needs, estates.index, by_utility)
    # each estate's need per utility, aligned with the estates (NaN: none), total left out
    own = estate_columns(needs.estate_need, estates.index)
    own_needs = [(u, own[u]) for u in sorted(own, key=utility_key) if u != TOTAL]
    del own
    water, power = by_utility["water"], by_utility["power"]  # the ring's two
    has_water, has_power = (_mapped(_column(estates, c), flag) for c in ("has_water", "has_power"))
    # the columns that have a value (read per estate as Python floats)
    deficits = [
        (u.key, u.unit, by_utility[u.key]) for u in UTILITIES if _any_known(by_utility[u.key])
    ]
    own_needs = [(u, column) for u, column in own_needs if _any_known(column)]
    sources = _source_lines([text["source"][n] for n in shown])
    for n, source in zip(shown, sources, strict=True):
        cells = {c: text[c][n] for c in ("kind", "status", "status_year", "operator")}
        status = status_of(float(water[n]), float(power[n]), has_water[n], has_power[n])
        ring, head_fa, head_en = lines.head(status, cells)
        lines_fa, lines_en = list(head_fa), list(head_en)
        also = lines.spellings(text["note"][n])
        pairs = [also] if also else []
        pairs += [
            lines.deficit(utility, units.get((n, utility), unit), float(column[n]))
            for utility, unit, column in deficits
            if not math.isnan(column[n])
        ]
        pairs += [
            lines.need(utility, float(column[n]))
            for utility, column in own_needs
            if not math.isnan(column[n])
        ]
        precision = text["location_precision"][n]
        if precision in PRECISION_LABELS:
            pairs.append(lines.precision(precision, text["county"][n]))
        lines_fa += [fa for fa, _ in pairs]
        lines_en += [en for _, en in pairs]
        if source:
            lines_fa.append(lines.table.setdefault(source, len(lines.table)))
        out.status.append(ring)
        out.lines_fa.append(lines_fa)
        out.lines_en.append(lines_en)
    out.lines.extend(lines.table)


def page_estates(
    markers: Markers, shown: Sequence[int], *, deflate_min: int
) -> tuple[dict[str, Any], dict[str, Any] | str, bool]:
    """What a page sends of the markers at ``shown``: (points, text, whether a Persian line
    links a source).

    ``points``: ``o`` and ``p`` (the points, :func:`_point_text`), ``s`` (each point's style, a
    position in ``st``) and ``st`` (distinct ``[kind, ring, approximate]`` as positions in
    :data:`KIND_COLORS` and :data:`RING`, and 0 or 1). ``text``: ``t`` (distinct strings and
    source parts, numbered in order of first use), ``nf``, ``ne`` (each estate's Persian and
    English name in ``t``), ``pf``, ``pe`` (its popup lines in ``t``); with more than
    ``deflate_min`` estates that JSON deflated (zlib level 6) and base64-encoded, as one string.
    """
    import numpy as np

    m = markers
    kinds = {k: i for i, k in enumerate(KIND_COLORS)}
    rings = {k: i for i, k in enumerate(RING)}
    styles: dict[tuple[int, int, int], int] = {}
    style = [
        styles.setdefault((kinds[m.kind[i]], rings[m.status[i]], int(m.approx[i])), len(styles))
        for i in shown
    ]
    at = np.asarray(shown, dtype=np.int64)
    lat, lon = np.asarray(m.lat, dtype=float)[at], np.asarray(m.lon, dtype=float)[at]
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError("Out of range float values are not JSON compliant")
    # np.rint rounds half to even, as round() does, on the same float products
    origin, text = _point_text(np.rint(lat * 100000), np.rint(lon * 100000))
    points = {"o": origin, "p": text, "s": style, "st": [list(k) for k in styles]}
    text, linked = _page_text(m, at)
    if len(shown) <= deflate_min:
        return points, {k: f(every) for k, (every, f) in text.items()}, linked
    return points, _deflated({k: _Chunks(every, f) for k, (every, f) in text.items()}), linked


def _page_text(m: Markers, at: Any) -> tuple[dict[str, Any], bool]:
    """The page's text for the markers at ``at``: per member (``t``, ``nf``, ``ne``, ``pf``,
    ``pe``, see :func:`page_estates`) its length as a range and a function that makes the
    items at a range of it; and whether a Persian line links a source.

    The texts are numbered in order of first use (each estate's Persian and English name,
    then its Persian and English lines) from codes (:func:`_page_names`) in numpy arrays, and
    made 2,000 at a time as they are written (:func:`_json_pieces`): at 84,400 estates,
    holding the names as Python strings, the table as a dict and 2 × 84,400 lists at once took
    56 MB of the national page (tracemalloc), and numbering in a Python loop 1.5 s."""
    import numpy as np

    fa_lines, fa_len = m.lines_fa.flat(at)
    en_lines, en_len = m.lines_en.flat(at)
    dictionary, nf, ne, line_code = _page_names(m, at, np.union1d(fa_lines, en_lines))
    fa, en = line_code[fa_lines], line_code[en_lines]
    # every use in order (an estate's two names, then its Persian and English lines), and the
    # first use of each code (int32 throughout: np.unique's sorts took 50 MB at 84,400)
    uses = np.empty(2 * len(at) + len(fa) + len(en), dtype=np.int32)
    each = 2 + fa_len + en_len
    base = np.cumsum(each) - each
    uses[base], uses[base + 1] = nf, ne
    uses[_spread(base + 2, fa_len)] = fa
    uses[_spread(base + 2 + fa_len, en_len)] = en
    n_uses = len(uses)
    first = np.full(len(dictionary) + len(m.lines), n_uses, dtype=np.int32)
    np.minimum.at(first, uses, np.arange(n_uses, dtype=np.int32))
    del uses
    used = np.flatnonzero(first < n_uses)
    order = used[np.argsort(first[used], kind="stable")].astype(np.int32)
    rank = np.full(len(first), -1, dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    del first, used
    fa_at, en_at = (np.concatenate([[0], np.cumsum(n)]) for n in (fa_len, en_len))
    fa, en = rank[fa], rank[en]
    linked = any(_links(m.lines[g]) for g in np.unique(fa_lines).tolist())
    every = range(len(at))
    text = {
        "t": (range(len(order)), lambda ks: _items(dictionary, m.lines, order[ks.start : ks.stop])),
        "nf": (every, lambda ks: rank[nf[ks.start : ks.stop]].tolist()),
        "ne": (every, lambda ks: rank[ne[ks.start : ks.stop]].tolist()),
        "pf": (every, lambda ks: _split(fa, fa_at, ks)),
        "pe": (every, lambda ks: _split(en, en_at, ks)),
    }
    return text, linked


def _spread(starts: Any, lengths: Any) -> Any:
    """The positions ``starts[k], starts[k] + 1, ...`` (``lengths[k]`` of them), for every k."""
    import numpy as np

    lengths = lengths.astype(np.int32)  # int32 throughout: a page's 500,000 lines at most
    total = int(lengths.sum())
    within = np.arange(total, dtype=np.int32)
    within -= np.repeat(np.cumsum(lengths, dtype=np.int32) - lengths, lengths)
    within += np.repeat(starts.astype(np.int32), lengths)
    return within


def _split(values: Any, at: Any, ks: range) -> list[list[int]]:
    """The lists ``values[at[k]:at[k + 1]]`` for k in ``ks``, as lists of ints."""
    flat = values[at[ks.start] : at[ks.stop]].tolist()
    bounds = (at[ks.start : ks.stop + 1] - at[ks.start]).tolist()
    return [flat[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _page_names(m: Markers, at: Any, used: Any) -> tuple[Any, Any, Any, Any]:
    """Codes of the page's texts in one Arrow dictionary (the estates' Persian and English
    names at ``at``, then the ``used`` popup lines that are strings; each distinct text once,
    a name and a line that read alike one): the dictionary, each estate's Persian and English
    name's code, and each line's code by its position in ``m.lines`` (a line of parts, a
    source: past the dictionary; -1 for a line not used), as int32 arrays."""
    import numpy as np
    import pyarrow as pa

    text = pa.large_string()
    fa, en = (
        (t.array if isinstance(t, Texts) else pa.array(list(t), type=text)).cast(text)
        for t in (m.names_fa, m.names_en)
    )
    used = used.tolist()
    strings = [g for g in used if type(m.lines[g]) is str]
    lines = pa.array([m.lines[g] for g in strings], type=text)
    take = pa.array(at, type=pa.int64())
    encoded = pa.concat_arrays([fa.take(take), en.take(take), lines]).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    n, size = len(at), len(encoded.dictionary)
    line_code = np.full(len(m.lines), -1, dtype=np.int32)
    line_code[used] = size + np.asarray(used, dtype=np.int32)
    line_code[strings] = codes[2 * n :]
    return encoded.dictionary, codes[:n], codes[n : 2 * n], line_code


def _items(dictionary: Any, lines: list[Any], codes: Any) -> list[Any]:
    """The texts of ``codes`` (:func:`_page_names`): strings from the dictionary, a line of
    parts from ``lines``."""
    import numpy as np
    import pyarrow as pa

    codes = np.asarray(codes, dtype=np.int64)
    size = len(dictionary)
    out: list[Any] = [None] * len(codes)
    strings = np.flatnonzero(codes < size)
    texts = dictionary.take(pa.array(codes[strings])).to_pylist()
    for p, t in zip(strings.tolist(), texts, strict=True):
        out[p] = t
    for p in np.flatnonzero(codes >= size).tolist():
        out[p] = lines[int(codes[p]) - size]
    return out


def _links(line: Any) -> bool:
    """Whether a popup line links a source (a part ``(1, address, site)``)."""
    return isinstance(line, tuple) and any(isinstance(p, tuple) and p[0] == 1 for p in line)


class _Chunks:
    """A JSON list made a part at a time: ``make(part)`` the list's items for the positions
    ``part`` of ``shown`` (:func:`_json_pieces` writes it as it is made)."""

    __slots__ = ("make", "shown")

    def __init__(self, shown: Sequence[int], make: Callable[[Sequence[int]], list]) -> None:
        self.shown, self.make = shown, make

    def parts(self, items: int) -> Iterator[list]:
        for start in range(0, len(self.shown), items):
            yield self.make(self.shown[start : start + items])


POINT_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _point_text(lat: list[int], lon: list[int]) -> tuple[list[int], str]:
    """Points in 10⁻⁵ degree as ``([lat0, lon0, w], text)``: each point's latitude − lat0 and
    longitude − lon0 written in ``w`` digits of :data:`POINT_DIGITS` (base 64, most
    significant first), one point after another: 8 characters a point for Iran instead of 16
    as JSON numbers.

    Examples
    --------
    >>> _point_text([3570000, 3560000], [5140000, 5120000])
    ([3560000, 5120000, 3], '2SG4uW000000')
    """
    import numpy as np

    if not len(lat):
        return [0, 0, 1], ""
    la, lo = np.asarray(lat, dtype=np.int64), np.asarray(lon, dtype=np.int64)
    lat0, lon0 = int(la.min()), int(lo.min())
    both = np.stack([la - lat0, lo - lon0], axis=1)
    width = 1
    while 64**width <= int(both.max()):
        width += 1
    powers = 64 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (both[:, :, None] // powers) % 64
    table = np.frombuffer(POINT_DIGITS.encode("ascii"), dtype=np.uint8)
    return [lat0, lon0, width], table[digits].tobytes().decode("ascii")


def _deflated(value: Any) -> str:
    """``value`` as compact JSON, deflated (zlib, level 6, fixed parameters: the same bytes for
    the same value with the same zlib) and base64-encoded. The JSON is made and deflated a
    piece at a time (:func:`_json_pieces`): at 84,400 estates the whole text at once was the
    build's peak of memory; deflate gives the same bytes however its input is cut."""
    import base64
    import zlib

    z = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    packed = [z.compress(piece.encode("utf-8")) for piece in _json_pieces(value)]
    packed.append(z.flush())
    return base64.b64encode(b"".join(packed)).decode("ascii")


def _json_pieces(value: Any, items: int = 2000) -> Iterator[str]:
    """Pieces of ``json.dumps(value, ensure_ascii=False, separators=(",", ":"),
    allow_nan=False)``, joined the same text: an object member by member, a long list
    ``items`` at a time.

    >>> "".join(_json_pieces({"t": ["a", "ب"], "n": [[1], []]}, items=1))
    '{"t":["a","ب"],"n":[[1],[]]}'
    """
    import json

    def dumps(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for n, (key, member) in enumerate(value.items()):
            yield ("," if n else "") + dumps(key) + ":"
            yield from _json_pieces(member, items)
        yield "}"
    elif isinstance(value, _Chunks):
        yield "["
        for n, part in enumerate(value.parts(items)):
            yield ("," if n else "") + dumps(part)[1:-1]
        yield "]"
    elif isinstance(value, list) and len(value) > items:
        yield "["
        for start in range(0, len(value), items):
            yield ("," if start else "") + dumps(value[start : start + items])[1:-1]
        yield "]"
    else:
        yield dumps(value)


def _funding_deficits(
    needs: ProvinceNeeds, idents: Any, by_utility: dict[str, Any]
) -> dict[tuple[int, str], str]:
    """Put the deficits the funding table costed (``needs.estate_deficit``: a deficit cell, or
    demand − supplied) in place of the registry's deficit cells in ``by_utility`` (utility ->
    a float64 array, a value per estate of ``idents``), so the ring, the popup and the need
    follow one rule; returns the units of those put in that differ from the cells' (L/s, MW,
    km), by (position, utility)."""
    import numpy as np

    units: dict[tuple[int, str], str] = {}
    if not needs.estate_deficit:
        return units
    cells = {u.key: u.unit for u in UTILITIES if u.key in by_utility}
    other = {u: needs.deficit_unit.get(u, cells[u]) for u in cells}
    other = {u: unit for u, unit in other.items() if unit != cells[u]}
    found = estate_columns(needs.estate_deficit, idents)
    for utility, column in by_utility.items():
        costed = found.get(utility)
        if costed is None:
            continue
        here = ~np.isnan(costed)  # a costed deficit is never NaN
        column[here] = costed[here]
        if utility in other:
            units.update(((n, utility), other[utility]) for n in np.flatnonzero(here).tolist())
    return units


def _source_lines(sources: list[str]) -> list[Any]:
    """The popup line of each estate's sources ("" without one): :data:`SOURCE_PREFIX` and
    :func:`isipo_geo.maps.estate_marks.source_parts`, made once per distinct source."""
    return _mapped(sources, lambda s: (*SOURCE_PREFIX, *source_parts(s)) if s else "")

"""The estate markers of a map, built column-wise once for every page (pure; no HTML pages).

84,400 estates make 84,400 popups, but most of their lines repeat (kind and status, a deficit, a
need): each distinct line is made and escaped once, kept in :attr:`Markers.lines`, and an
estate holds the positions of its lines. Columns are read once as lists; no row is looked up
with ``.loc``. What each line says is in :mod:`isipo_geo.maps.estate_marks`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.labels import PRECISION_LABELS, UNIT_LABELS, UTILITY_LABELS, label_of, utility_key
from isipo_geo.maps.data import TOTAL, ProvinceNeeds, _column_texts, _float
from isipo_geo.maps.estate_marks import (
    KIND_COLORS,
    RING,
    flag,
    head_lines,
    source_links,
    status_of,
)
from isipo_geo.maps.html import JsonText, escape, escape_all, format_number, js_safe

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import geopandas as gpd
    import pandas as pd

ESTATE_COLUMNS = ("name_fa", "kind")
SOURCE_PREFIX = 'منبع <span class="ig-en">source</span>: '


@dataclass(frozen=True)
class Markers:
    """One row per located estate, sorted by id; each field a column (a list)."""

    ids: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)  # a key of KIND_COLORS ("": other)
    status: list[str] = field(default_factory=list)  # the ring: a key of estate_marks.RING
    approx: list[bool] = field(default_factory=list)  # located to its town, county or province
    precision: list[str] = field(default_factory=list)  # a key of PRECISION_LABELS
    lines_fa: list[tuple[int, ...]] = field(default_factory=list)  # positions in ``lines``
    lines_en: list[tuple[int, ...]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the distinct popup lines (escaped HTML)
    # each marker as the page sends it, up to its lines: '[lat,lon,kind,ring,approx,"name_fa",
    # "name_en",' (JSON safe in a script; kind and ring as positions in KIND_COLORS and RING;
    # the names escaped, the Latin name in place of a missing Persian one)
    head_json: list[str] = field(default_factory=list)
    groups: dict[str, list[int]] = field(default_factory=dict)  # province -> positions

    def __len__(self) -> int:
        return len(self.ids)


def select(markers: Markers, focus: str | None) -> list[int]:
    """The positions of one province's markers (every marker when ``focus`` is None)."""
    if focus is None:
        return list(range(len(markers)))
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


def _floats(estates: pd.DataFrame, name: str) -> list[float]:
    """A column as floats (NaN: unknown), as :func:`isipo_geo.maps.data._float` reads a cell."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if name in estates.columns:
        dtype = estates[name].dtype
        if is_numeric_dtype(dtype) and not is_bool_dtype(dtype):
            return estates[name].to_numpy(dtype="float64", na_value=math.nan).tolist()
    return _mapped(_column(estates, name), _float)


def estate_markers(
    estates: gpd.GeoDataFrame | None, needs: ProvinceNeeds, *, digits: str
) -> tuple[Markers, dict[str, int]]:
    """The markers of the located estates, and the number of estates without a location per
    province (they are counted, not drawn).

    Popups: the head lines (:func:`isipo_geo.maps.estate_marks.head_lines`), the water and
    power deficits, the estate's need per utility (``needs.estate_need``, in the order of
    :data:`isipo_geo.labels.UTILITY_ORDER`), how approximate the location is, and the sources.
    The deficits (popup and ring) are those the funding table costed for the estate
    (``needs.estate_deficit``: the deficit cell, or demand − supplied when the cell is empty),
    else the registry's deficit cells.
    """
    if estates is None or len(estates) == 0:
        return Markers(), {}
    missing = [c for c in ESTATE_COLUMNS if c not in estates.columns]
    if missing:
        raise InputError(f"the estates table lacks the columns {', '.join(missing)}")
    import shapely

    from isipo_geo.finance.money import CURRENCY_LABELS

    money = needs.money
    money_fa, money_en = CURRENCY_LABELS.get(
        (needs.currency, needs.scale), (needs.currency, needs.currency)
    )
    text = {
        c: _column_texts(estates[c]) if c in estates.columns else [""] * len(estates)
        for c in (
            "province",
            "location_precision",
            "kind",
            "status",
            "status_year",
            "operator",
            "county",
            "source",
            "name_fa",
            "name_en",
        )
    }
    water, power = _floats(estates, "water_deficit_lps"), _floats(estates, "power_deficit_mw")
    units = _funding_deficits(needs, [str(i) for i in estates.index], water, power)
    has_water, has_power = (_mapped(_column(estates, c), flag) for c in ("has_water", "has_power"))
    geoms = estates.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    xs, ys = [math.nan] * len(geoms), [math.nan] * len(geoms)
    for n, x, y in zip(
        located.nonzero()[0].tolist(),
        shapely.get_x(geoms[located]).tolist(),
        shapely.get_y(geoms[located]).tolist(),
        strict=True,
    ):
        xs[n], ys[n] = x, y
    idents = [str(i) for i in estates.index]

    table: dict[str, int] = {}

    def ids(lines: list[str]) -> tuple[int, ...]:
        return tuple(table.setdefault(line, len(table)) for line in lines)

    heads: dict[tuple, tuple[str, tuple[int, ...], tuple[int, ...]]] = {}
    amounts: dict[tuple[str, str, float], tuple[int, int]] = {}
    need_lines: dict[tuple[str, float], tuple[int, int]] = {}
    tails: dict[tuple[str, str], tuple[int, int]] = {}

    def head(i: int) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        status = status_of(water[i], power[i], has_water[i], has_power[i])
        cells = {c: text[c][i] for c in ("kind", "status", "status_year", "operator")}
        key = (status, *cells.values())
        if key not in heads:
            ring, lines_fa, lines_en = head_lines(cells, status, digits)
            heads[key] = (ring, ids(lines_fa), ids(lines_en))
        return heads[key]

    def deficit_line(utility: str, unit: str, amount: float) -> tuple[int, int]:
        if (utility, unit, amount) not in amounts:
            lfa, len_ = UTILITY_LABELS[utility]
            unit_fa, unit_en = (escape(t) for t in label_of(UNIT_LABELS, unit))
            fa = f"کمبود {lfa}: {escape(format_number(amount, digits=digits, unit=unit))} {unit_fa}"
            amount_en = format_number(amount, digits="latin", unit=unit)
            en = f"{len_} deficit: {amount_en} {unit_en}"
            amounts[(utility, unit, amount)] = (ids([fa])[0], ids([en])[0])
        return amounts[(utility, unit, amount)]

    def need_line(utility: str, value: float) -> tuple[int, int]:
        if (utility, value) not in need_lines:
            lfa, len_ = label_of(UTILITY_LABELS, utility)
            shown = escape(format_number(value, digits=digits, unit=money))
            fa = f"نیاز {escape(lfa)}: {shown} {escape(money_fa)}"
            value_en = format_number(value, digits="latin", unit=money)
            en = f"{escape(len_)} need: {value_en} {escape(money_en)}"
            need_lines[(utility, value)] = (ids([fa])[0], ids([en])[0])
        return need_lines[(utility, value)]

    def precision_line(precision: str, county: str) -> tuple[int, int]:
        if (precision, county) not in tails:
            pfa, pen = PRECISION_LABELS[precision]
            fa = escape(pfa) + (f" — {escape(county)}" if county else "")
            tails[(precision, county)] = (ids([fa])[0], ids([escape(pen)])[0])
        return tails[(precision, county)]

    order = sorted(range(len(idents)), key=idents.__getitem__)
    unlocated: dict[str, int] = {}
    for n in order:
        if not located[n]:
            province = text["province"][n]
            unlocated[province] = unlocated.get(province, 0) + 1
    shown = [n for n in order if located[n]]
    kinds = {k: k for k in KIND_COLORS}  # one string object per kind, province, precision
    precisions = {p: p for p in PRECISION_LABELS}
    provinces: dict[str, str] = {}
    sources = _source_lines([text["source"][n] for n in shown])
    out = Markers(
        ids=[idents[n] for n in shown],
        province=[provinces.setdefault(p, p) for p in (text["province"][n] for n in shown)],
        lat=[round(ys[n], 5) for n in shown],
        lon=[round(xs[n], 5) for n in shown],
        kind=[kinds.get(k, "") for k in (text["kind"][n] for n in shown)],
        approx=[text["location_precision"][n] != "estate" for n in shown],
        precision=[precisions.get(text["location_precision"][n], "estate") for n in shown],
    )
    deficits = (("water", "lps", water), ("power", "mw", power))
    for n, source in zip(shown, sources, strict=True):
        ring, head_fa, head_en = head(n)
        lines_fa, lines_en = list(head_fa), list(head_en)
        for utility, unit, column in deficits:
            if not math.isnan(column[n]):
                fa, en = deficit_line(utility, units.get((n, utility), unit), column[n])
                lines_fa.append(fa)
                lines_en.append(en)
        own = needs.estate_need.get(idents[n], {})
        for utility in sorted(own, key=utility_key):
            value = own[utility]
            if utility == TOTAL or math.isnan(value):
                continue
            fa, en = need_line(utility, value)
            lines_fa.append(fa)
            lines_en.append(en)
        precision = text["location_precision"][n]
        if precision in PRECISION_LABELS:
            fa, en = precision_line(precision, text["county"][n])
            lines_fa.append(fa)
            lines_en.append(en)
        if source:
            lines_fa.append(table.setdefault(source, len(table)))
        out.status.append(ring)
        out.lines_fa.append(tuple(lines_fa))
        out.lines_en.append(tuple(lines_en))
    _number_lines(out, list(table))
    out.head_json.extend(
        _head_json(
            out,
            escape_all([text["name_fa"][n] or text["name_en"][n] for n in shown]),
            escape_all([text["name_en"][n] for n in shown]),
        )
    )
    for i, province in enumerate(out.province):
        out.groups.setdefault(province, []).append(i)
    return out, unlocated


def _head_json(markers: Markers, names_fa: list[str], names_en: list[str]) -> list[str]:
    """Each marker's JSON up to its lines, as ``json.dumps`` writes it (compact, floats by
    ``repr``), made safe in a script."""
    from json.encoder import encode_basestring as text  # json's own encoder of a string

    kinds = {k: i for i, k in enumerate(KIND_COLORS)}
    rings = {k: i for i, k in enumerate(RING)}
    m = markers
    if not all(map(math.isfinite, m.lat + m.lon)):
        raise ValueError("Out of range float values are not JSON compliant")
    rows = list(zip(m.lat, m.lon, m.kind, m.status, m.approx, names_fa, names_en, strict=True))
    out: list[str] = []
    for start in range(0, len(rows), 8192):  # in parts: no copy of every marker at once
        joined = "\n".join(  # JSON text holds no newline: one line per marker
            f"[{lat!r},{lon!r},{kinds[kind]},{rings[ring]},{1 if approx else 0},"
            f"{text(fa)},{text(en)},"
            for lat, lon, kind, ring, approx, fa, en in rows[start : start + 8192]
        )
        out += js_safe(joined).split("\n")
    return out


def page_estates(markers: Markers, shown: list[int]) -> tuple[list[str], JsonText, bool]:
    """What a page sends of the markers at ``shown``: its popup lines (each once, numbered in
    order of first use), its estates ``[lat, lon, kind, ring, approx, name_fa, name_en,
    [Persian lines], [English lines]]`` as JSON made part by part, and whether a Persian line
    links a source."""
    from itertools import chain

    m = markers
    if len(shown) == len(m):  # every estate: the markers' own numbering (_number_lines)
        used: Any = range(len(m.lines))
        local = None
    else:
        lines = chain.from_iterable(m.lines_fa[i] + m.lines_en[i] for i in shown)
        used = list(dict.fromkeys(lines))
        local = {g: k for k, g in enumerate(used)}
    fa_lines = set(chain.from_iterable(m.lines_fa[i] for i in shown))
    linked = any("href=" in m.lines[g] for g in fa_lines)
    return [m.lines[g] for g in used], JsonText(_estate_parts(m, shown, local)), linked


def _estate_parts(
    m: Markers, shown: list[int], local: dict[int, int] | None, *, size: int = 4096
) -> Iterator[str]:
    """The JSON array of the estates at ``shown``, in parts of ``size`` estates."""

    def refs(ids: tuple[int, ...]) -> str:
        return ",".join(map(str, ids if local is None else map(local.__getitem__, ids)))

    yield "["
    for start in range(0, len(shown), size):
        yield ("," if start else "") + ",".join(
            f"{m.head_json[i]}[{refs(m.lines_fa[i])}],[{refs(m.lines_en[i])}]]"
            for i in shown[start : start + size]
        )
    yield "]"


def _number_lines(markers: Markers, lines: list[str]) -> None:
    """Number the popup lines in the order the estates first use them (each estate's Persian
    lines, then its English ones), as the national page sends them, and fill ``lines``."""
    from itertools import chain

    pairs = zip(markers.lines_fa, markers.lines_en, strict=True)
    used = dict.fromkeys(chain.from_iterable(fa + en for fa, en in pairs))
    new = {g: k for k, g in enumerate(used)}
    markers.lines.extend(lines[g] for g in used)
    for column in (markers.lines_fa, markers.lines_en):
        column[:] = [tuple(map(new.__getitem__, ids)) for ids in column]


def _funding_deficits(
    needs: ProvinceNeeds, idents: list[str], water: list[float], power: list[float]
) -> dict[tuple[int, str], str]:
    """Put the deficits the funding table costed (``needs.estate_deficit``: a deficit cell, or
    demand − supplied) in place of the registry's deficit cells in ``water`` and ``power``, so
    the ring, the popup and the need follow one rule; returns the units of those put in that
    differ from the cells' (L/s, MW), by (position, utility)."""
    units: dict[tuple[int, str], str] = {}
    if not needs.estate_deficit:
        return units
    cells = {"water": "lps", "power": "mw"}
    other = {u: needs.deficit_unit.get(u, cells[u]) for u in cells}
    other = {u: unit for u, unit in other.items() if unit != cells[u]}
    for n, ident in enumerate(idents):
        found = needs.estate_deficit.get(ident)
        if not found:
            continue
        for utility, column in (("water", water), ("power", power)):
            if utility in found:
                column[n] = found[utility]
                if utility in other:
                    units[(n, utility)] = other[utility]
    return units


def _source_lines(sources: list[str]) -> list[str]:
    """The popup line of each estate's sources ("" without one): a plain text is escaped with
    the others in one pass, links and lists through
    :func:`isipo_geo.maps.estate_marks.source_links`."""
    plain = [
        i
        for i, s in enumerate(sources)
        if s and " | " not in s and not s.startswith(("http://", "https://"))
    ]
    out = [SOURCE_PREFIX + source_links(s) if s else "" for s in _blank(sources, plain)]
    for i, escaped in zip(plain, escape_all([sources[i] for i in plain]), strict=True):
        out[i] = SOURCE_PREFIX + escaped
    return out


def _blank(values: list[str], positions: list[int]) -> list[str]:
    """``values`` with those at ``positions`` emptied."""
    out = list(values)
    for i in positions:
        out[i] = ""
    return out

"""What an estate marker says beyond its name: its kind's colour, the ring, the source links, the
statement year, the operator, the legend's counts by location precision, and the county borders
of a province page (OpenStreetMap, ODbL).

Pure helpers for :mod:`isipo_geo.maps.leaflet`: the popup lines are plain text (the page builds
them with text nodes), the legend rows and :func:`source_links` escaped HTML.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from isipo_geo.labels import KIND_LABELS, OPERATOR_LABELS, PRECISION_LABELS, STATUS_LABELS
from isipo_geo.maps.data import SCALE, _float, _missing, _text, encode_polygons_many
from isipo_geo.maps.html import escape, format_number

# The ring of a marker says the most useful known thing: the utility status when the registry
# gives one (a deficit, or water and power supplied), else the estate's status as its sources
# state it. Okabe-Ito-compatible, readable on the kind colours.
RING = {  # key -> (colour, Persian, English)
    "deficit": ("#d7191c", "کمبود آب یا برق", "water or power deficit"),
    "supplied": ("#ffffff", "آب و برق تأمین", "water and power supplied"),
    "operational": ("#1b1b1b", "در حال بهره‌برداری", "operational"),
    "under_construction": ("#E69F00", "در حال احداث", "under construction"),
    "approved": ("#9e9e9e", "مصوب یا در دست مطالعه", "approved or planned"),
    "unknown": ("#555555", "وضعیت نامعلوم", "status unknown"),
}
_STATUS_RING = {
    "operational": "operational",
    "under_construction": "under_construction",
    "approved": "approved",
    "planned": "approved",
}
# Okabe-Ito colours (colour-blind safe) for the kinds of estate; outline by utility status.
KIND_COLORS = {
    "industrial_estate": "#0072B2",
    "industrial_zone": "#009E73",
    "special_economic_zone": "#CC79A7",
    "technology_estate": "#56B4E9",
    "specialised_estate": "#F0E442",
    "private_estate": "#D55E00",
    "guild_estate": "#8c6d31",
    "free_zone": "#000000",
    "industrial_city": "#6a3d9a",
    "": "#777777",
}
PRECISION_ORDER = ("estate", "town", "county", "province")
OSM_ATTRIBUTION = "Counties: © OpenStreetMap contributors, ODbL"


def utility_status(row: Any) -> str:
    """``deficit`` (a water or power deficit, or no water or power), ``supplied`` (both) or
    ``unknown``, from a registry row's figures."""
    water, power = (_float(row.get(c)) for c in ("water_deficit_lps", "power_deficit_mw"))
    has_water, has_power = (flag(row.get(c)) for c in ("has_water", "has_power"))
    return status_of(water, power, has_water, has_power)


def flag(value: object) -> bool | None:
    """A registry flag (``has_water``...): None when unknown."""
    return None if _missing(value) else bool(value)


def status_of(water: float, power: float, has_water: bool | None, has_power: bool | None) -> str:
    """:func:`utility_status` of an estate's water and power deficits (NaN: unknown) and its
    ``has_water`` / ``has_power`` flags (None: unknown)."""
    if water > 0 or power > 0 or has_water is False or has_power is False:
        return "deficit"
    if has_water is True and has_power is True:
        return "supplied"
    return "unknown"


def ring(utility_status: str, status: str) -> str:
    """The ring key: the utility status unless unknown, else the estate's stated status."""
    if utility_status != "unknown":
        return utility_status
    return _STATUS_RING.get(status, "unknown")


def year_suffix(year: object, digits: str) -> str:
    """« (۱۴۰۲)» for a statement year, "" when there is none."""
    text = _text(year)
    if not text:
        return ""
    try:
        value = int(float(text))
    except ValueError:
        return ""
    shown = format_number(value, digits=digits, decimals=0).replace("٬", "").replace(",", "")
    return f" ({shown})"


def operator_lines(operator: str) -> tuple[str, str] | None:
    """Popup lines (plain text) for an estate another body runs (None for ISIPO's or a
    planner's own)."""
    if operator in ("", "isipo"):
        return None
    fa, en = OPERATOR_LABELS.get(operator, (operator, operator))
    return (f"اداره: {fa} — جزو ۸۴۴ نیست", f"run by: {en} — not among the 844")


def source_parts(source: str, *, limit: int = 6) -> list[Any]:
    """The sources as parts, in order: report lines and other text first (strings), then
    links ``(1, address, site)`` (``http(s)`` addresses only, shown by their site), at most
    ``limit``, then "+ n more"; with " · " strings between them. Nothing is escaped: the map
    page makes text nodes and links of them, :func:`source_links` HTML."""
    parts = [p.strip() for p in source.split(" | ") if p.strip()] if " | " in source else []
    if not parts:
        parts = [source.strip()] if source.strip() else []
    links = [p for p in parts if p.startswith(("http://", "https://"))]
    out: list[Any] = [p for p in parts if not p.startswith(("http://", "https://"))]
    out += [(1, url, urlsplit(url).netloc.removeprefix("www.") or url) for url in links[:limit]]
    if len(links) > limit:
        out.append(f"+ {len(links) - limit}")
    return [x for i, part in enumerate(out) for x in ((" · ", part) if i else (part,))]


def source_links(source: str, *, limit: int = 6) -> str:
    """:func:`source_parts` as escaped HTML (links open in a new tab)."""
    return "".join(
        escape(p)
        if isinstance(p, str)
        else f'<a href="{escape(p[1])}" target="_blank" rel="noopener noreferrer">'
        f"{escape(p[2])}</a>"
        for p in source_parts(source, limit=limit)
    )


def head_lines(row: Any, utility_status: str, digits: str) -> tuple[str, list[str], list[str]]:
    """(ring key, Persian lines, English lines) that open an estate's popup, as plain text:
    kind · status with the statement's year, what the ring says (unless it is the status), who
    runs it when not ISIPO."""
    kind = _text(row.get("kind"))
    kfa, ken = KIND_LABELS.get(kind, (kind, kind))
    status = _text(row.get("status"))
    sfa, sen = STATUS_LABELS.get(status or "unknown", (status, status))
    key = ring(utility_status, status)
    _, ufa, uen = RING[key]
    if status:
        sfa += year_suffix(row.get("status_year"), digits)
        sen += year_suffix(row.get("status_year"), "latin")
    lines_fa = [f"{kfa} · {sfa}"]
    lines_en = [f"{ken} · {sen}"]
    if key in ("deficit", "supplied") or not status:
        lines_fa.append(ufa)
        lines_en.append(uen)
    run_by = operator_lines(_text(row.get("operator")))
    if run_by:
        lines_fa.append(run_by[0])
        lines_en.append(run_by[1])
    return key, lines_fa, lines_en


def precision_rows(precisions: list[str], digits: str) -> list[str]:
    """Legend rows: how many estates are drawn at each location precision (``precisions``: one
    per drawn estate)."""
    from collections import Counter

    counts = Counter(precisions)
    rows = []
    for p in PRECISION_ORDER:
        if not counts.get(p):
            continue
        fa, en = PRECISION_LABELS[p]
        n_fa = format_number(counts[p], digits=digits, decimals=0)
        n_en = format_number(counts[p], digits="latin", decimals=0)
        rows.append(
            f"<tr><td>{escape(n_fa)}</td><td>{escape(fa)} "
            f'<span class="ig-en">{escape(en)}: {escape(n_en)}</span></td></tr>'
        )
    return rows


def county_shapes(province: str) -> list[Any]:
    """The county borders of one province, encoded like the province shapes (1/SCALE degree);
    [] when the counties are not available or ``province`` is not a key."""
    return list(_county_shapes().get(province, ()))


@cache
def _county_shapes() -> dict[str, tuple[Any, ...]]:
    """Every province's encoded county borders, by province key: the counties are read and
    encoded once per process, not once per page."""
    from isipo_geo.errors import DataFileError
    from isipo_geo.registry import counties as _counties

    try:
        found = _counties.load_counties()
    except DataFileError:
        return {}
    shapes: dict[str, list[Any]] = {}
    encoded = encode_polygons_many(found.geometry.values, scale=SCALE)
    for key, shape in zip(found["province"].tolist(), encoded, strict=True):
        shapes.setdefault(str(key), []).append(shape)
    return {key: tuple(value) for key, value in shapes.items()}

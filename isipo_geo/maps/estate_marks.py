"""What an estate marker says beyond its name: the ring, the source links, the statement year,
the operator, the legend's counts by location precision, and the county borders of a province
page (OpenStreetMap, ODbL).

Pure helpers for :mod:`isipo_geo.maps.leaflet`; every string they return is escaped HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from isipo_geo.labels import KIND_LABELS, OPERATOR_LABELS, PRECISION_LABELS, STATUS_LABELS
from isipo_geo.maps.data import SCALE, _float, _missing, _text, encode_polygons
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
PRECISION_ORDER = ("estate", "town", "county", "province")
OSM_ATTRIBUTION = "Counties: © OpenStreetMap contributors, ODbL"


def utility_status(row: Any) -> str:
    """``deficit`` (a water or power deficit, or no water or power), ``supplied`` (both) or
    ``unknown``, from a registry row's figures."""
    import math

    deficits = [_float(row.get(c)) for c in ("water_deficit_lps", "power_deficit_mw")]
    flags = [row.get(c) for c in ("has_water", "has_power")]
    if any(d > 0 for d in deficits if not math.isnan(d)) or any(
        not _missing(f) and not bool(f) for f in flags
    ):
        return "deficit"
    if all(not _missing(f) and bool(f) for f in flags):
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
    """Popup lines for an estate another body runs (None for ISIPO's or a planner's own)."""
    if operator in ("", "isipo"):
        return None
    fa, en = OPERATOR_LABELS.get(operator, (operator, operator))
    return (
        f"اداره: {escape(fa)} — جزو ۸۴۴ نیست",
        f"run by: {escape(en)} — not among the 844",
    )


def source_links(source: str, *, limit: int = 6) -> str:
    """The sources as links (``http(s)`` addresses, shown by their site) and report lines as
    text, escaped; at most ``limit`` links, then "+ n more"."""
    parts = [p.strip() for p in source.split(" | ") if p.strip()] if " | " in source else []
    if not parts:
        parts = [source.strip()] if source.strip() else []
    out: list[str] = []
    links = [p for p in parts if p.startswith(("http://", "https://"))]
    for p in parts:
        if not p.startswith(("http://", "https://")):
            out.append(escape(p))
    for url in links[:limit]:
        site = urlsplit(url).netloc.removeprefix("www.") or url
        out.append(
            f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(site)}</a>'
        )
    if len(links) > limit:
        out.append(f"+ {len(links) - limit}")
    return " · ".join(out)


def head_lines(row: Any, utility_status: str, digits: str) -> tuple[str, list[str], list[str]]:
    """(ring key, Persian lines, English lines) that open an estate's popup: kind · status with
    the statement's year, what the ring says (unless it is the status), who runs it when not
    ISIPO."""
    kind = _text(row.get("kind"))
    kfa, ken = KIND_LABELS.get(kind, (kind, kind))
    status = _text(row.get("status"))
    sfa, sen = STATUS_LABELS.get(status or "unknown", (status, status))
    key = ring(utility_status, status)
    _, ufa, uen = RING[key]
    if status:
        sfa += year_suffix(row.get("status_year"), digits)
        sen += year_suffix(row.get("status_year"), "latin")
    lines_fa = [f"{escape(kfa)} · {escape(sfa)}"]
    lines_en = [f"{escape(ken)} · {escape(sen)}"]
    if key in ("deficit", "supplied") or not status:
        lines_fa.append(escape(ufa))
        lines_en.append(escape(uen))
    run_by = operator_lines(_text(row.get("operator")))
    if run_by:
        lines_fa.append(run_by[0])
        lines_en.append(run_by[1])
    return key, lines_fa, lines_en


def tail_lines(row: Any) -> tuple[list[str], list[str]]:
    """The popup's last lines: how approximate the location is (and the county), the sources
    as links (once, under the Persian text: the links serve both readers)."""
    lines_fa: list[str] = []
    lines_en: list[str] = []
    precision = _text(row.get("location_precision"))
    if precision in PRECISION_LABELS:
        pfa, pen = PRECISION_LABELS[precision]
        county = _text(row.get("county"))
        lines_fa.append(escape(pfa) + (f" — {escape(county)}" if county else ""))
        lines_en.append(escape(pen))
    source = _text(row.get("source"))
    if source:
        lines_fa.append('منبع <span class="ig-en">source</span>: ' + source_links(source))
    return lines_fa, lines_en


def precision_rows(markers: list[dict[str, Any]], digits: str) -> list[str]:
    """Legend rows: how many estates are drawn at each location precision."""
    counts: dict[str, int] = {}
    for m in markers:
        counts[m["precision"]] = counts.get(m["precision"], 0) + 1
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
    [] when the counties are not available."""
    from isipo_geo.errors import DataFileError
    from isipo_geo.registry.counties import load_counties

    try:
        counties = load_counties(province)
    except DataFileError:
        return []
    return [encode_polygons(g, scale=SCALE) for g in counties.geometry.values]

"""The estates on the maps: one marker per located estate, with its popup lines (pure; no HTML
page). Built from the estate table's columns, never row by row, so a registry of 84,400 estates
takes about a second.

Every string from data is escaped here (:func:`isipo_geo.maps.html.escape`); numbers follow
the rule of their unit (:func:`isipo_geo.display.format_number`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from isipo_geo.display import format_number, money_unit
from isipo_geo.errors import InputError
from isipo_geo.labels import (
    KIND_LABELS,
    PRECISION_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    _label,
)
from isipo_geo.maps.data import TOTAL, ProvinceNeeds, _missing, _text
from isipo_geo.maps.html import escape

if TYPE_CHECKING:
    import geopandas as gpd

ESTATE_COLUMNS = ("name_fa", "kind")

# Okabe-Ito colours (colour-blind safe) for the kinds of estate; outline by utility status.
KIND_COLORS = {
    "industrial_estate": "#0072B2",
    "industrial_zone": "#009E73",
    "special_economic_zone": "#CC79A7",
    "technology_estate": "#56B4E9",
    "": "#777777",
}
UTILITY_STATUS = {  # status -> (outline colour, Persian, English)
    "deficit": ("#d7191c", "کمبود آب یا برق", "water or power deficit"),
    "supplied": ("#ffffff", "آب و برق تأمین", "water and power supplied"),
    "unknown": ("#555555", "وضعیت نامعلوم", "status unknown"),
}


def _money_labels(needs: ProvinceNeeds) -> tuple[str, str]:
    from isipo_geo.finance.money import CURRENCY_LABELS

    return CURRENCY_LABELS.get((needs.currency, needs.scale), (needs.currency, needs.currency))


def _utility_status(deficits: list[list[float]], flags: list[list[Any]]) -> list[str]:
    """Per estate: ``deficit`` (a water or power deficit > 0, or no water or power),
    ``supplied`` (water and power both yes) or ``unknown``."""
    out = []
    for gaps, has in zip(zip(*deficits, strict=True), zip(*flags, strict=True), strict=True):
        if any(d > 0 for d in gaps) or any(not _missing(f) and not bool(f) for f in has):
            out.append("deficit")
        elif all(not _missing(f) and bool(f) for f in has):
            out.append("supplied")
        else:
            out.append("unknown")
    return out


def _column(estates: gpd.GeoDataFrame, name: str) -> list[Any]:
    """A column as a list (``None`` for each row when the table lacks it)."""
    return estates[name].tolist() if name in estates.columns else [None] * len(estates)


def _floats(estates: gpd.GeoDataFrame, name: str) -> list[float]:
    """A numeric column as floats, NaN when unknown."""
    import numpy as np
    import pandas as pd

    if name not in estates.columns:
        return [math.nan] * len(estates)
    values = pd.to_numeric(estates[name], errors="coerce").astype("float64")
    return np.asarray(values, dtype="float64").tolist()


def estate_markers(
    estates: gpd.GeoDataFrame | None, needs: ProvinceNeeds, *, digits: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One marker per located estate, sorted by id, built from the table's columns (no per-row
    lookups: 84,400 estates take about a second); estates without a point, or located only to
    their province, are counted per province instead."""
    if estates is None or len(estates) == 0:
        return [], {}
    import numpy as np
    import shapely

    missing = [c for c in ESTATE_COLUMNS if c not in estates.columns]
    if missing:
        raise InputError(f"the estates table lacks the columns {', '.join(missing)}")
    money_fa, money_en = _money_labels(needs)
    money = money_unit(needs.currency, needs.scale)
    ids = [str(i) for i in estates.index]
    order = sorted(range(len(ids)), key=ids.__getitem__)
    geoms = np.asarray(estates.geometry.values, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    xs = np.full(len(geoms), math.nan)
    ys = np.full(len(geoms), math.nan)
    if (~empty).any():
        xs[~empty] = shapely.get_x(geoms[~empty])
        ys[~empty] = shapely.get_y(geoms[~empty])
    xs, ys = np.round(xs, 5).tolist(), np.round(ys, 5).tolist()
    empty = empty.tolist()
    province = [_text(v) for v in _column(estates, "province")]
    precision = [_text(v) for v in _column(estates, "location_precision")]
    kind = [_text(v) for v in _column(estates, "kind")]
    status = [_text(v) or "unknown" for v in _column(estates, "status")]
    name_fa = [_text(v) for v in _column(estates, "name_fa")]
    name_en = [_text(v) for v in _column(estates, "name_en")]
    source = [_text(v) for v in _column(estates, "source")]
    gaps = [_floats(estates, c) for c in ("water_deficit_lps", "power_deficit_mw")]
    has = [_column(estates, c) for c in ("has_water", "has_power")]
    ustatus = _utility_status(gaps, has)
    gap_labels = [
        (UTILITY_LABELS[utility], UNIT_LABELS[unit], unit)
        for utility, unit in (("water", "lps"), ("power", "mw"))
    ]
    utility_order = {u: i for i, u in enumerate(UTILITY_LABELS)}
    markers: list[dict[str, Any]] = []
    unlocated: dict[str, int] = {}
    for i in order:
        if empty[i] or precision[i] == "province":
            unlocated[province[i]] = unlocated.get(province[i], 0) + 1
            continue
        kfa, ken = _label(KIND_LABELS, kind[i])
        sfa, sen = _label(STATUS_LABELS, status[i])
        _, ufa, uen = UTILITY_STATUS[ustatus[i]]
        lines_fa = [f"{escape(kfa)} · {escape(sfa)}", escape(ufa)]
        lines_en = [f"{escape(ken)} · {escape(sen)}", escape(uen)]
        for column, ((lfa, len_), (unit_fa, unit_en), unit) in zip(gaps, gap_labels, strict=True):
            amount = column[i]
            if not math.isnan(amount):
                lines_fa.append(
                    f"کمبود {lfa}: {escape(format_number(amount, digits=digits, unit=unit))} "
                    f"{unit_fa}"
                )
                lines_en.append(
                    f"{len_} deficit: {format_number(amount, digits='latin', unit=unit)} {unit_en}"
                )
        estate_need = needs.estate_need.get(ids[i], {})
        for utility in sorted(estate_need, key=lambda u: (utility_order.get(u, 99), u)):
            value = estate_need[utility]
            if utility == TOTAL or math.isnan(value):
                continue
            lfa, len_ = _label(UTILITY_LABELS, utility)
            lines_fa.append(
                f"نیاز {escape(lfa)}: {escape(format_number(value, digits=digits, unit=money))} "
                f"{escape(money_fa)}"
            )
            lines_en.append(
                f"{escape(len_)} need: {format_number(value, digits='latin', unit=money)} "
                f"{escape(money_en)}"
            )
        if precision[i] in PRECISION_LABELS:
            pfa, pen = PRECISION_LABELS[precision[i]]
            lines_fa.append(pfa)
            lines_en.append(pen)
        if source[i]:
            lines_en.append("source: " + escape(source[i]))
        markers.append(
            {
                "id": ids[i],
                "province": province[i],
                "lat": ys[i],
                "lon": xs[i],
                "kind": kind[i] if kind[i] in KIND_COLORS else "",
                "status": ustatus[i],
                "approx": precision[i] != "estate",
                "name_fa": escape(name_fa[i]),
                "name_en": escape(name_en[i]),
                "lines_fa": lines_fa,
                "lines_en": lines_en,
            }
        )
    return markers, unlocated

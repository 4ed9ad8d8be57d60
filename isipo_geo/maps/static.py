"""Static PNG maps for reports (matplotlib), drawn from the same data as the HTML maps.

Persian text is given to matplotlib as is: since 3.11 matplotlib joins and orders Arabic-script
text itself, and its bundled DejaVu Sans has the Persian letters. (The old recipe of
``arabic-reshaper`` + ``python-bidi`` now reverses the text a second time; do not use it.)
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.io import atomic_write
from isipo_geo.maps import credits as _credits
from isipo_geo.maps.html import format_number
from isipo_geo.maps.leaflet import (
    GREY_FILL,
    GREY_LINE,
    KIND_COLORS,
    KIND_LABELS,
    NODATA_COLOR,
    PALETTE,
    SCENARIO_LABELS,
    TOTAL,
    UTILITY_LABELS,
    UTILITY_STATUS,
    MapData,
    class_colors,
    class_ranges,
    is_estimate,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"
HATCH = (0, 0, 0, 0.35)  # estimate hatching: translucent black, visible on every class colour


def _path(geom: Any) -> Any:
    """A matplotlib Path of a (multi)polygon, holes included."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            vertices.append(xy)
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def draw_map(data: MapData, *, focus: str | None = None, layer: str = TOTAL) -> Figure:
    """Draw the national map (``focus=None``) or one province's map as a matplotlib Figure.

    Parameters
    ----------
    data
        From :func:`isipo_geo.maps.map_data`.
    focus
        A province key: zoom to it and grey its neighbours.
    layer
        Which need to colour by: ``"total"`` or a utility of the funding table.

    Raises
    ------
    InputError
        Unknown ``focus`` or ``layer``.
    """
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch, Rectangle

    needs = data.needs
    if layer not in needs.layers:
        raise InputError(f"no layer {layer!r}; the funding table has {', '.join(needs.layers)}")
    if focus is not None and focus not in data.provinces.index:
        raise InputError(f"unknown province key {focus!r}")
    digits = data.digits
    classes, bins = data.classes[layer]
    colors = class_colors(len(bins))
    fig = Figure(figsize=(10, 8.6), dpi=110)
    ax = fig.add_axes((0.01, 0.045, 0.98, 0.825))  # room below for the two-line credit
    ax.set_axis_off()
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for i, key in enumerate(data.provinces.index):
        geom = data.provinces.geometry.iloc[i]
        basis = needs.basis.loc[key, layer]
        if focus is not None and key != focus:
            style = {"facecolor": GREY_FILL, "edgecolor": GREY_LINE, "linewidth": 0.5}
        elif classes[i] < 0:
            style = {"facecolor": NODATA_COLOR, "edgecolor": "#3b3b3b", "linewidth": 0.5}
        else:
            color = PALETTE[colors[classes[i]]]
            style = {"facecolor": color, "edgecolor": "#3b3b3b", "linewidth": 0.5}
            if is_estimate(basis):
                style.update(hatch="///", hatchcolor=HATCH, linestyle=(0, (4, 2)), linewidth=0.7)
        ax.add_patch(PathPatch(_path(geom), **style))
        row = data.provinces.loc[key]
        ax.text(
            row["label_lon"],
            row["label_lat"],
            str(row["name_fa"]),
            fontsize=6.5 if focus is None else 8,
            ha="center",
            va="center",
            family=FONT,
            color="#1f1f1f",
            path_effects=halo,
            clip_on=True,
        )
    frame = data.provinces if focus is None else data.provinces.loc[[focus]]
    west, south, east, north = frame.total_bounds
    pad = 0.04 * max(east - west, north - south)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))

    markers = [m for m in data.estates if focus is None or m["province"] == focus]
    for m in markers:
        ax.plot(
            m["lon"],
            m["lat"],
            marker="o",
            markersize=6,
            color=KIND_COLORS[m["kind"]],
            markeredgecolor=UTILITY_STATUS[m["status"]][0],
            markeredgewidth=1.5,
            zorder=3,
        )

    money_fa, money_en = _money(data)
    ufa, uen = UTILITY_LABELS.get(layer, (layer, layer))
    sfa, sen = SCENARIO_LABELS.get(needs.scenario, (needs.scenario, needs.scenario))
    year_fa, year_en = _credits.year_words(data.year, digits)
    if focus is None:
        where_fa, where_en = "شهرک‌های صنعتی", "industrial estates"
    else:
        row = data.provinces.loc[focus]
        where_fa, where_en = f"استان {row['name_fa']}", f"{row['name_en']} province"
    fig.text(
        0.5,
        0.965,
        f"نیاز مالی {ufa} — {where_fa} — {year_fa}",
        ha="center",
        va="center",
        fontsize=15,
        family=FONT,
        weight="bold",
    )
    fig.text(
        0.5,
        0.925,
        f"Financing need ({uen}) — {where_en} — {year_en}",
        ha="center",
        va="center",
        fontsize=11,
        family=FONT,
        color="#333333",
    )
    fig.text(
        0.5,
        0.893,
        f"{money_fa} · {sfa}   /   {money_en} · {sen}",
        ha="center",
        va="center",
        fontsize=9,
        family=FONT,
        color="#333333",
    )

    handles, labels = [], []
    for ci, (low, high) in enumerate(class_ranges(needs.need[layer], classes, bins)):
        a, b = format_number(low, digits=digits), format_number(high, digits=digits)
        handles.append(Rectangle((0, 0), 1, 1, facecolor=PALETTE[colors[ci]], edgecolor="#3b3b3b"))
        labels.append(b if a == b else f"{a} تا {b}")
    if any(c < 0 for c in classes):
        handles.append(Rectangle((0, 0), 1, 1, facecolor=NODATA_COLOR, edgecolor="#3b3b3b"))
        labels.append("بدون داده / no data")
    bases = {str(v) for v in needs.basis[layer].to_numpy()}
    for fa, en in _credits.basis_rows(bases, data.sources, digits, short=True):
        handles.append(Rectangle((0, 0), 1, 1, facecolor=PALETTE[2], edgecolor="#3b3b3b"))
        labels.append(f"{fa} / {en}")
    if any(is_estimate(b) for b in bases):
        handles.append(
            Rectangle(
                (0, 0),
                1,
                1,
                facecolor=PALETTE[2],
                edgecolor="#3b3b3b",
                hatch="///",
                hatchcolor=HATCH,
                linestyle=(0, (4, 2)),
            )
        )
        labels.append("برآورد (تخصیص) / estimate (allocated)")
    for kind in sorted({m["kind"] for m in markers}, key=list(KIND_COLORS).index):
        kfa, ken = KIND_LABELS.get(kind, ("سایر", "other"))
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=KIND_COLORS[kind],
                markeredgecolor="white",
                markersize=7,
            )
        )
        labels.append(f"{kfa} / {ken}")
    legend = ax.legend(
        handles,
        labels,
        loc="lower left",
        fontsize=8,
        frameon=True,
        framealpha=0.92,
        prop={"family": FONT, "size": 8},
    )
    legend.get_frame().set_edgecolor("#999999")
    fig.text(
        0.99,
        0.006,
        credit_text(data),
        ha="right",
        va="bottom",
        fontsize=7,
        family=FONT,
        color="#555555",
    )
    return fig


def credit_text(data: MapData) -> str:
    """The PNG's credit line: the borders' source and every source of the figures, with its
    year (the report's 1400, a registry's file and year, or "year unknown")."""
    fa, en = _credits.credit_words(data.sources, data.digits)
    return f"مرزها: Natural Earth · داده: {fa}\nBorders: Natural Earth · data: {en}"


def _money(data: MapData) -> tuple[str, str]:
    from isipo_geo.finance.money import CURRENCY_LABELS

    key = (data.needs.currency, data.needs.scale)
    return CURRENCY_LABELS.get(key, (data.needs.currency, data.needs.currency))


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes, without a software/date stamp (same input, same bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def write_png(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write the figure as a PNG file, atomically."""
    path = Path(path)
    data = png_bytes(fig)
    with atomic_write(path, mode="wb") as f:
        f.write(data)
    return path

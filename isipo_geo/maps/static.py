"""Static maps for Word and print (matplotlib): PNG, SVG and PDF, drawn from the same data as
the HTML maps.

Sized for paper: ``width_cm`` (default 16 cm, a page's text width) at ``dpi`` (default 300), with
text sizes in points, so province names are ≥ 2 mm tall once printed. The legend sits under
the map (it never hides a province) and lists every symbol drawn — need classes present on this
map, reported / estimate, estate kinds, utility-status rings, approximate locations — and how
many estates are not shown. A scale bar and a north arrow sit in the map's corners; province
names move off estate markers and off each other.

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

from isipo_geo.display import format_number, money_unit
from isipo_geo.errors import InputError
from isipo_geo.io import atomic_write
from isipo_geo.maps import credits as _credits
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
from isipo_geo.maps.markers import records, select

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"
HATCH = (0, 0, 0, 0.35)  # estimate hatching: translucent black, visible on every class colour
FORMATS = ("png", "svg", "pdf")
LABEL_PT = {"national": 6.5, "province": 8.0}  # 6.5 pt ≈ 2.3 mm em: ≥ 2 mm once printed
MARKER_PT = 5.5
NICE_KM = (10, 20, 25, 50, 100, 200, 250, 500)


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


def draw_map(
    data: MapData,
    *,
    focus: str | None = None,
    layer: str = TOTAL,
    width_cm: float = 16.0,
    dpi: int = 300,
) -> Figure:
    """Draw the national map (``focus=None``) or one province's map as a matplotlib Figure.

    Parameters
    ----------
    data
        From :func:`isipo_geo.maps.map_data`.
    focus
        A province key: zoom to it and grey its neighbours.
    layer
        Which need to colour by: ``"total"`` or a utility of the funding table.
    width_cm, dpi
        The printed width and resolution (a PNG is ``width_cm / 2.54 * dpi`` pixels wide); the
        height follows the map's shape and the legend.

    Raises
    ------
    InputError
        Unknown ``focus`` or ``layer``, or a size out of range (2–100 cm, 50–1200 dpi).
    """
    from matplotlib import patheffects
    from matplotlib.figure import Figure

    needs = data.needs
    if layer not in needs.layers:
        raise InputError(f"no layer {layer!r}; the funding table has {', '.join(needs.layers)}")
    if focus is not None and focus not in data.provinces.index:
        raise InputError(f"unknown province key {focus!r}")
    check_size(width_cm, dpi)
    frame = data.provinces if focus is None else data.provinces.loc[[focus]]
    west, south, east, north = (float(v) for v in frame.total_bounds)
    pad = 0.04 * max(east - west, north - south)
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    cos_lat = math.cos(math.radians((south + north) / 2))
    markers = records(data.estates, select(data.estates, focus))
    unlocated = sum(n for p, n in data.unlocated.items() if focus is None or p == focus)
    entries = _legend_entries(data, layer, focus, markers, unlocated)

    width_in = width_cm / 2.54
    map_h_in = min(width_in * (north - south) / ((east - west) * cos_lat), width_in * 1.1)
    title_in, credit_in = 0.62, 0.3  # the credit has two lines (Persian, English)
    legend_rows = _legend_layout(entries, width_in)[1]
    legend_in = 0.12 + 0.17 * legend_rows
    height_in = title_in + map_h_in + legend_in + credit_in
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = fig.add_axes(
        (0.01, (legend_in + credit_in) / height_in, 0.98, map_h_in / height_in),
    )
    ax.set_axis_off()
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / cos_lat)
    _draw_provinces(ax, data, layer, focus)
    _draw_markers(ax, markers)
    halo = [patheffects.withStroke(linewidth=1.6, foreground="white")]
    furniture = _scale_bar(ax, west, east, south, north, cos_lat, data.digits, halo)
    furniture += _north_arrow(ax, halo)
    _place_labels(fig, ax, data, focus, markers, halo, avoid=furniture)
    _titles(fig, data, layer, focus, top=1 - 0.06 / height_in, height_in=height_in)
    _legend(fig, entries, top_in=legend_in + credit_in - 0.06, height_in=height_in)
    fig.text(
        0.99,
        0.03 / height_in,
        credit_text(data, towns=any(m["approx"] for m in markers)),
        ha="right",
        va="bottom",
        fontsize=5.5,
        family=FONT,
        color="#555555",
    )
    return fig


def _draw_provinces(ax: Any, data: MapData, layer: str, focus: str | None) -> None:
    """The provinces filled by their class of ``layer`` (estimates hatched and dashed, no data
    in its own colour); with a ``focus``, the others grey."""
    from matplotlib.patches import PathPatch

    classes, bins = data.classes[layer]
    colors = class_colors(len(bins))
    for i, key in enumerate(data.provinces.index):
        geom = data.provinces.geometry.iloc[i]
        if focus is not None and key != focus:
            style = {"facecolor": GREY_FILL, "edgecolor": GREY_LINE, "linewidth": 0.4}
        elif classes[i] < 0:
            style = {"facecolor": NODATA_COLOR, "edgecolor": "#3b3b3b", "linewidth": 0.4}
        else:
            style = {"facecolor": PALETTE[colors[classes[i]]], "edgecolor": "#3b3b3b"}
            style["linewidth"] = 0.4
            if is_estimate(data.needs.basis.loc[key, layer]):
                style.update(hatch="///", hatchcolor=HATCH, linestyle=(0, (4, 2)), linewidth=0.5)
        ax.add_patch(PathPatch(_path(geom), **style))


def _draw_markers(ax: Any, markers: list[dict]) -> None:
    """The estates as points coloured by kind, ringed by status (dashed: located at a town)."""
    if not markers:
        return
    ax.scatter(
        [m["lon"] for m in markers],
        [m["lat"] for m in markers],
        s=MARKER_PT**2,
        c=[KIND_COLORS[m["kind"]] for m in markers],
        edgecolors=[_ring(m["status"]) for m in markers],
        linewidths=1.1,
        linestyles=["--" if m["approx"] else "-" for m in markers],
        zorder=3,
    )


def check_size(width_cm: float, dpi: int) -> None:
    """Refuse a printed size out of range (2–100 cm, 50–1200 dpi) with one clear line."""
    if not (2 <= width_cm <= 100) or not (50 <= dpi <= 1200):
        raise InputError(
            f"--width-cm {width_cm:g} at --dpi {dpi}: use 2 to 100 cm and 50 to 1200 dpi"
        )


def credit_text(data: MapData, *, towns: bool = False) -> str:
    """The static map's credit: the borders' source and every source of the figures, with its
    year (the report's 1400, a registry's file and year, or "year unknown"); GeoNames when
    ``towns`` (estates placed at their town) are drawn."""
    fa, en = _credits.credit_words(data.sources, data.digits)
    town_fa, town_en = (" · شهرها: GeoNames (CC BY 4.0)", " · towns: GeoNames (CC BY 4.0)")
    if not towns:
        town_fa = town_en = ""
    return (
        f"مرزها: Natural Earth · داده: {fa}{town_fa}\nBorders: Natural Earth · data: {en}{town_en}"
    )


def _ring(status: str) -> str:
    """The outline colour of an estate marker: its utility status (white drawn light grey on
    paper, so a supplied estate still has a visible ring)."""
    color = UTILITY_STATUS[status][0]
    return "#bdbdbd" if color.lower() == "#ffffff" else color


def _place_labels(fig, ax, data: MapData, focus, markers, halo, *, avoid=()) -> None:
    """Province names at their label points, moved (up, down, sideways, diagonally) when they
    would cover an estate marker, another name, the scale bar or the north arrow (``avoid``);
    a name that fits nowhere stays at its point."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    size = LABEL_PT["national" if focus is None else "province"]
    px = fig.dpi / 72  # pixels per point
    r = (MARKER_PT / 2 + 1.2) * px
    taken = (
        [
            Bbox.from_extents(x - r, y - r, x + r, y + r)
            for x, y in ax.transData.transform([(m["lon"], m["lat"]) for m in markers])
        ]
        if markers
        else []
    )
    taken += [artist.get_window_extent(renderer) for artist in avoid]
    axes_box = ax.get_window_extent(renderer)
    keys = (
        data.provinces.index
        if focus is None
        else [focus, *[k for k in data.provinces.index if k != focus]]
    )
    for key in keys:
        row = data.provinces.loc[key]
        x, y = float(row["label_lon"]), float(row["label_lat"])
        text = ax.text(
            x,
            y,
            str(row["name_fa"]),
            fontsize=size if key == focus or focus is None else size - 1,
            ha="center",
            va="center",
            family=FONT,
            color="#1f1f1f" if key == focus or focus is None else "#555555",
            path_effects=halo,
            clip_on=True,
            zorder=4,
        )
        box = text.get_window_extent(renderer)
        if not axes_box.contains(*box.min) or not axes_box.contains(*box.max):
            text.remove()  # a neighbour's name outside the frame
            continue
        step, side = box.height * 0.9, box.width * 0.55
        moves = [(0, 0), (0, step), (0, -step), (side, 0), (-side, 0)]
        moves += [(dx, dy) for dy in (step, -step) for dx in (side, -side)]
        moves += [(0, 2 * step), (0, -2 * step), (0, 3 * step), (0, -3 * step)]
        for dx, dy in moves:
            moved = Bbox.from_extents(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)
            if not any(moved.overlaps(t) for t in taken):
                if dx or dy:
                    text.set_position(
                        ax.transData.inverted().transform(ax.transData.transform((x, y)) + (dx, dy))
                    )
                taken.append(moved)
                break
        else:
            taken.append(box)


def _scale_bar(ax, west, east, south, north, cos_lat, digits, halo) -> list:
    """A scale bar in the lower left corner (km at the map's middle latitude); its artists."""
    km_per_deg = 111.32 * cos_lat
    target = (east - west) * km_per_deg / 5
    km = max([k for k in NICE_KM if k <= target] or [NICE_KM[0]])
    length = km / km_per_deg
    x0 = west + 0.04 * (east - west)
    y0 = south + 0.06 * (north - south)
    tick = 0.012 * (north - south)
    artists = ax.plot(
        [x0, x0 + length],
        [y0, y0],
        color="#1f1f1f",
        linewidth=1.4,
        zorder=5,
        solid_capstyle="butt",
    )
    for x in (x0, x0 + length / 2, x0 + length):
        artists += ax.plot([x, x], [y0, y0 + tick], color="#1f1f1f", linewidth=0.8, zorder=5)
    common = {"ha": "center", "fontsize": 6, "family": FONT, "path_effects": halo, "zorder": 5}
    fa = f"{format_number(km, digits=digits, decimals=0)} کیلومتر"
    artists.append(ax.text(x0 + length / 2, y0 + 1.6 * tick, fa, va="bottom", **common))
    artists.append(ax.text(x0 + length / 2, y0 - tick, f"{km} km", va="top", **common))
    return artists


def _north_arrow(ax, halo) -> list:
    """A north arrow in the upper right corner (the map is drawn north up); its artists."""
    arrow = ax.annotate(
        "",
        xy=(0.96, 0.98),
        xytext=(0.96, 0.89),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "#1f1f1f",
            "linewidth": 1.2,
        },
        zorder=5,
    )
    label = ax.text(
        0.96,
        0.875,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=7,
        family=FONT,
        weight="bold",
        path_effects=halo,
        zorder=5,
    )
    return [arrow, label]


def _titles(fig, data: MapData, layer: str, focus, *, top: float, height_in: float) -> None:
    needs = data.needs
    money_fa, money_en = _money(data)
    ufa, uen = UTILITY_LABELS.get(layer, (layer, layer))
    sfa, sen = SCENARIO_LABELS.get(needs.scenario, (needs.scenario, needs.scenario))
    year = data.year if focus is None else (needs.years.get(focus) or data.year)
    year_fa, year_en = _credits.year_words(year, data.digits)
    if focus is None:
        where_fa, where_en = "شهرک‌های صنعتی", "industrial estates"
    else:
        row = data.provinces.loc[focus]
        where_fa, where_en = f"استان {row['name_fa']}", f"{row['name_en']} province"
    line = 0.17 / height_in
    fig.text(
        0.5,
        top,
        f"نیاز مالی {ufa} — {where_fa} — {year_fa}",
        ha="center",
        va="top",
        fontsize=10.5,
        family=FONT,
        weight="bold",
    )
    fig.text(
        0.5,
        top - 1.25 * line,
        f"Financing need ({uen}) — {where_en} — {year_en}",
        ha="center",
        va="top",
        fontsize=7.5,
        family=FONT,
        color="#333333",
    )
    fig.text(
        0.5,
        top - 2.2 * line,
        f"{money_fa} · {sfa}   /   {money_en} · {sen}",
        ha="center",
        va="top",
        fontsize=6.5,
        family=FONT,
        color="#333333",
    )


def _legend_entries(data: MapData, layer: str, focus, markers, unlocated) -> list[tuple]:
    """(kind, style, Persian / English text) per legend row, only for what this map draws."""
    needs = data.needs
    digits = data.digits
    classes, bins = data.classes[layer]
    colors = class_colors(len(bins))
    shown = set(range(len(classes))) if focus is None else {list(data.provinces.index).index(focus)}
    entries: list[tuple] = []
    ranges = class_ranges(needs.need[layer], classes, bins)
    money = money_unit(needs.currency, needs.scale)
    every = _credits.every_province_words(
        needs.need[layer], needs.basis[layer], money, _money(data), digits
    )
    for ci, (low, high) in enumerate(ranges):
        if not any(classes[i] == ci for i in shown):
            continue
        if every is not None:  # one class: what every province reads
            entries.append(("patch", {"facecolor": PALETTE[colors[ci]]}, " / ".join(every)))
            continue
        a = format_number(low, digits=digits, unit=money)
        b = format_number(high, digits=digits, unit=money)
        entries.append(
            ("patch", {"facecolor": PALETTE[colors[ci]]}, b if a == b else f"{a} تا {b}")
        )
    if any(classes[i] < 0 for i in shown):
        entries.append(("patch", {"facecolor": NODATA_COLOR}, "بدون داده / no data"))
    bases = {needs.basis.iloc[i][layer] for i in shown if classes[i] >= 0}
    for fa, en in _credits.basis_rows(bases, data.sources, digits, short=True):
        entries.append(("patch", {"facecolor": "#ffffff"}, f"{fa} / {en}"))
    if any(is_estimate(b) for b in bases):
        entries.append(
            (
                "patch",
                {"facecolor": "#ffffff", "hatch": "///", "linestyle": (0, (4, 2))},
                "برآورد (تخصیص) / estimate (allocated)",
            )
        )
    if focus is not None:
        entries.append(
            (
                "patch",
                {"facecolor": GREY_FILL, "edgecolor": GREY_LINE},
                "استان‌های همسایه / neighbouring provinces",
            )
        )
    return entries + _marker_entries(markers, unlocated, digits)


def _marker_entries(markers: list[dict], unlocated: int, digits: str) -> list[tuple]:
    """The legend's rows for the estates drawn: their kinds, status rings, approximate places,
    and how many are not drawn for want of a precise location."""
    entries: list[tuple] = []
    for kind in sorted({m["kind"] for m in markers}, key=list(KIND_COLORS).index):
        kfa, ken = KIND_LABELS.get(kind, ("سایر", "other"))
        entries.append(
            ("dot", {"facecolor": KIND_COLORS[kind], "edgecolor": "#ffffff"}, f"{kfa} / {ken}")
        )
    for status in sorted({m["status"] for m in markers}, key=list(UTILITY_STATUS).index):
        _, sfa, sen = UTILITY_STATUS[status]
        entries.append(
            (
                "dot",
                {"facecolor": "#ffffff", "edgecolor": _ring(status)},
                f"حلقه: {sfa} / ring: {sen}",
            )
        )
    if any(m["approx"] for m in markers):
        entries.append(
            (
                "dot",
                {"facecolor": "#ffffff", "edgecolor": "#555555", "linestyle": "--"},
                "موقعیت تقریبی (شهر) / approximate location (town)"
                if all(m.get("precision", "town") in ("town", "estate") for m in markers)
                else "موقعیت تقریبی (شهر، شهرستان یا استان) / approximate location (town, "
                "county or province)",
            )
        )
    if unlocated:
        n = format_number(unlocated, digits=digits, decimals=0)
        entries.append(
            (
                "note",
                {},
                f"{n} مورد بدون موقعیت دقیق نمایش داده نشده / "
                f"not shown: {unlocated} without a precise location",
            )
        )
    return entries


_LEGEND_PT = 6.3  # legend text size, points
_CHAR_IN = _LEGEND_PT * 0.6 / 72  # a generous average character width at that size, inches


def _legend_layout(entries: list[tuple], width_in: float) -> tuple[list[tuple], int]:
    """Where each legend row goes: ``[(kind, style, text, column, row)], number of rows``.

    Short rows fill two columns (right to left); a row too long for half the width gets a row
    of its own, and one too long for the whole width is split into its Persian and English
    lines; notes come last, each on a row of its own.
    """
    half = int((width_in / 2 - 0.5) / _CHAR_IN)
    whole = int((width_in - 0.5) / _CHAR_IN)
    short = [e for e in entries if e[0] != "note" and len(e[2]) <= half]
    wide = [e for e in entries if e[0] != "note" and len(e[2]) > half]
    notes = [e for e in entries if e[0] == "note"]
    placed = [(*e, i % 2, i // 2) for i, e in enumerate(short)]
    row = math.ceil(len(short) / 2)
    for kind, style, text in [*wide, *notes]:
        lines = [text] if len(text) <= whole or " / " not in text else text.split(" / ", 1)
        placed.append((kind, style, lines[0], 0, row))
        placed += [("more", {}, extra, 0, row + k) for k, extra in enumerate(lines[1:], start=1)]
        row += len(lines)
    return placed, row


def _legend(fig, entries, *, top_in: float, height_in: float) -> None:
    """The legend's rows under the map (see :func:`_legend_layout`), right to left."""
    from matplotlib.patches import Circle, Rectangle

    width_in = fig.get_figwidth()
    row_in = 0.17
    for kind, style, text, col, row in _legend_layout(entries, width_in)[0]:
        right_in = width_in - 0.12 - col * (width_in / 2)
        y_in = top_in - (row + 0.5) * row_in
        x, y = right_in / width_in, y_in / height_in
        w, h = 0.22 / width_in, 0.11 / height_in
        if kind == "patch":
            fig.add_artist(
                Rectangle(
                    (x - w, y - h / 2),
                    w,
                    h,
                    transform=fig.transFigure,
                    edgecolor=style.get("edgecolor", "#3b3b3b"),
                    linewidth=0.6,
                    hatchcolor=HATCH,
                    **{k: v for k, v in style.items() if k != "edgecolor"},
                )
            )
        elif kind == "dot":
            fig.add_artist(
                Circle(
                    (x - w / 2, y),
                    0.045 / width_in,
                    transform=fig.transFigure,
                    linewidth=1.1,
                    **style,
                )
            )
        text_x = x - w - 0.06 / width_in if kind != "note" else x
        fig.text(text_x, y, text, ha="right", va="center", fontsize=_LEGEND_PT, family=FONT)


def _money(data: MapData) -> tuple[str, str]:
    from isipo_geo.finance.money import CURRENCY_LABELS

    key = (data.needs.currency, data.needs.scale)
    return CURRENCY_LABELS.get(key, (data.needs.currency, data.needs.currency))


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG, SVG or PDF bytes, without a software/date stamp (same input, same
    bytes)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fmt not in FORMATS:
        raise InputError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    FigureCanvasAgg(fig)
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }[fmt]
    buf = io.BytesIO()
    with rc_context({"svg.hashsalt": "isipo-geo", "svg.fonttype": "path"}):
        fig.savefig(buf, format=fmt, metadata=metadata, facecolor="white", dpi=fig.dpi)
    return buf.getvalue()


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (see :func:`figure_bytes`)."""
    return figure_bytes(fig, "png")


def write_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write the figure as PNG, SVG or PDF by the path's extension, atomically."""
    path = Path(path)
    data = figure_bytes(fig, path.suffix.lower().lstrip("."))
    with atomic_write(path, mode="wb") as f:
        f.write(data)
    return path


def write_png(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write the figure as a PNG file, atomically."""
    return write_figure(fig, Path(path))

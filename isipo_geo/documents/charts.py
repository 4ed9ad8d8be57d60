"""Small inline SVG charts for the briefs (pure: data in, SVG text out).

Right-to-left bar charts (``direction="rtl"``, so ``text-anchor="start"`` is a text's right
edge): the label on the right, the bar growing to the left, the value at the
bar's end. Sizes are in CSS pixels inside a ``viewBox`` so a chart scales with its column and
prints sharp (vector). Every text is escaped (:func:`isipo_geo.maps.html.escape`); the same
input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from isipo_geo.maps.html import escape, format_number

FONT = "Vazirmatn,Tahoma,'DejaVu Sans',sans-serif"
HATCH_ID = "ig-chart-hatch"


def _hatch_defs(color: str) -> str:
    return (
        f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{escape(color)}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="1.4" '
        'stroke-opacity="0.35"/></pattern></defs>'
    )


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    digits: str = "fa",
    number_unit: str | None = None,
    color: str = "#d95f0e",
    estimate: bool = False,
    width: int = 640,
    bar_px: int = 22,
    label_px: int = 170,
) -> str:
    """A horizontal bar chart, right to left.

    Parameters
    ----------
    bars
        ``(label, value)`` pairs in the order shown; ``None`` or NaN draws no bar and the value
        "—" (unknown, never 0).
    title
        Shown above the bars (also the chart's accessible name).
    unit
        Appended to each value.
    number_unit
        The values' unit for the number rule (``toman_billion``...: :mod:`isipo_geo.display`),
        so a bar reads as the tables and the map read the figure (185.5, not 186).
    estimate
        Hatch the bars (the figures are estimates, as on the maps).

    Examples
    --------
    >>> svg = bar_chart([("آب", 18.5), ("برق", None)], title="نیاز", digits="latin")
    >>> svg.count("<rect class=\\"bar\\""), "18.5" in svg, "—" in svg
    (1, True, True)
    """
    known = [v for _, v in bars if v is not None and not math.isnan(v)]
    top = max(known, default=0.0)
    head = 30
    height = head + len(bars) * (bar_px + 8) + 6
    plot = width - label_px - 12 - 90  # room for the value text on the left
    fill = f"url(#{HATCH_ID})" if estimate else escape(color)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="ig-chart" '
        f'font-family="{escape(FONT)}" font-size="13" direction="rtl">',
        f"<title>{escape(title)}</title>",
        _hatch_defs(color) if estimate else "",
        f'<text x="{width - 4}" y="18" text-anchor="start" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    right = width - label_px - 12
    for i, (label, value) in enumerate(bars):
        y = head + i * (bar_px + 8)
        parts.append(
            f'<text x="{width - 4}" y="{y + bar_px * 0.7:.1f}" text-anchor="start" '
            f'direction="rtl">{escape(label)}</text>'
        )
        missing = value is None or math.isnan(value)
        length = 0.0 if missing or top <= 0 else max(1.0, plot * float(value) / top)
        if length:
            parts.append(
                f'<rect class="bar" x="{right - length:.1f}" y="{y}" width="{length:.1f}" '
                f'height="{bar_px}" fill="{fill}" stroke="#3b3b3b" stroke-width="0.6"/>'
            )
        text = "—" if missing else format_number(value, digits=digits, unit=number_unit)
        if unit and not missing:
            text = f"{text} {unit}"
        parts.append(
            f'<text x="{right - length - 6:.1f}" y="{y + bar_px * 0.7:.1f}" text-anchor="start" '
            f'direction="rtl">{escape(text)}</text>'
        )
    parts.append(
        f'<line x1="{right}" y1="{head - 4}" x2="{right}" y2="{height - 4}" stroke="#555" '
        'stroke-width="1"/></svg>'
    )
    return "".join(parts)


def stacked_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[tuple[str, str]],
    title: str,
    digits: str = "fa",
    width: int = 640,
    bar_px: int = 22,
    label_px: int = 170,
) -> str:
    """Horizontal stacked bars of counts (e.g. estates by kind, split by status), right to left.

    Parameters
    ----------
    rows
        ``(label, counts)``: one count per series, in the order of ``series``.
    series
        ``(label, colour)`` of each segment; a legend row under the bars names them.

    Examples
    --------
    >>> svg = stacked_chart([("شهرک", [2, 1])], series=[("الف", "#111"), ("ب", "#222")],
    ...                     title="t", digits="latin")
    >>> svg.count('class="seg"'), ">3<" in svg
    (2, True)
    """
    totals = [sum(c) for _, c in rows]
    top = max(totals, default=0)
    head = 30
    legend_y = head + len(rows) * (bar_px + 8) + 8
    height = legend_y + 26
    right = width - label_px - 12
    plot = right - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="ig-chart" '
        f'font-family="{escape(FONT)}" font-size="13" direction="rtl">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width - 4}" y="18" text-anchor="start" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    for i, (label, counts) in enumerate(rows):
        y = head + i * (bar_px + 8)
        parts.append(
            f'<text x="{width - 4}" y="{y + bar_px * 0.7:.1f}" text-anchor="start" '
            f'direction="rtl">{escape(label)}</text>'
        )
        x = float(right)
        for count, (_, color) in zip(counts, series, strict=True):
            if count <= 0 or top <= 0:
                continue
            length = plot * count / top
            x -= length
            parts.append(
                f'<rect class="seg" x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_px}" '
                f'fill="{escape(color)}" stroke="#fff" stroke-width="1"/>'
            )
            if length >= 16:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{y + bar_px * 0.7:.1f}" '
                    f'text-anchor="middle" fill="#fff" font-weight="bold">'
                    f"{escape(format_number(count, digits=digits, decimals=0))}</text>"
                )
        parts.append(
            f'<text x="{x - 6:.1f}" y="{y + bar_px * 0.7:.1f}" text-anchor="start">'
            f"{escape(format_number(sum(counts), digits=digits, decimals=0))}</text>"
        )
    x = float(width - 4)
    for label, color in series:
        parts.append(
            f'<rect x="{x - 14:.1f}" y="{legend_y}" width="14" height="14" fill="{escape(color)}"/>'
        )
        parts.append(
            f'<text x="{x - 20:.1f}" y="{legend_y + 12}" text-anchor="start">{escape(label)}</text>'
        )
        x -= 30 + 7.5 * len(label)
    parts.append("</svg>")
    return "".join(parts)

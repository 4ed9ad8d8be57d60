"""The map's legend (escaped HTML, styled by :data:`isipo_geo.maps.html.MAP_CSS`): a section per
need layer and for the user's own layer (the same on every page of one build, so built once:
:func:`need_sections`), the bases and the other provinces' grey (:func:`basis_section`), and the
page's estates (:func:`estate_section`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from isipo_geo.labels import KIND_LABELS, SCENARIO_LABELS, UTILITY_LABELS, label_of
from isipo_geo.maps import credits as _credits
from isipo_geo.maps import html as _html
from isipo_geo.maps.data import (
    PALETTE,
    ProvinceNeeds,
    class_colors,
    class_ranges,
    outlier_note,
)
from isipo_geo.maps.estate_marks import KIND_COLORS, RING, precision_rows
from isipo_geo.maps.html import escape, format_number
from isipo_geo.maps.user_layer import LAYER_PALETTE, UserLayer

if TYPE_CHECKING:
    import pandas as pd

    from isipo_geo.maps.markers import Markers

NODATA_COLOR = "#d0d0d0"  # provinces without a figure
GREY_FILL, GREY_LINE = "#e6e6e6", "#8c8c8c"  # the other provinces of a province page
UTILITY_STATUS = RING  # ring key -> (outline colour, Persian, English); see estate_marks


def money_labels(needs: ProvinceNeeds) -> tuple[str, str]:
    """Persian and English words of the needs' money (``میلیارد تومان`` / ``bn toman``)."""
    from isipo_geo.finance.money import CURRENCY_LABELS

    return CURRENCY_LABELS.get((needs.currency, needs.scale), (needs.currency, needs.currency))


def fa_en(fa: str, en: str, *, tag: str = "div") -> str:
    """Persian block (right-to-left) then English block; both arguments are HTML already."""
    return (
        f'<{tag} dir="rtl" lang="fa">{fa}</{tag}>'
        f'<{tag} dir="ltr" lang="en" class="ig-en">{en}</{tag}>'
    )


def need_sections(
    needs: ProvinceNeeds,
    classes: dict[str, tuple[list[int], list[float]]],
    *,
    year: int | str,
    digits: str,
    layer: UserLayer | None = None,
    layer_classes: tuple[list[int], list[float]] | None = None,
) -> str:
    """A section per need layer (``data-l="<layer index>"``: title, money, scenario, year and
    the classes) and one for the user's layer; the same on every page of one build."""
    money_fa, money_en = money_labels(needs)
    sfa, sen = label_of(SCENARIO_LABELS, needs.scenario)
    year_fa, year_en = _credits.year_words(year, digits)
    parts = []
    for li, name in enumerate(needs.layers):
        ufa, uen = label_of(UTILITY_LABELS, name)
        rows = class_rows(needs.need[name], *classes[name], PALETTE, digits, needs.money)
        every = _credits.every_province_words(
            needs.need[name], needs.basis[name], needs.money, (money_fa, money_en), digits
        )
        if every is not None:  # one class: its one row says what every province reads
            rows[0] = (
                f"<tr><td>{_html.swatch(PALETTE[class_colors(1)[0]])}</td><td>"
                f'{escape(every[0])} <span class="ig-en">{escape(every[1])}</span></td></tr>'
            )
        fa = (
            f"<b>نیاز مالی — {escape(ufa)}</b><br>{escape(money_fa)} · {escape(sfa)} · "
            f"{escape(_credits.year_prefixed(year_fa))}"
        )
        en = (
            f"<b>Financing need — {escape(uen)}</b><br>"
            f"{escape(money_en)} · {escape(sen)} · {escape(year_en)}"
        )
        parts.append(
            f'<div data-l="{li}">{fa_en(fa, en)}<table dir="rtl">{"".join(rows)}</table></div>'
        )
    if layer is not None and layer_classes is not None:
        parts.append(layer_legend(layer, layer_classes, len(needs.layers), digits))
    return "".join(parts)


def basis_section(
    needs: ProvinceNeeds,
    sources: tuple[tuple[str, str, str], ...],
    *,
    digits: str,
    focus: str | None,
    has_layer: bool,
) -> str:
    """What the fills mean: reported, derived, estimate (hatched); on a province page
    (``focus``) also the grey of the other provinces. With a layer of the user's own
    (``has_layer``) the section shows only beside the need layers."""
    need_only = f' data-l="{" ".join(map(str, range(len(needs.layers))))}"' if has_layer else ""
    bases = {str(v) for v in needs.basis.to_numpy().ravel()}
    plain = "".join(
        f"<tr><td>{_html.swatch(PALETTE[2], estimate=estimate)}</td><td>{escape(fa)} "
        f'<span class="ig-en">{escape(en)}</span></td></tr>'
        for fa, en, estimate in _credits.legend_basis_rows(bases, sources, digits)
    )
    if focus is not None:
        plain += (
            f"<tr><td>{_html.swatch(GREY_FILL)}</td><td>استان‌های دیگر "
            '<span class="ig-en">other provinces</span></td></tr>'
        )
    return f'<div class="ig-sec"{need_only}><table dir="rtl">{plain}</table></div>'


def estate_section(
    markers: Markers, shown: list[int], unlocated: int, *, digits: str, clustered: bool
) -> str:
    """The page's estates (``shown``: positions in ``markers``): a dot per kind and per utility
    status, approximate locations, counts by precision, the cluster icon when ``clustered``,
    and how many are not shown for want of a location; "" when there are none."""
    if not shown and not unlocated:
        return ""
    kinds = sorted({markers.kind[i] for i in shown}, key=list(KIND_COLORS).index)
    statuses = sorted({markers.status[i] for i in shown}, key=list(UTILITY_STATUS).index)
    rows = []
    for kind in kinds:
        kfa, ken = label_of(KIND_LABELS, kind) if kind else ("سایر", "other")
        rows.append(
            f"<tr><td>{_html.dot(KIND_COLORS[kind], '#ffffff')}</td><td>{escape(kfa)} "
            f'<span class="ig-en">{escape(ken)}</span></td></tr>'
        )
    for status in statuses:
        color, sfa_, sen_ = UTILITY_STATUS[status]
        rows.append(
            f"<tr><td>{_html.dot('#bbbbbb', color)}</td><td>{escape(sfa_)} "
            f'<span class="ig-en">{escape(sen_)}</span></td></tr>'
        )
    if any(markers.approx[i] for i in shown):
        rows.append(
            f"<tr><td>{_html.dot('#bbbbbb', '#555555', dashed=True)}</td>"
            "<td>موقعیت تقریبی (شهر، شهرستان یا استان) "
            '<span class="ig-en">approximate location (town, county or province)</span>'
            "</td></tr>"
        )
    rows += precision_rows([markers.precision[i] for i in shown], digits)
    if clustered:
        rows.append(cluster_row(digits))
    note = ""
    if unlocated:
        n_fa = format_number(unlocated, digits=digits, decimals=0)
        note = fa_en(
            f"{escape(n_fa)} مورد بدون موقعیت دقیق نمایش داده نشده است",
            f"{unlocated} without a precise location not shown",
        )
    return f'<div class="ig-sec"><table dir="rtl">{"".join(rows)}</table>{note}</div>'


def class_rows(
    values: pd.Series,
    classes: list[int],
    bins: list[float],
    palette: tuple,
    digits: str,
    unit: Any = None,
) -> list[str]:
    """Legend rows: a swatch and the range of each class (by ``unit``'s rule), then "no data"."""
    rows = []
    colors = class_colors(len(bins))
    for ci, (low, high) in enumerate(class_ranges(values, classes, bins)):
        lo_fa, hi_fa = (format_number(v, digits=digits, unit=unit) for v in (low, high))
        text = hi_fa if lo_fa == hi_fa else f"{lo_fa} تا {hi_fa}"
        if digits == "latin" or lo_fa == hi_fa:
            text_en = ""
        else:
            lo_en, hi_en = (format_number(v, digits="latin", unit=unit) for v in (low, high))
            text_en = f' <span class="ig-en" dir="ltr">({lo_en} – {hi_en})</span>'
        swatch = _html.swatch(palette[colors[ci]])
        rows.append(f"<tr><td>{swatch}</td><td>{escape(text)}{text_en}</td></tr>")
    if any(c < 0 for c in classes):
        rows.append(
            f"<tr><td>{_html.swatch(NODATA_COLOR)}</td><td>بدون داده "
            '<span class="ig-en">no data</span></td></tr>'
        )
    return rows


def layer_legend(
    layer: UserLayer, layer_classes: tuple[list[int], list[float]], li: int, digits: str
) -> str:
    """The legend section of the user's layer: label, unit, "from your file", source, classes."""
    rows = class_rows(layer.values, *layer_classes, LAYER_PALETTE, digits)
    unit = f"<bdi>{escape(layer.unit)}</bdi> · " if layer.unit else ""
    source_fa = f" · منبع: <bdi>{escape(layer.source)}</bdi>" if layer.source else ""
    source_en = f" · source: {escape(layer.source)}" if layer.source else ""
    fa = f"<b>{escape(layer.label_fa)}</b><br>{unit}از فایل شما{source_fa}"
    en = f"<b>{escape(layer.label_en)}</b><br>{unit}from your file{source_en}"
    far = outlier_note(layer.values, digits)
    note = fa_en(escape(far[0]), escape(far[1])) if far else ""
    return (
        f'<div data-l="{li}">{fa_en(fa, en)}<table dir="rtl">{"".join(rows)}</table>'
        f"{note}</div>"
    )


def cluster_row(digits: str) -> str:
    """The legend row of the cluster icons (styled as ``.marker-cluster`` in MAP_CSS)."""
    n = escape(format_number(12, digits=digits, decimals=0))
    return (
        f'<tr><td><i class="ig-clu"><i>{n}</i></i></td><td>گروه شهرک‌ها؛ عدد: تعداد آن‌ها '
        "(برای باز کردن کلیک کنید) "
        '<span class="ig-en">group of estates; the number counts them (click to open)</span>'
        "</td></tr>"
    )

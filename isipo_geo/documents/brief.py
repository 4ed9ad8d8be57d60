"""A province brief: one self-contained, right-to-left HTML page a planner can hand in (pure).

:func:`brief_page` assembles, for one province (or the nation):

1. the headline — the need per utility and in total, with basis, scenario, currency and year;
2. the map — the same self-contained map page, inline in an ``<iframe srcdoc>`` (no path);
3. the report's own figures for the province (re-activation of stalled units, estates developed
   in 1400, special economic zones), each with its report line;
4. the estates table (name, kind, status, utilities, location precision, sources) and how many
   of its cells are unknown («نامعلوم»);
5. charts (inline SVG, :mod:`isipo_geo.documents.charts`): need by utility, estates by kind and
   status;
6. the budget plan, when one is given; then sources and method notes.

The national brief adds a table linking the 31 province briefs (``<key>.html`` beside it).
Vazirmatn is embedded (:mod:`isipo_geo.documents.fonts`); the CSS prints on A4, page 1 holding the
need, the map and its legend. Every text from data is escaped; the same input gives the same
bytes. Writing files is :mod:`isipo_geo.maps.atlas`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from isipo_geo.documents._brief_parts import (
    budget_section,
    charts_section,
    estates_section,
    fa_sort,
    money_labels,
    num,
    report_section,
)
from isipo_geo.figures import rounding_note
from isipo_geo.labels import (
    SCENARIO_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    basis_labels,
    label_of,
    year_labels,
    year_phrase,
)
from isipo_geo.maps.data import TOTAL, cell_missing, cell_text, is_estimate
from isipo_geo.maps.html import escape, format_number
from isipo_geo.maps.leaflet import legend_html

if TYPE_CHECKING:
    import pandas as pd

    from isipo_geo.maps.leaflet import MapData

LONG = ' class="long"'  # sections that may break across printed pages
# Printed, page 1 holds the need and the map with its legend (three columns, small type; the map
# keeps its screen height, so it shows what the screen shows); long sections' tables may break.
BRIEF_CSS = """
*{box-sizing:border-box}
html{background:#eef0f2}
body{margin:0;font:14px/1.75 Vazirmatn,Tahoma,'DejaVu Sans',sans-serif;color:#1f1f1f}
main{max-width:186mm;margin:0 auto;background:#fff;padding:10mm 10mm 8mm}
h1{font-size:22px;margin:0 0 2px;line-height:1.5}
h2{font-size:17px;margin:20px 0 6px;padding-bottom:2px;border-bottom:2px solid #d95f0e}
h3{font-size:14px;margin:12px 0 4px}
.en{color:#555;font-size:12px;font-weight:normal}
h2 .en,h1 .en,p>span.en{display:block}
.meta{color:#333;margin:2px 0 8px}
.big{font-size:26px;font-weight:bold;color:#993404}
.note{font-size:12px;color:#444}
.est{display:inline-block;padding:0 6px;border:1px dashed #555;border-radius:3px;
background:repeating-linear-gradient(45deg,#fff 0 5px,#f1e3d3 5px 7px);font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0 6px;font-size:12.5px}
th,td{border-bottom:1px solid #d6d6d6;padding:3px 5px;text-align:right;vertical-align:top}
th{background:#f5f1ec;font-weight:bold}
td.num,th.num{text-align:left;white-space:nowrap;font-variant-numeric:tabular-nums}
td.src{font-size:10.5px;color:#444;direction:ltr;text-align:left;max-width:52mm;
overflow-wrap:anywhere}
tr.total td{font-weight:bold;border-top:1.5px solid #888}
iframe.ig-map{display:block;width:100%;height:96mm;border:1px solid #bbb}
.charts svg{display:block;max-width:100%;margin:6px 0 10px}
ol.src li{font-size:12px}
bdi.ltr{direction:ltr;unicode-bidi:isolate}
a{color:#0b5394}
.ig-legend{font-size:12px;line-height:1.5;margin:4px 0;display:flex;gap:6mm}
.ig-legend>div{flex:1 1 0;margin-top:0;border-top:0}
.ig-legend [data-l]:not([data-l~="0"]){display:none}
.ig-legend table{width:auto;margin:0;font-size:12px}.ig-legend td{border:0;padding:1px 3px}
.ig-en{color:#555;font-size:11px}.ig-sec{border-top:1px solid #ddd;margin-top:3px}
.ig-sw,.ig-dot{display:block;box-sizing:border-box}
.ig-sw{width:20px;height:12px;border:1px solid #3b3b3b}
.ig-est{border-style:dashed;background-image:repeating-linear-gradient(45deg,
rgba(0,0,0,.3) 0 1.6px,transparent 1.6px 7px)}
.ig-dot{width:14px;height:14px;margin:1px;border-radius:50%;border:2.5px solid}
.ig-dash{border-style:dashed}
@page{size:A4;margin:12mm 11mm 12mm 11mm}
@media print{
html{background:#fff}
main{max-width:none;padding:0}
body{font-size:11pt;line-height:1.55}
h1{font-size:19px}
h2{font-size:15px;margin:8px 0 3px;break-after:avoid}
section,table,tr,svg,iframe{break-inside:avoid}
section.long,section.long table{break-inside:auto}
a{color:inherit;text-decoration:none}
.screen{display:none}
.big{font-size:20px;margin:2px 0}
.meta{margin:0 0 4px}
table{margin:2px 0 4px}
th,td{padding:2px 5px}
.ig-legend{display:block;columns:3;column-gap:5mm;column-fill:balance;font-size:9px;
line-height:1.3;margin:3px 0 0}
.ig-legend>div{margin-bottom:3px}
.ig-legend table{font-size:9px;break-inside:auto}.ig-legend td{padding:0 2px}
.ig-legend .ig-en{font-size:8.5px}
.ig-sw{width:16px;height:10px}.ig-dot{width:11px;height:11px;border-width:2px}
}
"""


def _h2(number: int, fa: str, en: str, data: MapData) -> str:
    n = format_number(number, digits=data.digits, decimals=0)
    en_html = f'<span class="en" lang="en" dir="ltr">{escape(en)}</span>'
    return f"<h2>{escape(n)}. {escape(fa)}{en_html}</h2>"


def _headline(data: MapData, key: str | None, rows: Sequence[dict]) -> str:
    """The brief's first section: the need in total (big, with an estimate's badge), what it
    covers, and the table of the need per utility with the notes beneath it."""
    needs = data.needs
    money_fa, money_en = money_labels(data)
    money = needs.money
    sfa, sen = label_of(SCENARIO_LABELS, needs.scenario)
    scope = [
        r
        for r in rows
        if (
            r.get("scope") == "nation"
            if key is None
            else (r.get("scope") == "province" and r.get("province") == key)
        )
    ]
    by_utility = {r["utility"]: r for r in scope}
    total = needs.nation.get(TOTAL) if key is None else needs.need.loc[key, TOTAL]
    total_basis = "reported" if key is None else needs.basis.loc[key, TOTAL]
    estimate = is_estimate(total_basis) or is_estimate(
        "+".join(str(r.get("basis", "")) for r in scope)
    )
    badge = ' <span class="est">برآورد / estimate</span>' if estimate else ""
    where_fa = (
        "کل کشور" if key is None else f"استان {cell_text(data.provinces.loc[key, 'name_fa'])}"
    )
    year_fa, year_en = (
        escape(t) for t in year_phrase(_year_of(data, key, rows), digits=data.digits)
    )
    table = _need_table(data, key, by_utility, total, total_basis)
    notes = _rounding_note(data, by_utility, total) + _share_note(data, key, total)
    return (
        f'<p class="big">{num(total, data, unit=money)} {escape(money_fa)}{badge}</p>'
        f'<p class="meta">نیاز مالی تأمین زیرساخت شهرک‌های صنعتی {escape(where_fa)} — '
        f"سناریو: {escape(sfa)} — {year_fa} — واحد پول: {escape(money_fa)}<br>"
        f'<span class="en" dir="ltr" lang="en">Financing need, scenario: {escape(sen)}, '
        f"{year_en}, currency: {escape(money_en)}</span></p>"
        f"{table}{notes}"
    )


def _need_table(
    data: MapData, key: str | None, by_utility: dict, total: Any, total_basis: str
) -> str:
    """The need per utility (deficit, unit cost, need, basis) and the total."""
    needs = data.needs
    money_fa, money_en = money_labels(data)
    money = needs.money
    bfa, ben = basis_labels(total_basis) if key is not None else _nation_basis(by_utility)
    head = (
        '<tr><th>تأسیسات<br><span class="en">utility</span></th>'
        '<th class="num">کمبود<br><span class="en">deficit</span></th>'
        '<th class="num">هزینه واحد<br><span class="en">unit cost</span></th>'
        f'<th class="num">نیاز ({escape(money_fa)})<br><span class="en">need ({escape(money_en)})'
        "</span></th>"
        '<th>مبنا<br><span class="en">basis</span></th></tr>'
    )
    body = []
    for utility in needs.layers[1:]:
        row = by_utility.get(utility, {})
        need = (
            row.get("need")
            if row
            else (needs.nation.get(utility) if key is None else needs.need.loc[key, utility])
        )
        ufa, uen = label_of(UTILITY_LABELS, utility)
        unit = cell_text(row.get("deficit_unit")) if row else ""
        unit_fa = label_of(UNIT_LABELS, unit)[0] if unit else ""
        deficit = row.get("deficit") if row else None
        deficit_text = (
            "—" if cell_missing(deficit) else f"{num(deficit, data, unit=unit)} {escape(unit_fa)}"
        )
        cost = row.get("unit_cost") if row else None
        cost_text = "—" if cell_missing(cost) else num(cost, data, unit=money)
        need_text = num(need, data, unit=money) if not cell_missing(need) else "بدون مبنای هزینه"
        b_fa, b_en = basis_labels(cell_text(row.get("basis")) if row else "")
        body.append(
            f'<tr><td>{escape(ufa)} <span class="en">{escape(uen)}</span></td>'
            f'<td class="num">{deficit_text}</td><td class="num">{cost_text}</td>'
            f'<td class="num">{need_text}</td>'
            f'<td>{escape(b_fa)}<br><span class="en">{escape(b_en)}</span></td></tr>'
        )
    body.append(
        f'<tr class="total"><td>جمع <span class="en">total</span></td><td></td><td></td>'
        f'<td class="num">{num(total, data, unit=money)}</td>'
        f'<td>{escape(bfa)}<br><span class="en">{escape(ben)}</span></td></tr>'
    )
    return f"<table>{head}{''.join(body)}</table>"


def _rounding_note(data: MapData, by_utility: dict, total: Any) -> str:
    """A note when the utilities' needs as shown do not add up to the total as shown."""
    parts = [
        (row.get("need") if (row := by_utility.get(u)) else None) for u in data.needs.layers[1:]
    ]
    if cell_missing(total) or not parts or any(cell_missing(v) for v in parts):
        return ""
    note = rounding_note(parts, total, data.needs.money, digits=data.digits)
    if note is None:
        return ""
    return (
        f'<p class="note">{escape(note[0])} '
        f'<span class="en" dir="ltr">{escape(note[1])}</span></p>'
    )


def _share_note(data: MapData, key: str | None, total: Any) -> str:
    """A province's share of the national total, where the scenario has one (registry: the
    nation rows are the sum of the registry's provinces, so one province would read "100 %")."""
    needs = data.needs
    nation_total = needs.nation.get(TOTAL, math.nan)
    if (
        key is None
        or needs.scenario == "registry"
        or not nation_total
        or math.isnan(nation_total)
    ):
        return ""
    money_fa, _ = money_labels(data)
    pct = 100 * float(total) / nation_total if not cell_missing(total) else math.nan
    return (
        f'<p class="note">سهم از جمع کشور ({num(nation_total, data, unit=needs.money)} '
        f"{escape(money_fa)}): "
        f"{escape(format_number(pct, digits=data.digits, decimals=1))}٪ "
        f'<span class="en" dir="ltr">share of the national total</span></p>'
    )

def _year_of(data: MapData, key: str | None, rows: Sequence[dict]) -> str:
    """The year of the figures a brief covers: the map's (the nation's) year, or a province's own
    (its total row's: a 1403 registry for Isfahan beside the 1400 report gives Isfahan 1403)."""
    if key is not None:
        for r in rows:
            if (
                r.get("scope") == "province"
                and r.get("province") == key
                and r.get("utility") == TOTAL
            ):
                return cell_text(r.get("year"))
    return cell_text(data.year)


def _nation_basis(by_utility: dict[str, dict]) -> tuple[str, str]:
    bases = sorted({cell_text(r.get("basis")) for u, r in by_utility.items() if u != TOTAL} - {""})
    if not bases:
        return basis_labels("")
    return basis_labels(bases[0] if len(bases) == 1 else "mixed:" + "+".join(bases))


def _map_section(map_page: str, title: str, legend: str) -> str:
    return (
        f'<iframe class="ig-map" title="{escape(title)}" srcdoc="{escape(map_page)}"></iframe>'
        f'<div class="ig-legend">{legend}</div>'
        '<p class="note screen">نقشه در همین فایل است و بدون اینترنت باز می‌شود؛ نشانگر را '
        "روی استان یا شهرک ببرید تا ارقام را ببینید. "
        '<span class="en" dir="ltr">The map is inside this file and works offline.</span></p>'
    )


def _sources_section(key: str | None, rows: Sequence[dict]) -> str:
    scope = [
        r
        for r in rows
        if r.get("utility") != TOTAL
        and (r.get("scope") == "nation" if key is None else r.get("province") == key)
    ]
    seen: list[str] = []
    for r in scope:
        for text in (cell_text(r.get("source")), cell_text(r.get("note"))):
            if text and text not in seen:
                seen.append(text)
    items = "".join(f'<li dir="ltr" lang="en">{escape(t)}</li>' for t in seen)
    return (
        "<ul>"
        "<li>نیاز مالی = کمبود × هزینه واحد؛ کمبود آب و برق و هزینه واحد از گزارش عملکرد ۱۴۰۰ "
        "سازمان صنایع کوچک و شهرک‌های صنعتی ایران. گزارش کمبود را فقط برای کل کشور می‌دهد؛ رقم "
        "هر استان «برآورد» است: سهمی از رقم کشور به نسبتی که در ستون مبنا آمده، مگر آنکه فهرست "
        "شهرک‌های شما کمبود را بدهد.</li>"
        "<li>مرز استان‌ها: Natural Earth (مالکیت عمومی)؛ موقعیت شهرها: GeoNames (CC BY 4.0).</li>"
        "<li>قلم: وزیرمتن (Vazirmatn)، پروانه SIL OFL 1.1.</li>"
        "</ul>"
        '<p class="en" dir="ltr" lang="en">Need = deficit × unit cost; deficits and unit costs '
        "from ISIPO's 1400 performance report. The report gives deficits for the whole "
        "country only; a province's figure is an estimate (a share of the national figure by the "
        "key in the basis column) unless your registry gives its deficits. Boundaries: "
        "Natural Earth (public domain); towns: GeoNames (CC BY 4.0); typeface: Vazirmatn "
        "(SIL OFL 1.1).</p>"
        f'<h3>منابع ارقام <span class="en">sources of the figures</span></h3><ol class="src">'
        f"{items}</ol>"
    )


def _links_section(data: MapData) -> str:
    money_fa, _ = money_labels(data)
    body = "".join(
        f'<tr><td><a href="{escape(k)}.html">'
        f'{escape(cell_text(data.provinces.loc[k, "name_fa"]))}</a>'
        f' <span class="en" dir="ltr">'
        f'{escape(cell_text(data.provinces.loc[k, "name_en"]))}</span></td>'
        f'<td class="num">{num(data.needs.need.loc[k, TOTAL], data, unit=data.needs.money)}</td>'
        f"<td>{escape(basis_labels(data.needs.basis.loc[k, TOTAL])[0])}</td></tr>"
        for k in sorted(
            data.provinces.index, key=lambda k: fa_sort(cell_text(data.provinces.loc[k, "name_fa"]))
        )
    )
    return (
        f'<table><tr><th>استان<br><span class="en">province</span></th><th class="num">نیاز کل '
        f"({escape(money_fa)})</th><th>مبنا</th></tr>{body}</table>"
    )


def brief_page(
    data: MapData,
    key: str | None,
    *,
    map_page: str,
    rows: Sequence[dict],
    indicators: pd.DataFrame,
    estates: pd.DataFrame | None = None,
    plan: Any = None,
    font_css: str = "",
    national_link: bool = True,
) -> str:
    """The brief of one province (``key``) or of the nation (``None``) as one HTML page.

    Parameters
    ----------
    data : MapData
        From :func:`isipo_geo.maps.map_data`.
    key : str or None
        A province key, or None for the national brief.
    map_page : str
        The map's own page (:func:`isipo_geo.maps.html.render`), placed inline.
    rows : sequence of dict
        The funding rows (:func:`isipo_geo.finance.funding_rows`) ``data`` was made from: unit
        costs, sources and notes come from them.
    indicators : pandas.DataFrame
        The report's figures (:func:`isipo_geo.report.load_indicators`).
    estates : pandas.DataFrame, optional
        The registry (:func:`isipo_geo.registry.estates.load_estates`); only the province's
        estates are listed.
    plan : BudgetPlan or list of dict, optional
        The budget plan (:func:`isipo_geo.finance.budget_plan`: its method, weights and
        totals are shown) or its gap rows (:func:`isipo_geo.finance.prioritise`), or ``None``
        for no budget.
    font_css : str
        ``@font-face`` rules (:func:`isipo_geo.documents.fonts.font_face_css`).
    national_link : bool
        Whether a province brief links to ``national.html`` beside it (only when that brief is
        written with it, or was before).

    Returns
    -------
    str
        The page's HTML: Persian, right-to-left, self-contained (fonts, map and charts inline,
        text from data escaped); it opens offline and prints on A4. Amounts are shown in the
        rows' currency and scale (bn toman by default) by the one rounding rule of their unit.
    """
    mine = estates
    if estates is not None and key is not None:
        mine = estates[estates["province"].map(cell_text) == key]
    name_fa, name_en, title_fa, title_en = _titles(data, key, rows)
    sections = _sections(
        data, key, rows, map_page=map_page, where=f"{name_fa} / {name_en}",
        indicators=indicators, estates=mine, plan=plan,
    )
    long = {"estates", "provinces", "budget"}
    body = "".join(
        f'<section id="{sid}"{LONG if sid in long else ""}>{_h2(i, fa, en, data)}{html}</section>'
        for i, (sid, fa, en, html) in enumerate(sections, start=1)
    )
    back = (  # a link only to a national brief that is written with this one, or was before
        '<p class="note"><a href="national.html">گزارش کل کشور / national brief</a></p>'
        if key is not None and national_link
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fa" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{escape(title_fa)} / {escape(title_en)}</title>\n"
        f"<style>{font_css}{BRIEF_CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<header><h1>{escape(title_fa)}<span class="en" lang="en" dir="ltr">'
        f"{escape(title_en)}</span></h1>{back}</header>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _titles(data: MapData, key: str | None, rows: Sequence[dict]) -> tuple[str, str, str, str]:
    """The place's names and the page's titles (Persian, English), with the figures' year."""
    year, year_en = year_labels(_year_of(data, key, rows), digits=data.digits)
    if key is None:
        return (
            "کل کشور",
            "Iran",
            f"گزارش نیاز مالی زیرساخت شهرک‌های صنعتی کشور، {year}",
            f"Financing need of industrial estates' utilities — Iran, {year_en}",
        )
    name_fa = cell_text(data.provinces.loc[key, "name_fa"])
    name_en = cell_text(data.provinces.loc[key, "name_en"])
    return (
        name_fa,
        name_en,
        f"استان {name_fa} — نیاز مالی زیرساخت شهرک‌های صنعتی، {year}",
        f"{name_en} province — financing need of industrial estates, {year_en}",
    )


def _sections(
    data: MapData, key: str | None, rows: Sequence[dict], *, map_page: str, where: str,
    indicators: pd.DataFrame, estates: pd.DataFrame | None, plan: Any,
) -> list[tuple[str, str, str, str]]:
    """The brief's sections in order, each (id, Persian heading, English heading, HTML): the
    province briefs' links only in the national brief, the connections only with networks,
    the budget only with a plan."""
    sections = [
        ("need", "نیاز مالی", "financing need", _headline(data, key, rows)),
        ("map", "نقشه", "map", _map_section(map_page, where, legend_html(data, key))),
        (
            "report",
            "ارقام گزارش ۱۴۰۰",
            "the 1400 report's figures",
            report_section(data, key, indicators, estates),
        ),
    ]
    if key is None:
        sections.append(("provinces", "گزارش استان‌ها", "province briefs", _links_section(data)))
    sections += [
        ("estates", "شهرک‌ها و مناطق", "estates and zones", estates_section(data, estates, key)),
        ("charts", "نمودارها", "charts", charts_section(data, key, estates)),
    ]
    if data.networks is not None:
        from isipo_geo.maps.networks import connections_section

        money = (data.needs.money, money_labels(data))
        sections.append(
            (
                "connections",
                "بلندترین اتصال‌ها به شبکه",
                "the longest connections",
                connections_section(
                    data.networks, key, money=money[0], money_labels=money[1], digits=data.digits
                ),
            )
        )
    if plan is not None:
        sections.append(("budget", "برنامه بودجه", "budget plan", budget_section(data, key, plan)))
    sections.append(("sources", "منابع و روش", "sources and method", _sources_section(key, rows)))
    return sections

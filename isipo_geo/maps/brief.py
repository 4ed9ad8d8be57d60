"""A province brief: one self-contained, right-to-left HTML page a planner can hand in (pure).

:func:`brief_page` assembles, for one province (or the nation):

1. the headline — the need per utility and in total, with basis, scenario, currency and year;
2. the map — the same self-contained map page, inline in an ``<iframe srcdoc>`` (no path);
3. the report's own figures for the province (re-activation of stalled units, estates developed
   in 1400, special economic zones), each with its report line;
4. the estates table (name, kind, status, utilities, location precision, sources) and how many
   of its cells are unknown («نامعلوم»);
5. charts (inline SVG, :mod:`isipo_geo.maps.charts`): need by utility, estates by kind and status;
6. the budget plan, when one is given; then sources and method notes.

The national brief adds a table linking the 31 province briefs (``<key>.html`` beside it).
Vazirmatn is embedded (:mod:`isipo_geo.maps.fonts`); the CSS prints on A4. Every text from data
is escaped; the same input gives the same bytes. Writing files is :mod:`isipo_geo.maps.atlas`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from isipo_geo.labels import (
    KIND_LABELS,
    PRECISION_LABELS,
    SCENARIO_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    _label,
    basis_labels,
)
from isipo_geo.maps import charts
from isipo_geo.maps.data import TOTAL, _float, _missing, _text, is_estimate
from isipo_geo.maps.html import escape, format_number
from isipo_geo.maps.leaflet import legend_html

if TYPE_CHECKING:
    import pandas as pd

    from isipo_geo.maps.leaflet import MapData

UTILITY_FLAGS = (
    ("has_water", "water"),
    ("has_power", "power"),
    ("has_gas", "gas"),
    ("has_telecom", "telecom"),
    ("has_fibre", "fibre"),
    ("has_wwtp", "wwtp"),
)
UNKNOWN_FA = "نامعلوم"
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LONG = ' class="long"'  # sections that may break across printed pages
STATUS_COLORS = {
    "operational": "#1b7837",
    "under_construction": "#e08214",
    "planned": "#8073ac",
    "approved": "#5aae61",
    "inactive": "#878787",
    "unknown": "#bababa",
}
KIND_ORDER = ("industrial_estate", "industrial_zone", "special_economic_zone", "technology_estate")
PLAN_STATUS = {
    "funded": ("تأمین کامل", "funded"),
    "partly funded": ("تأمین بخشی", "partly funded"),
    "unfunded": ("تأمین‌نشده", "unfunded"),
}
BRIEF_CSS = """
*{box-sizing:border-box}
html{background:#eef0f2}
body{margin:0;font:14px/1.75 Vazirmatn,Tahoma,'DejaVu Sans',sans-serif;color:#1f1f1f}
main{max-width:186mm;margin:0 auto;background:#fff;padding:10mm 10mm 8mm}
h1{font-size:22px;margin:0 0 2px;line-height:1.5}
h2{font-size:17px;margin:20px 0 6px;padding-bottom:2px;border-bottom:2px solid #d95f0e}
h3{font-size:14px;margin:12px 0 4px}
.en{color:#555;font-size:12px;font-weight:normal}
h2 .en,h1 .en{display:block}
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
iframe.ig-map{display:block;width:100%;height:130mm;border:1px solid #bbb}
.charts svg{display:block;max-width:100%;margin:6px 0 10px}
ol.src li{font-size:12px}
bdi.ltr{direction:ltr;unicode-bidi:isolate}
a{color:#0b5394}
.ig-legend{font-size:12px;line-height:1.5;margin:4px 0;columns:2;column-gap:8mm}
.ig-legend>div{break-inside:avoid}
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
body{font-size:11pt}
h2{break-after:avoid}
section,table,tr,svg,iframe{break-inside:avoid}
section.long{break-inside:auto}
a{color:inherit;text-decoration:none}
iframe.ig-map{height:112mm}\n.screen{display:none}
.big{font-size:22px;margin:4px 0}
}
"""


def _money(data: MapData) -> tuple[str, str]:
    from isipo_geo.finance.money import CURRENCY_LABELS

    needs = data.needs
    return CURRENCY_LABELS.get((needs.currency, needs.scale), (needs.currency, needs.currency))


def _num(value: Any, data: MapData, *, decimals: int | None = None) -> str:
    return escape(format_number(_float(value), digits=data.digits, decimals=decimals))


def _year(data: MapData) -> str:
    text = format_number(data.year, digits=data.digits, decimals=0)
    return text.replace("٬", "").replace(",", "")


def _h2(number: int, fa: str, en: str, data: MapData) -> str:
    n = format_number(number, digits=data.digits, decimals=0)
    en_html = f'<span class="en" lang="en" dir="ltr">{escape(en)}</span>'
    return f"<h2>{escape(n)}. {escape(fa)}{en_html}</h2>"


def report_line(source: str) -> str:
    """A report reference for readers: ``seed:L1576`` -> ``report line 1576``.

    Examples
    --------
    >>> report_line("seed:L1708"), report_line("seed:L583-L605"), report_line("GeoNames")
    ('report line 1708', 'report lines 583-605', 'GeoNames')
    """
    text = source.strip()
    if not text.startswith("seed:"):
        return text
    body = text.removeprefix("seed:").split(" ", 1)[0].replace("L", "").replace(";", ", ")
    plural = "-" in body or "," in body
    return f"report line{'s' if plural else ''} {body}"


# --- sections ---------------------------------------------------------------------------------


def _headline(data: MapData, key: str | None, rows: Sequence[dict]) -> str:
    needs = data.needs
    money_fa, money_en = _money(data)
    sfa, sen = _label(SCENARIO_LABELS, needs.scenario)
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
    bfa, ben = basis_labels(total_basis) if key is not None else ("", "")
    if key is None:
        bfa, ben = _nation_basis(by_utility)
    estimate = is_estimate(total_basis) or is_estimate(
        "+".join(str(r.get("basis", "")) for r in scope)
    )
    badge = ' <span class="est">برآورد / estimate</span>' if estimate else ""
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
        ufa, uen = _label(UTILITY_LABELS, utility)
        unit = _text(row.get("deficit_unit")) if row else ""
        unit_fa = _label(UNIT_LABELS, unit)[0] if unit else ""
        deficit = row.get("deficit") if row else None
        deficit_text = "—" if _missing(deficit) else f"{_num(deficit, data)} {escape(unit_fa)}"
        cost = row.get("unit_cost") if row else None
        cost_text = "—" if _missing(cost) else _num(cost, data)
        need_text = _num(need, data) if not _missing(need) else "بدون مبنای هزینه"
        b_fa, b_en = basis_labels(_text(row.get("basis")) if row else "")
        body.append(
            f'<tr><td>{escape(ufa)} <span class="en">{escape(uen)}</span></td>'
            f'<td class="num">{deficit_text}</td><td class="num">{cost_text}</td>'
            f'<td class="num">{need_text}</td>'
            f'<td>{escape(b_fa)}<br><span class="en">{escape(b_en)}</span></td></tr>'
        )
    body.append(
        f'<tr class="total"><td>جمع <span class="en">total</span></td><td></td><td></td>'
        f'<td class="num">{_num(total, data)}</td>'
        f'<td>{escape(bfa)}<br><span class="en">{escape(ben)}</span></td></tr>'
    )
    where_fa = "کل کشور" if key is None else f"استان {_text(data.provinces.loc[key, 'name_fa'])}"
    share = ""
    nation_total = needs.nation.get(TOTAL, math.nan)
    if key is not None and nation_total and not math.isnan(nation_total):
        pct = 100 * float(total) / nation_total if not _missing(total) else math.nan
        share = (
            f'<p class="note">سهم از جمع کشور ({_num(nation_total, data)} {escape(money_fa)}): '
            f"{escape(format_number(pct, digits=data.digits, decimals=1))}٪ "
            f'<span class="en" dir="ltr">share of the national total</span></p>'
        )
    year = escape(_year(data))
    return (
        f'<p class="big">{_num(total, data)} {escape(money_fa)}{badge}</p>'
        f'<p class="meta">نیاز مالی تأمین زیرساخت شهرک‌های صنعتی {escape(where_fa)} — '
        f"سناریو: {escape(sfa)} — سال {year} — واحد پول: {escape(money_fa)}<br>"
        f'<span class="en" dir="ltr" lang="en">Financing need, scenario: {escape(sen)}, year '
        f"{data.year}, currency: {escape(money_en)}</span></p>"
        f"<table>{head}{''.join(body)}</table>{share}"
    )


def _nation_basis(by_utility: dict[str, dict]) -> tuple[str, str]:
    bases = sorted({_text(r.get("basis")) for u, r in by_utility.items() if u != TOTAL} - {""})
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


def _indicator_rows(
    indicators: pd.DataFrame, key: str | None, estate_ids: set[str]
) -> list[dict[str, Any]]:
    """The report's figures for a province (or the nation's headline ones), in a fixed order."""
    df = indicators
    if key is None:
        wanted = (
            "reactivation_total_plan",
            "reactivation_total_actual",
            "reactivation_achieved_pct",
            "developed_estates_count",
            "developed_estate_area_ha",
            "sez_operational_count",
            "sez_listed_operational_count",
            "total_operational_count",
        )
        sel = df[(df["scope"] == "nation") & df["indicator"].isin(wanted)]
        order = {name: i for i, name in enumerate(wanted)}
        sel = sel.assign(_o=sel["indicator"].map(order)).sort_values(["_o", "kind"])
        return sel.drop(columns="_o").to_dict("records")
    mine = df[(df["scope"] == "province") & (df["province"] == key)]
    estate = df[
        (df["scope"] == "estate")
        & df["estate_id"].map(lambda ids: bool(set(str(ids).split(";")) & estate_ids))
    ]
    return [*mine.to_dict("records"), *estate.to_dict("records")]


def _report_section(data: MapData, key: str | None, indicators: pd.DataFrame, estates) -> str:
    ids = set() if estates is None else {str(i) for i in estates.index}
    rows = _indicator_rows(indicators, key, ids)
    out = []
    if rows:
        body = "".join(
            f'<tr><td>{escape(_text(r["label_fa"]))}<br><span class="en">'
            f"{escape(_text(r['label_en']))}</span></td>"
            f'<td class="num">{_num(r["value"], data)} {escape(_unit_fa(_text(r["unit"])))}</td>'
            f'<td class="src">{escape(report_line(_text(r["source"])))}'
            + (f"<br>{escape(_text(r['note']))}" if _text(r["note"]) else "")
            + (f"<br>⚠ {escape(_text(r['conflict']))}" if _text(r["conflict"]) else "")
            + "</td></tr>"
            for r in rows
        )
        out.append(
            '<table><tr><th>رقم گزارش<br><span class="en">figure</span></th>'
            '<th class="num">مقدار<br><span class="en">value</span></th>'
            '<th>سطر گزارش<br><span class="en">report line</span></th></tr>'
            f"{body}</table>"
        )
    else:
        out.append(
            "<p>گزارش ۱۴۰۰ برای این استان رقمی جدا نمی‌دهد. "
            '<span class="en" dir="ltr">The report gives no figure for this province.</span></p>'
        )
    sez = (
        []
        if estates is None
        else [i for i in estates.index if _text(estates.loc[i, "kind"]) == "special_economic_zone"]
    )
    if key is not None:
        if sez:
            names = "، ".join(escape(_text(estates.loc[i, "name_fa"])) for i in sez)
            out.append(f"<p>مناطق ویژه اقتصادی در این استان (از جدول گزارش): {names}</p>")
        else:
            out.append(
                '<p class="note">در جدول مناطق ویژه اقتصادی گزارش، منطقه‌ای در این استان نیامده '
                'است. <span class="en" dir="ltr">No SEZ of this province in the report.</span></p>'
            )
    return "".join(out)


def _unit_fa(unit: str) -> str:
    if unit in UNIT_LABELS:
        return UNIT_LABELS[unit][0]
    return {
        "units": "واحد",
        "pct": "٪",
        "ha": "هکتار",
        "estates": "شهرک",
        "bn_toman": "میلیارد تومان",
        "bn_rial": "میلیارد ریال",
    }.get(unit, unit)


def _flag(value: Any) -> str:
    """``yes``, ``no`` or ``unknown`` for a has_* cell."""
    if _missing(value) or _text(value) == "":
        return "unknown"
    return "yes" if bool(value) and _text(value).lower() not in {"false", "0"} else "no"


def estates_rows(estates: pd.DataFrame | None) -> tuple[list[dict[str, str]], int, int]:
    """The estates table of a brief, as Persian text per cell (pure).

    Returns
    -------
    (rows, unknown, cells)
        One dict per estate (``name``, ``name_en``, ``kind``, ``status``, ``utilities``,
        ``location``, ``source``), and how many of the ``cells`` (status, six utilities and
        location per estate) are unknown.
    """
    if estates is None or len(estates) == 0:
        return [], 0, 0
    out, unknown, cells = [], 0, 0
    for ident in sorted(estates.index, key=str):
        row = estates.loc[ident]
        status = _text(row.get("status")) or "unknown"
        flags = {u: _flag(row.get(c)) for c, u in UTILITY_FLAGS}
        precision = _text(row.get("location_precision"))
        located = precision in PRECISION_LABELS and row.geometry is not None
        unknown += (status == "unknown") + sum(f == "unknown" for f in flags.values())
        unknown += 0 if located else 1
        cells += 2 + len(flags)
        groups = []
        for word, fa in (("yes", "دارد"), ("no", "ندارد"), ("unknown", UNKNOWN_FA)):
            names = [UTILITY_LABELS[u][0] for u, f in flags.items() if f == word]
            if names and len(names) == len(flags) and word == "unknown":
                groups.append(UNKNOWN_FA)
            elif names:
                groups.append(f"{fa}: {'، '.join(names)}")
        out.append(
            {
                "name": _text(row.get("name_fa")),
                "name_en": _text(row.get("name_en")),
                "kind": _label(KIND_LABELS, _text(row.get("kind")))[0],
                "status": _label(STATUS_LABELS, status)[0],
                "utilities": "؛ ".join(groups),
                "location": PRECISION_LABELS[precision][0] if located else UNKNOWN_FA,
                "source": _text(row.get("source")),
            }
        )
    return out, unknown, cells


def _estates_section(data: MapData, estates: pd.DataFrame | None, key: str | None) -> str:
    rows, unknown, cells = estates_rows(estates)
    if not rows:
        return (
            "<p>فهرست شهرک‌ها برای این استان شهرکی ندارد (فهرست همراه ابزار فقط شهرک‌هایی را دارد "
            'که گزارش نام برده است). <span class="en" dir="ltr">The registry holds no estate of '
            "this province.</span></p>"
        )
    body = "".join(
        f'<tr><td>{escape(r["name"])}<br><span class="en">{escape(r["name_en"])}</span></td>'
        f"<td>{escape(r['kind'])}</td><td>{escape(r['status'])}</td>"
        f"<td>{escape(r['utilities'])}</td><td>{escape(r['location'])}</td>"
        f'<td class="src">{escape(r["source"])}</td></tr>'
        for r in rows
    )
    n = format_number(len(rows), digits=data.digits, decimals=0)
    u = format_number(unknown, digits=data.digits, decimals=0)
    c = format_number(cells, digits=data.digits, decimals=0)
    where = "کشور" if key is None else "این استان"
    return (
        f"<p>{escape(n)} شهرک، ناحیه یا منطقه در فهرست برای {where}. «{UNKNOWN_FA}»: "
        f"{escape(u)} از {escape(c)} خانه (وضعیت، شش تأسیسات، موقعیت). "
        f'<span class="en" dir="ltr">{len(rows)} estates; {unknown} of {cells} cells unknown '
        "(status, six utilities, location).</span></p>"
        '<table><tr><th>نام<br><span class="en">name</span></th><th>نوع<br><span class="en">'
        'kind</span></th><th>وضعیت<br><span class="en">status</span></th><th>تأسیسات<br>'
        '<span class="en">utilities</span></th><th>موقعیت<br><span class="en">location</span>'
        '</th><th>منبع<br><span class="en">source</span></th></tr>'
        f"{body}</table>"
    )


def _charts_section(data: MapData, key: str | None, estates: pd.DataFrame | None) -> str:
    needs = data.needs
    money_fa, _ = _money(data)
    bars = []
    for utility in needs.layers[1:]:
        value = needs.nation.get(utility) if key is None else needs.need.loc[key, utility]
        bars.append((_label(UTILITY_LABELS, utility)[0], value))
    estimate = key is not None and is_estimate(needs.basis.loc[key, TOTAL])
    parts = [
        charts.bar_chart(
            bars,
            title=f"نیاز مالی به تفکیک تأسیسات ({money_fa})" + (" — برآورد" if estimate else ""),
            digits=data.digits,
            estimate=estimate,
        )
    ]
    if key is None:
        province_bars = [
            (_text(data.provinces.loc[k, "name_fa"]), needs.need.loc[k, TOTAL])
            for k in data.provinces.index
        ]
        province_bars.sort(key=lambda b: (-(b[1] if not math.isnan(b[1]) else -1), b[0]))
        parts.append(
            charts.bar_chart(
                province_bars,
                title=f"نیاز کل هر استان ({money_fa})",
                digits=data.digits,
                estimate=any(is_estimate(b) for b in needs.basis[TOTAL]),
                bar_px=14,
            )
        )
    if estates is not None and len(estates):
        kind = _column(estates, "kind", "")
        status = _column(estates, "status", "unknown")
        kinds = [k for k in KIND_ORDER if (kind == k).any()]
        statuses = [s for s in STATUS_COLORS if (status == s).any()]
        rows = [
            (
                _label(KIND_LABELS, k)[0],
                [int(((kind == k) & (status == s)).sum()) for s in statuses],
            )
            for k in kinds
        ]
        series = [(_label(STATUS_LABELS, s)[0], STATUS_COLORS[s]) for s in statuses]
        parts.append(
            charts.stacked_chart(
                rows, series=series, title="شهرک‌ها به تفکیک نوع و وضعیت", digits=data.digits
            )
        )
    return f'<div class="charts">{"".join(parts)}</div>'


def _digits(text: str, data: MapData) -> str:
    """Latin digits in ``text`` as Persian ones when the brief uses Persian digits."""
    return text.translate(_FA) if data.digits == "fa" else text


def _column(frame: pd.DataFrame, name: str, empty: str) -> pd.Series:
    """A text column of ``frame`` (``empty`` where a cell, or the whole column, is missing)."""
    import pandas as pd

    if name not in frame.columns:
        return pd.Series([empty] * len(frame), index=frame.index)
    return frame[name].map(lambda v: _text(v) or empty)


def _budget_section(data: MapData, key: str | None, plan: Sequence[dict]) -> str:
    money_fa, money_en = _money(data)
    rows = [r for r in plan if key is None or r.get("province") == key]
    if not rows:
        return "<p>در برنامه بودجه ردیفی برای این استان نیست.</p>"
    body = []
    for r in rows:
        sfa, sen = PLAN_STATUS.get(_text(r.get("status")), (r.get("status"), r.get("status")))
        ufa = _label(UTILITY_LABELS, _text(r.get("utility")))[0]
        where = _text(r.get("province_fa")) + (
            f" / {_text(r.get('estate_id'))}" if _text(r.get("estate_id")) else ""
        )
        rank = "—" if _missing(r.get("rank")) else _num(r.get("rank"), data, decimals=0)
        body.append(
            f'<tr><td class="num">{rank}</td><td>{escape(where)}</td><td>{escape(ufa)}</td>'
            f'<td class="num">{_num(r.get("need"), data)}</td>'
            f'<td class="num">{_num(r.get("funded"), data)}</td>'
            f'<td class="num">{_num(r.get("gap_left"), data)}</td>'
            f'<td>{escape(sfa)} <span class="en">{escape(sen)}</span></td>'
            f'<td class="num">{escape(_digits(_text(r.get("funded_in")), data))}</td>'
            f'<td class="src">{escape(_text(r.get("reason")))}</td></tr>'
        )
    return (
        f'<p class="note">ارقام به {escape(money_fa)} / {escape(money_en)}</p><table>'
        '<tr><th class="num">رتبه</th><th>استان / شهرک</th><th>تأسیسات</th>'
        '<th class="num">نیاز</th><th class="num">تأمین</th><th class="num">کسری</th>'
        '<th>وضعیت</th><th class="num">سال</th><th>دلیل</th></tr>'
        f"{''.join(body)}</table>"
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
        for text in (_text(r.get("source")), _text(r.get("note"))):
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
    money_fa, _ = _money(data)
    body = "".join(
        f'<tr><td><a href="{escape(k)}.html">{escape(_text(data.provinces.loc[k, "name_fa"]))}</a>'
        f' <span class="en" dir="ltr">{escape(_text(data.provinces.loc[k, "name_en"]))}</span></td>'
        f'<td class="num">{_num(data.needs.need.loc[k, TOTAL], data)}</td>'
        f"<td>{escape(basis_labels(data.needs.basis.loc[k, TOTAL])[0])}</td></tr>"
        for k in data.provinces.index
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
    plan: Sequence[dict] | None = None,
    font_css: str = "",
) -> str:
    """The brief of one province (``key``) or of the nation (``None``) as one HTML page.

    Parameters
    ----------
    data
        From :func:`isipo_geo.maps.map_data`.
    map_page
        The map's own page (:func:`isipo_geo.maps.html.render`), placed inline.
    rows
        The funding rows (:func:`isipo_geo.finance.funding_rows`) ``data`` was made from: unit
        costs, sources and notes come from them.
    indicators
        The report's figures (:func:`isipo_geo.report.load_indicators`).
    estates
        The registry (:func:`isipo_geo.registry.estates.load_estates`); only the province's
        estates are listed.
    plan
        Budget plan rows (:func:`isipo_geo.finance.prioritise`), or ``None`` for no budget.
    font_css
        ``@font-face`` rules (:func:`isipo_geo.maps.fonts.font_face_css`).
    """
    mine = estates
    if estates is not None and key is not None:
        mine = estates[estates["province"].map(_text) == key]
    year = _year(data)
    if key is None:
        name_fa, name_en = "کل کشور", "Iran"
        title_fa = f"گزارش نیاز مالی زیرساخت شهرک‌های صنعتی کشور، {year}"
        title_en = f"Financing need of industrial estates' utilities — Iran, {data.year}"
    else:
        name_fa = _text(data.provinces.loc[key, "name_fa"])
        name_en = _text(data.provinces.loc[key, "name_en"])
        title_fa = f"استان {name_fa} — نیاز مالی زیرساخت شهرک‌های صنعتی، {year}"
        title_en = f"{name_en} province — financing need of industrial estates, {data.year}"
    sections = [
        ("need", "نیاز مالی", "financing need", _headline(data, key, rows)),
        (
            "map",
            "نقشه",
            "map",
            _map_section(map_page, f"{name_fa} / {name_en}", legend_html(data, key)),
        ),
        (
            "report",
            "ارقام گزارش ۱۴۰۰",
            "the 1400 report's figures",
            _report_section(data, key, indicators, mine),
        ),
    ]
    if key is None:
        sections.append(("provinces", "گزارش استان‌ها", "province briefs", _links_section(data)))
    sections += [
        ("estates", "شهرک‌ها و مناطق", "estates and zones", _estates_section(data, mine, key)),
        ("charts", "نمودارها", "charts", _charts_section(data, key, mine)),
    ]
    if plan is not None:
        sections.append(("budget", "برنامه بودجه", "budget plan", _budget_section(data, key, plan)))
    sections.append(("sources", "منابع و روش", "sources and method", _sources_section(key, rows)))
    long = {"map", "estates", "provinces", "budget"}
    body = "".join(
        f'<section id="{sid}"{LONG if sid in long else ""}>{_h2(i, fa, en, data)}{html}</section>'
        for i, (sid, fa, en, html) in enumerate(sections, start=1)
    )
    back = (
        ""
        if key is None
        else ('<p class="note"><a href="national.html">گزارش کل کشور / national brief</a></p>')
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

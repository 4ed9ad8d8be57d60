"""The parts of a brief (:mod:`isipo_geo.documents.brief`) that read the report and the registry
(pure): the report's figures for a province with their lines, the estates table and its count
of unknown cells, the charts, and the budget plan; plus the small formatting helpers they share.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from isipo_geo.display import round_shown
from isipo_geo.documents import charts
from isipo_geo.labels import (
    KIND_LABELS,
    PRECISION_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    UTILITY_LABELS,
    label_of,
)
from isipo_geo.maps.data import TOTAL, cell_float, cell_missing, cell_text, is_estimate
from isipo_geo.maps.estate_marks import source_links
from isipo_geo.maps.html import escape, format_number
from isipo_geo.utilities import UTILITIES

if TYPE_CHECKING:
    import pandas as pd

    from isipo_geo.maps.leaflet import MapData



def _utility_flags() -> tuple[tuple[str, str], ...]:
    """(yes/no column, label key: the column without ``has_``) of every utility, and optical
    fibre's after telecom's."""
    out = []
    for u in UTILITIES:
        out.append((u.has_column, u.has_column.removeprefix("has_")))
        if u.key == "telecom":
            out.append(("has_fibre", "fibre"))
    return tuple(out)


UTILITY_FLAGS = _utility_flags()
UNKNOWN_FA = "نامعلوم"
DEFICIT_COLUMNS = tuple((u.column("deficit"), u.key, u.unit) for u in UTILITIES)
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
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


PERSIAN_ORDER = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def fa_sort(text: str) -> tuple[int, ...]:
    """A key that sorts Persian text in alphabetical order (Unicode order puts ک, گ and ی
    after every other letter).

    Examples
    --------
    >>> sorted(["گیلان", "ایلام", "کرمان", "یزد", "البرز"], key=fa_sort)
    ['البرز', 'ایلام', 'کرمان', 'گیلان', 'یزد']
    """
    return tuple(PERSIAN_ORDER.index(c) if c in PERSIAN_ORDER else 100 + ord(c) for c in text)


def money_labels(data: MapData) -> tuple[str, str]:
    from isipo_geo.finance.money import CURRENCY_LABELS

    needs = data.needs
    return CURRENCY_LABELS.get((needs.currency, needs.scale), (needs.currency, needs.currency))


def num(
    value: Any, data: MapData, *, unit: str | None = None, decimals: int | None = None
) -> str:
    """A figure as every output shows it: by its ``unit``'s rule (:mod:`isipo_geo.display`;
    money is ``data.needs.money``), escaped."""
    shown = format_number(cell_float(value), digits=data.digits, unit=unit, decimals=decimals)
    return escape(shown)


def year_text(data: MapData) -> tuple[str, str]:
    """The data's year(s) in Persian and English: ``۱۴۰۰``, ``۱۴۰۰ و ۱۴۰۳`` (a registry of
    another year beside the report), ``سال نامعلوم`` / ``year unknown``."""
    from isipo_geo.maps.credits import year_words

    return year_words(data.year, data.digits)


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


def report_section(data: MapData, key: str | None, indicators: pd.DataFrame, estates) -> str:
    ids = set() if estates is None else {str(i) for i in estates.index}
    rows = _indicator_rows(indicators, key, ids)
    out = []
    if rows:
        body = "".join(
            f'<tr><td>{escape(cell_text(r["label_fa"]))}<br><span class="en">'
            f"{escape(cell_text(r['label_en']))}</span></td>"
            f'<td class="num">{num(r["value"], data)} {escape(_unit_fa(cell_text(r["unit"])))}</td>'
            f'<td class="src">{escape(report_line(cell_text(r["source"])))}'
            + (f"<br>{escape(cell_text(r['note']))}" if cell_text(r["note"]) else "")
            + (f"<br>⚠ {escape(cell_text(r['conflict']))}" if cell_text(r["conflict"]) else "")
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
        else [
            i for i in estates.index
            if cell_text(estates.loc[i, "kind"]) == "special_economic_zone"
        ]
    )
    if key is not None:
        if sez:
            names = "، ".join(escape(cell_text(estates.loc[i, "name_fa"])) for i in sez)
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
    if cell_missing(value) or cell_text(value) == "":
        return "unknown"
    return "yes" if bool(value) and cell_text(value).lower() not in {"false", "0"} else "no"


def estates_rows(
    estates: pd.DataFrame | None,
    *,
    digits: str = "fa",
    deficits: dict[str, dict[str, float]] | None = None,
    units: dict[str, str] | None = None,
) -> tuple[list[dict[str, str]], int, int]:
    """The estates table of a brief, as Persian text per cell (pure).

    ``deficits`` (estate id -> utility -> deficit, in ``units[utility]``) are the deficits the
    funding table costed (``ProvinceNeeds.estate_deficit``: a deficit cell, or demand −
    supplied); an estate's deficit cells are read only where it has none, as the map does.

    Returns
    -------
    (rows, unknown, cells)
        One dict per estate (``name``, ``name_en``, ``kind``, ``status``, ``utilities`` — which
        it has, lacks or are unknown, and its water and power deficits when the registry gives
        them —, ``location``, ``source``), and how many of the ``cells`` (status, six utilities
        and location per estate) are unknown.
    """
    if estates is None or len(estates) == 0:
        return [], 0, 0
    out, unknown, cells = [], 0, 0
    for ident in sorted(estates.index, key=str):
        row = estates.loc[ident]
        status = cell_text(row.get("status")) or "unknown"
        flags = {u: _flag(row.get(c)) for c, u in UTILITY_FLAGS}
        precision = cell_text(row.get("location_precision"))
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
        own = (deficits or {}).get(str(ident), {})
        for column, utility, unit in DEFICIT_COLUMNS:
            if utility in own:
                amount, unit = own[utility], (units or {}).get(utility, unit)
            else:
                amount = cell_float(row.get(column))
            if amount == amount:  # not NaN
                number = format_number(amount, digits=digits)
                groups.append(
                    f"کمبود {UTILITY_LABELS[utility][0]}: {number} {label_of(UNIT_LABELS, unit)[0]}"
                )
        out.append(
            {
                "name": cell_text(row.get("name_fa")),
                "name_en": cell_text(row.get("name_en")),
                "kind": label_of(KIND_LABELS, cell_text(row.get("kind")))[0],
                "status": label_of(STATUS_LABELS, status)[0],
                "utilities": "؛ ".join(groups),
                "location": PRECISION_LABELS[precision][0] if located else UNKNOWN_FA,
                "source": cell_text(row.get("source")),
            }
        )
    return out, unknown, cells


def estates_section(data: MapData, estates: pd.DataFrame | None, key: str | None) -> str:
    needs = data.needs
    rows, unknown, cells = estates_rows(
        estates, digits=data.digits, deficits=needs.estate_deficit, units=needs.deficit_unit
    )
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
        f'<td class="src">{source_links(r["source"])}</td></tr>'
        for r in rows
    )
    n = format_number(len(rows), digits=data.digits, decimals=0)
    u = format_number(unknown, digits=data.digits, decimals=0)
    c = format_number(cells, digits=data.digits, decimals=0)
    where = "کشور" if key is None else "این استان"
    return (
        f"<p>{escape(n)} شهرک، ناحیه یا منطقه در فهرست برای {where}. «{UNKNOWN_FA}»: "
        f"{escape(u)} از {escape(c)} خانه (وضعیت، شش تأسیسات، موقعیت). "
        f'<span class="en" dir="ltr">{len(rows)} estate{"s" if len(rows) != 1 else ""}; '
        f"{unknown} of {cells} cells unknown "
        "(status, six utilities, location).</span></p>"
        '<table><tr><th>نام<br><span class="en">name</span></th><th>نوع<br><span class="en">'
        'kind</span></th><th>وضعیت<br><span class="en">status</span></th><th>تأسیسات<br>'
        '<span class="en">utilities</span></th><th>موقعیت<br><span class="en">location</span>'
        '</th><th>منبع<br><span class="en">source</span></th></tr>'
        f"{body}</table>"
    )


def charts_section(data: MapData, key: str | None, estates: pd.DataFrame | None) -> str:
    needs = data.needs
    money_fa, _ = money_labels(data)
    bars = []
    for utility in needs.layers[1:]:
        value = needs.nation.get(utility) if key is None else needs.need.loc[key, utility]
        bars.append((label_of(UTILITY_LABELS, utility)[0], value))
    estimate = key is not None and is_estimate(needs.basis.loc[key, TOTAL])
    parts = [
        charts.bar_chart(
            bars,
            title=f"نیاز مالی به تفکیک تأسیسات ({money_fa})" + (" — برآورد" if estimate else ""),
            digits=data.digits,
            number_unit=needs.money,
            estimate=estimate,
        )
    ]
    if key is None:
        province_bars = [
            (cell_text(data.provinces.loc[k, "name_fa"]), needs.need.loc[k, TOTAL])
            for k in data.provinces.index
        ]
        # largest first as the values read (equal shares tie), then by name
        province_bars.sort(
            key=lambda b: (
                -(round_shown(b[1], needs.money) if not math.isnan(b[1]) else -1),
                fa_sort(b[0]),
            )
        )
        parts.append(
            charts.bar_chart(
                province_bars,
                title=f"نیاز کل هر استان ({money_fa})",
                digits=data.digits,
                number_unit=needs.money,
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
                label_of(KIND_LABELS, k)[0],
                [int(((kind == k) & (status == s)).sum()) for s in statuses],
            )
            for k in kinds
        ]
        series = [(label_of(STATUS_LABELS, s)[0], STATUS_COLORS[s]) for s in statuses]
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
    return frame[name].map(lambda v: cell_text(v) or empty)


def budget_section(data: MapData, key: str | None, plan: Any) -> str:
    """The budget plan's section: what the plan rests on (rule; with criteria, the method and
    weights, optimal and greedy scores; present value; the cost range), then the gaps of
    ``key``'s province with their scores explained. ``plan`` is a
    :class:`isipo_geo.finance.BudgetPlan` or its gap rows."""
    money_fa, money_en = money_labels(data)
    gaps = plan.gaps if hasattr(plan, "gaps") else plan
    rows = [r for r in gaps if key is None or r.get("province") == key]
    about = _plan_about(data, plan) if hasattr(plan, "gaps") else ""
    if not rows:
        return about + "<p>در برنامه بودجه ردیفی برای این استان نیست.</p>"
    scored = any(not cell_missing(r.get("score")) for r in rows) or bool(
        getattr(plan, "scoring_text", "")
    )
    body = []
    for r in rows:
        sfa, sen = PLAN_STATUS.get(cell_text(r.get("status")), (r.get("status"), r.get("status")))
        ufa = label_of(UTILITY_LABELS, cell_text(r.get("utility")))[0]
        estate = cell_text(r.get("estate_name_fa")) or cell_text(r.get("estate_id"))
        where = cell_text(r.get("province_fa")) + (f" / {estate}" if estate else "")
        rank = "—" if cell_missing(r.get("rank")) else num(r.get("rank"), data, decimals=0)
        score = ""
        reason = escape(cell_text(r.get("reason")))
        if scored:
            value = r.get("score")
            shown = "—" if cell_missing(value) else num(value, data, decimals=4)
            score = f'<td class="num">{shown}</td>'
            if cell_text(r.get("score_explained")):
                reason += f"<br>{escape(cell_text(r.get('score_explained')))}"
        body.append(
            f'<tr><td class="num">{rank}</td><td>{escape(where)}</td><td>{escape(ufa)}</td>'
            f'<td class="num">{num(r.get("need"), data)}</td>'
            f'<td class="num">{num(r.get("funded"), data)}</td>'
            f'<td class="num">{num(r.get("gap_left"), data)}</td>'
            f'<td>{escape(sfa)} <span class="en">{escape(sen)}</span></td>'
            f'<td class="num">{escape(_digits(cell_text(r.get("funded_in")), data))}</td>'
            f"{score}"
            f'<td class="src">{escape(_digits(cell_text(r.get("reason_fa")), data))}<br>'
            f'<span class="en">{reason}</span></td></tr>'
        )
    score_head = '<th class="num">امتیاز</th>' if scored else ""
    return (
        about
        + f'<p class="note">ارقام به {escape(money_fa)} / {escape(money_en)}</p><table>'
        '<tr><th class="num">رتبه</th><th>استان / شهرک</th><th>تأسیسات</th>'
        '<th class="num">نیاز</th><th class="num">تأمین</th><th class="num">کسری</th>'
        f'<th>وضعیت</th><th class="num">سال</th>{score_head}<th>دلیل</th></tr>'
        f"{''.join(body)}</table>"
    )


def _plan_about(data: MapData, plan: Any) -> str:
    """What a plan rests on, Persian first: its rule; the scoring method and the criteria's
    weights; the optimal and greedy total scores; present value; the cost range."""
    money_fa, money_en = money_labels(data)
    lines = [
        f"قاعده: {escape(plan.rule_text_fa)} "
        f'<span class="en">Rule {escape(plan.rule)}: {escape(plan.rule_text)}</span>'
    ]
    if plan.scoring_text:
        lines.append(
            f"روش امتیاز: {escape(plan.scoring_text_fa)} "
            f'<span class="en">Score: {escape(plan.scoring_text)}</span>'
        )
    if plan.score_total_greedy is not None:
        best = num(plan.score_total, data, decimals=4)
        greedy = num(plan.score_total_greedy, data, decimals=4)
        lines.append(
            f"مجموع امتیاز: بهینه {best}، روش حریصانه {greedy} "
            f'<span class="en">total score: optimal, then greedy by score per toman (whole '
            "gaps, each year's money"
            + ("; the greedy plan ignores the limits" if plan.limited else "")
            + ")</span>"
        )
    if plan.present_value is not None:
        rate = _digits(str(plan.discount_rate_pct), data)
        lines.append(
            f"ارزش فعلی (نرخ تنزیل {escape(rate)}٪ در سال): {num(plan.present_value, data)} "
            f'{escape(money_fa)} <span class="en">present value at {escape(rate)}% a year, '
            f"{escape(money_en)}</span>"
        )
    if plan.cost_range is not None:
        low, mid, high = (num(v, data) for v in plan.cost_range)
        lines.append(
            f"بازه هزینه تأمین‌شده‌ها (صدک ۱۰ / ۵۰ / ۹۰): {low} / {mid} / {high} "
            f'{escape(money_fa)} <span class="en">cost range P10 / P50 / P90</span>'
        )
    return "".join(f'<p class="note">{line}</p>' for line in lines)

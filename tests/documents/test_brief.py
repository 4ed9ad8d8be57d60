"""The province brief (isipo_geo.documents.brief) and its charts, on the shipped data and on
synthetic, hostile data."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo import finance
from isipo_geo.documents import charts, fonts
from isipo_geo.documents._brief_parts import estates_rows, report_line
from isipo_geo.documents.brief import brief_page
from isipo_geo.errors import InputError
from isipo_geo.maps import leaflet as maps
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates
from isipo_geo.report import load_indicators

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "maps"))  # test_maps's fixtures

MAP = "<p>MAP</p>"


@pytest.fixture(scope="module")
def shipped():
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    estates = load_estates()
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    data = maps.map_data(load_provinces(), funding, estates)
    return {"data": data, "rows": rows, "estates": estates, "indicators": load_indicators()}


def page(ctx, key, **kw):
    return brief_page(
        ctx["data"],
        key,
        map_page=kw.pop("map_page", MAP),
        rows=ctx["rows"],
        indicators=ctx["indicators"],
        estates=ctx["estates"],
        **kw,
    )


def section(text: str, sid: str) -> str:
    found = re.search(rf'<section id="{sid}"[^>]*>(.*?)</section>', text, re.DOTALL)
    assert found, sid
    return found[1]


def test_province_brief_headline_states_need_basis_scenario_currency_year(shipped) -> None:
    text = page(shipped, "fars")
    need = section(text, "need")
    # Fars, essential, equal shares: water 74.193548 L/s × 2.5 = 185.48387, power 76.516129 MW
    # × 3 = 229.548387
    # (shown rounded, as on the maps)
    assert '<p class="big">۴۱۵ میلیارد تومان' in need
    # by the money's rule, as the table and the legend (185.5, not 186: issue 21)
    assert "۱۸۵٫۵" in need and "۲۲۹٫۵" in need and "۷۴٫۲ لیتر بر ثانیه" in need
    assert "۱۸۶" not in need and "۲۳۰" not in need
    assert "برآورد، تخصیص به نسبت سهم برابر استان‌ها" in need
    assert "کمبود ضروری" in need and "سال ۱۴۰۰" in need
    assert "essential deficit" in need and "bn toman" in need
    assert "<title>استان فارس" in text


def test_sections_come_in_order_with_persian_headings(shipped) -> None:
    text = page(shipped, "fars")
    ids = re.findall(r'<section id="(\w+)"', text)
    assert ids == ["need", "map", "report", "estates", "charts", "sources"]
    headings = re.findall(r"<h2>(.*?)<span", text)
    assert headings == [
        "۱. نیاز مالی",
        "۲. نقشه",
        "۳. ارقام گزارش ۱۴۰۰",
        "۴. شهرک‌ها و مناطق",
        "۵. نمودارها",
        "۶. منابع و روش",
    ]


def test_report_figures_carry_their_report_lines(shipped) -> None:
    report = section(page(shipped, "fars"), "report")
    # seed:L1594: Fars re-activation plan 159, actual 163, 103 % achieved
    assert "۱۵۹ واحد" in report and "۱۶۳ واحد" in report and "۱۰۳ ٪" in report
    assert report.count("report line 1594") == 7
    assert "کازرون" in report  # the SEZ of Fars in the report's table


def test_estates_table_counts_unknown_cells(shipped) -> None:
    estates = section(page(shipped, "fars"), "estates")
    # Fars holds 58 rows (the report's and public sources'): 58 × 8 = 464 cells; the six
    # utilities are unknown for all (348), status or location for 6 more
    assert "۵۸ شهرک" in estates
    assert "۳۵۴ از ۴۶۴ خانه" in estates and "354 of 464 cells unknown" in estates


def test_estates_rows_words_for_each_utility() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    estates = gpd.GeoDataFrame(
        {
            "name_fa": ["الف"],
            "name_en": ["A"],
            "kind": ["industrial_estate"],
            "status": ["operational"],
            "has_water": [True],
            "has_power": [False],
            "water_deficit_lps": [12.5],
            "location_precision": ["estate"],
            "source": ["my.csv row 2"],
        },
        geometry=[Point(51, 35)],
        index=["a"],
        crs=4326,
    )
    rows, unknown, cells = estates_rows(estates)
    assert (unknown, cells) == (4, 8)  # gas, telecom, fibre, wwtp unknown
    assert rows[0]["utilities"] == (
        "دارد: آب؛ ندارد: برق؛ نامعلوم: گاز، مخابرات، فیبر نوری، تصفیه‌خانه فاضلاب؛ "
        "کمبود آب: ۱۲٫۵ لیتر بر ثانیه"
    )
    assert rows[0]["status"] == "در حال بهره‌برداری"
    assert rows[0]["location"] == "موقعیت شهرک"


def test_estates_rows_take_the_deficit_the_funding_costed() -> None:
    """An empty deficit cell with a funding deficit (finance's demand − supplied) reads as that
    deficit, as the map's popup does; a cell without a funding row stays."""
    import geopandas as gpd
    from shapely.geometry import Point

    estates = gpd.GeoDataFrame(
        {
            "name_fa": ["الف", "ب"],
            "name_en": ["A", "B"],
            "kind": ["industrial_estate"] * 2,
            "water_deficit_lps": [None, 3.0],
            "location_precision": ["estate"] * 2,
        },
        geometry=[Point(51, 35), Point(51.1, 35)],
        index=["a", "b"],
        crs=4326,
    )
    rows, _, _ = estates_rows(estates, deficits={"a": {"water": 12.5}})
    assert rows[0]["utilities"].endswith("کمبود آب: ۱۲٫۵ لیتر بر ثانیه")
    assert rows[1]["utilities"].endswith("کمبود آب: ۳ لیتر بر ثانیه")
    assert "کمبود" not in estates_rows(estates)[0][0]["utilities"]


def test_national_brief_links_the_31_province_briefs(shipped) -> None:
    text = page(shipped, None)
    links = re.findall(r'<a href="([a-z_]+)\.html">', section(text, "provinces"))
    assert sorted(links) == sorted(load_provinces().index)
    assert '<p class="big">۱۲٬۸۶۶ میلیارد تومان' in text  # 5,750 + 7,116
    assert "report line 1708" in section(text, "sources") or "seed:L1708" in text
    charts_html = section(text, "charts")
    assert charts_html.count("<svg") == 3  # by utility, by province, estates by kind


def test_budget_section_only_with_a_plan(shipped) -> None:
    assert 'id="budget"' not in page(shipped, "fars")
    plan = finance.prioritise(shipped["rows"], budget=Decimal(5000), years=[1403])
    # 5000 bn toman, cheapest first: water gaps (2.5 per L/s) before any power gap
    mine = {r["utility"]: r for r in plan if r["province"] == "fars"}
    assert mine["power"]["status"] == "unfunded"
    budget = section(page(shipped, "fars", plan=plan), "budget")
    assert budget.count("<tr>") == 3  # header + water + power of Fars
    words = {"funded": "تأمین کامل", "partly funded": "تأمین بخشی", "unfunded": "تأمین‌نشده"}
    for row in mine.values():
        assert words[row["status"]] in budget
    assert "تأمین‌نشده" in budget


def test_map_page_is_inline_and_escaped(shipped) -> None:
    text = page(shipped, "fars", map_page='<script>alert("x")</script>')
    assert "<script" not in text
    assert 'srcdoc="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in text


def test_text_from_data_is_escaped() -> None:
    from test_maps import XSS, synthetic_estates, synthetic_funding

    provinces = load_provinces()
    funding = synthetic_funding(list(provinces.index))
    estates = synthetic_estates()
    data = maps.map_data(provinces, funding, estates)
    text = brief_page(
        data,
        "tehran",
        map_page=MAP,
        rows=funding.to_dict("records"),
        indicators=load_indicators(),
        estates=estates,
    )
    assert XSS not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "</script><script>" not in text


def test_same_input_same_bytes(shipped) -> None:
    assert page(shipped, "tehran") == page(shipped, "tehran")


def test_font_is_embedded() -> None:
    css = fonts.font_face_css()
    assert css.count("@font-face") == 2
    assert "font-weight:700" in css and "data:font/woff2;base64,d09GMg" in css  # "wOF2"


def test_report_line_wording() -> None:
    assert report_line("seed:L1576") == "report line 1576"
    assert report_line("seed:L70;L71") == "report lines 70, 71"


def test_bar_chart_draws_known_values_and_marks_unknown() -> None:
    svg = charts.bar_chart([("آب", 100.0), ("برق", 50.0), ("گاز", None)], title="<t>")
    widths = [float(w) for w in re.findall(r'class="bar" x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and widths[0] == pytest.approx(2 * widths[1])
    assert ">—<" in svg and "&lt;t&gt;" in svg and "<t>" not in svg


def test_stacked_chart_counts() -> None:
    svg = charts.stacked_chart(
        [("شهرک", [3, 1]), ("ناحیه", [0, 2])],
        series=[("فعال", "#1b7837"), ("نامعلوم", "#bababa")],
        title="t",
        digits="latin",
    )
    assert svg.count('class="seg"') == 3  # a zero count draws nothing
    assert ">4<" in svg and ">2<" in svg


def test_legend_mode_is_checked(shipped) -> None:
    with pytest.raises(InputError, match="legend must be one of"):
        maps.national_map(shipped["data"], legend="tiny")


def test_estates_sources_are_short_links_not_long_addresses(shipped) -> None:
    # a printed brief's estate rows grew to half a page with whole addresses; each address is
    # now a link shown by its site (as in the map's popups), and report lines stay text
    estates = section(page(shipped, "fars"), "estates")
    cells = re.findall(r'<td class="src">(.*?)</td>', estates, re.DOTALL)
    assert len(cells) == 58
    shown = [re.sub(r"<[^>]+>", "", c) for c in cells]
    assert not any("https://" in s or "http://" in s for s in shown)
    assert any('<a href="https://' in c and 'rel="noopener noreferrer"' in c for c in cells)
    assert any("fars.isipo.ir" in s for s in shown)

"""Tests of isipo_geo.maps, isipo_geo.maps.html, isipo_geo.maps.static and `isipo-geo map`.

The funding tables and estates here are synthetic (built in the tests); the CLI tests run on
the shipped data.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from isipo_geo.errors import InputError
from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps import static as static_map

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"
TEMPLATE = '{{ "pwn" ~ "ed" }}'


# --- synthetic inputs (shared with test_maps_browser.py) ----------------------------------------


def synthetic_funding(keys: list[str], *, reported: tuple[str, ...] = ("tehran",)) -> pd.DataFrame:
    """Long funding table: water and power per province; provinces in ``reported`` have a
    reported water figure, every other figure is allocated:equal. Needs differ by province."""
    rows = []
    for i, key in enumerate(keys):
        water_basis = "reported" if key in reported else "allocated:equal"
        rows.append(
            _row("province", key, "water", 10 + i, "lps", Decimal(25 + 10 * i), water_basis)
        )
        rows.append(
            _row("province", key, "power", 5 + i, "mw", Decimal(15 + 3 * i), "allocated:equal")
        )
    for utility in ("water", "power"):
        total = sum(r["need"] for r in rows if r["utility"] == utility)
        rows.append(_row("nation", "", utility, None, "", total, "reported"))
    return pd.DataFrame(rows)


def _row(scope, province, utility, deficit, unit, need, basis, estate_id=""):
    return {
        "scope": scope,
        "province": province,
        "estate_id": estate_id,
        "utility": utility,
        "scenario": "essential",
        "deficit": None if deficit is None else Decimal(deficit),
        "deficit_unit": unit,
        "unit_cost": None,
        "unit_cost_unit": "",
        "need": need,
        "currency": "toman",
        "scale": "billion",
        "basis": basis,
    }


def synthetic_estates(n_extra: int = 0):
    """Estates with hostile names, one without a location, one located to its province only."""
    import geopandas as gpd
    import shapely

    rows = [
        (
            "e1",
            XSS,
            "Estate <b>one</b>",
            "industrial_estate",
            "tehran",
            51.40,
            35.70,
            "estate",
            True,
            True,
            None,
        ),
        (
            "e2",
            SCRIPT_BREAK,
            "Zone",
            "industrial_zone",
            "tehran",
            51.10,
            35.60,
            "town",
            False,
            True,
            12.5,
        ),
        (
            "e3",
            TEMPLATE,
            "",
            "special_economic_zone",
            "isfahan",
            51.70,
            32.60,
            "town",
            None,
            None,
            None,
        ),
        ("e4", "بی‌مکان", "nowhere", "industrial_estate", "fars", None, None, "", None, None, None),
        (
            "e5",
            "استانی",
            "province only",
            "industrial_estate",
            "fars",
            52.5,
            29.6,
            "province",
            None,
            None,
            None,
        ),
    ]
    for i in range(n_extra):
        rows.append(
            (
                f"x{i:03d}",
                f"شهرک {i}",
                f"estate {i}",
                "technology_estate",
                "tehran",
                51.0 + (i % 10) * 0.05,
                35.4 + (i // 10) * 0.05,
                "estate",
                True,
                True,
                None,
            )
        )
    df = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name_fa",
            "name_en",
            "kind",
            "province",
            "lon",
            "lat",
            "location_precision",
            "has_water",
            "has_power",
            "water_deficit_lps",
        ],
    )
    df["has_water"] = df["has_water"].astype("boolean")
    df["has_power"] = df["has_power"].astype("boolean")
    df["water_deficit_lps"] = df["water_deficit_lps"].astype("Float64")
    geoms = [
        shapely.Point() if pd.isna(lon) else shapely.Point(lon, lat)
        for lon, lat in zip(df["lon"], df["lat"], strict=True)
    ]
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326").set_index("id", drop=False)


@pytest.fixture(scope="module")
def provinces():
    from isipo_geo.provinces import load_provinces

    return load_provinces()


@pytest.fixture(scope="module")
def funding(provinces):
    return synthetic_funding(list(provinces.index))


@pytest.fixture(scope="module")
def data(provinces, funding):
    return maps.map_data(provinces, funding, synthetic_estates(), digits="fa")


@pytest.fixture(scope="module")
def national_html(data):
    return _html.render(maps.national_map(data))


@pytest.fixture(scope="module")
def national_packed(data):
    return _html.render(maps.national_map(data), compress=True)


@pytest.fixture(scope="module", params=["plain", "compressed"])
def national_text(request, national_html, national_packed):
    """The national page as the browser runs it: plain, or compressed and unpacked."""
    return national_html if request.param == "plain" else page_text(national_packed)


def page_text(page: str) -> str:
    """A rendered page, or for a compressed one its styles and scripts as they run in the
    browser (decompressed), each in its element."""
    if 'var P="' not in page:
        return page
    return "\n".join(f"<{tag}>{text}</{tag}>" for tag, text in _html.unpack(page))


def page_data(page: str) -> dict:
    """The IGD object of a rendered page (plain or compressed)."""
    text = page_text(page)
    start = text.index("var IGD=") + len("var IGD=")
    end = text.index(";\nvar IG=", start)
    return json.loads(text[start:end])


def tip_words(page: dict, key: str) -> list[str]:
    """The English basis words of a province's tooltip rows."""
    prov = next(p for p in page["prov"] if p["k"] == key)
    return [page["tip"]["b"][row[3]][1] for row in prov["r"]]


# --- geometry -----------------------------------------------------------------------------------


def test_simplify_keeps_a_coverage_on_a_grid(provinces):
    import shapely

    simple = maps.simplify_provinces(provinces)
    assert list(simple.index) == list(provinces.index)
    before = shapely.get_num_coordinates(provinces.geometry.values).sum()
    after = shapely.get_num_coordinates(simple.geometry.values).sum()
    assert after < before
    assert shapely.coverage_is_valid(simple.geometry.values)
    coords = shapely.get_coordinates(simple.geometry.values)
    assert (abs(coords * 1000 - (coords * 1000).round()) < 1e-6).all()
    for key, row in simple.iterrows():
        label = shapely.Point(row["label_lon"], row["label_lat"])
        assert provinces.geometry[key].buffer(0.01).contains(label), key


def test_simplify_refuses_other_crs(provinces):
    with pytest.raises(InputError, match="EPSG:4326"):
        maps.simplify_provinces(provinces.to_crs(3857))


def decode_polyline(text: str, scale: int = 1000) -> list[tuple[float, float]]:
    """Google's Encoded Polyline Algorithm, decoded: [(lon, lat), ...]."""
    values, i = [], 0
    while i < len(text):
        result = shift = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    lat = lon = 0
    points = []
    for dlat, dlon in zip(values[::2], values[1::2], strict=True):
        lat, lon = lat + dlat, lon + dlon
        points.append((lon / scale, lat / scale))
    return points


def test_encoded_shapes_decode_to_the_grid_coordinates(data):
    for key in ("qom", "hormozgan"):
        shape = data.shapes[list(data.provinces.index).index(key)]
        geom = data.provinces.geometry[key]
        parts = list(getattr(geom, "geoms", [geom]))
        assert len(shape) == len(parts)
        ring = list(parts[0].exterior.coords)[:-1]
        assert decode_polyline(shape[0][0]) == [(round(a, 3), round(b, 3)) for a, b in ring]
    assert maps.encode_ring([(51.0, 35.0), (51.0, 35.0)]) == ""  # degenerate rings are dropped
    ring = [(51.0, 35.0), (51.002, 35.0), (51.002, 35.004)]
    assert maps.encode_ring(ring, scale=500) == "wda@wxp@?AC?"  # 1/500 degree: 0.002° steps
    assert decode_polyline("wda@wxp@?AC?", scale=500) == ring


def _reference_line(coords, scale, least=2):
    """Google's Encoded Polyline Algorithm, point by point (the encoder's first form)."""

    def one(value):
        v = ~(value << 1) if value < 0 else value << 1
        out = ""
        while v >= 0x20:
            out += chr((0x20 | (v & 0x1F)) + 63)
            v >>= 5
        return out + chr(v + 63)

    out, last = [], (0, 0)
    for x, y, *_ in coords:
        current = (round(y * scale), round(x * scale))
        if current == last and out:
            continue
        out.append(one(current[0] - last[0]) + one(current[1] - last[1]))
        last = current
    return "".join(out) if len(out) >= least else ""


@pytest.mark.parametrize("seed", range(6))
def test_encode_line_is_the_point_by_point_algorithm(seed):
    from isipo_geo.maps.data import encode_line

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    coords = rng.uniform(-180, 180, size=(n, 2)).round(int(rng.integers(0, 6)))
    coords[rng.random(n) < 0.2] = coords[0]  # repeated points, next to each other or not
    coords[1::7] = coords[:-1:7]
    if seed % 2:
        coords = np.column_stack([coords, np.zeros(n)])  # x, y, z
    for scale in (1000, 500, 100_000):
        assert encode_line(coords, scale=scale) == _reference_line(coords, scale)
        ring = [tuple(c) for c in coords]
        assert maps.encode_ring(ring, scale=scale) == _reference_line(
            ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring, scale, least=3
        )
    assert encode_line([], scale=1000) == ""
    assert encode_line([(0.0, 0.0), (0.0004, 0.0)], scale=1000) == ""  # one point left


def test_national_shapes_are_coarser_on_their_own_grid(data):
    assert data.national_scale == 500
    fine = sum(len(r) for shape in data.shapes for part in shape for r in part)
    coarse = sum(len(r) for shape in data.national_shapes for part in shape for r in part)
    assert coarse < 0.85 * fine
    shape = data.national_shapes[list(data.provinces.index).index("tehran")]
    points = decode_polyline(shape[0][0], scale=500)
    assert len(points) >= 10
    assert all(abs(lon * 500 - round(lon * 500)) < 1e-9 for lon, _ in points)
    lons = [lon for lon, _ in points]
    assert 50 < min(lons) < max(lons) < 54


# --- the funding table --------------------------------------------------------------------------


def test_province_needs_totals_bases_and_nation(provinces, funding):
    keys = list(provinces.index)
    needs = maps.province_needs(funding, keys)
    assert needs.layers == ("total", "water", "power")
    i = keys.index("tehran")
    assert needs.need.loc["tehran", "water"] == 25 + 10 * i
    assert needs.need.loc["tehran", "total"] == (25 + 10 * i) + (15 + 3 * i)
    assert needs.basis.loc["tehran", "water"] == "reported"
    assert needs.basis.loc["tehran", "total"] == "mixed:allocated:equal+reported"
    assert needs.basis.loc["fars", "total"] == "allocated:equal"
    assert needs.deficit.loc["tehran", "water"] == 10 + i
    assert needs.deficit_unit == {"water": "lps", "power": "mw"}
    assert needs.nation["water"] == sum(25 + 10 * j for j in range(31))
    assert needs.nation["total"] == needs.need["total"].sum()
    assert (needs.scenario, needs.currency, needs.scale) == ("essential", "toman", "billion")


def test_province_needs_uses_given_total_rows_and_keeps_unknowns(provinces):
    keys = list(provinces.index)
    rows = [
        _row("province", "tehran", "water", 1, "lps", Decimal("2.5"), "derived"),
        _row("province", "tehran", "gas", 1, "km", None, "allocated:area"),
        _row("province", "tehran", "total", None, "", Decimal("2.5"), "derived"),
    ]
    needs = maps.province_needs(pd.DataFrame(rows), keys)
    assert needs.layers == ("total", "water", "gas")
    assert needs.need.loc["tehran", "total"] == 2.5
    assert math.isnan(needs.need.loc["tehran", "gas"])
    assert needs.basis.loc["tehran", "gas"] == ""  # no figure, no basis
    assert math.isnan(needs.need.loc["fars", "water"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.drop(columns=["basis", "need"]), "lacks the columns need, basis"),
        (lambda df: df.assign(scenario=["essential", "whole"] * (len(df) // 2)), "mixes scenario"),
        (lambda df: df.assign(province=df["province"].replace("qom", "atlantis")), "'atlantis'"),
        (lambda df: pd.concat([df, df.iloc[[0]]]), "two rows for province"),
        (lambda df: df.assign(need="a lot"), "not a number"),
        (lambda df: df.assign(scope="planet"), "scope 'planet'"),
    ],
)
def test_province_needs_rejects_bad_tables(provinces, funding, change, message):
    bad = change(funding.copy())
    with pytest.raises(InputError, match=re.escape(message)):
        maps.province_needs(bad, list(provinces.index))


def test_bad_table_error_names_the_row(provinces, funding):
    bad = funding.copy()
    bad.loc[3, "province"] = "atlantis"
    with pytest.raises(InputError, match="row 4") as exc:
        maps.province_needs(bad, list(provinces.index))
    assert exc.value.column == "province"


def test_classify_fisher_jenks_and_small_cases():
    values = pd.Series([float(v) for v in range(1, 32)])
    classes, bins = maps.classify(values, k=5)
    assert len(bins) == 5 and bins[-1] == 31.0
    assert classes[0] == 0 and classes[-1] == 4
    assert classes == sorted(classes)
    classes, bins = maps.classify(pd.Series([3.0, 1.0, float("nan"), 3.0]))
    assert (classes, bins) == ([1, 0, -1, 1], [1.0, 3.0])
    assert maps.classify(pd.Series([float("nan")])) == ([-1], [])
    # values a reader sees as equal are one class
    assert maps.classify(pd.Series([415.06, 415.035])) == ([0, 0], [415.0])


def test_class_colors_spread_over_the_palette():
    assert maps.class_colors(1) == [2]
    assert maps.class_colors(2) == [0, 4]
    assert maps.class_colors(5) == [0, 1, 2, 3, 4]


def test_basis_wording():
    assert maps.basis_labels("allocated:area") == (
        "برآورد، تخصیص به نسبت مساحت استان",
        "estimate, allocated by province area",
    )
    assert maps.short_basis("mixed:allocated:equal+reported") == ("بخشی برآورد", "partly estimate")
    assert maps.short_basis("reported") == ("گزارش‌شده", "reported")
    assert maps.is_estimate("allocated:equal") and not maps.is_estimate("derived")


# --- escaping and numbers -----------------------------------------------------------------------


def test_format_number_persian_and_latin():
    assert _html.format_number(12866, digits="fa") == "۱۲٬۸۶۶"
    assert _html.format_number(74.19, digits="fa") == "۷۴٫۲"
    assert _html.format_number(1234.5, digits="latin") == "1,235"  # half up, not half even
    assert _html.format_number(0.25, digits="latin") == "0.25"
    assert _html.format_number(float("nan"), digits="fa") == "—"
    assert _html.format_number(None, digits="latin") == "—"
    with pytest.raises(ValueError, match="digits"):
        _html.format_number(1, digits="roman")


def test_js_value_cannot_close_a_script():
    text = _html.js_value({"a": SCRIPT_BREAK + "&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": SCRIPT_BREAK + "&\u2028"}


def test_escape_covers_html_and_template_syntax():
    assert _html.escape(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert _html.escape('"{{x}}"') == "&quot;&#123;&#123;x&#125;&#125;&quot;"


def test_embed_snippet_and_index_escape():
    snippet = _html.embed_snippet('a"b.html', title=XSS)
    assert snippet.startswith('<iframe src="a&quot;b.html" title="&lt;img')
    page = _html.index_page(
        [{"href": "x.html", "fa": XSS, "en": "E", "c0": "۱"}],
        title_fa="ت",
        title_en="T",
        intro_fa="",
        intro_en="",
        headers=[("نیاز", "need")],
    )
    assert XSS not in page and "&lt;img src=x" in page


# --- the HTML maps ------------------------------------------------------------------------------


def test_national_page_is_self_contained(national_text):
    lower = national_text.lower()
    assert "<script src" not in lower and "<link" not in lower
    for word in ("jquery", "bootstrap", "fontawesome", "font-awesome", "cdn.", "unpkg"):
        assert word not in lower, word
    assert "Leaflet 1.9.3" in national_text  # inlined from xstatic-leaflet
    assert "sourceMappingURL" not in national_text
    assert "url(images/" not in national_text  # Leaflet's images are data URIs
    assert "tile.openstreetmap.org" not in national_text
    assert "markerClusterGroup=" not in national_text  # 3 located estates: no clustering
    assert _html.markercluster_css() not in national_text  # its stylesheet is not inlined


def test_national_page_escapes_every_data_string(national_text):
    assert XSS not in national_text
    assert "onerror=alert(1)" in national_text  # present, but only as escaped text
    # an estate's name is plain text in the page's data (the page makes text nodes of it), with
    # < > & escaped for the script element
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in national_text
    assert national_text.count("<script>") == national_text.count("</script>")
    assert "alert(2)" in national_text and "<script>alert(2)" not in national_text
    assert "pwned" not in national_text  # folium would have run the name as a Jinja template


# --- compressed pages (--compress) ------------------------------------------------------------


def test_compressed_page_carries_exactly_the_plain_pages_styles_and_scripts(
    national_html, national_packed
):
    parts = _html.unpack(national_packed)
    assert [tag for tag, _ in parts] == ["style", "style", "script", "style", "style", "style"] + [
        "script",
        "script",
    ]
    *head, (_, script) = parts
    for tag, text in head:
        assert f"<{tag}>{text}</{tag}>" in national_html
    assert f"<script>\n{script}\n</script>\n</body>" in national_html
    assert sum(tag == "script" for tag, _ in parts) == national_html.count("<script>")
    assert sum(tag == "style" for tag, _ in parts) == national_html.count("<style>")
    assert parts[2][1] == _html.leaflet_js() and parts[0][1] == _html.leaflet_css()


def test_compressed_page_shell(national_html, national_packed):
    assert len(national_packed) < 0.55 * len(national_html)
    # nothing from data is readable outside the compressed stream
    for text in ("var IGD", "onerror=", "alert(", "{{", "L.map(", "Leaflet 1.9", "تهران"):
        assert text not in national_packed, text
    title = re.search(r"<title>.*</title>", national_html)[0]
    assert national_packed.startswith('<!DOCTYPE html>\n<html lang="fa">\n<head>\n')
    assert title in national_packed
    assert '<meta name="viewport"' in national_packed
    assert national_packed.count("<script") == 1 and "<script src" not in national_packed
    assert "new DecompressionStream('deflate')" in national_packed
    # the message shown by browsers that cannot inflate the page, Persian first
    fa, en = _html.OLD_BROWSER_FA, _html.OLD_BROWSER_EN
    assert national_packed.index(fa[:40]) < national_packed.index(en[:40])
    assert "Firefox (113 or later)" in en and "--compress" in en and "--compress" in fa
    assert national_packed.count('<span dir="ltr">--compress</span>') == 2  # kept whole, LTR
    # the body's HTML (map element, hatch patterns) is the plain page's
    body = national_html[national_html.index("<body>") : national_html.rindex("<script>\n")]
    assert body in national_packed


def test_compressed_pages_are_deterministic(provinces, funding, national_packed):
    again = maps.map_data(provinces, funding.sample(frac=1, random_state=2), synthetic_estates())
    assert _html.render(maps.national_map(again), compress=True) == national_packed


def test_pack_and_unpack_refuse_other_pages(national_html):
    with pytest.raises(RuntimeError, match="plain page"):
        _html.pack("<p>not a page</p>")
    with pytest.raises(RuntimeError, match="cannot place"):
        _html.pack(national_html.replace("<body>\n", "<body>\n<script>x()</script>\n"))
    with pytest.raises(ValueError, match="not a page made by pack"):
        _html.unpack(national_html)


def test_national_page_data(data, national_html):
    page = page_data(national_html)
    assert len(page["prov"]) == 31
    assert page["focus"] is None
    assert page["scale"] == data.national_scale
    assert page["fd"] == _html.FA_DIGITS
    keys = [p["k"] for p in page["prov"]]
    assert keys == list(data.provinces.index)
    tehran = page["prov"][keys.index("tehran")]
    assert tehran["n"] == "تهران" and tehran["e"] == "Tehran"
    assert tehran["g"] == data.national_shapes[keys.index("tehran")]
    # tooltip: heading shared by all provinces, then rows water, power, total of
    # [need, deficit, unit, basis] with Latin digits (the page script makes them Persian)
    tip = page["tip"]
    assert tip["fa"].startswith("نیاز مالی ۱۴۰۰، میلیارد تومان<table")
    assert tip["en"] == "need 1400, bn toman"
    assert tip["l"] == [["آب", "water"], ["برق", "power"], ["کل", "total"]]
    assert tip["u"] == [["لیتر بر ثانیه", "L/s"], ["مگاوات", "MW"]]
    i = keys.index("tehran")
    assert tehran["r"] == [
        [str(25 + 10 * i), str(10 + i), 0, tip["b"].index(["گزارش‌شده", "reported"])],
        [str(15 + 3 * i), str(5 + i), 1, tip["b"].index(["برآورد", "estimate"])],
        [str(40 + 13 * i), "", -1, tip["b"].index(["بخشی برآورد", "partly estimate"])],
    ]
    # layers: total, water, power; [colour index, estimate?]
    water = data.needs.layers.index("water")
    assert tehran["v"][water][1] == 0  # reported: drawn plain
    fars = page["prov"][keys.index("fars")]
    assert fars["v"][water][1] == 1  # allocated: hatched
    assert page["prov"][0]["v"][water][0] == 0 and page["prov"][-1]["v"][water][0] == 4
    # estates: e1-e3 drawn, e5 (province only) drawn at its point, approximate; e4 (no point)
    # counted
    est, text = page["est"], page["et"]
    assert len(est["s"]) == len(est["p"]) // (2 * est["o"][2]) == 4
    table = text["t"]
    assert table[text["nf"][-1]] == "استانی" and est["st"][est["s"][-1]][2] == 1  # approximate
    # e1: its point in 1e-5 degree, its names as plain text (the page builds popups with
    # textContent), its popup lines plain too
    from test_markers import points

    assert points(est)[0] == (35.70, 51.40)
    assert table[text["nf"][0]] == XSS and table[text["ne"][0]] == "Estate <b>one</b>"
    assert [table[j] for j in text["pf"][0]] == [
        "شهرک صنعتی · نامعلوم",
        "آب و برق تأمین",
        "موقعیت شهرک",
    ]
    assert [table[j] for j in text["pe"][0]][-1] == "estate location"
    assert len(table) == len({json.dumps(t) for t in table})  # every text is sent once
    assert "۱ مورد بدون موقعیت" in page["legend"]
    assert "approximate (province): 1" in page["legend"]  # counts by location precision
    assert (
        "estimate: national figure of the ISIPO performance report 1400 shared by equal shares"
        in page["legend"]
    )
    assert '<i class="ig-sw ig-est" style="background-color:#fe9929"></i>' in page["legend"]
    assert "جمع کشور: " in page["title"]
    assert "info" not in page and "t" not in tehran  # no pre-rendered tooltips


def test_national_page_layers_and_controls(national_html):
    assert national_html.count("= IG.choro(") == 3
    assert "IG.outline()" in national_html and "IG.labels()" in national_html
    assert "IG.estates()" in national_html
    assert "L.control.layers(" in national_html
    assert re.search(
        r"IG\.legend\(map_\d+, \[ig_layer_\d+,ig_layer_\d+,ig_layer_\d+\]\);", national_html
    )
    for i in range(5):
        assert f'<pattern id="ig-h{i}"' in national_html


def test_pages_are_deterministic(provinces, funding, national_html):
    again = maps.map_data(provinces, funding.sample(frac=1, random_state=1), synthetic_estates())
    assert _html.render(maps.national_map(again)) == national_html
    assert not re.search(r"[0-9a-f]{32}", national_html)


def test_latin_digits(provinces, funding):
    data = maps.map_data(provinces, funding, digits="latin")
    page = page_data(_html.render(maps.national_map(data)))
    assert not re.search("[۰-۹]", json.dumps(page, ensure_ascii=False))
    assert page["fd"] == ""  # the page script leaves the tooltip numbers in Latin digits
    with pytest.raises(InputError, match="digits"):
        maps.map_data(provinces, funding, digits="arabic")


def test_province_page(data):
    page_html = _html.render(maps.province_map(data, "tehran"))
    page = page_data(page_html)
    assert page["focus"] == "tehran"
    (south, west), (north, east) = page["bounds"]
    assert 34 < south < north < 37 and 50 < west < east < 54
    assert len(page["est"]["s"]) == 2  # Tehran's two located estates only
    assert {page["et"]["t"][i] for i in page["et"]["nf"]} == {XSS, SCRIPT_BREAK}
    assert page["scale"] == 1000  # the province maps carry the finer borders
    assert [p["g"] for p in page["prov"]] == data.shapes
    assert "استان تهران" in page["title"]
    with pytest.raises(InputError, match="unknown province key 'atlantis'"):
        maps.province_map(data, "atlantis")


def test_many_estates_are_clustered_with_inlined_markercluster(provinces, funding):
    data = maps.map_data(provinces, funding, synthetic_estates(n_extra=60))
    page_html = _html.render(maps.national_map(data))
    assert page_data(page_html)["cluster"] is True
    assert "markerClusterGroup=" in page_html and ".marker-cluster" in page_html
    assert "<script src" not in page_html


def test_tiles_are_an_option(data):
    page_html = _html.render(maps.national_map(data, tiles=True))
    assert "tile.openstreetmap.org" in page_html
    assert page_data(page_html)["fo"] < 0.9


def test_render_refuses_external_links(data):
    from dataclasses import replace

    m = maps.national_map(data)
    for change in (
        {"body": m.body + '<script src="https://cdn.example/x.js"></script>'},
        {"css": m.css + '</style><link rel="stylesheet" href="https://cdn.example/x.css"><style>'},
    ):
        with pytest.raises((RuntimeError, ValueError), match="external|style"):
            _html.render(replace(m, **change))


def test_page_layers_are_ig_calls_only():
    with pytest.raises(ValueError, match="not an IG call"):
        _html.page_layer("alert(1)", name="x", overlay=True, show=True)
    assert _html.page_layer("IG.choro(2)", name="n", overlay=False, show=True).call == "IG.choro(2)"


def test_map_page_names_its_layers_in_the_control_as_escaped_json(data):
    from dataclasses import replace

    m = maps.national_map(data)
    layer = _html.page_layer("IG.outline()", name="a&#x27;b </script>", overlay=True, show=False)
    page = _html.render(replace(m, layers=(*m.layers, layer)))
    control = page.split("overlays :  {")[1].split("}")[0]
    assert '"a\\u0026#x27;b \\u003c/script\\u003e" : ig_layer_' in control
    assert page.count("</script>") == page.count("<script>")


def test_write_text_is_atomic(tmp_path):
    path = _html.write_text(tmp_path / "sub" / "a.html", "سلام\n")
    assert path.read_text(encoding="utf-8") == "سلام\n"
    assert [p.name for p in path.parent.iterdir()] == ["a.html"]


def test_estates_table_needs_name_and_kind(provinces, funding):
    estates = synthetic_estates().drop(columns=["kind"])
    with pytest.raises(InputError, match="lacks the columns kind"):
        maps.map_data(provinces, funding, estates)


# --- static PNG ---------------------------------------------------------------------------------


def test_png_is_deterministic_and_checks_its_arguments(data, tmp_path):
    fig = static_map.draw_map(data)
    png = static_map.png_bytes(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert static_map.png_bytes(static_map.draw_map(data)) == png
    assert b"Software" not in png
    path = static_map.write_png(
        static_map.draw_map(data, focus="tehran", layer="water"), tmp_path / "t.png"
    )
    assert path.read_bytes().startswith(b"\x89PNG")
    texts = [t.get_text() for t in fig.texts]
    assert any("نیاز مالی کل" in t for t in texts)
    with pytest.raises(InputError, match="no layer 'gas'"):
        static_map.draw_map(data, layer="gas")
    with pytest.raises(InputError, match="unknown province"):
        static_map.draw_map(data, focus="atlantis")


# --- CLI (shipped data) -------------------------------------------------------------------------


def test_cli_province_writes_map_embed_and_png(runner, tmp_path):
    from isipo_geo.cli import app

    result = runner.invoke(
        app,
        [
            "map",
            "province",
            "آذربايجان شرقي",
            "--out-dir",
            str(tmp_path),
            "--embed",
            "--png",
            "--digits",
            "latin",
        ],
    )
    assert result.exit_code == 0, result.output
    base = tmp_path / "provinces" / "east_azerbaijan"
    html = base.with_suffix(".html").read_text(encoding="utf-8")
    page = page_data(html)
    assert page["focus"] == "east_azerbaijan"
    assert set(tip_words(page, "east_azerbaijan")) == {"estimate"}
    snippet = (tmp_path / "provinces" / "east_azerbaijan.embed.html").read_text(encoding="utf-8")
    # pasted into a report beside the output folder (README): the path goes through it
    assert snippet.startswith(f'<iframe src="{tmp_path.name}/provinces/east_azerbaijan.html"')
    assert base.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    assert f"wrote {base.with_suffix('.html')}" in result.output


def test_cli_compress_writes_the_same_map_compressed(runner, tmp_path):
    from isipo_geo.cli import app

    pages = {}
    for name, extra in (("plain", []), ("packed", ["--compress"])):
        out = tmp_path / name
        result = runner.invoke(app, ["map", "province", "qom", "--out-dir", str(out), *extra])
        assert result.exit_code == 0, result.output
        pages[name] = (out / "provinces" / "qom.html").read_text(encoding="utf-8")
    assert 'var P="' in pages["packed"] and 'var P="' not in pages["plain"]
    assert len(pages["packed"]) < 0.55 * len(pages["plain"])
    assert page_data(pages["packed"]) == page_data(pages["plain"])
    assert page_text(pages["packed"]).count("<script>") == pages["plain"].count("<script>")


def test_cli_unknown_province_is_one_line(runner, tmp_path):
    from isipo_geo.cli import app

    result = runner.invoke(app, ["map", "province", "Atlantis", "--out-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown province 'Atlantis'" in result.output
    assert "Traceback" not in result.output


def test_cli_all_writes_33_pages_identically_twice(tmp_path):
    outputs = []
    for seed, name in (("1", "a"), ("2", "b")):
        out = tmp_path / name
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "from isipo_geo.cli import main; main()",
                "map",
                "all",
                "--out-dir",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert "wrote 33 HTML pages (national, 31 provinces, index)" in proc.stdout
        outputs.append(out)
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*") if p.is_file())
    assert len([f for f in files if f.suffix == ".html"]) == 33
    assert Path("index.html") in files and Path("provinces/sistan_baluchestan.html") in files
    for rel in files:
        assert (outputs[0] / rel).read_bytes() == (outputs[1] / rel).read_bytes(), rel
    index = (outputs[0] / "index.html").read_text(encoding="utf-8")
    assert index.count('href="provinces/') == 31 and 'href="national.html"' in index


def test_class_ranges_do_not_overlap():
    values = pd.Series([0.0, 0.0, 1608.0, 3216.0, 8041.0, float("nan")])
    classes, bins = maps.classify(values, k=3)
    assert maps.class_ranges(values, classes, bins) == [
        (0.0, 0.0),
        (1608.0, 3216.0),
        (8041.0, 8041.0),
    ]


def test_cli_user_registry_and_weights_end_to_end(runner, tmp_path):
    from isipo_geo.cli import app

    registry = tmp_path / "registry.csv"
    registry.write_text(
        "id,name_fa,name_en,kind,province,lon,lat,location_precision,water_deficit_lps\n"
        f'x1,"{XSS}",One,industrial_estate,tehran,51.4,35.7,estate,12\n'
        f"x2,{TEMPLATE},Two,industrial_zone,tehran,51.2,35.6,estate,\n",
        encoding="utf-8",
    )
    weights = tmp_path / "weights.csv"
    weights.write_text("province,weight\nfars,2\nqom,1\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "map",
            "province",
            "tehran",
            "--registry",
            str(registry),
            "--weights",
            str(weights),
            "--out-dir",
            str(tmp_path / "maps"),
        ],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "maps" / "provinces" / "tehran.html").read_text(encoding="utf-8")
    assert XSS not in html and "pwned" not in html
    page = page_data(html)
    assert len(page["est"]["s"]) == 2
    assert "user weights" in page["legend"]
    assert tip_words(page, "tehran")[0] == "your registry"  # water: deficit from the registry
    # the legend names the registry and says its year is unknown (no year column): not 1400
    assert "from your registry registry.csv, year unknown (a row, or the sum of rows)" in (
        page["legend"]
    )
    assert "national figure of the ISIPO performance report 1400 shared by user" in (
        page["legend"]
    )
    assert "1400 and an unknown year" in page["title"]


def test_attribution_prefix_is_plain_leaflet() -> None:
    """Leaflet 1.9's default attribution prefix carries a national flag icon; ours is plain."""
    from isipo_geo.maps import html as _html

    assert "setPrefix('<a href=\"https://leafletjs.com\">Leaflet</a>')" in _html.MAP_JS


# --- a layer from the user's own table (issue 7: raster statistics on the maps) ----------------


def layer_table(**changes: object) -> pd.DataFrame:
    """A small per-province table as read from a CSV (text cells), provinces spelled in
    several ways; ``changes`` replace cells as ``{"<row>_<column>": value}``."""
    rows = [
        {"province": "tehran", "ghi": "5.25"},
        {"province": "اصفهان", "ghi": "۶٫۱"},  # Persian name and digits
        {"province": "Fars", "ghi": "6.4"},
        {"province": "IR-30", "ghi": ""},  # Razavi Khorasan by ISO code, no value: no data
        {"province": "", "ghi": ""},  # a blank row
    ]
    for name, value in changes.items():
        pos, column = name.split("_", 1)
        rows[int(pos)][column] = value
    return pd.DataFrame(rows)


def test_layer_values_resolve_provinces_and_leave_missing_ones_as_no_data():
    values = maps.layer_values(layer_table(), "ghi")
    from isipo_geo.names import province_keys

    assert list(values.index) == province_keys()
    assert values.dtype == "float64"
    assert values["tehran"] == 5.25 and values["isfahan"] == 6.1 and values["fars"] == 6.4
    assert math.isnan(values["razavi_khorasan"])  # an empty cell is no data, never 0
    assert int(values.notna().sum()) == 3  # provinces the table lacks are no data too
    # numeric columns (XLSX, GeoPackage), the key column "key" and column names in other case
    table = pd.DataFrame({"Key": ["qom", "gilan"], "MEAN": [1.5, float("nan")]})
    values = maps.layer_values(table, "mean")
    assert values["qom"] == 1.5 and math.isnan(values["gilan"])


@pytest.mark.parametrize(
    ("table", "column", "message", "row", "where"),
    [
        (layer_table(), "mean", r"no column 'mean'; the columns are: province, ghi", None, "mean"),
        (
            layer_table().rename(columns={"province": "name"}),
            "ghi",
            r"no 'province' column",
            None,
            "province",
        ),
        (layer_table(**{"1_ghi": "6 kWh"}), "ghi", r"not a number", 3, "ghi"),
        (layer_table(**{"2_ghi": "inf"}), "ghi", r"not a (finite )?number", 4, "ghi"),
        (
            layer_table(**{"2_province": "Atlantis"}),
            "ghi",
            r"unknown province 'Atlantis'",
            4,
            "province",
        ),
        (layer_table(**{"2_province": "Khorasan"}), "ghi", r"ambiguous", 4, "province"),
        (
            layer_table(**{"2_province": "TEHRAN"}),
            "ghi",
            r"tehran appears twice \(rows 2 and 4\); give one row per province",
            4,
            "province",
        ),
        (layer_table(**{"4_ghi": "3"}), "ghi", r"a value without a province", 6, "province"),
        (
            layer_table(**{f"{i}_ghi": "" for i in range(3)}),
            "ghi",
            r"column 'ghi' holds no number",
            None,
            "ghi",
        ),
        (layer_table(), "province", r"the province column cannot be the value", None, "province"),
    ],
)
def test_layer_values_reject_bad_tables_naming_file_row_and_column(
    table, column, message, row, where
):
    with pytest.raises(InputError, match=message) as info:
        maps.layer_values(table, column, path=Path("ghi.csv"))
    assert info.value.path == Path("ghi.csv")
    assert info.value.row == row
    assert info.value.column == where
    assert str(info.value).startswith("ghi.csv")


def test_layer_values_report_the_rows_the_reader_gives():
    table = layer_table(**{"1_ghi": "x"})
    with pytest.raises(InputError, match="row 17"):
        maps.layer_values(table, "ghi", rows=[10, 17, 18, 19, 20])


def test_user_layer_labels_unit_and_source():
    layer = maps.user_layer(
        layer_table(),
        "ghi",
        path=Path("/data/solar/ghi.csv"),
        label="تابش / Irradiation",
        unit="kWh/m²/day",
    )
    assert (layer.label_fa, layer.label_en) == ("تابش", "Irradiation")
    assert layer.unit == "kWh/m²/day" and layer.source == "ghi.csv" and layer.column == "ghi"
    plain = maps.user_layer(layer_table(), "ghi")
    assert (plain.label_fa, plain.label_en, plain.unit, plain.source) == ("ghi", "ghi", "", "")
    assert maps.user_layer(layer_table(), "ghi", label=" Solar ").label_fa == "Solar"


@pytest.fixture(scope="module")
def layer_data(provinces, funding):
    layer = maps.user_layer(
        layer_table(), "ghi", path=Path("ghi.csv"), label="تابش / Irradiation", unit="kWh/m²"
    )
    return maps.map_data(provinces, funding, synthetic_estates(), layer=layer)


def test_the_layer_is_kept_apart_from_the_financing_need(data, layer_data):
    assert layer_data.needs.layers == data.needs.layers  # not a financing layer
    assert layer_data.needs.nation == data.needs.nation  # nor in the totals
    pd.testing.assert_frame_equal(layer_data.needs.need, data.needs.need)
    classes, bins = layer_data.layer_classes
    keys = list(layer_data.provinces.index)
    assert bins == [5.3, 6.1, 6.4]  # classes on the values as shown (5.25 → 5.3, half up)
    assert classes[keys.index("tehran")] == 0 and classes[keys.index("fars")] == 2
    assert classes.count(-1) == 28  # no data: grey, not the lowest class
    assert data.layer is None and data.layer_classes is None


def test_layer_on_the_page(layer_data):
    html = _html.render(maps.national_map(layer_data))
    page = page_data(html)
    n = len(layer_data.needs.layers)
    assert page["x"]["i"] == n
    assert (page["x"]["fa"], page["x"]["en"], page["x"]["u"]) == (
        "تابش",
        "Irradiation",
        "kWh/m²",
    )
    assert page["x"]["pal"] == list(maps.LAYER_PALETTE)
    assert set(page["x"]["pal"]).isdisjoint(maps.PALETTE)  # never read as money
    by_key = {p["k"]: p for p in page["prov"]}
    assert by_key["tehran"]["x"] == "5.3" and by_key["isfahan"]["x"] == "6.1"
    assert by_key["razavi_khorasan"]["x"] == "" and by_key["qom"]["x"] == ""
    assert by_key["tehran"]["v"][n] == [0, 0] and by_key["fars"]["v"][n] == [4, 0]
    assert by_key["qom"]["v"][n] == [-1, 0]
    # its own radio choice in the layer control, and its own legend section
    assert html.count("= IG.choro(") == n + 1
    assert json.dumps("تابش / Irradiation (از فایل شما / from your file)") in html
    legend = page["legend"]
    section = re.search(rf'<div data-l="{n}">(.*?)</table></div>', legend).group(1)
    assert "<b>تابش</b>" in section and "<b>Irradiation</b>" in section
    assert "kWh/m²" in section and "source: ghi.csv" in section
    assert "منبع: <bdi>ghi.csv</bdi>" in section
    assert "از فایل شما" in section and "from your file" in section
    assert "تومان" not in section and "toman" not in section
    assert section.count('class="ig-sw"') == 4  # three classes and no data
    for color in (maps.LAYER_PALETTE[0], maps.LAYER_PALETTE[2], maps.LAYER_PALETTE[4]):
        assert f"background-color:{color}" in section
    assert "۵٫۳" in section and "۶٫۴" in section


def test_layer_pages_are_deterministic(provinces, funding, layer_data):
    layer = maps.user_layer(
        layer_table().iloc[::-1],
        "ghi",
        path=Path("ghi.csv"),
        label="تابش / Irradiation",
        unit="kWh/m²",
    )
    again = maps.map_data(provinces, funding, synthetic_estates(), layer=layer)
    for build in (maps.national_map, lambda d: maps.province_map(d, "fars")):
        assert _html.render(build(again)) == _html.render(build(layer_data))


def test_layer_text_from_the_user_is_escaped(provinces, funding):
    layer = maps.user_layer(
        layer_table(),
        "ghi",
        path=Path(f"{TEMPLATE}.csv"),
        label=f"{XSS} / {SCRIPT_BREAK}",
        unit=XSS,
    )
    data = maps.map_data(provinces, funding, layer=layer)
    for html in (
        _html.render(maps.national_map(data)),
        page_text(_html.render(maps.province_map(data, "tehran"), compress=True)),
    ):
        assert XSS not in html and "pwned" not in html
        assert html.count("</script>") == html.count("<script>")
        page = page_data(html)
        assert page["x"]["fa"] == "&lt;img src=x onerror=alert(1)&gt;"
        assert page["x"]["en"] == "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
        assert "&#123;&#123; &quot;pwn&quot; ~ &quot;ed&quot; &#125;&#125;.csv" in page["legend"]


# --- CLI with --layer ---------------------------------------------------------------------------


def _map(runner, out: Path, *args: str, command: str = "national"):
    from isipo_geo.cli import app

    cmd = ["map", command, *args, "--out-dir", str(out)]
    return runner.invoke(app, cmd)


def test_cli_national_map_with_a_layer_from_a_csv(runner, tmp_path):
    csv_path = tmp_path / "solar.csv"
    csv_path.write_text(
        "\ufeffprovince,name_fa,GHI\nتهران,تهران,5.5\nFars,فارس,6.25\nسیستان و بلوچستان,,6.75\n",
        encoding="utf-8",
    )
    args = [
        "--layer",
        str(csv_path),
        "--layer-column",
        "GHI",
        "--layer-label",
        "تابش خورشیدی / Solar irradiation",
        "--layer-unit",
        "kWh/m²/day",
    ]
    result = _map(runner, tmp_path / "a", *args)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "a" / "national.html").read_text(encoding="utf-8")
    page = page_data(html)
    by_key = {p["k"]: p for p in page["prov"]}
    assert by_key["tehran"]["x"] == "5.5" and by_key["sistan_baluchestan"]["x"] == "6.8"
    assert sum(p["x"] != "" for p in page["prov"]) == 3
    assert page["x"]["u"] == "kWh/m²/day" and "source: solar.csv" in page["legend"]
    assert json.dumps("تابش خورشیدی / Solar irradiation (از فایل شما / from your file)") in html
    # the same input gives the same bytes
    again = _map(runner, tmp_path / "b", *args)
    assert again.exit_code == 0, again.output
    assert (tmp_path / "b" / "national.html").read_bytes() == html.encode("utf-8")
    # the province maps carry the layer too (its value in the province box)
    result = _map(runner, tmp_path / "a", "fars", *args, command="province")
    assert result.exit_code == 0, result.output
    page = page_data((tmp_path / "a" / "provinces" / "fars.html").read_text(encoding="utf-8"))
    assert page["x"]["i"] == len(page["prov"][0]["v"]) - 1
    assert {p["k"]: p["x"] for p in page["prov"]}["fars"] == "6.3"  # 6.25: one decimal, half up


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layer-column", "mean"], "--layer-column needs --layer FILE"),
        (["--layer", "{csv}"], "--layer needs --layer-column COLUMN"),
        (["--layer-label", "x"], "--layer-label needs --layer FILE"),
        (["--layer", "{csv}", "--layer-column", "mean"], r"no column 'mean'"),
        (
            ["--layer", "{csv}", "--layer-column", "v"],
            r"bad\.csv, row 3, column 'v': .*not a number",
        ),
        (["--layer", "{missing}", "--layer-column", "v"], r"missing\.csv: file not found"),
    ],
)
def test_cli_layer_errors_are_one_line(runner, tmp_path, args, message):
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("province,v\nqom,1\ngilan,12 MW\n", encoding="utf-8")
    args = [a.format(csv=csv_path, missing=tmp_path / "missing.csv") for a in args]
    result = _map(runner, tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def zonal_outputs(tmp_path_factory):
    """``isipo-geo raster zonal`` run on a tiny GeoTIFF over Iran (generated here), written as
    CSV, XLSX and GeoPackage."""
    import numpy as np
    import rasterio
    from affine import Affine
    from typer.testing import CliRunner

    from isipo_geo.cli import app

    folder = tmp_path_factory.mktemp("zonal")
    tif = folder / "ramp.tif"
    width, height = 40, 32  # 0.5° cells from 44°E, 40°N: the whole country
    values = np.arange(width * height, dtype="float32").reshape(height, width)
    values[:4, :] = -1  # nodata in the north-west corner rows
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(0.5, 0, 44, 0, -0.5, 40),
        nodata=-1,
    ) as dst:
        dst.write(values, 1)
    out = {}
    for ext in ("csv", "xlsx", "gpkg"):
        out[ext] = folder / f"zonal.{ext}"
        result = CliRunner().invoke(app, ["raster", "zonal", str(tif), "--out", str(out[ext])])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("ext", ["csv", "xlsx", "gpkg"])
def test_cli_layer_from_raster_zonal_output(runner, tmp_path, zonal_outputs, ext):
    import pyogrio

    result = _map(
        runner,
        tmp_path,
        "--layer",
        str(zonal_outputs[ext]),
        "--layer-column",
        "mean",
        "--layer-label",
        "میانگین / Mean",
        "--digits",
        "latin",
    )
    assert result.exit_code == 0, result.output
    page = page_data((tmp_path / "national.html").read_text(encoding="utf-8"))
    zonal = pyogrio.read_dataframe(zonal_outputs["gpkg"]).set_index("province")
    shown = {p["k"]: p["x"] for p in page["prov"]}
    for key, mean in zonal["mean"].items():
        expected = "" if pd.isna(mean) else _html.format_number(mean, digits="latin")
        assert shown[key] == expected, key
    assert sum(v != "" for v in shown.values()) >= 25
    assert f"source: zonal.{ext}" in page["legend"]


def test_cli_build_puts_the_layer_on_every_map_and_not_in_the_funding_table(
    runner, tmp_path, zonal_outputs
):
    from isipo_geo.cli import app

    out = tmp_path / "maps"
    layer = ["--layer", str(zonal_outputs["csv"]), "--layer-column", "sum"]
    result = runner.invoke(app, ["build", "--out-dir", str(out), *layer])
    assert result.exit_code == 0, result.output
    for page in (out / "national.html", out / "provinces" / "qom.html"):
        assert page_data(page.read_text(encoding="utf-8"))["x"]["en"] == "sum"
    header = (out / "funding.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "sum" not in header.split(",") and "zonal" not in header


def test_fisher_jenks_matches_mapclassify():
    """The maps' own Fisher-Jenks (no mapclassify import at run time) gives mapclassify's bins."""
    import warnings

    import mapclassify
    import numpy as np

    from isipo_geo.maps.data import _fisher_jenks_bins

    rng = np.random.default_rng(3)
    for n, k in ((31, 5), (31, 3), (12, 5), (40, 4)):
        values = np.sort(np.round(rng.gamma(1.5, 400.0, n), 1))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            expected = mapclassify.FisherJenks(values, k=k).bins.tolist()
        assert _fisher_jenks_bins(values, k) == expected


def test_equal_shares_are_one_class_and_the_legend_says_so():
    """Issue 21: the default (equal) allocation's 31 shares read alike, so they are one class and
    the legend says «هر استان ۴۱۵ میلیارد تومان — سهم برابر» (a share of 12,866 bn toman); with
    another key the values differ and no such line is written."""
    from isipo_geo import finance
    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    for key, expected in (("equal", True), ("area", False)):
        rows = finance.funding_rows(scenario="essential", allocate_by=key)
        data = maps.map_data(provinces, pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS))
        legend = maps.legend_html(data)
        line = "هر استان ۴۱۵ میلیارد تومان — سهم برابر" in legend
        assert line is expected, key
        assert ("every province 415 bn toman — equal shares" in legend) is expected
        if expected:
            assert set(data.classes["total"][0]) == {0}
            assert "هر استان ۱۸۵٫۵ میلیارد تومان — سهم برابر" in legend  # water
            assert "هر استان ۲۲۹٫۵ میلیارد تومان — سهم برابر" in legend  # power


def test_the_need_legend_is_built_once_per_map_data(data, monkeypatch):
    from dataclasses import replace

    from isipo_geo.maps import legend

    calls = []
    real = legend.need_sections
    monkeypatch.setattr(legend, "need_sections", lambda *a, **k: calls.append(1) or real(*a, **k))
    fresh = replace(data)  # a new MapData remembers nothing of the old one
    assert fresh.memo == {}
    pages = [page_data(_html.render(maps.national_map(fresh)))] + [
        page_data(_html.render(maps.province_map(fresh, key))) for key in ("tehran", "fars")
    ]
    assert len(calls) == 1
    needs = [p["legend"].split('<div class="ig-sec"')[0] for p in pages]
    assert needs[0] == needs[1] == needs[2] and 'data-l="0"' in needs[0]
    assert "استان‌های دیگر" in pages[1]["legend"] and "استان‌های دیگر" not in pages[0]["legend"]
    assert replace(fresh).memo == {}


def test_pages_are_built_without_folium_branca_or_jinja(tmp_path):
    """The map pages are plain Python string building: a build imports no template engine
    (folium, branca and jinja2 compiled ~22 templates per page and took most of its time)."""
    code = (
        "import sys\nfrom isipo_geo.cli import main\n"
        f"sys.argv = ['isipo-geo', 'build', '-o', {str(tmp_path / 'out')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('LOADED:' + ','.join(m for m in ('folium', 'branca', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED:\n" in out.stdout, out.stdout[-300:]
    assert (tmp_path / "out" / "national.html").stat().st_size > 100_000
    assert len(list((tmp_path / "out" / "provinces").glob("*.html"))) == 31


def test_the_attribution_escapes_a_source_name_once(data):
    """A registry named ``R&D <1403>.csv`` reads as such in the attribution: its text is escaped
    once (``&amp;``), not twice (``&amp;amp;``, which a reader would see as ``&amp;``)."""
    from dataclasses import replace

    named = replace(data, sources=(("registry", "R&D <1403>.csv", "1403"),))
    page = _html.render(maps.national_map(named))
    attr = json.loads(re.search(r'"attr":\s*("(?:[^"\\]|\\.)*")', page).group(1))
    assert "R&amp;D &lt;1403&gt;.csv" in attr
    assert "&amp;amp;" not in attr and "&amp;lt;" not in attr
